// Implementation of the WebDriver client in webdriver.h: process supervision (fork/exec of
// chromedriver under a subreaper), W3C commands over cpp-httplib, response parsing with simdjson,
// base64 and PNG decoding. Thread-safety: see webdriver.h.
#include "webdriver.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <fmt/core.h>
#include <httplib.h>
#include <netinet/in.h>
#include <png.h>
#include <simdjson.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <string_view>
#include <thread>
#include <unordered_map>

namespace rapport::testing {
namespace {

constexpr auto kReadyTimeout = std::chrono::seconds(10);
constexpr double kStopGraceSeconds = 3;   // SIGTERM, then SIGKILL to chromedriver's group
constexpr double kReapGiveUpSeconds = 8;  // the supervisor exits even if a helper will not die
constexpr const char* kChromiumArgs[] = {"--headless=new", "--no-sandbox", "--disable-gpu",
                                         "--disable-dev-shm-usage", "--window-size=1280,1000"};

// `text` as a JSON string literal. Bytes >= 0x80 pass through, so UTF-8 stays UTF-8.
std::string JsonQuote(std::string_view text) {
  std::string quoted = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') quoted += '\\';
    if (static_cast<unsigned char>(c) < 0x20) {
      quoted += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
    } else {
      quoted += c;
    }
  }
  return quoted + "\"";
}

// The string at `key` of the JSON object `json` (or `json` itself when `key` is empty); nullopt
// when `json` is nullopt or invalid, the key is absent or the value is not a string (e.g. null).
std::optional<std::string> JsonString(const std::optional<std::string>& json,
                                      std::string_view key = {}) {
  simdjson::dom::parser parser;
  simdjson::dom::element element;
  std::string_view text;
  if (!json || parser.parse(*json).get(element) || (!key.empty() && element[key].get(element)) ||
      element.get(text)) {
    return std::nullopt;
  }
  return std::string(text);
}

// Standard base64 (RFC 4648 section 4); padding and line breaks are skipped.
std::optional<std::string> DecodeBase64(std::string_view text) {
  constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string bytes;
  bytes.reserve(text.size() / 4 * 3);
  uint32_t accumulator = 0;  // only its low `bits` bits are pending
  int bits = 0;
  for (const char c : text) {
    const size_t sextet = kAlphabet.find(c);
    if (sextet == std::string_view::npos) {
      if (c == '=' || c == '\n' || c == '\r') continue;
      return std::nullopt;
    }
    accumulator = (accumulator << 6) | static_cast<uint32_t>(sextet);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes += static_cast<char>((accumulator >> bits) & 0xFF);
    }
  }
  return bytes;
}

