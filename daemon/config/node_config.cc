#include "daemon/config/node_config.h"

#include <sys/stat.h>

#include <set>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "daemon/base/status_macros.h"
#include "daemon/domain/limits.h"
#include "daemon/domain/municipalities.h"
#include "daemon/security/identity.h"
#include "daemon/security/tls_credentials.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"

namespace hop::config {
namespace {

// Largest tls.crl_grace_hours: a month past nextUpdate.
constexpr uint32_t kMaxCrlGraceHours = 720;

class CollectingErrors final : public google::protobuf::io::ErrorCollector {
 public:
  explicit CollectingErrors(absl::string_view source) : source_(source) {}
  void AddError(int line, int column, const std::string& message) override {
    errors_.push_back(absl::StrCat(source_, ":", line + 1, ":", column + 1, ": ", message));
  }
  void AddWarning(int line, int column, const std::string& message) override {
    AddError(line, column, message);
  }
  const std::vector<std::string>& errors() const { return errors_; }

 private:
  std::string source_;
  std::vector<std::string> errors_;
};

// Collects problems, one line each.
class Problems {
 public:
  void Add(const absl::Status& s) {
    if (!s.ok()) lines_.emplace_back(s.message());
  }
  void Add(std::string line) { lines_.push_back(std::move(line)); }
  absl::Status ToStatus() const {
    if (lines_.empty()) return absl::OkStatus();
    return absl::InvalidArgumentError(absl::StrCat("invalid node configuration (", lines_.size(),
                                                   " problem", lines_.size() == 1 ? "" : "s",
                                                   "):\n  ", absl::StrJoin(lines_, "\n  ")));
  }

