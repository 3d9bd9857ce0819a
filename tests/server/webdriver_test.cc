// Self-test of the WebDriver client (webdriver.h) against real headless Chromium: an in-process
// httplib::Server on 127.0.0.1 serves a form page (text input, button, script, inline SVG) and a
// blank white page; one Browser, shared by the tests, types, clicks, runs scripts and takes
// screenshots. A missing /usr/bin/chromedriver or Chromium fails every test with the reason; it
// is never skipped. Single-threaded apart from the server's own threads.
#include "webdriver.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

namespace rapport::testing {
namespace {

constexpr char kFormPage[] = R"(<!doctype html>
<html><head><title>form</title></head>
<body style="margin:0;background:#fff">
  <input id="q" type="text"> <button id="go">Go</button>
  <p id="out"></p>
  <svg id="art" width="200" height="200" xmlns="http://www.w3.org/2000/svg">
    <circle cx="100" cy="100" r="80" fill="#d03030"/>
    <circle cx="100" cy="100" r="30" fill="#3050d0"/>
  </svg>
  <script>
    document.getElementById('go').addEventListener('click', () => {
      document.getElementById('out').textContent = document.getElementById('q').value;
      document.getElementById('out').className = 'done';
    });
    document.getElementById('q').addEventListener('keydown', (event) => {
      if (event.key !== 'Enter') return;
      document.getElementById('out').textContent = 'entered ' + event.target.value;
      document.getElementById('out').className = 'entered';
    });
  </script>
</body></html>)";

constexpr char kBlankPage[] =
    "<!doctype html><html><head><title>blank</title></head>"
    "<body style=\"margin:0;background:#fff\"></body></html>";

class WebDriverSelfTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = std::make_unique<httplib::Server>();
    server_->Get("/form", [](const httplib::Request&, httplib::Response& response) {
      response.set_content(kFormPage, "text/html");
    });
    server_->Get("/blank", [](const httplib::Request&, httplib::Response& response) {
      response.set_content(kBlankPage, "text/html");
    });
    port_ = server_->bind_to_any_port("127.0.0.1");
    server_thread_ = std::make_unique<std::thread>([] { server_->listen_after_bind(); });
    // httplib 0.11's stop() does nothing until the server runs, so TearDownTestSuite would hang
    // in join() if every test failed at once (no chromedriver): wait for it.
    for (int waited_ms = 0; port_ > 0 && !server_->is_running() && waited_ms < 5000; ++waited_ms) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    browser_ = Browser::Start(&start_error_);
  }

  static void TearDownTestSuite() {
    browser_.reset();  // before the server, so Chromium has no open connection to it
    server_->stop();
    server_thread_->join();
    server_thread_.reset();
    server_.reset();
  }

  void SetUp() override {
    ASSERT_GT(port_, 0) << "the test HTTP server could not bind a port";
    ASSERT_NE(browser_, nullptr) << "Browser::Start failed: " << start_error_;
  }

  static std::string Url(const std::string& path) {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

  static inline std::unique_ptr<httplib::Server> server_;
  static inline std::unique_ptr<std::thread> server_thread_;
  static inline int port_ = -1;
  static inline std::unique_ptr<Browser> browser_;
  static inline std::string start_error_;
};

TEST_F(WebDriverSelfTest, TypingAndClickingCopiesTheInputIntoOut) {
  ASSERT_TRUE(browser_->Navigate(Url("/form"))) << browser_->last_error();
  EXPECT_EQ(browser_->CurrentUrl(), Url("/form"));
  const auto input = browser_->FindElement("#q");
  ASSERT_TRUE(input.has_value()) << browser_->last_error();
  ASSERT_TRUE(browser_->SendKeys(*input, "blogger")) << browser_->last_error();
  EXPECT_EQ(browser_->Execute("return document.getElementById('q').value;"), "\"blogger\"");
  const auto button = browser_->FindElement("#go");
  ASSERT_TRUE(button.has_value()) << browser_->last_error();
  ASSERT_TRUE(browser_->Click(*button)) << browser_->last_error();
  ASSERT_TRUE(browser_->WaitFor("#out.done")) << browser_->last_error();
  const auto out = browser_->FindElement("#out");
  ASSERT_TRUE(out.has_value()) << browser_->last_error();
  EXPECT_EQ(browser_->Text(*out), "blogger");
  EXPECT_EQ(browser_->Attribute(*out, "class"), "done");
  EXPECT_EQ(browser_->Attribute(*out, "no-such-attribute"), "");
}