// A loopback port that was free a moment ago, or -1. Another process may take it before
// chromedriver binds it; Start() then reports that chromedriver exited early.
int FreeLoopbackPort() {
  const int socket_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (socket_fd < 0) return -1;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  const bool bound = bind(socket_fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
                     getsockname(socket_fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
  close(socket_fd);
  return bound ? ntohs(address.sin_port) : -1;
}

double MonotonicSeconds() {  // async-signal-safe, unlike std::chrono in principle
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

// Runs in the forked child of a possibly multi-threaded process, so it only makes
// async-signal-safe calls (no allocation). As a child subreaper it inherits every orphaned
// descendant of chromedriver and reaps it. Exits with chromedriver's exit code (128 + signal when
// killed, 127 when it could not be executed) once no descendant is left.
[[noreturn]] void RunSupervisor(pid_t test_process, char* const driver_argv[],
                                char* const driver_environment[]) {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGCHLD);
  sigprocmask(SIG_BLOCK, &signals, nullptr);  // received with sigtimedwait below
  signal(SIGCHLD, SIG_DFL);  // SIG_IGN, if inherited, would make the kernel reap without us
  prctl(PR_SET_PDEATHSIG, SIGTERM);
  if (getppid() != test_process) _exit(125);  // the test process died before prctl
  prctl(PR_SET_CHILD_SUBREAPER, 1);
  const pid_t driver = fork();
  if (driver == 0) {
    sigprocmask(SIG_UNBLOCK, &signals, nullptr);  // a blocked mask survives exec
    signal(SIGPIPE, SIG_DFL);                     // and so does an ignored signal
    setpgid(0, 0);  // its own group, so one kill() reaches chromedriver and Chromium
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    const int null_fd = open("/dev/null", O_RDWR);
    for (int fd = 0; fd <= 2; ++fd) dup2(null_fd, fd);  // chromedriver and Chromium are chatty
    close_range(3, ~0U, 0);  // no inherited sockets or files from the test process
    execve(driver_argv[0], driver_argv, driver_environment);
    _exit(127);
  }
  if (driver < 0) _exit(126);
  setpgid(driver, driver);  // also here, so kill(-driver) works whichever process runs first
  int exit_code = 0;
  double stop_started = -1;  // when SIGTERM went to chromedriver's group; -1 while running
  const auto stop = [&] {
    if (stop_started >= 0) return;
    kill(-driver, SIGTERM);
    stop_started = MonotonicSeconds();
  };
  const timespec poll_interval = {0, 100'000'000};
  for (;;) {
    int status = 0;
    pid_t pid = 0;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
      if (pid != driver) continue;  // an orphaned Chromium helper
      exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      stop();  // if chromedriver died on its own, take Chromium down too
    }
    if (pid < 0 && errno == ECHILD) _exit(exit_code);
    // Sleep until a signal while running; while stopping, wake every 100 ms for the deadlines.
    const int received = stop_started < 0 ? sigwaitinfo(&signals, nullptr)
                                          : sigtimedwait(&signals, nullptr, &poll_interval);
    if (received == SIGTERM) stop();
    if (stop_started < 0) continue;
    const double stopping_for = MonotonicSeconds() - stop_started;
    if (stopping_for >= kStopGraceSeconds) kill(-driver, SIGKILL);  // repeating it is harmless
    if (stopping_for >= kReapGiveUpSeconds) _exit(exit_code);
  }
}

}  // namespace

Browser::Browser(pid_t supervisor, int port, std::string temp_dir)
    : supervisor_(supervisor),
      port_(port),
      temp_dir_(std::move(temp_dir)),
      client_(std::make_unique<httplib::Client>("127.0.0.1", port)) {
  client_->set_connection_timeout(5);
  client_->set_read_timeout(60);  // creating a session starts Chromium: seconds on 2 cores
  client_->set_write_timeout(60);
}

Browser::~Browser() {
  if (!session_id_.empty()) Command("DELETE", "");  // quits Chromium cleanly
  if (supervisor_ > 0) {
    kill(supervisor_, SIGTERM);
    int status = 0;
    while (waitpid(supervisor_, &status, 0) < 0 && errno == EINTR) {
    }
  }
  std::error_code ignored;  // best effort: a leftover directory must not fail a test
  std::filesystem::remove_all(temp_dir_, ignored);
}

