// hopctl directory institution add|update, contact add|update, search: the contact directory
// (kontaktid) of the network (CaseWork).
#include "absl/strings/str_cat.h"
#include "client/command.h"
#include "client/flag_values.h"
#include "client/render.h"

namespace hop::client {
namespace {

using hop::v1::CaseWork;

absl::Status PutInstitution(CommandContext& ctx) {
  const ParsedArgs& a = ctx.args();
  hop::v1::PutInstitutionRequest req;
  hop::v1::Institution* i = req.mutable_institution();
  i->set_id(a.Get("id"));
  i->set_name(a.Get("name"));
  HOP_ASSIGN_OR_RETURN(hop::v1::InstitutionKind kind, ParseInstitutionKind("kind", a.Get("kind")));
  i->set_kind(kind);
  HOP_ASSIGN_OR_RETURN(hop::v1::Ownership ownership,
                       ParseOwnership("ownership", a.Get("ownership")));
  i->set_ownership(ownership);
  i->set_municipality(a.Get("municipality"));
  HOP_ASSIGN_OR_RETURN(hop::v1::Institution saved,
                       ctx.CaseWork(&CaseWork::Stub::PutInstitution, req));
  return ctx.Print(saved, RenderInstitution(saved, ctx.zone()));
}

absl::Status PutContact(CommandContext& ctx) {
  const ParsedArgs& a = ctx.args();
  hop::v1::PutContactRequest req;
  hop::v1::Contact* c = req.mutable_contact();
  c->set_id(a.Get("id"));
  c->set_institution_id(a.Get("institution"));
  c->set_name(a.Get("name"));
  c->set_role(a.Get("role"));
  c->set_phone(a.Get("phone"));
  c->set_email(a.Get("email"));
  for (const std::string& word : SplitList(a.GetAll("age-level"))) {
    HOP_ASSIGN_OR_RETURN(hop::v1::Level level, ParseLevel("age-level", word));
    c->add_age_levels(level);
  }
  for (const std::string& topic : a.GetAll("topic")) c->add_topics(topic);
  HOP_ASSIGN_OR_RETURN(hop::v1::Contact saved, ctx.CaseWork(&CaseWork::Stub::PutContact, req));
  return ctx.Print(saved, RenderContact(saved, ctx.zone()));
}

absl::Status Search(CommandContext& ctx) {
  const ParsedArgs& a = ctx.args();
  hop::v1::SearchDirectoryRequest req;
  req.set_municipality(a.Get("municipality"));
  req.set_role(a.Get("role"));
  if (a.Has("age-level")) {
    HOP_ASSIGN_OR_RETURN(hop::v1::Level level, ParseLevel("age-level", a.Get("age-level")));
    req.set_age_level(level);
  }
  req.set_topic(a.Get("topic"));
  req.set_include_retired(a.Has("include-retired"));
  HOP_ASSIGN_OR_RETURN(hop::v1::SearchDirectoryResponse resp,
                       ctx.CaseWork(&CaseWork::Stub::SearchDirectory, req));
  return ctx.Print(resp, RenderDirectory(resp, ctx.zone()));
}

std::vector<FlagSpec> InstitutionFlags(bool update) {
  std::vector<FlagSpec> flags;
  if (update) flags.push_back(Required("id", "ID", "the institution to update, e.g. 0793-I000001"));
  flags.push_back(Required("name", "NAME", "the institution's name"));
  flags.push_back(Required("kind", "KIND", InstitutionKindWords()));
  flags.push_back(Required("ownership", "OWNERSHIP", OwnershipWords()));
  flags.push_back(Required("municipality", "EHAK", "where it is, e.g. 0793"));
  return flags;
}

std::vector<FlagSpec> ContactFlags(bool update) {
  std::vector<FlagSpec> flags;
  if (update) flags.push_back(Required("id", "ID", "the contact to update, e.g. 0793-P000001"));
  flags.push_back(Required("institution", "ID", "the contact's institution"));
  flags.push_back(Required("name", "NAME", "the person's name"));
  flags.push_back(Required("role", "TEXT", "position, e.g. HEVKO, lastekaitsespetsialist"));
  flags.push_back(Optional("phone", "PHONE", "phone number"));
  flags.push_back(Optional("email", "EMAIL", "e-mail address"));
  flags.push_back(
      Repeated("age-level", "LEVEL", absl::StrCat("age level answered for: ", LevelWords())));
  flags.push_back(Repeated("topic", "CODE", "a topic answered for (hopctl codes topics)"));
  return flags;
}

}  // namespace

std::vector<Command> DirectoryCommands() {
  const char* kInstitutionExample =
      " --name 'Tartu Kesklinna Kool' --kind school --ownership municipal --municipality 0793";
  const char* kContactExample =
      " --institution 0793-I000001 --name 'Kati Kask' --role HEVKO --phone +3725550000 "
      "--email kati@example.ee --age-level school --topic learning-support";
  return {
      {{"directory institution add",
        "Add an institution to the directory",
        "",
        0,
        0,
        InstitutionFlags(false),
        {absl::StrCat("hopctl directory institution add", kInstitutionExample)}},
       &PutInstitution},
      {{"directory institution update",
        "Replace an institution's directory entry",
        "",
        0,
        0,
        InstitutionFlags(true),
        {absl::StrCat("hopctl directory institution update --id 0793-I000001",
                      kInstitutionExample)}},
       &PutInstitution},
      {{"directory contact add",
        "Add a contact person to the directory",
        "",
        0,
        0,
        ContactFlags(false),
        {absl::StrCat("hopctl directory contact add", kContactExample)}},
       &PutContact},
      {{"directory contact update",
        "Replace a contact person's directory entry",
        "",
        0,
        0,
        ContactFlags(true),
        {absl::StrCat("hopctl directory contact update --id 0793-P000001", kContactExample)}},
       &PutContact},
      {{"directory search",
        "Search institutions and contact persons of the network",
        "",
        0,
        0,
        {Optional("municipality", "EHAK", "only this municipality"),
         Optional("role", "TEXT", "role contains this text (any case)"),
         Optional("age-level", "LEVEL", absl::StrCat("answers for this age level: ", LevelWords())),
         Optional("topic", "TEXT", "a topic's code or its Estonian or English name contains this"),
         Boolean("include-retired",
                 "also this node's own retired entries (marked [retired]; peers never see them)")},
        {"hopctl directory search --municipality 0793 --age-level school --topic learning",
         "hopctl directory search --municipality 0793 --include-retired"}},
       &Search},
  };
}

}  // namespace hop::client
