// A full disk under a real hopd (issue 10, point 6), over real mTLS through hopctl: the data
// directory lives on a small tmpfs, and a filler file beside it fills that file system.
// While full: writes are refused with UNAVAILABLE naming the data directory, a read that
// must be audited is refused saying so (no data returned), and `hopctl status` and the
// metrics endpoint show that the store cannot write. Once the filler is removed, writes
// succeed again without a restart; after a restart every acknowledged case is there and no
// refused one. Needs root (mount); skipped otherwise. No timed assertions: bounded polls.
#include <fcntl.h>
#include <httplib.h>
#include <sys/mount.h>
#include <unistd.h>

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "daemon/domain/isikukood.h"
#include "hop/v1/admin.pb.h"
#include "hop/v1/casework.pb.h"
#include "tests/integration/hopctl_fixture.h"

namespace hop::integration {
namespace {

using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::Not;

// A valid personal code of a child born 2015-05-05, numbered `n` (0-999).
std::string Child(int n) {
  const std::string ten = absl::StrCat("5150505", n / 100, (n / 10) % 10, n % 10);
  return absl::StrCat(ten, domain::IsikukoodCheckDigit(ten));
}

class NodeDiskFullTest : public HopctlTest {
 protected:
  void SetUp() override {
    HopctlTest::SetUp();
    if (HasFatalFailure()) return;
    // Move the data directory onto a tmpfs: <dir>/data -> <dir>/disk/data.
    data_ = node_->dir() + "/data";
    disk_ = node_->dir() + "/disk";
    ASSERT_EQ(node_->Stop(), 0);
    std::filesystem::create_directory(disk_);
    if (mount("tmpfs", disk_.c_str(), "tmpfs", 0, "size=16m") != 0) {
      GTEST_SKIP() << "cannot mount a tmpfs at " << disk_ << " (needs root)";
    }
    mounted_ = true;
    std::filesystem::copy(data_, disk_ + "/data", std::filesystem::copy_options::recursive);
    std::filesystem::remove_all(data_);
    std::filesystem::create_directory_symlink(disk_ + "/data", data_);
    ASSERT_TRUE(node_->Restart().ok()) << node_->log();
    AddCast();
  }
  void TearDown() override {
    if (node_ != nullptr) node_->Stop();
    if (mounted_) umount2(disk_.c_str(), MNT_DETACH);
  }

