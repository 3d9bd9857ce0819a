// A small W3C WebDriver client for end-to-end browser tests: it launches Debian's chromedriver
// (/usr/bin/chromedriver), opens one headless Chromium session and speaks plain HTTP+JSON to it
// (cpp-httplib for transport, simdjson for responses). Also decodes PNG screenshots to tell
// whether anything was drawn.
//
// Processes: Start() forks a small supervisor process that is a child subreaper, and the
// supervisor forks and execs chromedriver in its own process group. Chromium's helpers (zygotes,
// renderers, crash handlers) that are orphaned when the browser quits are reparented to the
// supervisor and reaped there, so none is left as a zombie or an orphan. If the test process
// dies, the supervisor gets SIGTERM (PR_SET_PDEATHSIG) and tears chromedriver down. Chromedriver
// and Chromium run with TMPDIR set to a private directory that the destructor deletes, so no
// profile or org.chromium.Chromium.* directory is left in /tmp.
//
// Thread-safety: a Browser is not thread-safe; use it from one thread at a time. Create it on a
// thread that outlives it (normally the main test thread): PR_SET_PDEATHSIG fires when the
// creating *thread* exits. AnalysePng is thread-safe.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace httplib {
class Client;
}

namespace rapport::testing {

inline constexpr char kChromedriverPath[] = "/usr/bin/chromedriver";
inline constexpr char kChromiumPath[] = "/usr/bin/chromium";
// The W3C key under which a web element reference holds its id ("...-a52e-...", as in the spec).
inline constexpr char kWebElementKey[] = "element-6066-11e4-a52e-4f735466cecf";
// WebDriver key codes to put into SendKeys text.
inline constexpr char kEnterKey[] = "\uE007";

class Browser {
 public:
  // Launches chromedriver on a free loopback port, waits (up to 10 s) until GET /status says
  // ready, and creates one headless Chromium session. The window is 1280x1000, which with
  // --headless=new leaves a 1280x857 viewport (what Screenshot() captures). Returns nullptr and
  // sets *error (what failed and why) on failure; never leaves processes behind.
  static std::unique_ptr<Browser> Start(std::string* error);

  // Deletes the session, stops chromedriver (SIGTERM, then SIGKILL after 3 s) and waits until it
  // and every Chromium helper process have been reaped, then deletes the private TMPDIR.
  ~Browser();
  Browser(const Browser&) = delete;
  Browser& operator=(const Browser&) = delete;

  // Each command below returns false / nullopt / empty on failure and then sets last_error().
  // Element arguments are ids returned by FindElement(s).

  // Loads `url` and waits for the page load to complete.
  bool Navigate(const std::string& url);
  // The first element matching the CSS selector; nullopt when none matches (last_error() is then
  // "no such element: ...").
  std::optional<std::string> FindElement(const std::string& css);
  // Every element matching the CSS selector, in document order; empty when none matches.
  std::vector<std::string> FindElements(const std::string& css);
  // Types `text` into the element; WebDriver key codes such as kEnterKey are pressed as keys.
  bool SendKeys(const std::string& element, const std::string& text);
  bool Click(const std::string& element);
  // The element's rendered text (innerText-like); empty on failure.
  std::string Text(const std::string& element);
  // The attribute's value; empty when the attribute is absent or on failure.
  std::string Attribute(const std::string& element, const std::string& name);
  // Runs `script` as the body of a synchronous function (it may `return` a value) and returns the
  // JSON text of the result, e.g. "3", "\"abc\"", "[1,2]", "null". Empty (never valid JSON) when
  // the script threw or the command failed.
  std::string Execute(const std::string& script);
  // Polls every 50 ms until the CSS selector matches at least one element or `timeout_seconds`
  // pass; returns whether it matched.
  bool WaitFor(const std::string& css, double timeout_seconds = 5);
  // The URL of the current page; empty on failure.
  std::string CurrentUrl();
  // PNG bytes of the visible viewport; empty on failure.
  std::string Screenshot();
  // PNG bytes of the element's bounding box (scrolled into view first); empty on failure.
  std::string ElementScreenshot(const std::string& element);

  // The last failure: the WebDriver error code and the first line of its message, prefixed by
  // the command, e.g. "POST /element: no such element: Unable to locate element: ...".
  const std::string& last_error() const { return last_error_; }

 private:
  Browser(pid_t supervisor, int port, std::string temp_dir);

  // Sends one command to chromedriver. On HTTP 200 returns the JSON text of the response's
  // "value" field; otherwise sets last_error_ and returns nullopt. `path` is relative to the
  // session ("/url") unless `session_relative` is false.
  std::optional<std::string> Command(const char* method, const std::string& path,
                                     const std::string& body = "", bool session_relative = true);

  pid_t supervisor_;  // the subreaper that owns chromedriver; reaped by the destructor
  int port_;          // chromedriver's loopback port
  // TMPDIR of chromedriver and Chromium: their profile and singleton-socket directories land
  // here, and the destructor removes it once every process is gone.
  std::string temp_dir_;
  std::unique_ptr<httplib::Client> client_;
  std::string session_id_;  // empty until the session exists
  std::string last_error_;
};

// How much a decoded image shows. `non_background_fraction` is the share of pixels whose RGBA
// differs from the most common colour (the background), so a blank page gives exactly 0.
struct PixelStats {
  int width = 0;
  int height = 0;
  size_t distinct_colours = 0;
  double non_background_fraction = 0;
  bool ok = false;  // false when `png_bytes` is not a decodable PNG
};

// Decodes a PNG (libpng simplified API, as RGBA8) and counts its colours.
PixelStats AnalysePng(const std::string& png_bytes);

}  // namespace rapport::testing
