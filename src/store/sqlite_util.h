// Internal: a thin RAII wrapper over sqlite3_stmt with error messages that name the statement.
// Not part of the public API. Thread-safety: as the connection it belongs to.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "rapport/core/status.h"

namespace rapport::store {

class Statement {
 public:
  Statement() = default;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement(Statement&& other) noexcept : db_(other.db_), stmt_(other.stmt_) {
    other.stmt_ = nullptr;
  }
  Statement& operator=(Statement&& other) noexcept {
    if (this != &other) {
      sqlite3_finalize(stmt_);
      db_ = other.db_;
      stmt_ = other.stmt_;
      other.stmt_ = nullptr;
    }
    return *this;
  }
  ~Statement() { sqlite3_finalize(stmt_); }

  static Result<Statement> Prepare(sqlite3* db, std::string_view sql) {
    Statement statement;
    statement.db_ = db;
    if (sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &statement.stmt_,
                           nullptr) != SQLITE_OK) {
      return Internal(std::string("sqlite: ") + sqlite3_errmsg(db) + " in: " + std::string(sql));
    }
    return statement;
  }

  // False for a statement not prepared (default-constructed or moved from).
  explicit operator bool() const { return stmt_ != nullptr; }

  Statement& Bind(int index, int64_t value) {
    sqlite3_bind_int64(stmt_, index, value);
    return *this;
  }
  Statement& Bind(int index, double value) {
    sqlite3_bind_double(stmt_, index, value);
    return *this;
  }
  Statement& Bind(int index, std::string_view value) {
    sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
    return *this;
  }
  // Without a copy: `value` must stay valid until the statement is stepped and reset.
  Statement& BindStatic(int index, std::string_view value) {
    sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_STATIC);
    return *this;
  }
  Statement& BindBlob(int index, std::string_view value) {
    sqlite3_bind_blob64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT);
    return *this;
  }
  Statement& BindNull(int index) {
    sqlite3_bind_null(stmt_, index);
    return *this;
  }
  // NULL for nullopt.
  Statement& Bind(int index, std::optional<double> value) {
    return value ? Bind(index, *value) : BindNull(index);
  }

  // Returns true while a row is available, false when done.
  Result<bool> Step() {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return Internal(std::string("sqlite: ") + sqlite3_errmsg(db_));
  }
  Status Run() {
    Result<bool> result = Step();
    Reset();
    return result.ok() ? Status::Ok() : result.status();
  }
  void Reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

  int64_t Int(int column) const { return sqlite3_column_int64(stmt_, column); }
  double Double(int column) const { return sqlite3_column_double(stmt_, column); }
  bool IsNull(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
  std::optional<double> OptionalDouble(int column) const {
    return IsNull(column) ? std::nullopt : std::optional<double>(Double(column));
  }
  std::string Text(int column) const { return std::string(TextView(column)); }
  // The text without a copy: valid until the next Step, Reset or column call on this column.
  std::string_view TextView(int column) const {
    const unsigned char* text = sqlite3_column_text(stmt_, column);
    return text == nullptr
               ? std::string_view()
               : std::string_view(reinterpret_cast<const char*>(text),
                                  static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
  }
  std::string Blob(int column) const {
    const void* blob = sqlite3_column_blob(stmt_, column);
    return blob == nullptr ? std::string()
                           : std::string(static_cast<const char*>(blob),
                                         static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
  }

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

}  // namespace rapport::store