  // Fills the tmpfs with a filler file beside the data directory, to the last byte.
  void Fill() {
    const int fd = open((disk_ + "/filler").c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    ASSERT_GE(fd, 0);
    const std::string chunk(4096, 'x');
    while (write(fd, chunk.data(), chunk.size()) > 0) {
    }
    while (write(fd, "x", 1) > 0) {
    }
    close(fd);
  }

  // The teacher opens a case for child `n`; recorded as acknowledged or refused.
  CommandResult TryOpen(int n) {
    const std::vector<std::string> args = {
        "case",    "open",   "--child",       Child(n),   "--name",   absl::StrCat("Laps ", n),
        "--level", "school", "--institution", school_id_, "--reason", "noticed in class"};
    CommandResult r = Run("opetaja", args);
    if (r.exit_code == 0) {
      acked_[Child(n)] = r.out.substr(0, r.out.find('\n'));
    } else {
      refused_.insert(Child(n));
    }
    return r;
  }

  std::string Status() {
    CommandResult r = node_->HopctlWith(node_->Ops("monitor"), {"status"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
  }

  hop::v1::NodeStatus StatusJson() {
    CommandResult r = node_->HopctlWith(node_->Ops("monitor"), {"--json", "status"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    hop::v1::NodeStatus status;
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(r.out, &status).ok()) << r.out;
    return status;
  }

  std::string Metrics() {
    const std::string address = node_->metrics_address();
    const size_t colon = address.rfind(':');
    httplib::Client client(address.substr(0, colon), std::stoi(address.substr(colon + 1)));
    client.set_connection_timeout(10);
    client.set_read_timeout(30);
    httplib::Result r = client.Get("/metrics");
    if (!r || r->status != 200) {
      ADD_FAILURE() << "GET /metrics at " << address << " failed";
      return "";
    }
    return r->body;
  }

  std::string data_, disk_;
  bool mounted_ = false;
  std::map<std::string, std::string> acked_;  // child -> case id
  std::set<std::string> refused_;             // children whose case was refused
};

TEST_F(NodeDiskFullTest, RefusesWhileFullResumesWithoutRestartAndLosesNothing) {
  int n = 0;
  for (; n < 3; ++n) ASSERT_EQ(TryOpen(n).exit_code, 0);
  const std::string first_case = acked_.begin()->second;
  EXPECT_THAT(Status(), ContainsRegex("\nstore: +writable\n"));
  EXPECT_THAT(Metrics(), HasSubstr("\nhop_store_writable 1\n"));

  Fill();
  const std::string full =
      absl::StrCat("the store cannot write: no space left on device in ", data_,
                   "; free space there and writes resume without "
                   "a restart");
  // The log file's last page may still take a write or two: open cases until one is refused.
  CommandResult refused;
  for (int i = 0; i < 100; ++i) {
    refused = TryOpen(n++);
    if (refused.exit_code != 0) break;
  }
  EXPECT_EQ(refused.exit_code, 1) << refused.out << refused.err;
  EXPECT_EQ(refused.err, absl::StrCat("hopctl: UNAVAILABLE: ", full, "\n"));
  EXPECT_EQ(refused.out, "");
  // Still full: refused again the same way.
  CommandResult again = TryOpen(n++);
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_EQ(again.err, absl::StrCat("hopctl: UNAVAILABLE: ", full, "\n"));

  // A read of a child's data must be audited: refused, no data, saying why.
  for (const std::vector<std::string>& read :
       {std::vector<std::string>{"case", "get", first_case}, {"case", "list"}}) {
    const std::string err = MustFail("opetaja", read, "UNAVAILABLE");
    EXPECT_THAT(err, HasSubstr("audit trail"));
    EXPECT_THAT(err, HasSubstr(full));
    EXPECT_THAT(err, Not(HasSubstr("Laps")));
  }
  // Status and metrics say the store cannot write.
  const std::string status_full = Status();
  EXPECT_THAT(status_full, ContainsRegex("\nstore: +CANNOT WRITE: "));
  EXPECT_THAT(status_full, HasSubstr(absl::StrCat("CANNOT WRITE: ", full, "\n")));
  const hop::v1::NodeStatus json = StatusJson();
  EXPECT_FALSE(json.store_writable());
  EXPECT_EQ(json.store_error(), full);
  EXPECT_THAT(Metrics(), HasSubstr("\nhop_store_writable 0\n"));

  // Space is back: writes resume without a restart (polled through the status).
  ASSERT_EQ(unlink((disk_ + "/filler").c_str()), 0);
  std::string status;
  for (int i = 0; i < 120; ++i) {
    status = Status();
    if (status.find("CANNOT WRITE") == std::string::npos) break;
    usleep(500 * 1000);
  }
  EXPECT_THAT(status, ContainsRegex("\nstore: +writable\n"));
  EXPECT_TRUE(StatusJson().store_writable());
  EXPECT_EQ(StatusJson().store_error(), "");
  EXPECT_THAT(Metrics(), HasSubstr("\nhop_store_writable 1\n"));
  for (int i = 0; i < 3; ++i) {
    CommandResult r = TryOpen(n++);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  EXPECT_THAT(Must("opetaja", {"case", "get", first_case}), HasSubstr("Laps 0"));

  // After a restart: every acknowledged case is there, no refused one.
  ASSERT_TRUE(node_->Restart().ok()) << node_->log();
  const auto list = MustJson<hop::v1::ListCasesResponse>("opetaja", {"case", "list"});
  std::map<std::string, std::string> listed;
  for (const hop::v1::Case& c : list.cases()) listed[c.child().isikukood()] = c.id();
  EXPECT_EQ(listed, acked_);
  for (const std::string& child : refused_) EXPECT_EQ(listed.count(child), 0u) << child;
  EXPECT_GE(refused_.size(), 2u);
  EXPECT_THAT(Must("admin", {"audit", "verify"}), HasSubstr("intact"));
}

}  // namespace
}  // namespace hop::integration
