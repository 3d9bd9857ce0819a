// The HTTP side of the service (server.h): routes, the token check, limits and JSON errors.
// Every API answer is JSON; every error is {"error": message, "status": code} with the status
// that says what went wrong (400 malformed, 401/403 token, 404 unknown, 413 too large, 422
// nothing importable, 500 our fault).
#include "rapport/server/server.h"

#include <fmt/format.h>
#include <httplib.h>
#include <simdjson.h>
#include <sys/socket.h>

#include <atomic>
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <mutex>

#include "pages.h"
#include "rapport/core/json_writer.h"
#include "rapport/core/time.h"
#include "rapport/report/output.h"
#include "rapport/score/cooling.h"
#include "rapport/store/import.h"
#include "snapshot.h"

namespace rapport::server {
namespace {

constexpr const char* kJson = "application/json";
constexpr const char* kHtml = "text/html; charset=utf-8";
// Pages may run their own inline scripts and styles and talk to this server; nothing else.
constexpr const char* kContentSecurityPolicy =
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'";
constexpr size_t kMaxFileNameBytes = 200;

void SendError(httplib::Response& res, int status, const std::string& message) {
  res.status = status;
  JsonWriter json(false);
  json.BeginObject().Key("error").String(message).Key("status").Int(status).EndObject();
  res.set_content(json.str() + "\n", kJson);
}

int HttpStatusOf(const Status& status) {
  switch (status.code()) {
    case StatusCode::kInvalidArgument:
    case StatusCode::kDataLoss:
      return 400;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kAlreadyExists:
      return 409;
    default:
      return 500;
  }
}

// An integer query parameter in [low, high], or `fallback` when absent; nullopt (and a 400
// already written) when malformed or out of range.
std::optional<int> IntParam(const httplib::Request& req, httplib::Response& res, const char* name,
                            int fallback, int low, int high) {
  if (!req.has_param(name)) return fallback;
  const std::string text = req.get_param_value(name);
  int value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < low || value > high) {
    SendError(res, 400,
              fmt::format("{}={}: give a whole number from {} to {}", name, text, low, high));
    return std::nullopt;
  }
  return value;
}

// A plain file name for an upload: no directories, no leading dot, no control characters.
Status CheckFileName(const std::string& name) {
  const bool bad_char = std::any_of(name.begin(), name.end(), [](char c) {
    return c == '/' || c == '\\' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
  });
  if (name.empty() || name.size() > kMaxFileNameBytes || bad_char || name.front() == '.') {
    return InvalidArgument(fmt::format(
        "file name \"{}\" is not a plain file name: give the name alone, such as calls.csv "
        "(no directories, no leading dot, at most {} bytes)",
        name.substr(0, kMaxFileNameBytes), kMaxFileNameBytes));
  }
  return Status::Ok();
}

// Compares without stopping at the first difference, so timing does not reveal the token.
bool SameSecret(std::string_view a, std::string_view b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (size_t i = 0; i < a.size(); ++i) {
    diff |= static_cast<unsigned char>(a[i] ^ (i < b.size() ? b[i] : 0));
  }
  return diff == 0;
}

std::string ImportReportJson(const store::FileImportReport& report, const std::string& name) {
  JsonWriter json(false);
  json.BeginObject().Key("file").String(name);
  json.Key("format").String(ingest::FormatName(report.format));
  json.Key("read").Int(report.read).Key("accepted").Int(report.accepted);
  json.Key("rejected").Int(report.rejected).Key("duplicate").Int(report.duplicate);
  json.Key("first_reject");
  if (report.first_reject) {
    json.BeginObject()
        .Key("line")
        .Int(report.first_reject->line)
        .Key("byte_offset")
        .Int(report.first_reject->byte_offset)
        .Key("reason")
        .String(report.first_reject->reason)
        .Key("hint")
        .String(report.first_reject->hint)
        .EndObject();
  } else {
    json.Null();
  }
  json.EndObject();
  return json.str();
}

}  // namespace

struct Server::Impl {
  ServerOptions options;
  httplib::Server http;
  // The writer's connection: imports, rescoring, forgetting, one at a time.
  std::mutex write_mutex;
  std::unique_ptr<store::Store> writer;
  // A second connection for reads that need the database (explain's interactions), so that they
  // do not wait for an import.
  std::mutex reader_mutex;
  std::unique_ptr<store::Store> reader;

