#include "daemon/base/log.h"

#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace hop {
namespace {

void AppendJsonString(std::string& out, absl::string_view s) {
  out.push_back('"');
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          absl::StrAppendFormat(&out, "\\u%04x", c);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  out.push_back('"');
}

void Write(absl::string_view level, absl::string_view component, absl::string_view msg,
           std::initializer_list<LogField> fields) {
  std::string line = "{\"ts\":";
  AppendJsonString(line,
                   absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone()));
  line += ",\"level\":";
  AppendJsonString(line, level);
  line += ",\"component\":";
  AppendJsonString(line, component);
  line += ",\"msg\":";
  AppendJsonString(line, msg);
  for (const LogField& f : fields) {
    line.push_back(',');
    AppendJsonString(line, f.first);
    line.push_back(':');
    AppendJsonString(line, f.second);
  }
  line += "}\n";
  ssize_t ignored = ::write(STDERR_FILENO, line.data(), line.size());
  (void)ignored;
}

}  // namespace

void LogInfo(absl::string_view component, absl::string_view msg,
             std::initializer_list<LogField> fields) {
  Write("info", component, msg, fields);
}
void LogWarning(absl::string_view component, absl::string_view msg,
                std::initializer_list<LogField> fields) {
  Write("warning", component, msg, fields);
}
void LogError(absl::string_view component, absl::string_view msg,
              std::initializer_list<LogField> fields) {
  Write("error", component, msg, fields);
}

}  // namespace hop
