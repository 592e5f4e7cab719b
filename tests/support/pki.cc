// Pki: a throwaway federation PKI made with certs/hop-pki (see harness.h).
#include <sys/stat.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tests/support/harness.h"

namespace hop::testing {
namespace {

bool Exists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

}  // namespace

absl::StatusOr<Pki> Pki::Create(const std::string& dir) {
  Pki pki(dir);
  if (Exists(pki.ca_cert())) {
    return absl::AlreadyExistsError(absl::StrCat(dir, " already holds a federation CA"));
  }
  absl::Status status = pki.Run({"init", dir});
  if (!status.ok()) return status;
  return pki;
}

absl::StatusOr<Pki> Pki::Open(const std::string& dir) {
  Pki pki(dir);
  if (!Exists(pki.ca_cert()) || !Exists(dir + "/ca/ca.key")) {
    return absl::NotFoundError(
        absl::StrCat(dir, " holds no federation CA (make one with Pki::Create)"));
  }
  return pki;
}

absl::Status Pki::Run(const std::vector<std::string>& args) const {
  std::vector<std::string> argv = {"bash", SourceDir() + "/certs/hop-pki"};
  argv.insert(argv.end(), args.begin(), args.end());
  CommandResult r = RunCommand(argv, {}, 60);
  if (r.exit_code == 0) return absl::OkStatus();
  std::string msg = absl::StrCat("hop-pki ", absl::StrJoin(args, " "), " exited ", r.exit_code,
                                 r.timed_out ? " (timed out)" : "", ": ", r.err);
  if (r.exit_code == 2) return absl::InvalidArgumentError(msg);
  return absl::InternalError(msg);
}

absl::StatusOr<CertPaths> Pki::IssueNode(const std::string& ehak,
                                         const std::vector<std::string>& extra_args) const {
  std::vector<std::string> args = {"node", dir_, ehak};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  absl::Status status = Run(args);
  if (!status.ok()) return status;
  const std::string base = absl::StrCat(dir_, "/nodes/", ehak, "/node");
  return CertPaths{base + ".pem", base + ".key"};
}

absl::StatusOr<CertPaths> Pki::IssueStaff(const std::string& ehak, const std::string& user) const {
  absl::Status status = Run({"staff", dir_, ehak, user});
  if (!status.ok()) return status;
  const std::string base = absl::StrCat(dir_, "/staff/", ehak, "/", user, "/staff");
  return CertPaths{base + ".pem", base + ".key"};
}

absl::StatusOr<CertPaths> Pki::IssueOps(const std::string& ehak, const std::string& name) const {
  absl::Status status = Run({"ops", dir_, ehak, name});
  if (!status.ok()) return status;
  const std::string base = absl::StrCat(dir_, "/ops/", ehak, "/", name, "/ops");
  return CertPaths{base + ".pem", base + ".key"};
}

absl::Status Pki::Revoke(const std::string& cert_path, const std::string& reason) const {
  std::vector<std::string> args = {"revoke", dir_, cert_path};
  if (!reason.empty()) {
    args.push_back("--reason");
    args.push_back(reason);
  }
  return Run(args);
}

absl::Status Pki::RegenerateCrl(int days) const {
  return Run({"crl", dir_, "--days", absl::StrCat(days)});
}

}  // namespace hop::testing