  mutable std::mutex snapshot_mutex;
  std::shared_ptr<const Snapshot> snapshot;
  std::filesystem::path upload_dir;
  std::atomic<int64_t> uploads{0};
  int listen_socket = -1;  // seen by the socket options callback, for the listen backlog

  ~Impl() {
    std::error_code ignored;
    if (!upload_dir.empty()) std::filesystem::remove_all(upload_dir, ignored);
  }

  std::shared_ptr<const Snapshot> Current() const {
    std::lock_guard lock(snapshot_mutex);
    return snapshot;
  }

  // Rescores from the store. REQUIRES: write_mutex held.
  Result<std::shared_ptr<const Snapshot>> Rescore() {
    RAPPORT_ASSIGN_OR_RETURN(
        std::shared_ptr<const Snapshot> next,
        Snapshot::Build(*writer, options.config, options.as_of, Current()->generation() + 1));
    std::lock_guard lock(snapshot_mutex);
    snapshot = next;
    return next;
  }

  std::string RescoreJson(const Snapshot& next) const {
    JsonWriter json(false);
    json.BeginObject().Key("generation").Int(next.generation());
    json.Key("as_of").String(FormatTime(next.run().as_of));
    json.Key("events").Int(next.event_count());
    json.Key("people_scored").Int(static_cast<int64_t>(next.run().people.size()));
    json.Key("seconds").Number(next.seconds_to_build()).EndObject();
    return json.str();
  }

  // Writes need "Authorization: Bearer <token>". Returns false (answer written) otherwise.
  bool Authorized(const httplib::Request& req, httplib::Response& res) const {
    const std::string header = req.get_header_value("Authorization");
    constexpr std::string_view kBearer = "Bearer ";
    if (header.empty()) {
      res.set_header("WWW-Authenticate", "Bearer");
      SendError(res, 401,
                "this request changes data and needs the token printed by `rapport serve`: send "
                "\"Authorization: Bearer TOKEN\"");
      return false;
    }
    if (!header.starts_with(kBearer) ||
        !SameSecret(std::string_view(header).substr(kBearer.size()), options.token)) {
      SendError(res, 403, "wrong token: use the one `rapport serve` printed at start");
      return false;
    }
    return true;
  }

  // The person of a /api/people/{id} path, or nullptr (answer written).
  const store::Person* PersonOf(const Snapshot& current, const httplib::Request& req,
                                httplib::Response& res) const {
    const std::string text = req.matches[1];
    int64_t id = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (error != std::errc() || end != text.data() + text.size()) {
      SendError(res, 400,
                fmt::format("\"{}\" is not a person id: ids are numbers (find them with "
                            "GET /api/people?q=NAME)",
                            text));
      return nullptr;
    }
    const store::Person* person = current.FindPerson(id);
    if (person == nullptr) SendError(res, 404, fmt::format("no person has id {}", id));
    return person;
  }

  void AddApiRoutes();
  void AddWriteRoutes();
  void AddPageRoutes();
};