std::unique_ptr<Browser> Browser::Start(std::string* error) {
  for (const char* path : {kChromedriverPath, kChromiumPath}) {
    if (access(path, X_OK) != 0) {
      *error = fmt::format(
          "{} is missing or not executable ({}); install the Debian packages "
          "chromium and chromium-driver",
          path, std::strerror(errno));
      return nullptr;
    }
  }
  const int port = FreeLoopbackPort();
  std::error_code temp_error;
  std::string temp_dir =
      (std::filesystem::temp_directory_path(temp_error) / "rapport-webdriver.XXXXXX").string();
  if (port < 0 || temp_error || mkdtemp(temp_dir.data()) == nullptr) {
    *error = fmt::format("no free loopback port or temporary directory: {}", std::strerror(errno));
    return nullptr;
  }
  // Everything the children need is built before fork(): they must not allocate.
  std::string driver_path = kChromedriverPath;
  std::string port_flag = fmt::format("--port={}", port);
  char* const driver_argv[] = {driver_path.data(), port_flag.data(), nullptr};
  std::vector<std::string> variables = {"TMPDIR=" + temp_dir};
  for (char** variable = environ; *variable != nullptr; ++variable) {
    if (std::strncmp(*variable, "TMPDIR=", 7) != 0) variables.emplace_back(*variable);
  }
  std::vector<char*> driver_environment;
  driver_environment.reserve(variables.size() + 1);
  for (std::string& variable : variables) driver_environment.push_back(variable.data());
  driver_environment.push_back(nullptr);
  const pid_t test_process = getpid();
  const pid_t supervisor = fork();
  if (supervisor == 0) RunSupervisor(test_process, driver_argv, driver_environment.data());
  // From here on the destructor stops whatever was started and removes temp_dir.
  std::unique_ptr<Browser> browser(new Browser(supervisor, port, std::move(temp_dir)));
  if (supervisor < 0) {
    *error = fmt::format("fork failed: {}", std::strerror(errno));
    return nullptr;
  }
  const auto deadline = std::chrono::steady_clock::now() + kReadyTimeout;
  for (;; std::this_thread::sleep_for(std::chrono::milliseconds(100))) {
    int status = 0;
    if (waitpid(supervisor, &status, WNOHANG) == supervisor) {
      browser->supervisor_ = -1;  // already reaped
      const int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      *error = code == 127 ? fmt::format("could not execute {}", kChromedriverPath)
                           : fmt::format("{} --port={} exited with status {} before it was ready",
                                         kChromedriverPath, port, code);
      return nullptr;
    }
    const auto status_json = browser->Command("GET", "/status", "", false);
    simdjson::dom::parser parser;
    bool ready = false;
    if (status_json && !parser.parse(*status_json)["ready"].get(ready) && ready) break;
    if (std::chrono::steady_clock::now() > deadline) {
      *error = fmt::format("{} --port={} was not ready within {} s; last error: {}",
                           kChromedriverPath, port, kReadyTimeout.count(), browser->last_error_);
      return nullptr;
    }
  }
  std::string args;
  for (const char* arg : kChromiumArgs) args += (args.empty() ? "" : ",") + JsonQuote(arg);
  const std::string capabilities =
      R"({"capabilities":{"alwaysMatch":{"browserName":"chrome","goog:chromeOptions":{"binary":)" +
      JsonQuote(kChromiumPath) + R"(,"args":[)" + args + "]}}}}";
  const auto session = browser->Command("POST", "/session", capabilities, false);
  const auto session_id = JsonString(session, "sessionId");
  if (!session_id) {
    *error = "could not create a Chromium session: " +
             (session ? "no sessionId in " + *session : browser->last_error_);
    return nullptr;
  }
  browser->session_id_ = *session_id;
  return browser;
}

std::optional<std::string> Browser::Command(const char* method, const std::string& path,
                                            const std::string& body, bool session_relative) {
  const std::string full_path = session_relative ? "/session/" + session_id_ + path : path;
  const std::string_view verb = method;
  httplib::Result result = verb == "GET"      ? client_->Get(full_path)
                           : verb == "DELETE" ? client_->Delete(full_path)
                                              : client_->Post(full_path, body, "application/json");
  const std::string_view command = path.empty() ? "/session" : std::string_view(path);
  if (!result) {
    last_error_ = fmt::format("{} {}: no response from chromedriver on port {}: {}", method,
                              command, port_, httplib::to_string(result.error()));
    return std::nullopt;
  }
  simdjson::dom::parser parser;
  simdjson::dom::element value;
  if (parser.parse(result->body)["value"].get(value)) {
    last_error_ = fmt::format("{} {}: HTTP {} without a JSON \"value\": {}", method, command,
                              result->status, result->body.substr(0, 200));
    return std::nullopt;
  }
  if (result->status != 200) {
    std::string_view code;
    std::string_view message;
    if (value["error"].get(code)) code = "unknown error";
    if (value["message"].get(message)) message = "";
    message = message.substr(0, message.find('\n'));  // the rest is a stack trace
    last_error_ = fmt::format("{} {}: {}: {}", method, command, code, message);
    return std::nullopt;
  }
  return simdjson::minify(value);
}

