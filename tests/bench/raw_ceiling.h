// The raw ceiling of the sync benchmark: what one mutually-authenticated gRPC server stream on
// 127.0.0.1 moves into RocksDB on this machine when nothing of hop's own work is involved.
// A RawStream server (tests/bench/bench.proto) with the owner's node certificate streams
// `records` records of `record_bytes` random bytes in batches of `batch_records`; the client,
// with the peer's node certificate and checking the server's SPIFFE id, writes each received
// batch as one durable hop::store::Store WriteBatch (WAL fsync, like the puller does), in
// order, into a fresh store; optionally pipelined (see RawCeilingOptions::pipelined).
// Server and client run in this process. Run via tests/bench/run_sync_bench.sh.
// Not thread-safe: one run at a time.
#ifndef HOP_TESTS_BENCH_RAW_CEILING_H_
#define HOP_TESTS_BENCH_RAW_CEILING_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "daemon/security/tls_credentials.h"

namespace hop::bench {

struct RawCeilingOptions {
  security::TlsPaths server_tls;  // the serving node ("0793")
  std::string server_ehak;        // its EHAK code: the client checks NodeSpiffeId(server_ehak)
  security::TlsPaths client_tls;  // the pulling node ("0171")
  std::string store_dir;          // must not exist yet; removed after the run
  uint64_t records = 200000;
  uint32_t record_bytes = 1024;
  uint32_t batch_records = 500;
  // Write on a second thread (at most two batches behind) so receiving and decoding overlap
  // the WAL fsync; false: read, write, read, ... on one thread, as hop's puller does.
  bool pipelined = true;
};

struct RawCeilingResult {
  uint64_t records = 0;        // records written to the store
  uint64_t payload_bytes = 0;  // their value bytes
  double seconds = 0;          // first request to last durable write (connection excluded)
};

// One run. Errors: whatever fails (credentials, listen, stream, store), with context.
absl::StatusOr<RawCeilingResult> RunRawCeiling(const RawCeilingOptions& options);

}  // namespace hop::bench

#endif  // HOP_TESTS_BENCH_RAW_CEILING_H_
