// Pki: a throwaway federation PKI made with certs/hop-pki (see harness.h).
#include <sys/stat.h>

#include <random>

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

absl::StatusOr<CertPaths> Pki::IssueStaff(const std::string& ehak, const std::string& user,
                                          const std::vector<std::string>& extra_args) const {
  std::vector<std::string> args = {"staff", dir_, ehak, user};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  absl::Status status = Run(args);
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

absl::StatusOr<CertPaths> Pki::IssueCustom(const std::string& name,
                                           const std::string& extensions) const {
  const std::string base = absl::StrCat(dir_, "/custom/", name);
  const std::string ext_file = base + ".ext";
  CommandResult mk = RunCommand({"mkdir", "-p", dir_ + "/custom"});
  if (mk.exit_code != 0) return absl::InternalError(absl::StrCat("mkdir: ", mk.err));
  absl::Status wrote = WriteFile(ext_file, absl::StrCat("[ custom ]\n", extensions, "\n"));
  if (!wrote.ok()) return wrote;
  std::random_device random;
  const uint64_t serial = (uint64_t{random()} << 31) | (random() >> 1);  // positive, unique
  const std::vector<std::vector<std::string>> steps = {
      {"openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-noenc",
       "-keyout", base + ".key", "-out", base + ".csr", "-subj", "/CN=" + name},
      {"openssl",
       "x509",
       "-req",
       "-in",
       base + ".csr",
       "-CA",
       ca_cert(),
       "-CAkey",
       dir_ + "/ca/ca.key",
       "-set_serial",
       absl::StrCat(serial),
       "-days",
       "30",
       "-sha256",
       "-extfile",
       ext_file,
       "-extensions",
       "custom",
       "-out",
       base + ".pem"}};
  for (const std::vector<std::string>& step : steps) {
    CommandResult r = RunCommand(step, {}, 60);
    if (r.exit_code != 0) {
      return absl::InternalError(
          absl::StrCat("openssl ", step[1], " for ", name, " exited ", r.exit_code, ": ", r.err));
    }
  }
  return CertPaths{base + ".pem", base + ".key"};
}

}  // namespace hop::testing