bool Browser::Navigate(const std::string& url) {
  return Command("POST", "/url", R"({"url":)" + JsonQuote(url) + "}").has_value();
}

std::optional<std::string> Browser::FindElement(const std::string& css) {
  const auto value =
      Command("POST", "/element", R"({"using":"css selector","value":)" + JsonQuote(css) + "}");
  return JsonString(value, kWebElementKey);
}

std::vector<std::string> Browser::FindElements(const std::string& css) {
  std::vector<std::string> ids;
  const auto value =
      Command("POST", "/elements", R"({"using":"css selector","value":)" + JsonQuote(css) + "}");
  simdjson::dom::parser parser;
  simdjson::dom::array elements;
  if (!value || parser.parse(*value).get(elements)) return ids;
  for (simdjson::dom::element element : elements) {
    std::string_view id;
    if (!element[kWebElementKey].get(id)) ids.emplace_back(id);
  }
  return ids;
}

bool Browser::SendKeys(const std::string& element, const std::string& text) {
  return Command("POST", "/element/" + element + "/value", R"({"text":)" + JsonQuote(text) + "}")
      .has_value();
}

bool Browser::Click(const std::string& element) {
  return Command("POST", "/element/" + element + "/click", "{}").has_value();
}

std::string Browser::Text(const std::string& element) {
  return JsonString(Command("GET", "/element/" + element + "/text")).value_or("");
}

std::string Browser::Attribute(const std::string& element, const std::string& name) {
  // A missing attribute is null, not a string.
  return JsonString(Command("GET", "/element/" + element + "/attribute/" + name)).value_or("");
}

std::string Browser::Execute(const std::string& script) {
  return Command("POST", "/execute/sync", R"({"script":)" + JsonQuote(script) + R"(,"args":[]})")
      .value_or("");
}

bool Browser::WaitFor(const std::string& css, double timeout_seconds) {
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_seconds);
  for (;;) {
    if (!FindElements(css).empty()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

std::string Browser::CurrentUrl() { return JsonString(Command("GET", "/url")).value_or(""); }

std::string Browser::Screenshot() { return ElementScreenshot(""); }

std::string Browser::ElementScreenshot(const std::string& element) {
  const auto base64 = JsonString(
      Command("GET", element.empty() ? "/screenshot" : "/element/" + element + "/screenshot"));
  auto png = base64 ? DecodeBase64(*base64) : std::nullopt;
  if (base64 && !png) last_error_ = "screenshot: the value is not valid base64";
  return png.value_or("");
}

PixelStats AnalysePng(const std::string& png_bytes) {
  PixelStats stats;
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_memory(&image, png_bytes.data(), png_bytes.size())) return stats;
  image.format = PNG_FORMAT_RGBA;
  std::vector<uint32_t> pixels(size_t{image.width} * image.height);  // RGBA8 as 32-bit keys
  if (!png_image_finish_read(&image, nullptr, pixels.data(), 0, nullptr)) {
    png_image_free(&image);
    return stats;
  }
  std::unordered_map<uint32_t, size_t> counts;
  for (const uint32_t pixel : pixels) ++counts[pixel];
  size_t background = 0;
  for (const auto& [colour, count] : counts) background = std::max(background, count);
  stats.width = static_cast<int>(image.width);
  stats.height = static_cast<int>(image.height);
  stats.distinct_colours = counts.size();
  stats.non_background_fraction =
      1.0 - static_cast<double>(background) / static_cast<double>(pixels.size());
  stats.ok = true;
  return stats;
}

}  // namespace rapport::testing
