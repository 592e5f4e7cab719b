// hopctl codes: the county code lists built into hopctl (need areas, service types, outcomes,
// contact topics; domain/code_lists.h). The same list is built into hopd, so what this shows
// is what the node accepts. Needs no connection.
#include "absl/strings/str_cat.h"
#include "client/command.h"
#include "client/output.h"
#include "daemon/domain/code_lists.h"

namespace hop::client {
namespace {

struct ListName {
  const char* word;
  domain::CodeKind kind;
};
constexpr ListName kLists[] = {{"need-areas", domain::CodeKind::kNeedArea},
                               {"service-types", domain::CodeKind::kServiceType},
                               {"outcomes", domain::CodeKind::kOutcome},
                               {"topics", domain::CodeKind::kTopic}};

std::string RenderList(const domain::CodeLists& codes, const ListName& list) {
  Table table({"CODE", "EESTI KEELES", "IN ENGLISH"});
  for (const hop::v1::Code& c : codes.List(list.kind)) {
    table.AddRow({c.code(), c.retired() ? absl::StrCat(c.et(), " (retired)") : c.et(), c.en()});
  }
  return absl::StrCat(list.word, ":\n", table.Render());
}

absl::Status Codes(CommandContext& ctx) {
  const domain::CodeLists& codes = domain::CountyCodes();
  const std::vector<std::string>& words = ctx.args().positionals;
  std::string human = absl::StrCat("County code lists, version ", codes.version(), " (from ",
                                   codes.lists().valid_from(), ")\n");
  bool found = words.empty();
  for (const ListName& list : kLists) {
    if (!words.empty() && words[0] != list.word) continue;
    found = true;
    absl::StrAppend(&human, "\n", RenderList(codes, list));
  }
  if (!found) {
    return UsageError(absl::StrCat("codes: unknown list \"", words[0],
                                   "\"; one of need-areas, service-types, outcomes, topics"));
  }
  return ctx.Print(codes.lists(), human);
}

}  // namespace

std::vector<Command> CodeCommands() {
  return {{{"codes",
            "The county code lists: the need areas, service types, outcomes and contact topics "
            "that cases and the directory take (only codes cross to other municipalities)",
            "[need-areas|service-types|outcomes|topics]",
            0,
            1,
            {},
            {"hopctl codes need-areas", "hopctl codes service-types", "hopctl codes --json"}},
           &Codes}};
}

}  // namespace hop::client
