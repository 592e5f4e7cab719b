#include "daemon/audit/audit_log.h"

#include <openssl/evp.h>

#include <algorithm>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "daemon/base/status_macros.h"
#include "daemon/domain/isikukood.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"

namespace hop::audit {
namespace {

using store::Family;

constexpr char kHeadKey[] = "head";
constexpr size_t kHashBytes = 32;

std::string EntryKey(uint64_t seq) { return absl::StrFormat("e/%016x", seq); }
std::string SubjectKey(const std::string& subject, uint64_t seq) {
  return absl::StrFormat("s/%s/%016x", subject, seq);
}

// "p" and 32 lower-case hex digits (security::NodeSecret::ChildPseudonym).
bool IsPseudonym(absl::string_view s) {
  if (s.size() != 33 || s[0] != 'p') return false;
  for (char c : s.substr(1)) {
    if (!absl::ascii_isdigit(c) && !(c >= 'a' && c <= 'f')) return false;
  }
  return true;
}

// The seqs indexed under `prefix` ("s/<subject>/"), appended to `seqs`.
absl::Status IndexedSeqs(const store::Store& store, const std::string& prefix,
                         std::vector<uint64_t>& seqs) {
  return store.Scan(Family::kAudit, prefix, "", [&](absl::string_view key, absl::string_view) {
    uint64_t seq = 0;
    if (absl::SimpleHexAtoi(key.substr(prefix.size()), &seq)) seqs.push_back(seq);
    return true;
  });
}

}  // namespace

std::string AuditLog::HashOf(const hop::v1::AuditEntry& entry) {
  hop::v1::AuditEntry unhashed = entry;
  unhashed.clear_hash();
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream out(&stream);
    out.SetSerializationDeterministic(true);
    unhashed.SerializeToCodedStream(&out);
  }
  static EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &length, sha256, nullptr);
  return std::string(reinterpret_cast<const char*>(digest), length);
}

std::string AuditLog::Pseudonymise(const security::NodeSecret& secret, absl::string_view text) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    if (!absl::ascii_isdigit(text[i])) {
      out.push_back(text[i++]);
      continue;
    }
    size_t end = i;
    while (end < text.size() && absl::ascii_isdigit(text[end])) ++end;
    const absl::string_view digits = text.substr(i, end - i);
    if (digits.size() == 11 && domain::ValidateIsikukood(digits).ok()) {
      out += secret.ChildPseudonym(digits);
    } else {
      out.append(digits.data(), digits.size());
    }
    i = end;
  }
  return out;
}

void AuditLog::PseudonymiseEntry(hop::v1::AuditEntry& e) const {
  for (std::string& subject : *e.mutable_subjects()) {
    if (!IsPseudonym(subject)) subject = secret_->ChildPseudonym(subject);
  }
  e.set_object(Pseudonymise(*secret_, e.object()));
  e.set_purpose(Pseudonymise(*secret_, e.purpose()));
  e.set_outcome(Pseudonymise(*secret_, e.outcome()));
}

bool AuditLog::ActsForChildProtection(const hop::v1::AuditEntry& entry) {
  return entry.actor_role() == "child-protection" ||
         absl::StartsWith(entry.action(), "CaseWork.MoveToChildProtection");
}

absl::StatusOr<std::unique_ptr<AuditLog>> AuditLog::Open(store::Store* store, const Clock* clock,
                                                         const security::NodeSecret* secret) {
  std::unique_ptr<AuditLog> log(new AuditLog(store, clock, secret));
  HOP_ASSIGN_OR_RETURN(std::optional<std::string> raw, store->Get(Family::kAudit, kHeadKey));
  absl::MutexLock lock(&log->mu_);
  if (raw.has_value() && !log->head_.ParseFromString(*raw)) {
    return absl::DataLossError("audit head cannot be parsed; run hopctl audit verify");
  }
  if (log->head_.hash().empty()) log->head_.set_hash(std::string(kHashBytes, '\0'));
  return log;
}