 private:
  std::vector<std::string> lines_;
};

void CheckFile(const std::string& path, absl::string_view field, FileCheck files,
               Problems& problems) {
  if (path.empty()) {
    problems.Add(absl::StrCat(field, ": required; the path of a PEM file made by certs/hop-pki"));
    return;
  }
  if (files == FileCheck::kSkip) return;
  struct stat st {};
  if (stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    problems.Add(absl::StrCat(field, ": file \"", path, "\" does not exist"));
  }
}

absl::Status ValidateLocalTime(absl::string_view hhmm, absl::string_view field) {
  int h = 0, m = 0;
  if (hhmm.size() != 5 || hhmm[2] != ':' || !absl::SimpleAtoi(hhmm.substr(0, 2), &h) ||
      !absl::SimpleAtoi(hhmm.substr(3, 2), &m) || h < 0 || h > 23 || m < 0 || m > 59) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": \"", hhmm, "\" is not a local time; expected HH:MM, e.g. 02:30"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateHostPort(absl::string_view address, absl::string_view field) {
  auto bad = [&] {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": \"", address, "\" is not host:port; expected e.g. 127.0.0.1:7443 or [::1]:7443"));
  };
  const size_t colon = address.rfind(':');
  if (colon == absl::string_view::npos || colon == 0) return bad();
  absl::string_view host = address.substr(0, colon);
  if (host.front() == '[' && host.back() != ']') return bad();
  int port = 0;
  if (!absl::SimpleAtoi(address.substr(colon + 1), &port) || port < 1 || port > 65535) {
    return bad();
  }
  return absl::OkStatus();
}

// console_listen and console (issue 12).
void ValidateConsole(const hop::v1::NodeConfig& c, FileCheck files, Problems& problems) {
  if (c.console_listen().empty()) {
    if (!c.console().static_dir().empty() || c.console().id_card_ca_files_size() > 0) {
      problems.Add(
          "console: set, but console_listen is empty; add console_listen (e.g. "
          "\"0.0.0.0:8443\") to serve the console, or remove console");
    }
    return;
  }
  problems.Add(ValidateHostPort(c.console_listen(), "console_listen"));
  for (const auto& [other, name] : {std::pair{c.api_listen(), "api_listen"},
                                    std::pair{c.federation_listen(), "federation_listen"},
                                    std::pair{c.metrics_listen(), "metrics_listen"}}) {
    if (other == c.console_listen()) {
      problems.Add(absl::StrCat("console_listen: \"", other, "\" is also ", name,
                                "; give the console a port of its own"));
    }
  }
  const std::string& dir = c.console().static_dir();
  if (dir.empty()) {
    problems.Add(
        "console.static_dir: required with console_listen; the built console: "
        "build/client/console/dist in a build tree, /usr/local/share/hop/console installed");
  } else if (files == FileCheck::kCheck) {
    struct stat st {};
    if (stat(absl::StrCat(dir, "/index.html").c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
      problems.Add(absl::StrCat("console.static_dir: \"", dir,
                                "\" has no index.html; point it at the built console "
                                "(cmake --build builds it into build/client/console/dist)"));
    }
  }
  for (int i = 0; i < c.console().id_card_ca_files_size(); ++i) {
    CheckFile(c.console().id_card_ca_files(i), absl::StrCat("console.id_card_ca_files[", i, "]"),
              files, problems);
  }
}

// Issue 13: casework options (transitions inside the municipality).
void ValidateCaseWork(const hop::v1::NodeConfig& c, Problems& problems) {
  const uint32_t days = c.casework().former_institution_read_days();
  if (days > domain::kMaxFormerInstitutionReadDays) {
    problems.Add(absl::StrCat("casework.former_institution_read_days: ", days,
                              " is too long; expected 1 to ", domain::kMaxFormerInstitutionReadDays,
                              " days, or 0 for the default ",
                              domain::kDefaultFormerInstitutionReadDays));
  }
}

// peers: each another municipality of Estonia, listed once, with a host:port.
void ValidatePeers(const hop::v1::NodeConfig& c, Problems& problems) {
  std::set<std::string> seen;
  for (int i = 0; i < c.peers_size(); ++i) {
    const hop::v1::Peer& peer = c.peers(i);
    const std::string field = absl::StrCat("peers[", i, "]");
    absl::Status code =
        domain::ValidateMunicipalityCode(peer.municipality(), absl::StrCat(field, ".municipality"));
    problems.Add(code);
    if (code.ok() && peer.municipality() == c.municipality()) {
      problems.Add(absl::StrCat(field, ".municipality: \"", peer.municipality(),
                                "\" is this node itself; list only the other municipalities"));
    } else if (code.ok() && !seen.insert(peer.municipality()).second) {
      problems.Add(absl::StrCat(field, ".municipality: \"", peer.municipality(),
                                "\" is listed twice; keep one entry per peer"));
    }
    problems.Add(ValidateHostPort(peer.address(), absl::StrCat(field, ".address")));
  }
}

// sync: the nightly time, jitter and retry backoff; limits: the live-query rates.
void ValidateSyncAndLimits(const hop::v1::NodeConfig& c, Problems& problems) {
  if (!c.sync().nightly_at().empty()) {
    problems.Add(ValidateLocalTime(c.sync().nightly_at(), "sync.nightly_at"));
  }
  if (c.sync().jitter_minutes() > 720) {
    problems.Add(absl::StrCat("sync.jitter_minutes: ", c.sync().jitter_minutes(),
                              " is too large; expected 0 to 720"));
  }
  const uint32_t retry_initial = c.sync().retry_initial_seconds();
  const uint32_t retry_max = c.sync().retry_max_seconds();
  if (retry_max > 86400) {
    problems.Add(absl::StrCat("sync.retry_max_seconds: ", retry_max,
                              " is too large; expected at most 86400 (a day)"));
  }
  if (retry_initial != 0 && retry_max != 0 && retry_initial > retry_max) {
    problems.Add(absl::StrCat("sync.retry_initial_seconds: ", retry_initial,
                              " is larger than sync.retry_max_seconds (", retry_max,
                              "); make it smaller"));
  }
  for (const auto& [value, field] :
       {std::pair{c.limits().queries_per_user_per_minute(), "limits.queries_per_user_per_minute"},
        std::pair{c.limits().queries_per_peer_per_minute(),
                  "limits.queries_per_peer_per_minute"}}) {
    if (value > 100000) {
      problems.Add(absl::StrCat(field, ": ", value,
                                " is too large; expected at most 100000 (0 = the default)"));
    }
  }
}

// retention, drain and consent rules: each within its documented range.
void ValidateRetentionAndConsent(const hop::v1::NodeConfig& c, Problems& problems) {
  if (c.retention().erase_within_seconds() > 3600) {
    problems.Add(
        absl::StrCat("retention.erase_within_seconds: ", c.retention().erase_within_seconds(),
                     " is too long; expected 1 to 3600 (purged data must leave the disk "
                     "within an hour), or 0 for the default 600"));
  }
  if (c.drain_seconds() > 60) {
    problems.Add(
        absl::StrCat("drain_seconds: ", c.drain_seconds(),
                     " is too long; expected at most 60 (deploy/systemd/hopd.service waits 90 s "
                     "for a stop)"));
  }
  if (c.consent_rules().max_validity_years() > 18) {
    problems.Add(
        absl::StrCat("consent_rules.max_validity_years: ", c.consent_rules().max_validity_years(),
                     " is too long; expected 1 to 18 (a consent ends at the child's 18th "
                     "birthday anyway), or 0 for the default 3"));
  }
  if (c.consent_rules().max_backdate_days() > 365) {
    problems.Add(
        absl::StrCat("consent_rules.max_backdate_days: ", c.consent_rules().max_backdate_days(),
                     " is too long; expected 1 to 365, or 0 for the default 30"));
  }
  const uint32_t closed_days = c.retention().closed_case_days();
  if (closed_days != 0 &&
      (closed_days < domain::kMinClosedCaseDays || closed_days > domain::kMaxClosedCaseDays)) {
    problems.Add(absl::StrCat("retention.closed_case_days: ", closed_days,
                              " is out of range; expected ", domain::kMinClosedCaseDays, " to ",
                              domain::kMaxClosedCaseDays,
                              " days after closing (e.g. 1825, five years), or 0 to keep closed "
                              "cases for ever"));
  }
}

absl::Status ValidateNodeConfig(const hop::v1::NodeConfig& c, FileCheck files) {
  Problems problems;
  if (c.municipality().empty()) {
    problems.Add("municipality: required; this node's 4-digit EHAK code, e.g. \"0793\"");
  } else {
    problems.Add(domain::ValidateMunicipalityCode(c.municipality(), "municipality"));
  }
  if (c.data_dir().empty()) {
    problems.Add(
        "data_dir: required; the directory for the node's RocksDB store, e.g. "
        "\"/var/lib/hop\"");
  }
  if (c.api_listen().empty()) {
    problems.Add("api_listen: required; host:port for the staff API, e.g. \"0.0.0.0:7443\"");
  } else {
    problems.Add(ValidateHostPort(c.api_listen(), "api_listen"));
  }
  if (!c.federation_listen().empty()) {
    problems.Add(ValidateHostPort(c.federation_listen(), "federation_listen"));
  }
  if (!c.metrics_listen().empty()) {
    problems.Add(ValidateHostPort(c.metrics_listen(), "metrics_listen"));
  }
  ValidateConsole(c, files, problems);
  CheckFile(c.tls().ca_cert(), "tls.ca_cert", files, problems);
  CheckFile(c.tls().cert(), "tls.cert", files, problems);
  CheckFile(c.tls().key(), "tls.key", files, problems);
  CheckFile(c.tls().crl(), "tls.crl", files, problems);
  if (c.tls().crl_grace_hours() > kMaxCrlGraceHours) {
    problems.Add(absl::StrCat("tls.crl_grace_hours: ", c.tls().crl_grace_hours(),
                              " is too long; expected 0 (the default, 24) to ", kMaxCrlGraceHours,
                              " hours (30 days): a stale CRL keeps revoked certificates working"));
  }
  ValidatePeers(c, problems);
  ValidateSyncAndLimits(c, problems);
  ValidateRetentionAndConsent(c, problems);
  ValidateCaseWork(c, problems);
  for (int i = 0; i < c.bootstrap_admins_size(); ++i) {
    problems.Add(security::ValidatePrincipalName(c.bootstrap_admins(i),
                                                 absl::StrCat("bootstrap_admins[", i, "]")));
  }
  return problems.ToStatus();
}

absl::StatusOr<hop::v1::NodeConfig> ParseNodeConfig(absl::string_view text,
                                                    absl::string_view source, FileCheck files) {
  hop::v1::NodeConfig config;
  CollectingErrors errors(source);
  google::protobuf::TextFormat::Parser parser;
  parser.RecordErrorsTo(&errors);
  if (!parser.ParseFromString(std::string(text), &config)) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot parse node configuration (textproto hop.v1.NodeConfig, see "
                     "deploy/config/):\n  ",
                     absl::StrJoin(errors.errors(), "\n  ")));
  }
  HOP_RETURN_IF_ERROR(ValidateNodeConfig(config, files));
  return config;
}

absl::StatusOr<hop::v1::NodeConfig> LoadNodeConfig(const std::string& path) {
  HOP_ASSIGN_OR_RETURN(std::string text, security::ReadFileToString(path));
  return ParseNodeConfig(text, path);
}

}  // namespace hop::config
