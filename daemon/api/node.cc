#include "daemon/api/node.h"

#include <filesystem>
#include <optional>
#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "daemon/api/admin_service.h"
#include "daemon/api/audit_service.h"
#include "daemon/api/authorizer.h"
#include "daemon/api/casework_service.h"
#include "daemon/api/node_metrics.h"
#include "daemon/base/log.h"
#include "daemon/base/status_macros.h"
#include "daemon/casework/retention.h"
#include "daemon/console/console_server.h"
#include "daemon/domain/limits.h"
#include "daemon/federation/child_lookup.h"
#include "daemon/federation/federation_service.h"
#include "daemon/federation/nudger.h"
#include "daemon/federation/peer_channels.h"
#include "daemon/federation/peer_query.h"
#include "daemon/federation/puller.h"
#include "daemon/federation/query_answerer.h"
#include "daemon/federation/receipt_intake.h"
#include "daemon/federation/receipt_outbox.h"
#include "daemon/federation/receipt_sender.h"
#include "daemon/federation/replica_store.h"
#include "daemon/federation/scheduler.h"
#include "daemon/federation/withdrawal_handback.h"
#include "daemon/figures/counting.h"
#include "daemon/figures/county_figures.h"
#include "daemon/ops/metrics.h"
#include "daemon/ops/metrics_server.h"
#include "daemon/security/node_secret.h"
#include "daemon/security/tls_credentials.h"
#include "daemon/store/eraser.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/server_builder.h"

namespace hop::api {
namespace {

// Largest request the staff API accepts; staff requests are small records.
constexpr int kMaxRequestBytes = 1 << 20;
// Largest request the federation port accepts: pulls and queries are a few hundred bytes.
constexpr int kMaxFederationRequestBytes = 64 << 10;

// Backups kept in backup_dir when the config does not say.
constexpr uint32_t kDefaultBackupsToKeep = 7;

uint32_t OrDefault(uint32_t configured, uint32_t fallback) {
  return configured == 0 ? fallback : configured;
}

// The highest CRL number in force, kept in the store's meta family (key "crl_number").
class MetaCrlNumbers final : public security::CrlNumberStore {
 public:
  explicit MetaCrlNumbers(store::Store* store) : store_(store) {}
  absl::StatusOr<int64_t> Highest() const override {
    HOP_ASSIGN_OR_RETURN(std::optional<std::string> raw, store_->Get(store::Family::kMeta, kKey));
    int64_t number = -1;
    if (raw.has_value() && !absl::SimpleAtoi(*raw, &number)) {
      return absl::DataLossError(absl::StrCat("meta/", kKey, ": not a number: ", *raw));
    }
    return number;
  }
  absl::Status Save(int64_t number) override {
    store::WriteBatch batch = store_->NewBatch();
    batch.Put(store::Family::kMeta, kKey, absl::StrCat(number));
    return store_->Write(batch);
  }