absl::Status AuditLog::Commit(store::WriteBatch& batch, std::vector<hop::v1::AuditEntry> entries) {
  absl::MutexLock lock(&mu_);
  hop::v1::AuditHead head = head_;
  const int64_t now = clock_->NowUnix();
  for (hop::v1::AuditEntry& e : entries) {
    PseudonymiseEntry(e);
    if (ActsForChildProtection(e)) e.set_child_protection(true);
    e.set_seq(head.seq() + 1);
    if (e.time() == 0) e.set_time(now);
    e.set_prev_hash(head.hash());
    e.set_hash(HashOf(e));
    for (const std::string& subject : e.subjects()) {
      batch.Put(Family::kAudit, SubjectKey(subject, e.seq()), "");
    }
    batch.Put(Family::kAudit, EntryKey(e.seq()), e.SerializeAsString());
    head.set_seq(e.seq());
    head.set_hash(e.hash());
  }
  if (!entries.empty()) batch.Put(Family::kAudit, kHeadKey, head.SerializeAsString());
  HOP_RETURN_IF_ERROR(store_->Write(batch));
  head_ = std::move(head);
  return absl::OkStatus();
}

uint64_t AuditLog::Entries() const {
  absl::MutexLock lock(&mu_);
  return head_.seq();
}

hop::v1::AuditHead AuditLog::Head() const {
  absl::MutexLock lock(&mu_);
  return head_;
}

absl::StatusOr<std::string> AuditLog::HashAt(uint64_t seq) const {
  HOP_ASSIGN_OR_RETURN(std::optional<std::string> raw, store_->Get(Family::kAudit, EntryKey(seq)));
  hop::v1::AuditEntry e;
  if (!raw.has_value() || !e.ParseFromString(*raw)) {
    return absl::NotFoundError(absl::StrCat("audit entry ", seq, " is missing or unreadable"));
  }
  return e.hash();
}

absl::Status AuditLog::Record(std::vector<hop::v1::AuditEntry> entries) {
  store::WriteBatch batch = store_->NewBatch();
  return Commit(batch, std::move(entries));
}

absl::StatusOr<hop::v1::VerifyAuditResponse> AuditLog::Verify() const {
  // One snapshot for everything read: commits during the walk are not half seen.
  std::unique_ptr<store::Snapshot> view = store_->GetSnapshot();
  hop::v1::VerifyAuditResponse result;
  result.set_intact(true);
  std::string prev(kHashBytes, '\0');
  uint64_t expected_seq = 1;
  uint64_t index_keys = 0;  // access-report index keys the entries call for
  absl::Status read;
  auto broken = [&](uint64_t seq, std::string problem) {
    result.set_intact(false);
    result.set_first_broken_seq(seq);
    result.set_problem(std::move(problem));
  };
  HOP_RETURN_IF_ERROR(store_->Scan(
      Family::kAudit, "e/", "",
      [&](absl::string_view key, absl::string_view value) {
        uint64_t key_seq = 0;
        absl::SimpleHexAtoi(key.substr(2), &key_seq);
        hop::v1::AuditEntry e;
        if (!e.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
          broken(key_seq, "the entry cannot be parsed");
          return false;
        }
        if (e.seq() != expected_seq || key_seq != expected_seq) {
          broken(expected_seq,
                 absl::StrCat("entry ", expected_seq, " is missing (found ", key_seq, " next)"));
          return false;
        }
        if (e.prev_hash() != prev) {
          broken(e.seq(), "its previous-entry hash does not match the entry before it");
          return false;
        }
        if (HashOf(e) != e.hash()) {
          broken(e.seq(), "its content does not match its hash (it was altered)");
          return false;
        }
        std::set<std::string> subjects(e.subjects().begin(), e.subjects().end());
        for (const std::string& subject : subjects) {
          absl::StatusOr<std::optional<std::string>> indexed =
              store_->Get(Family::kAudit, SubjectKey(subject, e.seq()), view.get());
          if (!indexed.ok()) {
            read = indexed.status();
            return false;
          }
          if (!indexed->has_value()) {
            broken(e.seq(),
                   "its access-report index entry was removed (the family's report "
                   "would not show it)");
            return false;
          }
        }
        index_keys += subjects.size();
        prev = e.hash();
        result.set_entries(e.seq());
        ++expected_seq;
        return true;
      },
      view.get()));
  HOP_RETURN_IF_ERROR(read);
  if (!result.intact()) return result;
  HOP_ASSIGN_OR_RETURN(std::optional<std::string> raw,
                       store_->Get(Family::kAudit, kHeadKey, view.get()));
  hop::v1::AuditHead head;
  if (raw.has_value()) head.ParseFromString(*raw);
  if (head.seq() != result.entries() || (head.seq() > 0 && head.hash() != prev)) {
    broken(result.entries() + 1,
           absl::StrCat("the log ends at entry ", result.entries(), " but its head says ",
                        head.seq(), " (entries were removed from the end)"));
    return result;
  }
  HOP_RETURN_IF_ERROR(VerifyIndex(*view, index_keys, result));
  if (result.intact()) result.set_head_hash(prev);
  return result;
}

