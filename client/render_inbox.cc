// Rendering of `hopctl inbox`: one paragraph per notification, oldest first.
#include "absl/strings/str_cat.h"
#include "client/output.h"
#include "client/render.h"
#include "daemon/domain/municipalities.h"

namespace hop::client {

std::string RenderInbox(const std::vector<hop::v1::InboxEntry>& entries, absl::TimeZone zone) {
  if (entries.empty()) return "inbox empty: no other municipality asked about your cases\n";
  std::string out;
  for (const hop::v1::InboxEntry& e : entries) {
    const domain::Municipality* m = domain::FindMunicipality(e.asker_municipality());
    const size_t slash = e.asker().rfind('/');
    const std::string who = slash == std::string::npos ? e.asker() : e.asker().substr(slash + 1);
    absl::StrAppend(
        &out, e.id(), "  ", FormatTime(e.time(), zone),
        e.acknowledged_at() == 0 ? "  NEW" : "  seen", "\n  ", Clean(e.asker_role()), " ",
        Clean(who), " of ",
        m == nullptr ? e.asker_municipality() : absl::StrCat(m->name, " (", m->code, ")"),
        e.kind() == "lookup" ? " looked up, in their copy of your case, child "
                             : " asked about child ",
        e.child_isikukood(), " (your case ", e.case_id(), ")\n  purpose: ", Clean(e.purpose()),
        "\n");
  }
  return out;
}

}  // namespace hop::client