 private:
  static constexpr char kKey[] = "crl_number";
  store::Store* const store_;
};

// The staff console (issue 12) on console_listen, calling the staff server in-process with
// the console token `token`; null without console_listen.
absl::StatusOr<std::unique_ptr<console::ConsoleServer>> StartConsole(
    const hop::v1::NodeConfig& config, const Clock* clock, grpc::Server& staff,
    const std::string& token) {
  if (config.console_listen().empty()) return nullptr;
  console::ConsoleServer::Options o;
  o.listen = config.console_listen();
  o.static_dir = config.console().static_dir();
  o.municipality = config.municipality();
  o.cert_file = config.tls().cert();
  o.key_file = config.tls().key();
  o.ca_file = config.tls().ca_cert();
  o.id_card_ca_files.assign(config.console().id_card_ca_files().begin(),
                            config.console().id_card_ca_files().end());
  o.token = token;
  return console::ConsoleServer::Start(std::move(o),
                                       staff.InProcessChannel(grpc::ChannelArguments()), clock);
}

}  // namespace

absl::StatusOr<security::NodeSecret> LoadSecret(const hop::v1::NodeConfig& config) {
  std::string path = security::NodeSecretPath(config.secret_file(), config.tls().key());
  bool created = false;
  absl::StatusOr<security::NodeSecret> secret = security::NodeSecret::LoadOrCreate(path, &created);
  if (!secret.ok()) {
    return absl::Status(secret.status().code(),
                        absl::StrCat("secret_file: ", secret.status().message()));
  }
  if (created) {
    LogWarning("node",
               "created the node secret; keep a copy with the TLS key (without it the "
               "audit log cannot be searched by child)",
               {{"path", path}});
  }
  return secret;
}

struct Node::Parts {
  std::optional<security::NodeSecret> secret;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<store::Eraser> eraser;
  std::unique_ptr<audit::AuditLog> audit;
  std::unique_ptr<casework::RecordStore> records;
  std::unique_ptr<casework::FeedWriter> feeds;
  std::unique_ptr<casework::UserRegistry> users;
  std::unique_ptr<casework::CaseBook> cases;
  std::unique_ptr<casework::ConsentBook> consents;
  std::unique_ptr<casework::DirectoryBook> directory;
  std::unique_ptr<casework::Inbox> inbox;
  std::unique_ptr<casework::Retention> retention;
  std::unique_ptr<security::CrlNumberStore> crl_numbers;
  std::unique_ptr<security::CrlSource> crl;
  std::unique_ptr<security::PeerAuthenticator> authenticator;
  // The federation port's: also refuses every call while the CRL is stale.
  std::unique_ptr<security::PeerAuthenticator> peer_authenticator;
  std::unique_ptr<federation::PeerChannels> channels;
  // Hears of tombstones from `records` and nudges those peers: made before it, stopped first.
  std::unique_ptr<federation::Nudger> nudger;
  std::unique_ptr<Authorizer> authorizer;
  std::unique_ptr<CaseWorkService> casework_service;
  std::unique_ptr<AdminService> admin_service;
  std::unique_ptr<AuditService> audit_service;
  std::unique_ptr<federation::ReplicaStore> replicas;
  std::unique_ptr<federation::Puller> puller;
  std::unique_ptr<federation::ChildLookup> lookup;
  std::unique_ptr<federation::PeerQuery> peer_query;
  std::unique_ptr<figures::CountyFigures> county_figures;
  std::unique_ptr<federation::ConsentDelivery> delivery;
  std::unique_ptr<federation::QueryAnswerer> answerer;
  std::unique_ptr<federation::ReceiptOutbox> receipt_outbox;
  std::unique_ptr<federation::ReceiptSender> receipt_sender;
  std::unique_ptr<federation::ReceiptIntake> receipt_intake;
  std::unique_ptr<federation::WitnessCheck> witnesses;
  std::unique_ptr<federation::WithdrawalHandback> handback;
  std::unique_ptr<federation::FederationService> federation_service;
  std::unique_ptr<federation::Scheduler> scheduler;
  std::unique_ptr<grpc::Server> server;
  std::unique_ptr<grpc::Server> federation_server;     // null without federation_listen
  std::unique_ptr<ops::MetricsServer> metrics_server;  // null without metrics_listen
  std::unique_ptr<console::ConsoleServer> console;     // null without console_listen
  std::string console_token;                           // "" without console_listen
  int metrics_collector = -1;
  absl::Duration drain;
  security::TlsPaths tls;
};

Node::Node(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}

Node::~Node() {
  if (parts_->server != nullptr) Shutdown(absl::ZeroDuration());
}

absl::StatusOr<std::unique_ptr<Node>> Node::Start(const hop::v1::NodeConfig& config,
                                                  const Clock* clock) {
  auto p = std::make_unique<Parts>();
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir(), ec);
  if (ec) {
    return absl::FailedPreconditionError(
        absl::StrCat("data_dir ", config.data_dir(), ": cannot create (", ec.message(), ")"));
  }
  HOP_ASSIGN_OR_RETURN(p->secret, LoadSecret(config));
  store::Store::Options store_options;
  store_options.path = config.data_dir();
  store_options.clock = clock;
  HOP_ASSIGN_OR_RETURN(p->store, store::Store::Open(store_options));
  p->eraser = std::make_unique<store::Eraser>(
      p->store.get(), clock,
      absl::Seconds(
          OrDefault(config.retention().erase_within_seconds(), store::kDefaultEraseWithinSeconds)));
  HOP_ASSIGN_OR_RETURN(p->audit, audit::AuditLog::Open(p->store.get(), clock, &*p->secret));
  p->crl_numbers = std::make_unique<MetaCrlNumbers>(p->store.get());
  HOP_ASSIGN_OR_RETURN(
      p->crl, security::CrlSource::Open(config.tls().crl(), config.tls().ca_cert(),
                                        config.tls().crl_grace_hours(), p->crl_numbers.get()));
  const security::TlsPaths tls{config.tls().ca_cert(), config.tls().cert(), config.tls().key()};
  p->channels = std::make_unique<federation::PeerChannels>(tls, p->crl.get(), clock);
  std::vector<federation::PeerEndpoint> endpoints;
  std::set<std::string> peer_codes;
  for (const hop::v1::Peer& peer : config.peers()) {
    endpoints.push_back({peer.municipality(), peer.address()});
    peer_codes.insert(peer.municipality());
  }
  p->nudger = std::make_unique<federation::Nudger>(p->channels.get(), endpoints);
  HOP_ASSIGN_OR_RETURN(
      p->records,
      casework::RecordStore::Open(p->store.get(), config.municipality(), clock, p->nudger.get()));
  p->records->SetAuditLog(p->audit.get());
  HOP_ASSIGN_OR_RETURN(p->inbox, casework::Inbox::Open(p->store.get(), clock));
  std::vector<std::string> peers;
  for (const hop::v1::Peer& peer : config.peers()) peers.push_back(peer.municipality());
  p->feeds =
      std::make_unique<casework::FeedWriter>(p->records.get(), std::move(peers), &*p->secret);
  p->users = std::make_unique<casework::UserRegistry>(p->records.get(), p->feeds.get());
  casework::CaseBook::Options case_options;
  case_options.former_institution_read_days = OrDefault(
      config.casework().former_institution_read_days(), domain::kDefaultFormerInstitutionReadDays);
  p->cases = std::make_unique<casework::CaseBook>(p->records.get(), p->feeds.get(), case_options);
  p->consents = std::make_unique<casework::ConsentBook>(
      p->records.get(), p->feeds.get(), domain::ConsentPolicyFromConfig(config.consent_rules()));
  p->retention = std::make_unique<casework::Retention>(
      p->records.get(), p->feeds.get(), p->inbox.get(), config.retention().closed_case_days());
  p->replicas = std::make_unique<federation::ReplicaStore>(p->store.get(), &*p->secret);
  HOP_ASSIGN_OR_RETURN(uint64_t upgraded, p->replicas->UpgradeChildIndex());
  if (upgraded > 0) {
    LogInfo("node", "child index of held copies moved to pseudonyms",
            {{"keys", absl::StrCat(upgraded)}});
  }
  p->directory = std::make_unique<casework::DirectoryBook>(p->records.get(), p->feeds.get(),
                                                           p->replicas.get());

