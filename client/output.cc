#include "client/output.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/util/json_util.h"

namespace hop::client {
namespace {

std::string PadRight(const std::string& text, size_t width) {
  const size_t w = DisplayWidth(text);
  return w >= width ? text : absl::StrCat(text, std::string(width - w, ' '));
}

std::string StripTrailingSpaces(std::string line) {
  while (!line.empty() && line.back() == ' ') line.pop_back();
  return line;
}

}  // namespace

std::string Clean(absl::string_view text) {
  std::string out(text);
  for (char& c : out) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) c = ' ';
  }
  return out;
}

size_t DisplayWidth(absl::string_view text) {
  return static_cast<size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

std::string FormatTime(int64_t unix_seconds, absl::TimeZone zone) {
  if (unix_seconds == 0) return "-";
  return absl::FormatTime("%Y-%m-%d %H:%M", absl::FromUnixSeconds(unix_seconds), zone);
}

std::string OrDash(absl::string_view text) { return text.empty() ? "-" : Clean(text); }

std::string CodeText(domain::CodeKind kind, absl::string_view code) {
  const hop::v1::Code* known = domain::CountyCodes().Find(kind, code);
  if (known == nullptr) return OrDash(code);
  return absl::StrCat(known->code(), " (", known->et(), ")");
}

std::vector<std::string> CodeTexts(domain::CodeKind kind,
                                   const google::protobuf::RepeatedPtrField<std::string>& codes) {
  std::vector<std::string> texts;
  for (const std::string& code : codes) texts.push_back(CodeText(kind, code));
  return texts;
}

std::string JoinOrDash(const std::vector<std::string>& items) {
  if (items.empty()) return "-";
  std::vector<std::string> cleaned;
  cleaned.reserve(items.size());
  for (const std::string& item : items) cleaned.push_back(Clean(item));
  return absl::StrJoin(cleaned, ", ");
}

Table::Table(std::vector<std::string> headers) : headers_(std::move(headers)) {}

void Table::AddRow(std::vector<std::string> cells) {
  cells.resize(headers_.size());
  for (std::string& cell : cells) cell = Clean(cell);
  rows_.push_back(std::move(cells));
}

std::string Table::Render() const {
  std::vector<size_t> widths(headers_.size(), 0);
  for (size_t c = 0; c < headers_.size(); ++c) {
    widths[c] = DisplayWidth(headers_[c]);
    for (const auto& row : rows_) widths[c] = std::max(widths[c], DisplayWidth(row[c]));
  }
  auto render_row = [&](const std::vector<std::string>& cells) {
    std::string line;
    for (size_t c = 0; c < cells.size(); ++c) {
      if (c > 0) line += "  ";
      line += c + 1 == cells.size() ? cells[c] : PadRight(cells[c], widths[c]);
    }
    return absl::StrCat(StripTrailingSpaces(std::move(line)), "\n");
  };
  std::string out = render_row(headers_);
  for (const auto& row : rows_) out += render_row(row);
  return out;
}

void KeyValueBlock::Add(absl::string_view key, absl::string_view value) {
  entries_.push_back(Entry{std::string(key), OrDash(value), {}, false});
}

void KeyValueBlock::AddList(absl::string_view key, std::vector<std::string> items) {
  for (std::string& item : items) item = Clean(item);
  entries_.push_back(Entry{std::string(key), "", std::move(items), true});
}

std::string KeyValueBlock::Render() const {
  size_t width = 0;
  for (const Entry& e : entries_) {
    if (!e.is_list || e.items.empty()) width = std::max(width, DisplayWidth(e.key) + 1);
  }
  std::string out;
  for (const Entry& e : entries_) {
    const std::string label = absl::StrCat(e.key, ":");
    if (!e.is_list) {
      absl::StrAppend(&out, PadRight(label, width), " ", e.value, "\n");
    } else if (e.items.empty()) {
      absl::StrAppend(&out, PadRight(label, width), " -\n");
    } else {
      absl::StrAppend(&out, label, "\n");
      for (const std::string& item : e.items) absl::StrAppend(&out, "  - ", item, "\n");
    }
  }
  return out;
}

absl::StatusOr<std::string> ToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  options.add_whitespace = true;
  std::string json;
  auto status = google::protobuf::util::MessageToJsonString(message, &json, options);
  if (!status.ok()) {
    return absl::InternalError(absl::StrCat("cannot print JSON: ", status.ToString()));
  }
  if (json.empty() || json.back() != '\n') json += '\n';
  return json;
}

}  // namespace hop::client
