// Structured logging: one JSON object per line on stderr (journald-friendly), e.g.
//   {"ts":"2026-11-23T12:00:00Z","level":"info","component":"api","msg":"serving",...}
// Never log personal data (isikukood, names): log ids and codes only.
// Thread-safe (each line is written with one write call).
#ifndef HOP_DAEMON_BASE_LOG_H_
#define HOP_DAEMON_BASE_LOG_H_

#include <initializer_list>
#include <string>
#include <utility>

#include "absl/strings/string_view.h"

namespace hop {

using LogField = std::pair<absl::string_view, std::string>;

void LogInfo(absl::string_view component, absl::string_view msg,
             std::initializer_list<LogField> fields = {});
void LogWarning(absl::string_view component, absl::string_view msg,
                std::initializer_list<LogField> fields = {});
void LogError(absl::string_view component, absl::string_view msg,
              std::initializer_list<LogField> fields = {});

}  // namespace hop

#endif  // HOP_DAEMON_BASE_LOG_H_