void Server::Impl::AddApiRoutes() {
  http.Get("/api/health", [this](const httplib::Request&, httplib::Response& res) {
    const std::shared_ptr<const Snapshot> current = Current();
    JsonWriter json(false);
    json.BeginObject().Key("status").String("ok").Key("generation").Int(current->generation());
    json.Key("as_of").String(FormatTime(current->run().as_of));
    json.Key("events").Int(current->event_count());
    json.Key("people").Int(static_cast<int64_t>(current->people().size()));
    json.Key("people_scored").Int(static_cast<int64_t>(current->run().people.size()));
    json.EndObject();
    res.set_content(json.str() + "\n", kJson);
  });
  http.Get("/api/people", [this](const httplib::Request& req, httplib::Response& res) {
    const std::optional<int> limit = IntParam(req, res, "limit", 20, 1, 1000);
    if (!limit) return;
    const std::shared_ptr<const Snapshot> current = Current();
    const std::string query = req.get_param_value("q");
    JsonWriter json(false);
    json.BeginObject().Key("query").String(query).Key("people").BeginArray();
    for (const store::Person* person : current->Search(query, static_cast<size_t>(*limit))) {
      json.BeginObject().Key("id").Int(person->id).Key("name").String(person->name);
      json.Key("identities").BeginArray();
      for (const std::string& identity : person->identities) json.String(identity);
      json.EndArray();
      if (const score::PersonScore* scored = current->Scored(person->id)) {
        json.Key("volume_score").Number(std::round(scored->volume_score * 100) / 100);
        json.Key("rapport_score").Number(std::round(scored->rapport_score * 100) / 100);
      }
      json.EndObject();
    }
    json.EndArray().EndObject();
    res.set_content(json.str() + "\n", kJson);
  });
  http.Get("/api/scores", [this](const httplib::Request& req, httplib::Response& res) {
    const std::optional<int> top = IntParam(req, res, "top", 0, 0, 100000000);
    if (!top) return;
    res.set_content(report::RenderScores(Current()->run(), report::OutputFormat::kJson, *top),
                    kJson);
  });
  http.Get(R"(/api/people/([^/]+))", [this](const httplib::Request& req, httplib::Response& res) {
    const std::shared_ptr<const Snapshot> current = Current();
    const store::Person* person = PersonOf(*current, req, res);
    if (person == nullptr) return;
    res.set_content(report::RenderPerson(current->run(), *person, current->Scored(person->id),
                                         current->RankOf(person->id)),
                    kJson);
  });
  http.Get(
      R"(/api/people/([^/]+)/ties)", [this](const httplib::Request& req, httplib::Response& res) {
        const std::optional<int> top = IntParam(req, res, "top", 0, 0, 100000000);
        if (!top) return;
        const std::shared_ptr<const Snapshot> current = Current();
        const store::Person* person = PersonOf(*current, req, res);
        if (person == nullptr) return;
        std::optional<PersonIndex> index;
        if (current->Scored(person->id) != nullptr) index = current->IndexOf(person->id);
        if (!index) {
          JsonWriter json;
          json.BeginObject().Key("as_of").String(FormatTime(current->run().as_of));
          json.Key("person_id").Int(person->id).Key("person").String(person->name);
          json.Key("ties").BeginArray().EndArray().EndObject();
          res.set_content(json.str() + "\n", kJson);
          return;
        }
        res.set_content(
            report::RenderTies(current->run(), index, report::OutputFormat::kJson, *top), kJson);
      });
  http.Get(R"(/api/people/([^/]+)/history)", [this](const httplib::Request& req,
                                                    httplib::Response& res) {
    const std::optional<int> points = IntParam(req, res, "points", options.history_points, 2, 260);
    if (!points) return;
    const std::string every = req.has_param("every") ? req.get_param_value("every") : "week";
    const std::map<std::string, double> steps = {
        {"day", kSecondsPerDay}, {"week", kSecondsPerWeek}, {"month", 30 * kSecondsPerDay}};
    if (!steps.contains(every)) {
      SendError(res, 400, fmt::format("every={}: use day, week or month", every));
      return;
    }
    const std::shared_ptr<const Snapshot> current = Current();
    const store::Person* person = PersonOf(*current, req, res);
    if (person == nullptr) return;
    const std::optional<PersonIndex> index = current->IndexOf(person->id);
    if (!index) {
      SendError(res, 404,
                fmt::format("{} joined after the last scoring: POST /api/rescore", person->name));
      return;
    }
    res.set_content(
        report::RenderHistory(person->name, current->History(*index, steps.at(every), *points),
                              report::OutputFormat::kJson),
        kJson);
  });
  http.Get(R"(/api/people/([^/]+)/explain)", [this](const httplib::Request& req,
                                                    httplib::Response& res) {
    const std::optional<int> top = IntParam(req, res, "top", 5, 1, 100);
    if (!top) return;
    const std::shared_ptr<const Snapshot> current = Current();
    const store::Person* person = PersonOf(*current, req, res);
    if (person == nullptr) return;
    const score::ScoreRun& run = current->run();
    const std::optional<PersonIndex> index = current->IndexOf(person->id);
    if (current->Scored(person->id) == nullptr || !index) {
      SendError(res, 404,
                fmt::format("{} has no interactions at or before {}: nothing to explain",
                            person->name, FormatDate(run.as_of)));
      return;
    }
    std::map<uint32_t, std::vector<store::StoredEvent>> interactions;
    const std::vector<score::TieView> ties = score::TiesOf(run, *index);
    {
      std::lock_guard lock(reader_mutex);
      for (size_t i = 0; i < ties.size() && i < static_cast<size_t>(*top); ++i) {
        Result<std::vector<store::StoredEvent>> events = reader->EventsBetween(
            person->id, current->log().person_id[ties[i].other], run.as_of, 5);
        if (!events.ok()) {
          SendError(res, 500, events.status().message());
          return;
        }
        interactions[ties[i].pair] = std::move(*events);
      }
    }
    res.set_content(
        report::RenderExplain(run, *index, interactions, report::OutputFormat::kJson, *top), kJson);
  });
  http.Get(R"(/api/people/([^/]+)/graph)", [this](const httplib::Request& req,
                                                  httplib::Response& res) {
    const std::optional<int> neighbours = IntParam(req, res, "neighbours", 24, 1, 500);
    if (!neighbours) return;
    const std::shared_ptr<const Snapshot> current = Current();
    const store::Person* person = PersonOf(*current, req, res);
    if (person == nullptr) return;
    const score::ScoreRun& run = current->run();
    std::vector<score::TieView> ties;
    if (const std::optional<PersonIndex> index = current->IndexOf(person->id)) {
      if (current->Scored(person->id) != nullptr) ties = score::TiesOf(run, *index);
    }
    if (ties.size() > static_cast<size_t>(*neighbours)) ties.resize(*neighbours);
    const EventLog& log = current->log();
    JsonWriter json(false);
    json.BeginObject().Key("person").Int(person->id).Key("nodes").BeginArray();
    auto node = [&](int64_t id, double strength) {
      const score::PersonScore* scored = current->Scored(id);
      json.BeginObject().Key("id").Int(id).Key("name").String(scored ? scored->name : "");
      json.Key("rapport_score").Number(scored ? std::round(scored->rapport_score * 100) / 100 : 0);
      json.Key("tie_strength").Number(strength).EndObject();
    };
    node(person->id, 1);
    for (const score::TieView& tie : ties) node(log.person_id[tie.other], tie.strength);
    json.EndArray().Key("edges").BeginArray();
    auto edge = [&](int64_t a, int64_t b, uint32_t pair) {
      json.BeginObject().Key("source").Int(a).Key("target").Int(b);
      json.Key("strength").Number(run.ties.strength[pair]);
      json.Key("channels").String(report::ChannelList(run.pairs.pairs[pair].channel_mask));
      json.EndObject();
    };
    for (size_t a = 0; a < ties.size(); ++a) {
      edge(person->id, log.person_id[ties[a].other], ties[a].pair);
      for (size_t b = a + 1; b < ties.size(); ++b) {
        if (auto pair = graph::FindPair(run.pairs, ties[a].other, ties[b].other)) {
          edge(log.person_id[ties[a].other], log.person_id[ties[b].other], *pair);
        }
      }
    }
    json.EndArray().EndObject();
    res.set_content(json.str() + "\n", kJson);
  });
  http.Get("/api/cooling", [this](const httplib::Request& req, httplib::Response& res) {
    const std::optional<int> top = IntParam(req, res, "top", 0, 0, 100000000);
    if (!top) return;
    const std::shared_ptr<const Snapshot> current = Current();
    std::optional<PersonIndex> index;
    if (req.has_param("person")) {
      const std::optional<int> id = IntParam(req, res, "person", 0, 0, INT32_MAX);
      if (!id) return;
      if (current->FindPerson(*id) == nullptr) {
        SendError(res, 404, fmt::format("no person has id {}", *id));
        return;
      }
      index = current->IndexOf(*id);
      if (!index || current->Scored(*id) == nullptr) {
        res.set_content(report::RenderCooling(current->run(), {}, report::OutputFormat::kJson),
                        kJson);
        return;
      }
    }
    std::vector<score::CoolingTie> cooling = score::FindCooling(current->run(), index);
    if (*top > 0 && cooling.size() > static_cast<size_t>(*top)) cooling.resize(*top);
    res.set_content(report::RenderCooling(current->run(), cooling, report::OutputFormat::kJson),
                    kJson);
  });
}