  std::vector<std::string> admins(config.bootstrap_admins().begin(),
                                  config.bootstrap_admins().end());
  HOP_ASSIGN_OR_RETURN(std::vector<std::string> added, p->users->Bootstrap(admins));
  if (!added.empty()) {
    LogInfo("node", "registered bootstrap admins", {{"users", absl::StrJoin(added, ",")}});
  }

  if (!config.console_listen().empty()) p->console_token = console::NewConsoleToken();
  p->authenticator = std::make_unique<security::PeerAuthenticator>(
      p->crl.get(), clock, /*require_fresh_crl=*/false, p->console_token);
  p->peer_authenticator = std::make_unique<security::PeerAuthenticator>(p->crl.get(), clock,
                                                                        /*require_fresh_crl=*/true);
  p->authorizer = std::make_unique<Authorizer>(config.municipality(), p->authenticator.get(),
                                               p->users.get(), p->audit.get());

  federation::RetryPolicy retry;
  if (config.sync().retry_initial_seconds() > 0) {
    retry.initial_seconds = config.sync().retry_initial_seconds();
  }
  if (config.sync().retry_max_seconds() > 0) retry.max_seconds = config.sync().retry_max_seconds();
  // Look-up receipts (issue 11): queued with each look-up of a held copy, delivered to the
  // owners by one thread, and tried again right after each successful pull from an owner.
  HOP_ASSIGN_OR_RETURN(p->receipt_outbox,
                       federation::ReceiptOutbox::Open(
                           p->store.get(), {domain::kMaxOutboxReceipts, domain::kMaxOutboxBytes}));
  p->receipt_sender = std::make_unique<federation::ReceiptSender>(
      federation::ReceiptSender::Options{}, p->receipt_outbox.get(), p->channels.get(), endpoints);
  federation::ReceiptSender* sender = p->receipt_sender.get();
  auto poke = [sender](const std::string& origin) { sender->Poke(origin); };
  p->puller = std::make_unique<federation::Puller>(
      p->store.get(), p->replicas.get(), p->records.get(), p->audit.get(), p->channels.get(),
      std::move(endpoints), retry, clock, poke);
  p->witnesses = std::make_unique<federation::WitnessCheck>(p->channels.get(), p->puller->peers(),
                                                            p->audit.get(), p->records.get());
  p->audit_service =
      std::make_unique<AuditService>(p->authorizer.get(), p->audit.get(), p->witnesses.get());
  p->lookup = std::make_unique<federation::ChildLookup>(
      p->cases.get(), p->replicas.get(), p->puller.get(), clock,
      federation::ChildLookup::Receipts{config.municipality(), p->store.get(), p->audit.get(),
                                        p->receipt_outbox.get(), poke});
  p->peer_query = std::make_unique<federation::PeerQuery>(
      p->channels.get(), p->puller->peers(),
      OrDefault(config.limits().queries_per_user_per_minute(),
                federation::kDefaultQueriesPerUserPerMinute),
      clock);
  p->delivery = std::make_unique<federation::ConsentDelivery>(p->records.get(), p->store.get());
  // County figures (issue 13): this node's counts, suppressed, for its own leaders and peers.
  const casework::RecordStore* records = p->records.get();
  const absl::TimeZone figures_zone = figures::EstonianTimeZone();
  auto own_figures = [records, figures_zone]() {
    return figures::PublishedFigures(*records, figures_zone);
  };
  p->county_figures = std::make_unique<figures::CountyFigures>(
      config.municipality(), p->channels.get(), p->puller->peers(), own_figures);
  p->casework_service = std::make_unique<CaseWorkService>(
      p->authorizer.get(), p->cases.get(), p->consents.get(), p->directory.get(), p->lookup.get(),
      p->peer_query.get(), p->inbox.get(), p->delivery.get(), p->county_figures.get());
  p->admin_service = std::make_unique<AdminService>(
      p->authorizer.get(), p->users.get(), p->records.get(), p->puller.get(),
      AdminService::StatusSources{tls, p->crl.get(), p->audit.get(), clock, clock->NowUnix(),
                                  config.backup_dir(),
                                  OrDefault(config.backups_to_keep(), kDefaultBackupsToKeep),
                                  p->receipt_outbox.get(), p->receipt_sender.get()});
  casework::ConsentBook* consents = p->consents.get();
  auto owner_sweep = [consents]() { return consents->SweepConsentTimes().status(); };
  p->answerer = std::make_unique<federation::QueryAnswerer>(
      p->records.get(), p->inbox.get(), p->audit.get(), owner_sweep,
      OrDefault(config.limits().queries_per_peer_per_minute(),
                federation::kDefaultQueriesPerPeerPerMinute));
  p->handback = std::make_unique<federation::WithdrawalHandback>(
      p->records.get(), p->consents.get(), &*p->secret, p->audit.get());
  p->receipt_intake = std::make_unique<federation::ReceiptIntake>(
      p->records.get(), p->inbox.get(), p->audit.get(), domain::kMaxReceiptsPerPeerPerMinute);
  federation::Scheduler::Options schedule;
  if (!config.sync().nightly_at().empty()) {
    HOP_ASSIGN_OR_RETURN(schedule.nightly_at,
                         federation::ParseTimeOfDay(config.sync().nightly_at(), "sync.nightly_at"));
  }
  schedule.jitter =
      federation::NightlyJitter(config.municipality(), config.sync().jitter_minutes());
  schedule.zone = absl::LocalTimeZone();
  // Housekeeping also purges closed cases after retention.closed_case_days.
  casework::Retention* retention = p->retention.get();
  auto housekeeping = [owner_sweep, retention]() -> absl::Status {
    absl::Status swept = owner_sweep();
    absl::StatusOr<int> purged = retention->Sweep();
    if (purged.ok() && *purged > 0) {
      ops::Registry::Default().Count("hop_closed_cases_purged_total", {}, *purged);
    }
    return swept.ok() ? purged.status() : swept;
  };
  p->scheduler = std::make_unique<federation::Scheduler>(std::move(schedule), p->puller.get(),
                                                         housekeeping, clock);
  p->federation_service = std::make_unique<federation::FederationService>(
      std::move(peer_codes), p->peer_authenticator.get(), p->records.get(), p->audit.get(),
      owner_sweep, p->answerer.get(), p->handback.get(), p->scheduler.get(),
      p->receipt_intake.get(), own_figures);

