// Speaking as a peer node: hop.v1.Federation/Pull against a real hopd over mTLS, with the
// node certificate of a configured peer (tests/security: hostile or broken peers).
#ifndef HOP_TESTS_SECURITY_PEER_PULL_H_
#define HOP_TESTS_SECURITY_PEER_PULL_H_

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "daemon/security/identity.h"
#include "daemon/security/tls_credentials.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "hop/v1/federation.grpc.pb.h"
#include "tests/support/harness.h"

namespace hop::testing {

struct PullResult {
  grpc::Status status;
  std::vector<hop::v1::PullBatch> batches;
};

// Pulls `node` (municipality `node_code`) as the holder of `peer`'s node certificate with
// `request`, reading every batch (30 s deadline).
inline PullResult PullAsPeer(NodeFixture& node, const std::string& node_code, const CertPaths& peer,
                             const hop::v1::PullRequest& request) {
  absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> creds =
      security::MakeChannelCredentials({node.pki().ca_cert(), peer.cert, peer.key},
                                       security::NodeSpiffeId(node_code));
  EXPECT_TRUE(creds.ok()) << creds.status();
  auto stub = hop::v1::Federation::NewStub(grpc::CreateChannel(node.federation_address(), *creds));
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  PullResult result;
  auto reader = stub->Pull(&ctx, request);
  hop::v1::PullBatch batch;
  while (reader->Read(&batch)) result.batches.push_back(batch);
  result.status = reader->Finish();
  return result;
}

}  // namespace hop::testing

#endif  // HOP_TESTS_SECURITY_PEER_PULL_H_