void Server::Impl::AddWriteRoutes() {
  http.Post("/api/rescore", [this](const httplib::Request& req, httplib::Response& res) {
    if (!Authorized(req, res)) return;
    if (req.body.size() > options.max_json_bytes) {
      SendError(res, 413,
                fmt::format("the body is {} bytes; at most {} are accepted here", req.body.size(),
                            options.max_json_bytes));
      return;
    }
    std::string as_of = options.as_of;
    if (!req.body.empty()) {
      simdjson::dom::parser parser;
      simdjson::dom::object object;
      bool ok = parser.parse(req.body).get(object) == simdjson::SUCCESS;
      bool unknown = false, have_as_of = false;
      std::string_view value;
      if (ok) {
        for (auto [key, field] : object) {
          if (key != "as_of") {
            unknown = true;
          } else {
            ok = ok && field.get_string().get(value) == simdjson::SUCCESS;
            have_as_of = true;
          }
        }
      }
      if (!ok || unknown) {
        SendError(res, 400,
                  "the body must be empty or a JSON object such as {\"as_of\": \"2024-06-30\"} "
                  "({\"as_of\": \"latest\"}: the newest event)");
        return;
      }
      if (have_as_of && value == "latest") {
        as_of.clear();
      } else if (have_as_of) {
        as_of = std::string(value);
        Result<double> parsed = ParseTime(as_of);
        if (!parsed.ok()) {
          SendError(res, 400, parsed.status().WithContext("as_of").message());
          return;
        }
      }
    }
    std::lock_guard lock(write_mutex);
    options.as_of = as_of;
    Result<std::shared_ptr<const Snapshot>> next = Rescore();
    if (!next.ok()) return SendError(res, HttpStatusOf(next.status()), next.status().message());
    res.set_content(RescoreJson(**next) + "\n", kJson);
  });
  http.Post("/api/import", [this](const httplib::Request& req, httplib::Response& res) {
    if (!Authorized(req, res)) return;
    std::string name, format_name = "auto";
    httplib::MultipartFormData part;
    const std::string* content = &req.body;
    if (req.is_multipart_form_data()) {
      if (!req.has_file("file")) {
        SendError(res, 400, "a multipart upload needs a part named \"file\"");
        return;
      }
      part = req.get_file_value("file");
      name = part.filename;
      content = &part.content;
    } else {
      name = req.get_param_value("name");
      if (name.empty()) {
        SendError(res, 400,
                  "name the upload: POST /api/import?name=calls.csv with the file as the body, "
                  "or a multipart form with a \"file\" part");
        return;
      }
    }
    if (req.has_param("format")) format_name = req.get_param_value("format");
    if (Status checked = CheckFileName(name); !checked.ok()) {
      return SendError(res, 400, checked.message());
    }
    Result<ingest::Format> format = ingest::ParseFormat(format_name);
    if (!format.ok()) return SendError(res, 400, format.status().message());
    if (content->empty()) return SendError(res, 400, fmt::format("{} is empty", name));
    // The upload goes to a fresh directory of its own inside this server's private one, under
    // its checked name: the name's extension counts for format detection, and the name is the
    // source of content-hashed events, so uploading a file twice adds nothing (as importing it).
    const std::filesystem::path folder = upload_dir / std::to_string(uploads.fetch_add(1));
    const std::filesystem::path path = folder / name;
    {
      std::error_code made;
      std::filesystem::create_directory(folder, made);
      std::ofstream out(path, std::ios::binary);
      out.write(content->data(), static_cast<std::streamsize>(content->size()));
      if (!out) return SendError(res, 500, "cannot write the upload to " + upload_dir.string());
    }
    store::ImportOptions import_options;
    import_options.read.format = *format;
    import_options.rejects_path = store::RejectsPathFor(options.db_path);
    import_options.label = "upload:" + name;
    std::lock_guard lock(write_mutex);
    Result<store::FileImportReport> imported =
        store::ImportFile(*writer, path.string(), import_options);
    std::error_code ignored;
    std::filesystem::remove_all(folder, ignored);
    if (!imported.ok()) {
      // The message names the upload, not where this server keeps it.
      std::string message = imported.status().message();
      for (size_t at; (at = message.find(path.string())) != std::string::npos;) {
        message.replace(at, path.string().size(), name);
      }
      return SendError(res, HttpStatusOf(imported.status()), message);
    }
    const std::string report_json = ImportReportJson(*imported, name);
    if (imported->accepted == 0 && imported->duplicate == 0 && imported->rejected > 0) {
      res.status = 422;
      res.set_content(
          fmt::format("{{\"error\":{},\"status\":422,\"import\":{}}}\n",
                      JsonQuote(fmt::format("no record of {} could be read (first: {}); the "
                                            "rejects are in {}",
                                            name, imported->first_reject->reason,
                                            import_options.rejects_path)),
                      report_json),
          kJson);
      return;
    }
    Result<std::shared_ptr<const Snapshot>> next = Rescore();
    if (!next.ok()) return SendError(res, HttpStatusOf(next.status()), next.status().message());
    res.set_content(
        fmt::format("{{\"import\":{},\"rescored\":{}}}\n", report_json, RescoreJson(**next)),
        kJson);
  });
  http.Delete(R"(/api/people/([^/]+))", [this](const httplib::Request& req,
                                               httplib::Response& res) {
    if (!Authorized(req, res)) return;
    std::lock_guard lock(write_mutex);
    const std::shared_ptr<const Snapshot> current = Current();
    const store::Person* person = PersonOf(*current, req, res);
    if (person == nullptr) return;
    Result<store::ForgetCounts> counts = [&] {
      // VACUUM needs the reader's connection idle.
      std::lock_guard reader_lock(reader_mutex);
      return writer->ForgetPerson(person->id, store::ForgetMode::kDelete);
    }();
    if (!counts.ok())
      return SendError(res, HttpStatusOf(counts.status()), counts.status().message());
    Result<int64_t> rejects =
        store::ScrubRejectsFile(store::RejectsPathFor(options.db_path), counts->needles, true);
    if (!rejects.ok()) {
      return SendError(res, 500,
                       rejects.status()
                           .WithContext("the person is forgotten from the database, not from the "
                                        "rejects file")
                           .message());
    }
    Result<std::shared_ptr<const Snapshot>> next = Rescore();
    if (!next.ok()) return SendError(res, HttpStatusOf(next.status()), next.status().message());
    JsonWriter json(false);
    json.BeginObject().Key("forgotten").Int(person->id).Key("deleted").BeginObject();
    json.Key("events").Int(counts->events).Key("event_targets").Int(counts->event_targets);
    json.Key("identities").Int(counts->identities).Key("merges").Int(counts->merges);
    json.Key("scores").Int(counts->scores).Key("people").Int(counts->people);
    json.Key("rejects_file_lines").Int(*rejects).EndObject();
    json.EndObject();
    res.set_content(
        fmt::format("{{\"forget\":{},\"rescored\":{}}}\n", json.str(), RescoreJson(**next)), kJson);
  });
}

