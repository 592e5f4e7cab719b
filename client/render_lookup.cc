// Rendering of `hopctl lookup`: this node's cases of the child, then each summary held from
// another municipality with its origin, basis, responsible contact and freshness; and of
// `hopctl query`: each peer's answer.
#include "absl/strings/str_cat.h"
#include "client/flag_values.h"
#include "client/output.h"
#include "client/render.h"
#include "daemon/domain/municipalities.h"

namespace hop::client {
namespace {

std::string MunicipalityLabel(const std::string& code) {
  const domain::Municipality* m = domain::FindMunicipality(code);
  return m == nullptr ? code : absl::StrCat(code, " ", m->name);
}

// "3 h ago", "2 days ago", "just now".
std::string Age(int64_t then, absl::Time now) {
  if (then == 0) return "never";
  const int64_t seconds = absl::ToUnixSeconds(now) - then;
  if (seconds < 60) return "just now";
  if (seconds < 3600) return absl::StrCat(seconds / 60, " min ago");
  if (seconds < 2 * 86400) return absl::StrCat(seconds / 3600, " h ago");
  return absl::StrCat(seconds / 86400, " days ago");
}

std::string ContactLine(const hop::v1::ResponsibleContact& r) {
  std::vector<std::string> parts;
  if (!r.role().empty()) parts.push_back(r.role());
  if (!r.phone().empty()) parts.push_back(r.phone());
  if (!r.email().empty()) parts.push_back(r.email());
  std::string line = r.name().empty() ? "(not assigned)" : r.name();
  if (!parts.empty()) absl::StrAppend(&line, " (", JoinOrDash(parts), ")");
  return absl::StrCat(line, ", ", MunicipalityLabel(r.municipality()));
}

KeyValueBlock SummaryBlock(const hop::v1::CaseSummary& s, absl::TimeZone zone) {
  KeyValueBlock block;
  block.Add("origin", MunicipalityLabel(s.origin()));
  block.Add("case", s.case_id());
  if (s.basis() == hop::v1::SHARE_BASIS_CHILD_PROTECTION) {
    block.Add("shared under", "Child Protection Act: the fact of a child-protection case only");
  } else {
    block.Add("shared under", absl::StrCat("consent ", s.consent_id(), ", valid until ",
                                           FormatTime(s.expires_at(), zone)));
    block.Add("level", LevelName(s.level()));
    block.Add("stage", StageName(s.stage()));
  }
  block.Add("child protection", s.child_protection() ? "yes" : "no");
  if (s.basis() != hop::v1::SHARE_BASIS_CHILD_PROTECTION) {
    block.AddList("need areas", CodeTexts(domain::CodeKind::kNeedArea, s.need_areas()));
    std::vector<std::string> services;
    for (const hop::v1::ServiceSummary& v : s.services()) {
      services.push_back(
          absl::StrCat(CodeText(domain::CodeKind::kServiceType, v.type()), ", ",
                       OrDash(v.provider()), " (", MunicipalityLabel(v.municipality()), "), ",
                       OrDash(v.start_date()), " to ", OrDash(v.end_date()), ": ",
                       v.outcome().empty() ? "no outcome yet"
                                           : CodeText(domain::CodeKind::kOutcome, v.outcome())));
    }
    block.AddList("services", std::move(services));
  }
  block.Add("responsible", s.has_responsible() ? ContactLine(s.responsible()) : "-");
  block.Add("updated at origin", FormatTime(s.updated_at(), zone));
  return block;
}

std::string RenderHeld(const hop::v1::HeldSummary& held, absl::Time now, absl::TimeZone zone) {
  const hop::v1::CaseSummary& s = held.summary();
  KeyValueBlock block = SummaryBlock(s, zone);
  block.Add("freshness",
            absl::StrCat("received ", FormatTime(held.received_at(), zone), "; last sync with ",
                         s.origin(), " ", Age(held.origin_synced_at(), now)));
  return block.Render();
}

}  // namespace

std::string RenderLookup(const hop::v1::LookupResponse& response, absl::Time now,
                         absl::TimeZone zone) {
  std::string out = absl::StrCat("Cases at this node (", response.local_cases_size(), "):\n");
  if (response.local_cases().empty()) {
    absl::StrAppend(&out, "  none that you may see\n");
  } else {
    absl::StrAppend(
        &out,
        RenderCaseTable({response.local_cases().begin(), response.local_cases().end()}, zone));
  }
  absl::StrAppend(&out, "\nHeld from other municipalities (", response.held_size(), "):\n");
  if (response.held().empty()) {
    absl::StrAppend(&out,
                    "  none that you may see (no consent names this municipality, or nothing "
                    "was shared, or the last sync has not brought it yet)\n");
  }
  for (const hop::v1::HeldSummary& held : response.held()) {
    absl::StrAppend(&out, "\n", RenderHeld(held, now, zone));
  }
  return out;
}

std::string RenderQueryAnswers(const hop::v1::QueryPeersResponse& response, absl::TimeZone zone) {
  std::string out;
  for (const hop::v1::PeerAnswer& a : response.answers()) {
    std::string state;
    switch (a.outcome()) {
      case hop::v1::PEER_OUTCOME_ANSWERED:
        state = absl::StrCat("answered: ", a.summaries_size(),
                             a.summaries_size() == 1 ? " case" : " cases");
        break;
      case hop::v1::PEER_OUTCOME_NO_VISIBLE_RECORDS:
        state = "no visible records";
        break;
      case hop::v1::PEER_OUTCOME_TIMED_OUT:
        state = "TIMED OUT";
        break;
      case hop::v1::PEER_OUTCOME_REFUSED:
        state = "REFUSED";
        break;
      default:
        state = "UNREACHABLE";
    }
    absl::StrAppend(&out, MunicipalityLabel(a.municipality()), ": ", state, " (", a.latency_ms(),
                    " ms)");
    if (!a.detail().empty()) absl::StrAppend(&out, " - ", Clean(a.detail()));
    absl::StrAppend(&out, "\n");
    for (const hop::v1::CaseSummary& s : a.summaries()) {
      absl::StrAppend(&out, "\n", SummaryBlock(s, zone).Render(), "\n");
    }
  }
  absl::StrAppend(&out,
                  "\n\"no visible records\" means the municipality has no case of the child, or "
                  "none it may share with you.\n");
  return out;
}

}  // namespace hop::client
