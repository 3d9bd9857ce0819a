// `rapport forget PERSON [--yes]`: deletes everything the store holds about one person
// (Store::ForgetPerson; the rule is in docs/output.md, "rapport forget") and the lines of the
// rejects file that name them. Without --yes nothing changes: it shows what would go, exit 2.
#include <fmt/format.h>

#include "context.h"
#include "rapport/cli/app.h"
#include "rapport/store/import.h"

namespace rapport::cli {
namespace {

struct ForgetArgs {
  std::string person;
  bool yes = false;
};

void PrintCounts(const store::ForgetCounts& counts, int64_t rejects_lines,
                 const std::string& rejects_path) {
  const std::pair<const char*, int64_t> deleted[] = {
      {"events", counts.events},          {"event_targets", counts.event_targets},
      {"identities", counts.identities},  {"merges", counts.merges},
      {"scores", counts.scores},          {"score_checkpoint", counts.checkpoints},
      {"meta (owner mark)", counts.meta}, {"people", counts.people}};
  for (const auto& [table, count] : deleted) fmt::print("  {:<28} {:>8}\n", table, count);
  fmt::print("in rows that remain, where the text named them:\n");
  const std::pair<const char*, int64_t> rewritten[] = {
      {"events.text cleared", counts.event_texts_cleared},
      {"events.source, native_id", counts.event_keys_replaced},
      {"imports.path", counts.import_paths_replaced},
      {"merges.reason", counts.merge_reasons_replaced}};
  for (const auto& [field, count] : rewritten) fmt::print("  {:<28} {:>8}\n", field, count);
  fmt::print("  {:<28} {:>8}  ({})\n", "rejects file lines", rejects_lines, rejects_path);
}

int RunForget(const GlobalOptions& global, const ForgetArgs& args) {
  Result<std::unique_ptr<store::Store>> store = OpenStore(global);
  if (!store.ok()) return Fail(store.status());
  Result<store::Person> person = (*store)->FindPerson(args.person);
  if (!person.ok()) return Fail(person.status());
  std::string identities;
  for (const std::string& identity : person->identities) {
    identities += (identities.empty() ? "" : ", ") + identity;
  }
  const std::string rejects_path = store::RejectsPathFor(global.db);
  const store::ForgetMode mode =
      args.yes ? store::ForgetMode::kDelete : store::ForgetMode::kCountOnly;
  Result<store::ForgetCounts> counts = (*store)->ForgetPerson(person->id, mode);
  if (!counts.ok()) return Fail(counts.status());
  Result<int64_t> rejects = store::ScrubRejectsFile(rejects_path, counts->needles, args.yes);
  if (!rejects.ok())
    return Fail(
        rejects.status().WithContext("the person is forgotten from the "
                                     "database, not from the rejects file"));
  if (!args.yes) {
    fmt::print("would forget #{} {} ({}); rows to delete:\n", person->id, person->name, identities);
    PrintCounts(*counts, *rejects, rejects_path);
    return Fail(InvalidArgument("nothing was deleted: forgetting cannot be undone"),
                fmt::format("run `rapport forget {} --yes` to delete", args.person));
  }
  fmt::print("forgot #{} {} ({}); rows deleted:\n", person->id, person->name, identities);
  PrintCounts(*counts, *rejects, rejects_path);
  fmt::print(
      "the database was vacuumed and its write-ahead log truncated: the deleted rows are gone "
      "from {} too (not from copies or backups made before)\n",
      global.db);
  return kExitOk;
}

}  // namespace

void AddForgetCommand(CLI::App& app, const GlobalOptions& global, int* exit_code) {
  auto args = std::make_shared<ForgetArgs>();
  CLI::App* command = app.add_subcommand(
      "forget",
      "Delete a person: their events, identities, merges and scores, then VACUUM (needs --yes)");
  command->add_option("person", args->person, "Name, identity, #id or me")->required();
  command->add_flag("--yes", args->yes,
                    "Really delete; without it, only show what would be deleted (exit 2)");
  command->callback([&global, args, exit_code] { *exit_code = RunForget(global, *args); });
}

}  // namespace rapport::cli