void Server::Impl::AddPageRoutes() {
  http.Get("/", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(HomePage(*Current()), kHtml);
  });
  http.Get("/people", [this](const httplib::Request& req, httplib::Response& res) {
    res.set_content(SearchPage(*Current(), req.get_param_value("q")), kHtml);
  });
  http.Get(R"(/person/(\d{1,18}))", [this](const httplib::Request& req, httplib::Response& res) {
    const std::shared_ptr<const Snapshot> current = Current();
    const store::Person* person = current->FindPerson(std::stoll(req.matches[1]));
    if (person == nullptr) {
      res.status = 404;
      res.set_content(MessagePage("Not found", "No person has this id."), kHtml);
      return;
    }
    res.set_content(PersonPage(*current, *person, options.history_points), kHtml);
  });
  http.Get("/favicon.ico",
           [](const httplib::Request&, httplib::Response& res) { res.status = 204; });
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() { Stop(); }

Result<std::unique_ptr<Server>> Server::Create(const ServerOptions& options) {
  if (options.token.empty()) return InvalidArgument("the server needs a token for writes");
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  RAPPORT_ASSIGN_OR_RETURN(impl->writer, store::Store::Open(options.db_path));
  RAPPORT_ASSIGN_OR_RETURN(impl->reader, store::Store::Open(options.db_path));
  RAPPORT_ASSIGN_OR_RETURN(impl->snapshot,
                           Snapshot::Build(*impl->writer, options.config, options.as_of, 1));
  std::string dir_template =
      (std::filesystem::temp_directory_path() / "rapport-uploads-XXXXXX").string();
  if (mkdtemp(dir_template.data()) == nullptr) {
    return IoError("cannot create a private directory for uploads under " +
                   std::filesystem::temp_directory_path().string());
  }
  impl->upload_dir = dir_template;

  httplib::Server& http = impl->http;
  const int threads = std::max(options.threads, 2);
  http.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
  http.set_payload_max_length(options.max_upload_bytes);
  // Connections stay open until idle (5 s), not for a fixed number of requests: clients that
  // all reconnect at once would overflow the listen queue.
  http.set_keep_alive_max_count(std::numeric_limits<int32_t>::max());
  // SO_REUSEADDR only: the library's default adds SO_REUSEPORT, with which a second server on
  // the same port would start and take half the connections instead of failing. The socket is
  // kept so that Bind() can raise the library's listen backlog of 5.
  http.set_socket_options([impl = impl.get()](int socket) {
    int yes = 1;
    setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    impl->listen_socket = socket;
  });
  // Headers and body go out in separate writes: without this, Nagle's algorithm holds the body
  // until the client's delayed ACK, 40 ms on Linux, on every response.
  http.set_tcp_nodelay(true);
  http.set_default_headers({{"X-Content-Type-Options", "nosniff"},
                            {"Content-Security-Policy", kContentSecurityPolicy},
                            {"Cache-Control", "no-store"}});
  // Errors without a body of their own (unknown routes, 413 from the payload limit) get one.
  http.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    std::string message = fmt::format("the request failed with status {}", res.status);
    if (res.status == 400) message = "malformed request";
    if (res.status == 404) message = fmt::format("nothing at {} {}", req.method, req.path);
    if (res.status == 413) {
      message = "the request body is larger than this server accepts";
      if (req.get_header_value("Content-Type") == "application/x-www-form-urlencoded") {
        message +=
            " as a form (8 KiB): send files with Content-Type: application/octet-stream or "
            "text/csv (curl: -H 'Content-Type: text/csv' --data-binary @FILE)";
      }
    }
    SendError(res, res.status, message);
  });
  http.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr error) {
        std::string message = "internal error";
        try {
          std::rethrow_exception(error);
        } catch (const std::exception& e) {
          message = std::string("internal error: ") + e.what();
        } catch (...) {
        }
        SendError(res, 500, message);
      });
  impl->AddApiRoutes();
  impl->AddWriteRoutes();
  impl->AddPageRoutes();
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Result<int> Server::Bind() {
  int port = impl_->options.port;
  if (port == 0) {
    port = impl_->http.bind_to_any_port(impl_->options.host);
    if (port < 0) return IoError("cannot bind to " + impl_->options.host);
  } else if (!impl_->http.bind_to_port(impl_->options.host, port)) {
    return IoError(
        fmt::format("cannot listen on {}:{} (in use, or not an address of this machine?)",
                    impl_->options.host, port));
  }
  // Linux lets a listening socket take a new backlog: a burst of connections (a browser opens
  // several, a load test 50) then waits in the queue instead of having SYNs dropped and resent
  // a second later.
  if (impl_->listen_socket >= 0) ::listen(impl_->listen_socket, SOMAXCONN);
  return port;
}

Status Server::Listen() {
  if (!impl_->http.listen_after_bind()) return IoError("the server stopped with an error");
  return Status::Ok();
}

void Server::Stop() {
  if (impl_ && impl_->http.is_running()) impl_->http.stop();
}

int64_t Server::event_count() const { return impl_->Current()->event_count(); }

Result<std::string> GenerateToken() {
  std::FILE* random = std::fopen("/dev/urandom", "rb");
  if (random == nullptr) return IoError("cannot open /dev/urandom for a token");
  unsigned char bytes[16];
  const size_t got = std::fread(bytes, 1, sizeof bytes, random);
  std::fclose(random);
  if (got != sizeof bytes) return IoError("cannot read /dev/urandom for a token");
  std::string token;
  for (unsigned char byte : bytes) token += fmt::format("{:02x}", byte);
  return token;
}

}  // namespace rapport::server
