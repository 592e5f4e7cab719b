// The two status macros hop needs (abseil 20220623 ships none).
//
// HOP_RETURN_IF_ERROR(expr): evaluates an absl::Status expression once and returns it from the
//   enclosing function when it is not OK.
// HOP_ASSIGN_OR_RETURN(lhs, expr): evaluates an absl::StatusOr<T> expression once; on error
//   returns its status, otherwise move-assigns the value to `lhs` (which may be a declaration).
#ifndef HOP_DAEMON_BASE_STATUS_MACROS_H_
#define HOP_DAEMON_BASE_STATUS_MACROS_H_

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define HOP_RETURN_IF_ERROR(expr)              \
  do {                                         \
    ::absl::Status hop_status_ = (expr);       \
    if (!hop_status_.ok()) return hop_status_; \
  } while (0)

#define HOP_STATUS_CONCAT_INNER_(a, b) a##b
#define HOP_STATUS_CONCAT_(a, b) HOP_STATUS_CONCAT_INNER_(a, b)

#define HOP_ASSIGN_OR_RETURN(lhs, expr) \
  HOP_ASSIGN_OR_RETURN_IMPL_(HOP_STATUS_CONCAT_(hop_statusor_, __LINE__), lhs, expr)

#define HOP_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, expr) \
  auto statusor = (expr);                               \
  if (!statusor.ok()) return statusor.status();         \
  lhs = std::move(statusor).value()

#endif  // HOP_DAEMON_BASE_STATUS_MACROS_H_