  HOP_ASSIGN_OR_RETURN(std::shared_ptr<grpc::ServerCredentials> credentials,
                       security::MakeServerCredentials(tls));
  // grpc.health.v1.Health on both ports: SERVING once everything below is up, NOT_SERVING
  // from the moment a shutdown begins.
  grpc::EnableDefaultHealthCheckService(true);
  grpc::ServerBuilder builder;
  int bound_port = 0;
  builder.AddListeningPort(config.api_listen(), credentials, &bound_port);
  builder.SetMaxReceiveMessageSize(kMaxRequestBytes);
  builder.RegisterService(p->casework_service.get());
  builder.RegisterService(p->admin_service.get());
  builder.RegisterService(p->audit_service.get());
  p->server = builder.BuildAndStart();
  if (p->server == nullptr || bound_port == 0) {
    return absl::UnavailableError(absl::StrCat("api_listen ", config.api_listen(),
                                               ": cannot listen (address in use or not local?)"));
  }
  p->server->GetHealthCheckService()->SetServingStatus(false);  // until everything is up
  if (!config.federation_listen().empty()) {
    grpc::ServerBuilder federation_builder;
    int federation_port = 0;
    federation_builder.AddListeningPort(config.federation_listen(), credentials, &federation_port);
    federation_builder.SetMaxReceiveMessageSize(kMaxFederationRequestBytes);
    federation_builder.RegisterService(p->federation_service.get());
    p->federation_server = federation_builder.BuildAndStart();
    if (p->federation_server == nullptr || federation_port == 0) {
      return absl::UnavailableError(absl::StrCat("federation_listen ", config.federation_listen(),
                                                 ": cannot listen (address in use?)"));
    }
    p->federation_server->GetHealthCheckService()->SetServingStatus(false);
  }
  if (!config.metrics_listen().empty()) {
    HOP_ASSIGN_OR_RETURN(p->metrics_server, ops::MetricsServer::Start(config.metrics_listen()));
  }
  HOP_ASSIGN_OR_RETURN(p->console, StartConsole(config, clock, *p->server, p->console_token));
  p->metrics_collector = RegisterNodeMetrics(
      {config.municipality(), tls, p->records.get(), p->puller.get(), p->crl.get(), p->audit.get(),
       clock, clock->NowUnix(), p->eraser.get(), p->receipt_outbox.get()});
  p->drain = absl::Seconds(config.drain_seconds());
  p->tls = tls;
  p->scheduler->Start();
  p->eraser->Start();
  p->nudger->Start();
  p->receipt_sender->Start();
  p->server->GetHealthCheckService()->SetServingStatus(true);
  if (p->federation_server != nullptr) {
    p->federation_server->GetHealthCheckService()->SetServingStatus(true);
  }
  LogInfo("node", "serving",
          {{"municipality", config.municipality()},
           {"api", config.api_listen()},
           {"federation", config.federation_listen()},
           {"epoch", p->records->epoch()}});
  return std::unique_ptr<Node>(new Node(std::move(p)));
}

