// The owner's benchmark data, made offline through the casework library (see owner_fill.h).
// Run the benchmark with tests/bench/run_sync_bench.sh.
#include "tests/bench/owner_fill.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "daemon/base/clock.h"
#include "daemon/casework/case_book.h"
#include "daemon/casework/consent_book.h"
#include "daemon/casework/directory_book.h"
#include "daemon/casework/feed_writer.h"
#include "daemon/casework/record_store.h"
#include "daemon/casework/user_registry.h"
#include "daemon/domain/isikukood.h"
#include "daemon/store/store.h"
#include "hop/v1/federation.pb.h"

namespace hop::bench {
namespace {

constexpr char kCaseManager[] = "bench-cm";
constexpr char kGuardian[] = "49403136526";  // a valid isikukood (born 1994)
constexpr int kBirthDays = 3652;             // 2015-01-01 .. 2024-12-31 (minors)
const char* const kNeedAreas[] = {"speech", "reading", "attention", "social", "motor", "behaviour"};

domain::Actor CaseManager() {
  domain::Actor actor;
  actor.user_id = kCaseManager;
  actor.role = hop::v1::ROLE_CASE_MANAGER;
  return actor;
}

// The library objects of one node, as hopd wires them (daemon/api/node.cc).
struct Owner {
  RealClock clock;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<casework::RecordStore> records;
  std::unique_ptr<casework::FeedWriter> feeds;
  std::unique_ptr<casework::UserRegistry> users;
  std::unique_ptr<casework::CaseBook> cases;
  std::unique_ptr<casework::ConsentBook> consents;
  std::unique_ptr<casework::DirectoryBook> directory;
};

absl::StatusOr<std::unique_ptr<Owner>> OpenOwner(const std::string& dir, const std::string& owner,
                                                 const std::string& peer) {
  auto o = std::make_unique<Owner>();
  absl::StatusOr<std::unique_ptr<store::Store>> store = store::Store::Open({dir});
  if (!store.ok()) return store.status();
  o->store = *std::move(store);
  absl::StatusOr<std::unique_ptr<casework::RecordStore>> records =
      casework::RecordStore::Open(o->store.get(), owner, &o->clock);
  if (!records.ok()) return records.status();
  o->records = *std::move(records);
  o->feeds =
      std::make_unique<casework::FeedWriter>(o->records.get(), std::vector<std::string>{peer});
  o->users = std::make_unique<casework::UserRegistry>(o->records.get());
  o->cases = std::make_unique<casework::CaseBook>(o->records.get(), o->feeds.get());
  o->consents = std::make_unique<casework::ConsentBook>(o->records.get(), o->feeds.get());
  o->directory = std::make_unique<casework::DirectoryBook>(o->records.get(), o->feeds.get());
  return o;
}

absl::Status Context(const absl::Status& s, absl::string_view what) {
  return absl::Status(s.code(), absl::StrCat(what, ": ", s.message()));
}

absl::Status OpenCaseWithConsent(Owner& o, const std::string& institution_id,
                                 const std::string& peer, int i, std::string* case_id) {
  const domain::Actor actor = CaseManager();
  hop::v1::OpenCaseRequest open;
  open.mutable_child()->set_isikukood(ChildIsikukood(i));
  open.mutable_child()->set_name(absl::StrCat("Laps ", i));
  open.set_level(i % 3 == 0 ? hop::v1::LEVEL_KINDERGARTEN : hop::v1::LEVEL_SCHOOL);
  open.set_institution_id(institution_id);
  constexpr int kNeeds = sizeof(kNeedAreas) / sizeof(kNeedAreas[0]);
  for (int k = 0; k < 2 + i % 2; ++k) open.add_need_areas(kNeedAreas[(i + k) % kNeeds]);
  open.set_reason("noticed by the benchmark");
  absl::StatusOr<hop::v1::Case> opened = o.cases->Open(actor, open);
  if (!opened.ok()) return Context(opened.status(), absl::StrCat("opening case ", i));
  *case_id = opened->id();

  hop::v1::GrantConsentRequest grant;
  grant.set_child_isikukood(open.child().isikukood());
  grant.set_granted_by(kGuardian);
  grant.add_recipients(peer);
  grant.add_scopes(hop::v1::SCOPE_CASE_SUMMARY);
  grant.add_scopes(hop::v1::SCOPE_RESPONSIBLE_CONTACT);
  grant.add_scopes(hop::v1::SCOPE_SERVICE_HISTORY);
  grant.set_purpose("support in the receiving municipality");
  grant.set_valid_until(absl::ToUnixSeconds(absl::Now() + absl::Hours(24 * 365)));
  absl::StatusOr<hop::v1::Consent> granted = o.consents->Grant(actor, grant);
  if (!granted.ok()) return Context(granted.status(), absl::StrCat("consent for case ", i));
  return absl::OkStatus();
}

}  // namespace

std::string ChildIsikukood(int i) {
  const absl::CivilDay born = absl::CivilDay(2015, 1, 1) + i % kBirthDays;
  const int serial = i / kBirthDays;
  const std::string first_ten = absl::StrFormat("%d%02d%02d%02d%03d", 5 + i % 2, born.year() % 100,
                                                born.month(), born.day(), serial);
  return absl::StrCat(first_ten, domain::IsikukoodCheckDigit(first_ten));
}

absl::StatusOr<FillResult> FillOwner(const FillOptions& options) {
  FillResult result;
  const std::string fill_dir = options.scratch_dir.empty() ? options.data_dir : options.scratch_dir;
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(options.data_dir).parent_path(), ec);
  if (ec) return absl::InternalError(absl::StrCat(options.data_dir, ": ", ec.message()));
  const absl::Time start = absl::Now();
  {
    absl::StatusOr<std::unique_ptr<Owner>> owner = OpenOwner(fill_dir, options.owner, options.peer);
    if (!owner.ok()) return owner.status();
    Owner& o = **owner;
    hop::v1::User user;
    user.set_user_id(kCaseManager);
    user.set_name("Bench Case Manager");
    user.set_role(hop::v1::ROLE_CASE_MANAGER);
    absl::StatusOr<hop::v1::User> added = o.users->Add("bench", user);
    if (!added.ok()) return Context(added.status(), "registering the case manager");
    hop::v1::Institution school;
    school.set_name("Benchmark School");
    school.set_kind(hop::v1::INSTITUTION_SCHOOL);
    school.set_ownership(hop::v1::OWNERSHIP_MUNICIPAL);
    school.set_municipality(options.owner);
    absl::StatusOr<hop::v1::Institution> institution =
        o.directory->PutInstitution(CaseManager(), school);
    if (!institution.ok()) return Context(institution.status(), "adding the institution");

    result.case_ids.reserve(options.cases);
    const int step = std::max(1, options.cases / 10);
    for (int i = 0; i < options.cases; ++i) {
      std::string case_id;
      absl::Status s = OpenCaseWithConsent(o, institution->id(), options.peer, i, &case_id);
      if (!s.ok()) return s;
      result.case_ids.push_back(std::move(case_id));
      if ((i + 1) % step == 0 || i + 1 == options.cases) {
        const double t = absl::ToDoubleSeconds(absl::Now() - start);
        std::printf("  fill: %d/%d cases with consents (%.1f s, %.0f cases/s)\n", i + 1,
                    options.cases, t, (i + 1) / t);
        std::fflush(stdout);
      }
    }
    // The peer's feed as hopd will serve it (key layout: daemon/casework/record_store.h).
    absl::Status scanned =
        o.store->Scan(store::Family::kFeeds, absl::StrCat("f/", options.peer, "/"), "",
                      [&](absl::string_view, absl::string_view value) {
                        ++result.feed_entries;
                        result.feed_bytes += value.size();
                        hop::v1::FeedEntry entry;
                        if (entry.ParseFromArray(value.data(), static_cast<int>(value.size())) &&
                            entry.has_case_summary()) {
                          ++result.feed_summaries;
                          result.feed_summary_bytes += value.size();
                        }
                        return true;
                      });
    if (!scanned.ok()) return Context(scanned, "reading the peer's feed");
  }  // the store is closed here
  result.fill_seconds = absl::ToDoubleSeconds(absl::Now() - start);
  if (!options.scratch_dir.empty()) {
    const absl::Time copy_start = absl::Now();
    std::filesystem::copy(options.scratch_dir, options.data_dir,
                          std::filesystem::copy_options::recursive, ec);
    if (ec) {
      return absl::InternalError(absl::StrCat("copying ", options.scratch_dir, " to ",
                                              options.data_dir, ": ", ec.message()));
    }
    std::filesystem::remove_all(options.scratch_dir, ec);
    result.copy_seconds = absl::ToDoubleSeconds(absl::Now() - copy_start);
  }
  return result;
}

absl::StatusOr<double> ChangeCases(const std::string& data_dir, const std::string& owner,
                                   const std::string& peer,
                                   const std::vector<std::string>& case_ids,
                                   const std::string& need) {
  const absl::Time start = absl::Now();
  absl::StatusOr<std::unique_ptr<Owner>> o = OpenOwner(data_dir, owner, peer);
  if (!o.ok()) return o.status();
  for (const std::string& id : case_ids) {
    hop::v1::AddNeedsRequest request;
    request.set_case_id(id);
    request.add_need_areas(need);
    absl::StatusOr<hop::v1::Case> changed = (*o)->cases->AddNeeds(CaseManager(), request);
    if (!changed.ok()) return Context(changed.status(), absl::StrCat("changing case ", id));
  }
  o->reset();
  return absl::ToDoubleSeconds(absl::Now() - start);
}

}  // namespace hop::bench
