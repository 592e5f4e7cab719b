// Shared by the look-up receipt and access-report tests: Tartu linn 0793 owns a case of kChild
// (consent to Elva 0171, or the child-protection basis through a relation to 0171), Elva pulls
// and looks the child up; and a rogue client that calls Federation.Receipts on 0793 with 0171's
// real node certificate over mutual TLS (a compromised or buggy peer node).
// Cast at 0793: case manager tiina, child-protection specialist kaie, teacher mari and
// coordinator koidu of the school, network leader juht, the bootstrap admin; at 0171: case
// manager elle, child-protection specialist kadri.
#ifndef HOP_TESTS_FEDERATION_RECEIPTS_FIXTURE_H_
#define HOP_TESTS_FEDERATION_RECEIPTS_FIXTURE_H_

#include <memory>
#include <string>
#include <vector>

#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "hop/v1/audit.pb.h"
#include "hop/v1/casework.pb.h"
#include "hop/v1/federation.grpc.pb.h"
#include "tests/federation/federation_fixture.h"

namespace hop {

inline constexpr char kLookupPurpose[] = "new pupil: earlier support?";

class ReceiptsFederation : public Federation {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(StartNodes({"0793", "0171"}));
    Ok("0793", "admin", {"user", "add", "tiina", "--role", "case-manager", "--name", "Tiina"});
    Ok("0793", "admin", {"user", "add", "kaie", "--role", "child-protection", "--name", "Kaie"});
    Ok("0793", "admin", {"user", "add", "juht", "--role", "network-leader", "--name", "Juta"});
    Ok("0171", "admin", {"user", "add", "elle", "--role", "case-manager", "--name", "Elle"});
    Ok("0171", "admin", {"user", "add", "kadri", "--role", "child-protection", "--name", "Kadri"});
    school_ = Json<hop::v1::Institution>(
                  "0793", "tiina",
                  {"directory", "institution", "add", "--name", "Tartu Kesklinna Kool", "--kind",
                   "school", "--ownership", "municipal", "--municipality", "0793"})
                  .id();
    ASSERT_FALSE(school_.empty());
    Ok("0793", "admin",
       {"user", "add", "mari", "--role", "teacher", "--name", "Mari", "--institution", school_});
    Ok("0793", "admin",
       {"user", "add", "koidu", "--role", "coordinator", "--name", "Koidu", "--institution",
        school_});
  }

  // tiina opens a case of `child` at the school; its id.
  std::string OpenCase(const std::string& child = kChild) {
    const std::string id =
        Json<hop::v1::Case>(
            "0793", "tiina",
            {"case", "open", "--child", child, "--name", "Mari Maasikas", "--level", "school",
             "--institution", school_, "--reason", "reading difficulties noticed"})
            .id();
    EXPECT_FALSE(id.empty());
    Ok("0793", "tiina", {"case", "assign", id, "--case-manager", "tiina"});
    return id;
  }
  void ConsentTo0171(const std::string& child = kChild) {
    Ok("0793", "tiina",
       {"consent", "grant", "--child", child, "--guardian", kGuardian, "--to", "0171", "--scope",
        "summary,contact", "--purpose", "support in Elva", "--until", LocalDate(300)});
  }
  hop::v1::LookupResponse Lookup(const std::string& node, const std::string& user) {
    return Json<hop::v1::LookupResponse>(
        node, user, {"lookup", "--child", kChild, "--purpose", kLookupPurpose});
  }
  std::vector<hop::v1::InboxEntry> Inbox(const std::string& node, const std::string& user,
                                         const std::string& kind) {
    std::vector<hop::v1::InboxEntry> out;
    const hop::v1::ListInboxResponse inbox =
        Json<hop::v1::ListInboxResponse>(node, user, {"inbox", "--all"});
    for (const hop::v1::InboxEntry& e : inbox.entries()) {
      if (e.kind() == kind) out.push_back(e);
    }
    return out;
  }
  std::vector<hop::v1::AuditEntry> Report(const std::string& node, const std::string& user,
                                          const std::string& child = kChild) {
    const hop::v1::SubjectReportResponse r =
        Json<hop::v1::SubjectReportResponse>(node, user, {"audit", "subject", "--child", child});
    return {r.entries().begin(), r.entries().end()};
  }
  static std::vector<hop::v1::AuditEntry> WithAction(const std::vector<hop::v1::AuditEntry>& all,
                                                     const std::string& action) {
    std::vector<hop::v1::AuditEntry> out;
    for (const hop::v1::AuditEntry& e : all) {
      if (e.action() == action) out.push_back(e);
    }
    return out;
  }

  // A Federation stub on 0793 authenticated as 0171's node (its real certificate and key).
  std::unique_ptr<hop::v1::Federation::Stub> RogueStubAs0171() {
    return FederationStubAs("0171", "0793");
  }
  // A receipt as 0171's hopd makes it: elle looked up `case_id` now.
  static hop::v1::LookupReceipt Receipt(const std::string& id, const std::string& case_id) {
    hop::v1::LookupReceipt r;
    r.set_id(id);
    r.set_case_id(case_id);
    r.set_asker("spiffe://hop.tartumaa.ee/municipality/0171/staff/elle");
    r.set_asker_role(hop::v1::ROLE_CASE_MANAGER);
    r.set_asker_municipality("0171");
    r.set_looked_up_at(time(nullptr));
    r.set_purpose(kLookupPurpose);
    r.set_basis(hop::v1::SHARE_BASIS_CONSENT);
    return r;
  }
  grpc::Status SendReceipts(hop::v1::Federation::Stub& stub,
                            const std::vector<hop::v1::LookupReceipt>& receipts,
                            hop::v1::LookupReceiptAck* ack) {
    hop::v1::LookupReceiptBatch batch;
    for (const hop::v1::LookupReceipt& r : receipts) *batch.add_receipts() = r;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    return stub.Receipts(&context, batch, ack);
  }

  std::string school_;
};

}  // namespace hop

#endif  // HOP_TESTS_FEDERATION_RECEIPTS_FIXTURE_H_