void Node::Wait() { parts_->server->Wait(); }

absl::Status Node::Reload() {
  if (absl::Status files = security::CheckTlsFiles(parts_->tls); !files.ok()) {
    LogError("node",
             "reload refused: the certificate files are not usable; the last good ones "
             "stay in use until fixed",
             {{"error", std::string(files.message())}});
    return files;
  }
  std::shared_ptr<const security::RevocationList> crl = parts_->crl->Current();
  parts_->channels->DropAll();
  absl::StatusOr<int64_t> not_after = security::CertificateNotAfter(parts_->tls.cert);
  LogInfo("node", "certificates and CRL reloaded",
          {{"certificate_not_after", absl::StrCat(not_after.value_or(0))},
           {"crl_revoked", absl::StrCat(crl->revoked_count())},
           {"crl_next_update", absl::StrCat(crl->next_update())},
           {"listeners_within_seconds", absl::StrCat(security::kCertRefreshSeconds)}});
  return absl::OkStatus();
}

void Node::Shutdown(absl::Duration grace) {
  if (parts_->server == nullptr) return;
  parts_->server->GetHealthCheckService()->SetServingStatus(false);
  if (parts_->federation_server != nullptr) {
    parts_->federation_server->GetHealthCheckService()->SetServingStatus(false);
  }
  if (parts_->drain > absl::ZeroDuration()) {
    LogInfo("node", "draining: health says NOT_SERVING",
            {{"seconds", absl::StrCat(absl::ToInt64Seconds(parts_->drain))}});
    absl::SleepFor(parts_->drain);
  }
  const auto deadline = absl::ToChronoTime(absl::Now() + grace);
  parts_->nudger->Stop();
  parts_->scheduler->Stop();
  parts_->eraser->Stop();
  parts_->receipt_sender->Shutdown();
  if (parts_->federation_server != nullptr) parts_->federation_server->Shutdown(deadline);
  if (parts_->console != nullptr) parts_->console->Stop();
  parts_->server->Shutdown(deadline);
  parts_->server->Wait();
  parts_->server.reset();
  parts_->federation_server.reset();
  parts_->metrics_server.reset();
  ops::Registry::Default().RemoveCollector(parts_->metrics_collector);
  LogInfo("node", "stopped");
}

}  // namespace hop::api
