// Renderings of consents, directory entries, users and node state (render.h).
#include "absl/strings/str_cat.h"
#include "client/flag_values.h"
#include "client/output.h"
#include "client/render.h"

namespace hop::client {
namespace {

std::vector<std::string> ScopeNames(const hop::v1::Consent& consent) {
  std::vector<std::string> names;
  for (int scope : consent.scopes()) {
    names.push_back(ScopeName(static_cast<hop::v1::ConsentScope>(scope)));
  }
  return names;
}

std::vector<std::string> AgeLevelNames(const hop::v1::Contact& contact) {
  std::vector<std::string> names;
  for (int level : contact.age_levels()) {
    names.push_back(LevelName(static_cast<hop::v1::Level>(level)));
  }
  return names;
}

template <typename Repeated>
std::vector<std::string> ToVector(const Repeated& items) {
  return std::vector<std::string>(items.begin(), items.end());
}

}  // namespace

std::string ConsentState(const hop::v1::Consent& consent, absl::Time now) {
  const int64_t t = absl::ToUnixSeconds(now);
  if (consent.withdrawn_at() != 0) return "withdrawn";
  if (consent.valid_until() != 0 && t >= consent.valid_until()) return "expired";
  if (consent.valid_from() != 0 && t < consent.valid_from()) return "not yet valid";
  return "active";
}

std::string RenderConsent(const hop::v1::Consent& consent, absl::Time now, absl::TimeZone zone) {
  KeyValueBlock block;
  block.Add("consent", consent.id());
  block.Add("origin", consent.origin());
  block.Add("child", consent.child_isikukood());
  block.Add("granted by", consent.granted_by());
  block.Add("recipients", JoinOrDash(ToVector(consent.recipients())));
  block.Add("scope", JoinOrDash(ScopeNames(consent)));
  block.Add("purpose", consent.purpose());
  block.Add("valid from", FormatTime(consent.valid_from(), zone));
  block.Add("valid until", FormatTime(consent.valid_until(), zone));
  block.Add("state", ConsentState(consent, now));
  if (consent.withdrawn_at() != 0) {
    block.Add("withdrawn", absl::StrCat(FormatTime(consent.withdrawn_at(), zone), " by ",
                                        OrDash(consent.withdrawn_by())));
    block.Add("withdrawal form", OrDash(consent.withdrawal_evidence_ref()));
  }
  block.Add("evidence", consent.evidence_ref());
  block.Add("recorded by", consent.recorded_by());
  block.Add("created", FormatTime(consent.created_at(), zone));
  return block.Render();
}

std::string RenderConsentTable(const std::vector<hop::v1::Consent>& consents, absl::Time now,
                               absl::TimeZone zone) {
  if (consents.empty()) return "no consents\n";
  Table table({"CONSENT", "CHILD", "GRANTED BY", "RECIPIENTS", "SCOPE", "FROM", "UNTIL", "STATE"});
  for (const hop::v1::Consent& c : consents) {
    table.AddRow({c.id(), c.child_isikukood(), c.granted_by(), JoinOrDash(ToVector(c.recipients())),
                  JoinOrDash(ScopeNames(c)), FormatTime(c.valid_from(), zone),
                  FormatTime(c.valid_until(), zone), ConsentState(c, now)});
  }
  return table.Render();
}

std::string RenderDeliveryTable(const std::vector<hop::v1::ConsentDelivery>& deliveries,
                                absl::TimeZone zone) {
  Table table({"CONSENT", "RECIPIENT", "HOLDS", "LAST PULL"});
  for (const hop::v1::ConsentDelivery& d : deliveries) {
    for (const hop::v1::RecipientDelivery& r : d.recipients()) {
      const char* holds = "-";
      switch (r.state()) {
        case hop::v1::DELIVERY_NOTHING:
          holds = "nothing";
          break;
        case hop::v1::DELIVERY_PENDING:
          holds = "summary, at its next pull";
          break;
        case hop::v1::DELIVERY_HOLDS:
          holds = "a copy of the summary";
          break;
        case hop::v1::DELIVERY_REMOVAL_PENDING:
          holds = "a copy, removed at its next pull";
          break;
        case hop::v1::DELIVERY_REMOVED:
          holds = "nothing (copy removed)";
          break;
        default:
          break;
      }
      table.AddRow({d.consent_id(), r.municipality(), holds,
                    r.last_pull() == 0 ? "never" : FormatTime(r.last_pull(), zone)});
    }
  }
  return table.Render();
}

namespace {

// "<time> by <user>" of a retired directory entry.
template <typename Entry>
std::string RetiredText(const Entry& e, absl::TimeZone zone) {
  return absl::StrCat(FormatTime(e.retired_at(), zone), " by ", OrDash(e.retired_by()));
}

}  // namespace

std::string RenderInstitution(const hop::v1::Institution& institution, absl::TimeZone zone) {
  KeyValueBlock block;
  block.Add("institution", institution.id());
  block.Add("name", institution.name());
  block.Add("kind", InstitutionKindName(institution.kind()));
  block.Add("ownership", OwnershipName(institution.ownership()));
  block.Add("municipality", institution.municipality());
  block.Add("updated", FormatTime(institution.updated_at(), zone));
  if (institution.retired_at() != 0) block.Add("retired", RetiredText(institution, zone));
  return block.Render();
}

std::string RenderContact(const hop::v1::Contact& contact, absl::TimeZone zone) {
  KeyValueBlock block;
  block.Add("contact", contact.id());
  block.Add("name", contact.name());
  block.Add("role", contact.role());
  block.Add("institution", contact.institution_id());
  block.Add("municipality", contact.municipality());
  block.Add("phone", contact.phone());
  block.Add("email", contact.email());
  block.Add("age levels", JoinOrDash(AgeLevelNames(contact)));
  block.Add("topics", JoinOrDash(CodeTexts(domain::CodeKind::kTopic, contact.topics())));
  block.Add("updated", FormatTime(contact.updated_at(), zone));
  if (contact.retired_at() != 0) block.Add("retired", RetiredText(contact, zone));
  return block.Render();
}

std::string RenderDirectory(const hop::v1::SearchDirectoryResponse& result, absl::TimeZone zone) {
  std::string out = "Institutions:\n";
  if (result.institutions().empty()) {
    out += "no institutions\n";
  } else {
    Table table({"INSTITUTION", "NAME", "KIND", "OWNERSHIP", "MUNICIPALITY"});
    for (const auto& i : result.institutions()) {
      table.AddRow({i.id(), absl::StrCat(i.name(), i.retired_at() != 0 ? " [retired]" : ""),
                    InstitutionKindName(i.kind()), OwnershipName(i.ownership()), i.municipality()});
    }
    out += table.Render();
  }
  out += "\nContacts:\n";
  if (result.contacts().empty()) {
    out += "no contacts\n";
  } else {
    Table table({"CONTACT", "NAME", "ROLE", "INSTITUTION", "MUNICIPALITY", "PHONE", "EMAIL",
                 "AGE LEVELS", "TOPICS", "UPDATED"});
    for (const auto& c : result.contacts()) {
      table.AddRow({c.id(), absl::StrCat(c.name(), c.retired_at() != 0 ? " [retired]" : ""),
                    c.role(), c.institution_id(), c.municipality(), OrDash(c.phone()),
                    OrDash(c.email()), JoinOrDash(AgeLevelNames(c)),
                    JoinOrDash(ToVector(c.topics())), FormatTime(c.updated_at(), zone)});
    }
    out += table.Render();
  }
  return out;
}

std::string RenderUser(const hop::v1::User& user, absl::TimeZone zone) {
  KeyValueBlock block;
  block.Add("user", user.user_id());
  block.Add("name", user.name());
  block.Add("role", RoleName(user.role()));
  block.Add("institution", user.institution_id());
  block.Add("phone", user.phone());
  block.Add("email", user.email());
  if (!user.id_code().empty()) block.Add("id card", absl::StrCat("PNOEE-", user.id_code()));
  block.Add("created", FormatTime(user.created_at(), zone));
  block.Add("created by", user.created_by());
  if (user.updated_at() != 0) {
    block.Add("updated",
              absl::StrCat(FormatTime(user.updated_at(), zone), " by ", OrDash(user.updated_by())));
  }
  return block.Render();
}

std::string RenderUserTable(const std::vector<hop::v1::User>& users, absl::TimeZone zone) {
  if (users.empty()) return "no users\n";
  Table table({"USER", "NAME", "ROLE", "INSTITUTION", "CREATED", "CREATED BY"});
  for (const hop::v1::User& u : users) {
    table.AddRow({u.user_id(), OrDash(u.name()), RoleName(u.role()), OrDash(u.institution_id()),
                  FormatTime(u.created_at(), zone), OrDash(u.created_by())});
  }
  return table.Render();
}

std::string RenderNodeStatus(const hop::v1::NodeStatus& status, absl::TimeZone zone) {
  KeyValueBlock block;
  block.Add("municipality",
            status.municipality_name().empty()
                ? status.municipality()
                : absl::StrCat(status.municipality(), " (", status.municipality_name(), ")"));
  block.Add("version", status.version());
  block.Add("epoch", status.epoch());
  block.Add("started", absl::StrCat(FormatTime(status.started_at(), zone), " (up ",
                                    Duration(status.now() - status.started_at()), ")"));
  block.Add("cases", absl::StrCat(status.cases()));
  block.Add("consents", absl::StrCat(status.consents()));
  block.Add("institutions", absl::StrCat(status.institutions()));
  block.Add("contacts", absl::StrCat(status.contacts()));
  block.Add("users", absl::StrCat(status.users()));
  block.Add("store", StoreState(status));
  block.Add("store bytes", absl::StrCat(status.store_bytes()));
  block.Add("audit entries", absl::StrCat(status.audit_entries()));
  block.Add("erasure",
            absl::StrCat("last ",
                         status.last_erasure_at() == 0 ? "never"
                                                       : FormatTime(status.last_erasure_at(), zone),
                         status.erasure_pending_since() == 0
                             ? "; nothing pending"
                             : absl::StrCat("; purged data pending since ",
                                            FormatTime(status.erasure_pending_since(), zone))));
  block.Add("look-up receipts",
            absl::StrCat(status.receipts_pending(), " waiting for their owners",
                         status.receipts_outbox_full()
                             ? "; OUTBOX FULL: look-ups of held copies are refused until the "
                               "owners acknowledge (see RECEIPTS in hopctl peers)"
                             : ""));
  block.Add("node certificate", ExpiryText(status.node_cert_expires_at(), status.now(), zone));
  block.Add("CA certificate", ExpiryText(status.ca_cert_expires_at(), status.now(), zone));
  block.Add("CRL next update", ExpiryText(status.crl_next_update(), status.now(), zone));
  if (status.peers().empty()) return block.Render();
  return absl::StrCat(block.Render(), "\npeers:\n",
                      RenderPeerTable({status.peers().begin(), status.peers().end()}, zone));
}

namespace {

// Lines under the peer table for what needs an operator's eye: the newest refused entry of
// each peer and positions refused either way. Empty when there is nothing to say.
std::string PeerNotes(const std::vector<hop::v1::PeerSyncState>& peers) {
  std::string notes;
  for (const hop::v1::PeerSyncState& p : peers) {
    const hop::v1::SyncCheckpoint& cp = p.checkpoint();
    if (!cp.last_refusal().empty()) {
      absl::StrAppend(&notes, "  ", p.municipality(), ": newest refused entry: ", cp.last_refusal(),
                      "\n");
    }
    if (cp.position_refusals() > 0) {
      absl::StrAppend(&notes, "  ", p.municipality(), ": refused our position ",
                      cp.position_refusals(), " times; we resynced from zero\n");
    }
    if (p.out().position_refusals() > 0) {
      absl::StrAppend(&notes, "  ", p.municipality(),
                      ": claimed a position this node never issued ", p.out().position_refusals(),
                      " times (refused)\n");
    }
    if (p.out().withdrawals_reapplied() > 0) {
      absl::StrAppend(&notes, "  ", p.municipality(), ": handed back ",
                      p.out().withdrawals_reapplied(),
                      " withdrawals lost in a restore of this node; withdrawn again\n");
    }
    if (p.out().withdrawal_notices_refused() > 0) {
      absl::StrAppend(&notes, "  ", p.municipality(), ": handed back ",
                      p.out().withdrawal_notices_refused(),
                      " withdrawal notices this node did not make (refused)\n");
    }
    if (!p.checkpoint().receipts_error().empty()) {
      absl::StrAppend(
          &notes, "  ", p.municipality(), ": ", p.checkpoint().receipts_pending(),
          " look-up receipts not yet delivered: ", Clean(p.checkpoint().receipts_error()), "\n");
    }
    if (p.out().withheld_out() > 0) {
      absl::StrAppend(&notes, "  ", p.municipality(), ": ", p.out().withheld_out(),
                      " entries sent without content (records over the size limit)\n");
    }
  }
  return notes.empty() ? notes : absl::StrCat("notes:\n", notes);
}

}  // namespace

std::string RenderPeerTable(const std::vector<hop::v1::PeerSyncState>& peers, absl::TimeZone zone) {
  Table table({"PEER", "ADDRESS", "LAST ATTEMPT", "LAST SUCCESS", "POSITION", "IN", "HELD",
               "REFUSED", "OUT", "BEHIND", "RECEIPTS", "RESYNCS", "NEXT RETRY", "LAST ERROR"});
  for (const hop::v1::PeerSyncState& p : peers) {
    const hop::v1::SyncCheckpoint& cp = p.checkpoint();
    const uint64_t lag =
        p.feed_seq() > p.out().acked_seq() ? p.feed_seq() - p.out().acked_seq() : 0;
    table.AddRow({p.municipality(), p.address(),
                  cp.last_attempt() == 0 ? "never" : FormatTime(cp.last_attempt(), zone),
                  cp.last_success() == 0 ? "never" : FormatTime(cp.last_success(), zone),
                  absl::StrCat(cp.seq()), absl::StrCat(cp.records_in()),
                  absl::StrCat(p.records_held()), absl::StrCat(cp.refused_in()),
                  absl::StrCat(p.out().records_out()), absl::StrCat(lag),
                  absl::StrCat(cp.receipts_pending()), absl::StrCat(cp.full_resyncs()),
                  cp.next_retry() == 0 ? "-" : FormatTime(cp.next_retry(), zone),
                  cp.last_error().empty() ? "-" : cp.last_error()});
  }
  return absl::StrCat(table.Render(), PeerNotes(peers));
}

std::string RenderWhoAmI(const hop::v1::WhoAmIResponse& who) {
  KeyValueBlock block;
  block.Add("identity", who.spiffe_id());
  block.Add("municipality", who.municipality());
  block.Add("kind", who.kind());
  block.Add("name", who.name());
  block.Add("role", RoleName(who.role()));
  return block.Render();
}

}  // namespace hop::client
