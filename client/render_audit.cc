// Rendering of `hopctl audit verify` and `hopctl audit subject`: the access report in plain
// language, one paragraph per access (for a parent's request, DOMAIN.md "Data Tracker").
#include <algorithm>
#include <map>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "client/output.h"
#include "client/render.h"
#include "daemon/domain/municipalities.h"

namespace hop::client {
namespace {

std::string Municipality(const std::string& code) {
  const domain::Municipality* m = domain::FindMunicipality(code);
  return m == nullptr ? code : absl::StrCat(m->name, " (", code, ")");
}

// What an action did, in plain words.
std::string Plain(const std::string& action) {
  static const auto* words = new std::map<std::string, std::string>{
      {"CaseWork.OpenCase", "opened a support case"},
      {"CaseWork.GetCase", "read the support case"},
      {"CaseWork.ListCases", "listed support cases, including this child's"},
      {"CaseWork.Escalate", "moved the case to the next stage"},
      {"CaseWork.MoveToChildProtection", "moved the case onto the child-protection track"},
      {"CaseWork.Assign", "changed who is responsible for the case"},
      {"CaseWork.AddNeeds", "added needs to the case"},
      {"CaseWork.AddActionItem", "added an action-plan item"},
      {"CaseWork.AddService", "added a service"},
      {"CaseWork.AddAssessment", "added an interim assessment"},
      {"CaseWork.AddNote", "added a note"},
      {"CaseWork.SetRelatedMunicipalities", "changed the municipalities the case relates to"},
      {"CaseWork.CloseCase", "closed the case"},
      {"CaseWork.GrantConsent", "recorded a guardian's consent"},
      {"CaseWork.WithdrawConsent", "withdrew consent"},
      {"CaseWork.ListConsents", "read the consents"},
      {"CaseWork.Lookup", "looked the child up, including what other municipalities shared"},
      {"CaseWork.QueryPeers", "asked the other municipalities' nodes about the child (live query)"},
      {"CaseWork.ListInbox", "read the notifications of questions about the child"},
      {"Federation.Query: answered",
       "asked this node about the child (live query from another municipality)"},
      {"Audit.Subject", "made this access report"},
      {"Federation.Pull: feed served",
       "the case summary was sent to another municipality's node (sync)"},
      {"Federation.Pull: copies received",
       "case summaries were received from another municipality's node, or copies deleted at "
       "its word (sync)"},
      {"Federation.Pull: feed served (child-protection basis)",
       "the fact of a child-protection case and the specialist's contact were sent to another "
       "municipality's node (sync, Child Protection Act)"},
      {"Federation.Pull: copies received (child-protection basis)",
       "the fact of a child-protection case was received from another municipality's node, or "
       "its copy deleted (sync, Child Protection Act)"},
      {"Federation.Receipts: look-up of a held copy",
       "looked the child up in the copy their node holds of this node's case (reported by "
       "their node's look-up receipt)"},
      {"Federation.Receipts: look-up receipt", "sent a look-up receipt about this child"},
      {"expired copies purged", "a copy whose consent had expired was deleted"},
      {"consent start or expiry applied to the peers' feeds",
       "a consent started or ended: what other municipalities may see was updated"},
  };
  auto it = words->find(action);
  return it == words->end() ? action : it->second;
}

std::string Who(const hop::v1::AuditEntry& e) {
  if (e.actor_role() == "system") return "the node itself";
  if (e.actor_role() == "peer-node") {
    return absl::StrCat("the node of ", Municipality(e.actor_municipality()));
  }
  // spiffe://.../municipality/<code>/staff/<user>
  const size_t at = e.actor().rfind('/');
  const std::string name = at == std::string::npos ? e.actor() : e.actor().substr(at + 1);
  return absl::StrCat(e.actor_role(), " ", name,
                      e.actor_municipality().empty()
                          ? ""
                          : absl::StrCat(" of ", Municipality(e.actor_municipality())));
}

// What an entry says another municipality's node did with the child's data, or "".
std::string FederationVerb(const hop::v1::AuditEntry& e) {
  if (absl::StartsWith(e.outcome(), "refused")) return "";
  if (absl::StartsWith(e.action(), "Federation.Pull: feed served")) return "received copies";
  if (absl::StartsWith(e.action(), "Federation.Receipts: look-up")) return "looked the child up";
  if (e.action() == "Federation.Query: answered") return "asked about the child";
  return "";
}

// One line per other municipality whose node received, looked up or asked about the child
// (the owner's view of the whole federation).
std::string OtherMunicipalities(const hop::v1::SubjectReportResponse& report, absl::TimeZone zone) {
  struct Seen {
    int count = 0;
    int64_t last = 0;
  };
  std::map<std::string, std::map<std::string, Seen>> by_municipality;
  for (const hop::v1::AuditEntry& e : report.entries()) {
    const std::string verb = FederationVerb(e);
    if (verb.empty()) continue;
    Seen& seen = by_municipality[e.actor_municipality()][verb];
    ++seen.count;
    seen.last = std::max(seen.last, e.occurred_at() != 0 ? e.occurred_at() : e.time());
  }
  if (by_municipality.empty()) return "";
  std::string out = "\nOther municipalities that received, looked up or asked about the child:\n";
  for (const auto& [code, verbs] : by_municipality) {
    absl::StrAppend(&out, "  ", Clean(Municipality(code)), ":");
    const char* sep = " ";
    for (const auto& [verb, seen] : verbs) {
      absl::StrAppend(&out, sep, verb, " ", seen.count, seen.count == 1 ? " time" : " times",
                      " (last ", FormatTime(seen.last, zone), ")");
      sep = "; ";
    }
    absl::StrAppend(&out, "\n");
  }
  return out;
}

}  // namespace

std::string RenderAuditVerify(const hop::v1::VerifyAuditResponse& r) {
  std::string out;
  if (!r.intact()) {
    out =
        absl::StrCat("audit trail BROKEN at entry ", r.first_broken_seq(), ": ", r.problem(), "\n");
  } else {
    std::string hex;
    for (unsigned char c : r.head_hash()) absl::StrAppend(&hex, absl::Hex(c, absl::kZeroPad2));
    out = absl::StrCat("audit trail intact: ", r.entries(), " entries, newest hash ",
                       hex.empty() ? "-" : hex, "\n");
  }
  if (r.witnesses_checked() > 0) {
    absl::StrAppend(&out, "confirmed by the heads ", r.witnesses_checked(),
                    r.witnesses_checked() == 1 ? " peer" : " peers", " witnessed\n");
  }
  for (const std::string& w : r.witnesses_unavailable()) {
    absl::StrAppend(&out, "not checked against ", Clean(w), "\n");
  }
  return out;
}

std::string RenderAccessReport(const std::string& child,
                               const hop::v1::SubjectReportResponse& report, absl::TimeZone zone) {
  std::string out =
      absl::StrCat("Access report for ", child, ": ", report.entries_size(),
                   report.entries_size() == 1 ? " access" : " accesses", " in this node's log\n");
  absl::StrAppend(&out, OtherMunicipalities(report, zone));
  for (const hop::v1::AuditEntry& e : report.entries()) {
    absl::StrAppend(&out, "\n", FormatTime(e.occurred_at() != 0 ? e.occurred_at() : e.time(), zone),
                    "  ", Clean(Who(e)), "\n  ", Clean(Plain(e.action())));
    if (e.occurred_at() != 0) {
      absl::StrAppend(&out, " (reported here ", FormatTime(e.time(), zone), ")");
    }
    if (!e.object().empty() && e.object() != child) {
      absl::StrAppend(&out, " [", Clean(e.object()), "]");
    }
    absl::StrAppend(&out, "\n  purpose: ", e.purpose().empty() ? "-" : Clean(e.purpose()));
    absl::StrAppend(&out, "\n  outcome: ",
                    absl::StartsWith(e.outcome(), "refused")
                        ? absl::StrCat("REFUSED (", Clean(e.outcome().substr(9)), ")")
                        : Clean(e.outcome()),
                    "\n");
  }
  return out;
}

}  // namespace hop::client
