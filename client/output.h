// Building blocks of hopctl's output: aligned tables, "key: value" blocks, local times and
// protobuf JSON.
//
// Human output never shows more than the server returned. Text from the server is cleaned of
// control characters (a newline or terminal escape in a name cannot break a table or the
// terminal). Widths count UTF-8 code points, so Estonian letters align.
// Pure; thread-compatible.
#ifndef HOP_CLIENT_OUTPUT_H_
#define HOP_CLIENT_OUTPUT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "daemon/domain/code_lists.h"
#include "google/protobuf/message.h"
#include "google/protobuf/repeated_field.h"

namespace hop::client {

// Replaces control characters (and DEL) with spaces.
std::string Clean(absl::string_view text);

// Display width: the number of UTF-8 code points.
size_t DisplayWidth(absl::string_view text);

// Unix seconds as local "YYYY-MM-DD HH:MM" in `zone`; "-" for 0.
std::string FormatTime(int64_t unix_seconds, absl::TimeZone zone);

// "" -> "-"; otherwise the cleaned text.
std::string OrDash(absl::string_view text);

// A county code with its Estonian label: "reading (Lugemisraskused)"; the cleaned code alone
// when hopctl's list does not know it (a newer list version, or text from before the lists).
std::string CodeText(domain::CodeKind kind, absl::string_view code);
std::vector<std::string> CodeTexts(domain::CodeKind kind,
                                   const google::protobuf::RepeatedPtrField<std::string>& codes);

// Joins cleaned items with ", "; "-" if there are none.
std::string JoinOrDash(const std::vector<std::string>& items);

// A table with a header row; columns separated by two spaces, padded to the widest cell
// (the last column is not padded). Cells are cleaned.
class Table {
 public:
  explicit Table(std::vector<std::string> headers);
  void AddRow(std::vector<std::string> cells);  // missing cells are empty; extra ignored
  size_t rows() const { return rows_.size(); }
  std::string Render() const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
};

// "key: value" lines with the values aligned, and lists rendered as "key:" followed by
// "  - item" lines (or "key: -" when empty). Values are cleaned; empty values show "-".
class KeyValueBlock {
 public:
  void Add(absl::string_view key, absl::string_view value);
  void AddList(absl::string_view key, std::vector<std::string> items);
  std::string Render() const;

 private:
  struct Entry {
    std::string key;
    std::string value;
    std::vector<std::string> items;
    bool is_list = false;
  };
  std::vector<Entry> entries_;
};

// Protobuf JSON of `message` with the proto field names, every field (also zero values), and
// a trailing newline.
absl::StatusOr<std::string> ToJson(const google::protobuf::Message& message);

}  // namespace hop::client

#endif  // HOP_CLIENT_OUTPUT_H_
