// `rapport serve`: the local web service and dashboard (server/server.h, docs/api.md), and
// `rapport report`: the dashboard's views of one person and the population as one static file.
#include <fmt/format.h>
#include <signal.h>

#include <cstdio>
#include <fstream>
#include <thread>

#include "context.h"
#include "rapport/cli/app.h"
#include "rapport/core/time.h"
#include "rapport/report/html_report.h"
#include "rapport/report/pseudonym.h"
#include "rapport/score/cooling.h"
#include "rapport/score/history.h"
#include "rapport/server/server.h"

namespace rapport::cli {
namespace {

struct ServeArgs {
  std::string listen = "127.0.0.1:8080";
  std::string token;
  std::string as_of;
  size_t max_upload_mb = 256;
  int threads = 64;
};

// "HOST:PORT", ":PORT" (loopback) or "PORT".
Result<std::pair<std::string, int>> ParseListen(const std::string& text) {
  const size_t colon = text.rfind(':');
  std::string host = colon == std::string::npos ? "127.0.0.1" : text.substr(0, colon);
  const std::string port_text = colon == std::string::npos ? text : text.substr(colon + 1);
  if (host.empty()) host = "127.0.0.1";
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  int port = -1;
  try {
    size_t used = 0;
    port = std::stoi(port_text, &used);
    if (used != port_text.size()) port = -1;
  } catch (const std::exception&) {
  }
  if (port < 0 || port > 65535) {
    return InvalidArgument(fmt::format(
        "--listen {}: give HOST:PORT such as 127.0.0.1:8080 (port 0 picks a free one)", text));
  }
  return std::pair{host, port};
}

bool IsLoopback(const std::string& host) {
  return host == "localhost" || host == "::1" || host.starts_with("127.");
}

int RunServe(const GlobalOptions& global, const ServeArgs& args) {
  Result<Config> config = EffectiveConfig(global);
  if (!config.ok()) return Fail(config.status());
  Result<std::pair<std::string, int>> listen = ParseListen(args.listen);
  if (!listen.ok()) return Fail(listen.status());
  server::ServerOptions options;
  options.db_path = global.db;
  options.config = *config;
  options.as_of = args.as_of;
  options.host = listen->first;
  options.port = listen->second;
  options.max_upload_bytes = args.max_upload_mb * 1024 * 1024;
  options.threads = args.threads;
  options.token = args.token;
  if (options.token.empty()) {
    Result<std::string> token = server::GenerateToken();
    if (!token.ok()) return Fail(token.status());
    options.token = *token;
  }
  // Signals go to one thread that stops the server, so that it ends cleanly on Ctrl-C.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  fmt::print(stderr, "scoring {} ...\n", global.db);
  Result<std::unique_ptr<server::Server>> created = server::Server::Create(options);
  if (!created.ok()) return Fail(created.status());
  server::Server& service = **created;
  Result<int> port = service.Bind();
  if (!port.ok()) return Fail(port.status());
  const std::string host =
      options.host.find(':') != std::string::npos ? "[" + options.host + "]" : options.host;
  fmt::print("Rapport is serving {} ({} events) at http://{}:{}/\n", global.db,
             service.event_count(), host, *port);
  fmt::print("Token for writes (import, rescore, forget): {}\n", options.token);
  fmt::print("  send it as: Authorization: Bearer {}\n", options.token);
  if (!IsLoopback(options.host)) {
    fmt::print(stderr,
               "warning: listening on {}, not loopback: anyone who can reach this machine can "
               "read every score and name (there is no TLS)\n",
               options.host);
  }
  fmt::print("Ctrl-C stops it.\n");
  std::fflush(stdout);
  std::thread stopper([&service, signals] {
    int received = 0;
    sigwait(&signals, &received);
    service.Stop();
  });
  Status served = service.Listen();
  // Wake the stopper when the server ended by itself.
  pthread_kill(stopper.native_handle(), SIGTERM);
  stopper.join();
  if (!served.ok()) return Fail(served);
  fmt::print(stderr, "stopped\n");
  return kExitOk;
}

struct ReportArgs {
  std::string person;
  std::string out = "report.html";
  std::string as_of;
  int points = 26;
  bool pseudonymize = false;
};

int RunReport(const GlobalOptions& global, const ReportArgs& args) {
  Result<Scored> scored = OpenAndScore(global, args.as_of);
  if (!scored.ok()) return Fail(scored.status());
  score::ScoreRun& run = scored->run;
  report::HtmlReportInput input;
  input.run = &run;
  input.title = "Rapport report";
  if (!args.person.empty()) {
    Result<store::Person> person = scored->store->FindPerson(args.person);
    if (!person.ok()) return Fail(person.status());
    if (run.Find(person->id) == nullptr) {
      return Fail(NotFound(fmt::format("{} has no interactions at or before {}", person->name,
                                       FormatDate(run.as_of))));
    }
    input.focus = IndexOf(scored->log, person->id);
    input.title = "Rapport report: " + person->name;
  }
  if (!run.people.empty()) {
    const PersonIndex focus = input.focus.value_or(run.people.front().index);
    input.history = score::PersonHistory(scored->log, scored->config, focus,
                                         run.as_of - kSecondsPerWeek * (args.points - 1), run.as_of,
                                         kSecondsPerWeek);
    input.cooling = score::FindCooling(run, input.focus);
  }
  if (args.pseudonymize) {
    Result<std::string> key = scored->store->PseudonymKey();
    if (!key.ok()) return Fail(key.status());
    if (Status renamed = report::PseudonymizeRun(run, *key); !renamed.ok()) return Fail(renamed);
    if (input.focus) input.title = "Rapport report";
  }
  std::ofstream html(args.out, std::ios::binary | std::ios::trunc);
  html << report::RenderHtmlReport(input);
  html.close();
  if (!html) return Fail(IoError("cannot write " + args.out));
  fmt::print("wrote {} (self-contained; opens offline)\n", args.out);
  return kExitOk;
}

}  // namespace

void AddServeCommand(CLI::App& app, const GlobalOptions& global, int* exit_code) {
  auto args = std::make_shared<ServeArgs>();
  CLI::App* command = app.add_subcommand(
      "serve", "Serve the dashboard and the JSON API (docs/api.md) on this machine");
  command->add_option("--listen", args->listen, "HOST:PORT to listen on (port 0: any free port)")
      ->capture_default_str();
  command
      ->add_option("--token", args->token,
                   "Secret that writes (import, rescore, forget) must present; default: a new "
                   "random one, printed at start")
      ->envname("RAPPORT_TOKEN");
  command->add_option("--as-of", args->as_of,
                      "Score as of this date (default: the newest event, after every import)");
  command->add_option("--max-upload-mb", args->max_upload_mb, "Largest accepted upload, MiB")
      ->capture_default_str();
  command->add_option("--threads", args->threads, "Connections served at once")
      ->capture_default_str()
      ->check(CLI::Range(2, 1024));
  command->callback([&global, args, exit_code] { *exit_code = RunServe(global, *args); });

  auto report_args = std::make_shared<ReportArgs>();
  CLI::App* report = app.add_subcommand(
      "report", "Write the dashboard's views as one self-contained HTML file that opens offline");
  report->add_option("person", report_args->person,
                     "Whose history, ties and network to show (default: the top person)");
  report->add_option("--out", report_args->out, "File to write")->capture_default_str();
  report->add_option("--as-of", report_args->as_of,
                     "Score as of this date (YYYY-MM-DD, ISO 8601, epoch seconds or now; "
                     "default: the newest event)");
  report->add_option("--points", report_args->points, "Weeks of history to draw")
      ->capture_default_str()
      ->check(CLI::Range(2, 520));
  report->add_flag("--pseudonymize", report_args->pseudonymize,
                   "Replace every name with a stable pseudonym (as export --pseudonymize)");
  report->callback(
      [&global, report_args, exit_code] { *exit_code = RunReport(global, *report_args); });
}

}  // namespace rapport::cli
