// Helpers for tests of `rapport serve`: a real server (server.h) on a free loopback port over a
// real store in a fresh temporary directory, and a real HTTP client (cpp-httplib's).
#pragma once

#include <gtest/gtest.h>
#include <httplib.h>
#include <simdjson.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "rapport/scenario/demo.h"
#include "rapport/server/server.h"
#include "rapport/store/import.h"
#include "rapport/store/store.h"

namespace rapport::server::testing {

inline constexpr const char* kToken = "test-token-0123456789";

// A temporary directory named after the running test, removed unless the test failed.
inline std::filesystem::path TestDirectory(const std::string& prefix) {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::filesystem::path dir = std::filesystem::temp_directory_path() /
                              (prefix + info->test_suite_name() + "_" + info->name());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

inline void WriteText(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// Imports `csv` (CSV events) into the store at `db`; the test fails when the import does.
inline void ImportCsv(const std::filesystem::path& db, const std::string& csv) {
  const std::filesystem::path path = db.parent_path() / "seed.csv";
  WriteText(path, csv);
  auto store = store::Store::Open(db.string());
  ASSERT_TRUE(store.ok()) << store.status().message();
  store::ImportOptions options;
  auto imported = store::ImportFile(**store, path.string(), options);
  ASSERT_TRUE(imported.ok()) << imported.status().message();
  ASSERT_GT(imported->accepted, 0);
}

// The built-in demo scenario's events as CSV (about 68,000 events, 225 people).
inline std::string DemoCsv() {
  return scenario::DemoEventsCsv(scenario::BuildDemoEvents(scenario::DemoOptions{}));
}

// A server on 127.0.0.1:<free port> over the store at `db`, listening on its own thread.
class RunningServer {
 public:
  static std::unique_ptr<RunningServer> Start(
      const std::filesystem::path& db, const std::function<void(ServerOptions&)>& adjust = {}) {
    ServerOptions options;
    options.db_path = db.string();
    options.port = 0;
    options.token = kToken;
    options.threads = 8;
    if (adjust) adjust(options);
    auto created = Server::Create(options);
    EXPECT_TRUE(created.ok()) << created.status().message();
    if (!created.ok()) return nullptr;
    auto running = std::unique_ptr<RunningServer>(new RunningServer());
    running->server_ = std::move(*created);
    auto port = running->server_->Bind();
    EXPECT_TRUE(port.ok()) << port.status().message();
    if (!port.ok()) return nullptr;
    running->port_ = *port;
    running->thread_ = std::thread([server = running->server_.get()] { (void)server->Listen(); });
    // Answering means listening: only then may Stop() end it (httplib ignores an early stop).
    auto client = running->Client();
    for (int attempt = 0; attempt < 200 && !client->Get("/api/health"); ++attempt) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return running;
  }
  ~RunningServer() {
    server_->Stop();
    if (thread_.joinable()) thread_.join();
  }

  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::unique_ptr<httplib::Client> Client() const {
    auto client = std::make_unique<httplib::Client>("127.0.0.1", port_);
    client->set_read_timeout(120, 0);
    client->set_write_timeout(120, 0);
    return client;
  }

 private:
  RunningServer() = default;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  int port_ = 0;
};

// Parses a response body as JSON; the test fails when it is not JSON.
inline simdjson::dom::element ParseJson(simdjson::dom::parser& parser, const std::string& body) {
  simdjson::dom::element element;
  EXPECT_EQ(parser.parse(body).get(element), simdjson::SUCCESS) << "not JSON: " << body;
  return element;
}

}  // namespace rapport::server::testing
