// Status and Result<T>: errors as values at module boundaries.
//
// A Status is either ok or carries a code and a message with context ("CollegeMsg.txt, line 12:
// ..."). Result<T> holds a T or a non-ok Status. Both are cheap to move and are [[nodiscard]].
// Thread-safety: plain values; no shared state.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace rapport {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,  // the caller (or the user) asked for something malformed
  kNotFound,         // a named thing (file, person) does not exist
  kAlreadyExists,
  kDataLoss,  // input is corrupt or truncated
  kIo,        // the operating system refused a read or write
  kInternal,  // a bug or a failing dependency (SQLite)
  kAborted,   // stopped because a cooperating process (another MPI rank) failed
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return {}; }
  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // Returns a copy whose message is "context: message"; ok stays ok.
  Status WithContext(const std::string& context) const {
    if (ok()) return *this;
    return {code_, context + ": " + message_};
  }
  std::string ToString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status InvalidArgument(std::string m) {
  return {StatusCode::kInvalidArgument, std::move(m)};
}
inline Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
inline Status DataLoss(std::string m) { return {StatusCode::kDataLoss, std::move(m)}; }
inline Status IoError(std::string m) { return {StatusCode::kIo, std::move(m)}; }
inline Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }
inline Status Aborted(std::string m) { return {StatusCode::kAborted, std::move(m)}; }

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}         // NOLINT(google-explicit-constructor)
  Result(Status status) : status_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    assert(!status_.ok() && "Result needs a value or a non-ok status");
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  // REQUIRES: ok()
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() { return *value_; }
  const T& operator*() const { return *value_; }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace rapport

// Returns from the enclosing function when `expr` yields a non-ok Status.
#define RAPPORT_RETURN_IF_ERROR(expr)                  \
  do {                                                 \
    ::rapport::Status rapport_status_ = (expr);        \
    if (!rapport_status_.ok()) return rapport_status_; \
  } while (0)

#define RAPPORT_CONCAT_INNER(a, b) a##b
#define RAPPORT_CONCAT(a, b) RAPPORT_CONCAT_INNER(a, b)
// Declares `lhs` from a Result, or returns its Status from the enclosing function.
#define RAPPORT_ASSIGN_OR_RETURN(lhs, expr)                    \
  auto RAPPORT_CONCAT(rapport_result_, __LINE__) = (expr);     \
  if (!RAPPORT_CONCAT(rapport_result_, __LINE__).ok())         \
    return RAPPORT_CONCAT(rapport_result_, __LINE__).status(); \
  lhs = std::move(RAPPORT_CONCAT(rapport_result_, __LINE__)).value()