absl::Status AuditLog::VerifyIndex(const store::Snapshot& view, uint64_t expected_keys,
                                   hop::v1::VerifyAuditResponse& result) const {
  uint64_t keys = 0;
  HOP_RETURN_IF_ERROR(store_->Scan(
      Family::kAudit, "s/", "",
      [&](absl::string_view, absl::string_view) {
        ++keys;
        return true;
      },
      &view));
  if (keys == expected_keys) return absl::OkStatus();
  // More index keys than the entries name: find the first that names a child its entry does
  // not (a forged line in a family's access report).
  absl::Status read;
  HOP_RETURN_IF_ERROR(store_->Scan(
      Family::kAudit, "s/", "",
      [&](absl::string_view key, absl::string_view) {
        const size_t slash = key.rfind('/');
        const std::string subject(key.substr(2, slash - 2));
        uint64_t seq = 0;
        absl::SimpleHexAtoi(key.substr(slash + 1), &seq);
        absl::StatusOr<std::optional<std::string>> raw =
            store_->Get(Family::kAudit, EntryKey(seq), &view);
        if (!raw.ok()) {
          read = raw.status();
          return false;
        }
        hop::v1::AuditEntry e;
        if (raw->has_value()) e.ParseFromString(**raw);
        for (const std::string& s : e.subjects()) {
          if (s == subject) return true;
        }
        result.set_intact(false);
        result.set_first_broken_seq(seq);
        result.set_problem(absl::StrCat("the access-report index names entry ", seq,
                                        " for a child the entry does not name (added)"));
        return false;
      },
      &view));
  return read;
}

absl::StatusOr<std::vector<hop::v1::AuditEntry>> AuditLog::OfSubject(
    const std::string& isikukood) const {
  std::vector<uint64_t> seqs;
  HOP_RETURN_IF_ERROR(
      IndexedSeqs(*store_, absl::StrCat("s/", secret_->ChildPseudonym(isikukood), "/"), seqs));
  // Entries written before pseudonyms name the child by its isikukood.
  HOP_RETURN_IF_ERROR(IndexedSeqs(*store_, absl::StrCat("s/", isikukood, "/"), seqs));
  std::sort(seqs.begin(), seqs.end());
  seqs.erase(std::unique(seqs.begin(), seqs.end()), seqs.end());
  std::vector<hop::v1::AuditEntry> entries;
  for (uint64_t seq : seqs) {
    HOP_ASSIGN_OR_RETURN(std::optional<std::string> raw,
                         store_->Get(Family::kAudit, EntryKey(seq)));
    hop::v1::AuditEntry e;
    if (!raw.has_value() || !e.ParseFromString(*raw)) {
      return absl::DataLossError(
          absl::StrCat("audit entry ", seq, " is missing or unreadable; run hopctl audit verify"));
    }
    entries.push_back(std::move(e));
  }
  return entries;
}

}  // namespace hop::audit