TEST_F(WebDriverSelfTest, EnterKeyCodeIsPressedAsEnter) {
  ASSERT_TRUE(browser_->Navigate(Url("/form"))) << browser_->last_error();
  const auto input = browser_->FindElement("#q");
  ASSERT_TRUE(input.has_value()) << browser_->last_error();
  ASSERT_TRUE(browser_->SendKeys(*input, std::string("blogger") + kEnterKey))
      << browser_->last_error();
  ASSERT_TRUE(browser_->WaitFor("#out.entered")) << browser_->last_error();
  EXPECT_EQ(browser_->Text(browser_->FindElement("#out").value_or("")), "entered blogger");
}

TEST_F(WebDriverSelfTest, ExecuteReturnsJsonOfTheValue) {
  ASSERT_TRUE(browser_->Navigate(Url("/form"))) << browser_->last_error();
  EXPECT_EQ(browser_->Execute("return document.querySelectorAll('circle').length;"), "2");
  EXPECT_EQ(browser_->Execute("return [1, 'a\"b', null];"), R"([1,"a\"b",null])");
  EXPECT_EQ(browser_->FindElements("circle").size(), 2u);
  EXPECT_EQ(browser_->Execute("throw new Error('boom');"), "");
  EXPECT_NE(browser_->last_error().find("javascript error"), std::string::npos)
      << browser_->last_error();
}

TEST_F(WebDriverSelfTest, MissingElementIsNulloptWithNoSuchElement) {
  ASSERT_TRUE(browser_->Navigate(Url("/form"))) << browser_->last_error();
  EXPECT_FALSE(browser_->FindElement("#absent").has_value());
  EXPECT_NE(browser_->last_error().find("no such element"), std::string::npos)
      << browser_->last_error();
  EXPECT_TRUE(browser_->FindElements("#absent").empty());
  EXPECT_FALSE(browser_->WaitFor("#absent", 0.2));
}

TEST_F(WebDriverSelfTest, SvgElementScreenshotShowsTheCircles) {
  ASSERT_TRUE(browser_->Navigate(Url("/form"))) << browser_->last_error();
  const auto svg = browser_->FindElement("#art");
  ASSERT_TRUE(svg.has_value()) << browser_->last_error();
  const std::string png = browser_->ElementScreenshot(*svg);
  ASSERT_FALSE(png.empty()) << browser_->last_error();
  const PixelStats stats = AnalysePng(png);
  ASSERT_TRUE(stats.ok);
  EXPECT_EQ(stats.width, 200);
  EXPECT_EQ(stats.height, 200);
  EXPECT_GT(stats.non_background_fraction, 0.01);
  EXPECT_GE(stats.distinct_colours, 2u);
}

TEST_F(WebDriverSelfTest, BlankPageScreenshotIsAllBackground) {
  ASSERT_TRUE(browser_->Navigate(Url("/blank"))) << browser_->last_error();
  const std::string png = browser_->Screenshot();
  ASSERT_FALSE(png.empty()) << browser_->last_error();
  const PixelStats stats = AnalysePng(png);
  ASSERT_TRUE(stats.ok);
  EXPECT_GT(stats.width, 0);
  EXPECT_GT(stats.height, 0);
  EXPECT_EQ(stats.distinct_colours, 1u);
  EXPECT_EQ(stats.non_background_fraction, 0);
}

TEST(AnalysePngTest, RejectsBytesThatAreNotPng) {
  EXPECT_FALSE(AnalysePng("").ok);
  EXPECT_FALSE(AnalysePng("GIF89a not a png").ok);
}

}  // namespace
}  // namespace rapport::testing
