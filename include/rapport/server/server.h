// The local web service (`rapport serve`): a JSON API over one store (docs/openapi.yaml documents
// it) and the dashboard, HTML pages with inline SVG drawn by the report module. HTTP is
// cpp-httplib's (a thread per connection from a pool; docs/api.md says why this library).
//
// The service scores the store once at start and keeps the result (a snapshot) in memory; reads
// are answered from the snapshot without touching the database, so they never wait for an
// import. Writes (import, rescore, forget) need the token, run one at a time, and replace the
// snapshot when done. Binds to loopback unless told otherwise.
//
// Thread-safety: Server's methods may be called from any thread; Stop() ends a blocking Listen().
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "rapport/core/config.h"
#include "rapport/core/status.h"

namespace rapport::server {

struct ServerOptions {
  std::string db_path = "rapport.db";
  Config config = DefaultConfig();
  std::string as_of;  // "" = the newest event (as `score`)
  std::string host = "127.0.0.1";
  int port = 8080;                              // 0 = any free port (tests)
  std::string token;                            // REQUIRES: not empty; writes must present it
  size_t max_upload_bytes = 256 * 1024 * 1024;  // POST /api/import bodies
  size_t max_json_bytes = 64 * 1024;            // other request bodies
  int threads = 64;                             // connections served at once
  int history_points = 26;                      // default points of a history
};

class Server {
 public:
  // Opens the store and scores it. Errors: the store cannot be opened, the token is empty.
  static Result<std::unique_ptr<Server>> Create(const ServerOptions& options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds to options.host:options.port; returns the port bound (useful with port 0).
  Result<int> Bind();
  // Serves until Stop(). REQUIRES: Bind() succeeded.
  Status Listen();
  void Stop();

  int64_t event_count() const;  // events in the current snapshot

 private:
  struct Impl;
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// A random token of 32 hex digits (128 bits) from the system's random source.
Result<std::string> GenerateToken();

}  // namespace rapport::server
