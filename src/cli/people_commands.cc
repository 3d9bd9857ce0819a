// The commands of identity resolution: people, identities, merge, split, alias.
#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <map>

#include "context.h"
#include "rapport/cli/app.h"
#include "rapport/core/identity.h"
#include "rapport/core/text.h"

namespace rapport::cli {
namespace {

struct PeopleArgs {
  std::string query;
  std::string a, b;
  std::string reason;
  std::string file;
};

int RunPeople(const GlobalOptions& global, const PeopleArgs& args) {
  Result<std::unique_ptr<store::Store>> store = OpenStore(global);
  if (!store.ok()) return Fail(store.status());
  Result<std::vector<store::Person>> people = (*store)->ListPeople();
  if (!people.ok()) return Fail(people.status());
  Result<std::vector<std::pair<int64_t, int64_t>>> counts = (*store)->EventCountsByPerson();
  if (!counts.ok()) return Fail(counts.status());
  std::map<int64_t, int64_t> events(counts->begin(), counts->end());
  const std::string query = AsciiLower(args.query);
  fmt::print("{:>7}  {:<28} {:>7}  {}\n", "id", "name", "events", "identities");
  int shown = 0;
  for (const store::Person& person : *people) {
    bool match = query.empty() || AsciiLower(person.name).find(query) != std::string::npos;
    for (const std::string& identity : person.identities) {
      match = match || AsciiLower(identity).find(query) != std::string::npos;
    }
    if (!match) continue;
    std::string identities;
    for (const std::string& identity : person.identities) {
      identities += (identities.empty() ? "" : ", ") + identity;
    }
    fmt::print("{:>7}  {:<28} {:>7}  {}\n", fmt::format("#{}", person.id), person.name,
               events[person.id], identities);
    ++shown;
  }
  if (shown == 0) fmt::print("(no one matches \"{}\")\n", args.query);
  return kExitOk;
}

int RunIdentities(const GlobalOptions& global, const PeopleArgs& args) {
  Result<std::unique_ptr<store::Store>> store = OpenStore(global);
  if (!store.ok()) return Fail(store.status());
  Result<store::Person> person = (*store)->FindPerson(args.query);
  if (!person.ok()) return Fail(person.status());
  Result<std::vector<store::IdentityInfo>> identities = (*store)->IdentitiesOf(person->id);
  if (!identities.ok()) return Fail(identities.status());
  fmt::print("{} (#{}): {} identit{}\n\n", person->name, person->id, identities->size(),
             identities->size() == 1 ? "y" : "ies");
  for (const store::IdentityInfo& info : *identities) {
    fmt::print("  {:<36} {:<10} {:<20} why: {}\n", info.value, info.kind, info.display_name,
               info.why);
  }
  return kExitOk;
}

int RunMerge(const GlobalOptions& global, const PeopleArgs& args) {
  Result<std::unique_ptr<store::Store>> store = OpenStore(global);
  if (!store.ok()) return Fail(store.status());
  Result<store::Person> a = (*store)->FindPerson(args.a);
  if (!a.ok()) return Fail(a.status());
  Result<store::Person> b = (*store)->FindPerson(args.b);
  if (!b.ok()) return Fail(b.status());
  if (a->id == b->id) {
    fmt::print("{} and {} are already one person (#{}).\n", args.a, args.b, a->id);
    return kExitOk;
  }
  const std::string reason =
      args.reason.empty() ? fmt::format("merged by hand (rapport merge {} {})", args.a, args.b)
                          : args.reason;
  Result<int64_t> merged = (*store)->MergePeople(a->id, b->id, reason);
  if (!merged.ok()) return Fail(merged.status());
  fmt::print("merged #{} {} into #{} {}; undo with `rapport split #{} IDENTITY`\n", b->id, b->name,
             a->id, a->name, a->id);
  return kExitOk;
}

int RunSplit(const GlobalOptions& global, const PeopleArgs& args) {
  Result<std::unique_ptr<store::Store>> store = OpenStore(global);
  if (!store.ok()) return Fail(store.status());
  Result<store::Person> person = (*store)->FindPerson(args.a);
  if (!person.ok()) return Fail(person.status());
  const std::string reason =
      args.reason.empty() ? fmt::format("split by hand (rapport split {} {})", args.a, args.b)
                          : args.reason;
  Result<int64_t> fresh = (*store)->SplitIdentity(person->id, args.b, reason);
  if (!fresh.ok()) return Fail(fresh.status());
  fmt::print("{} is now person #{} of its own (was part of #{} {})\n", NormalizeIdentity(args.b),
             *fresh, person->id, person->name);
  return kExitOk;
}

int ApplyAliases(store::Store& store, const std::string& file, const toml::array& people);

// The alias file: TOML, one [[person]] table per person:
//   [[person]]
//   name = "Maya Lin"                 # optional
//   identities = ["maya@example.org", "@maya", "tel:+15551234567"]
int RunAlias(const GlobalOptions& global, const PeopleArgs& args) {
  toml::table root;
  try {
    root = toml::parse_file(args.file);
  } catch (const toml::parse_error& error) {
    return Fail(InvalidArgument(fmt::format("{}, line {}: {}", args.file, error.source().begin.line,
                                            error.description())),
                "see docs/formats.md, \"The alias file\"");
  }
  const toml::array* people = root["person"].as_array();
  if (people == nullptr) {
    return Fail(InvalidArgument(args.file + ": no [[person]] tables"),
                "write [[person]] tables with identities = [\"...\", \"...\"]");
  }
  Result<std::unique_ptr<store::Store>> store = OpenStore(global);
  if (!store.ok()) return Fail(store.status());
  // The whole file applies, or nothing does.
  if (Status begun = (*store)->BeginBatch(); !begun.ok()) return Fail(begun);
  int code = ApplyAliases(**store, args.file, *people);
  if (code != kExitOk) {
    (void)(*store)->RollbackBatch();
    return code;
  }
  if (Status committed = (*store)->CommitBatch(); !committed.ok()) return Fail(committed);
  return kExitOk;
}

int ApplyAliases(store::Store& store, const std::string& file, const toml::array& people) {
  int merges = 0, index = 0;
  for (const toml::node& node : people) {
    ++index;
    const toml::table* entry = node.as_table();
    const toml::array* identities = entry ? (*entry)["identities"].as_array() : nullptr;
    if (identities == nullptr || identities->size() < 1) {
      return Fail(
          InvalidArgument(fmt::format("{}: person {} has no identities list", file, index)));
    }
    std::vector<std::string> values;
    for (const toml::node& value : *identities) {
      auto text = value.value<std::string>();
      if (!text) {
        return Fail(InvalidArgument(
            fmt::format("{}: person {}: every identity must be a string", file, index)));
      }
      values.push_back(*text);
    }
    const std::string reason = fmt::format("alias file {}, person {}", file, index);
    // Every identity joins the person of the first.
    ingest::IdentityHint hint;
    for (size_t i = 1; i < values.size(); ++i) {
      hint.identity = values[0];
      hint.same_as = values[i];
      hint.reason = reason;
      Result<store::Person> before = store.FindPerson(values[i]);
      Status status = store.ApplyHint(hint);
      if (!status.ok()) return Fail(status.WithContext(file));
      Result<store::Person> after = store.FindPerson(values[0]);
      if (before.ok() && after.ok() && before->id != after->id) ++merges;
    }
    if (auto name = (*entry)["name"].value<std::string>(); name && !values.empty()) {
      ingest::IdentityHint named;
      named.identity = values[0];
      named.display_name = *name;
      Status status = store.ApplyHint(named);
      if (!status.ok()) return Fail(status);
      Result<store::Person> person = store.FindPerson(values[0]);
      if (person.ok()) {
        Status renamed = store.RenamePerson(person->id, *name);
        if (!renamed.ok()) return Fail(renamed);
      }
    }
  }
  fmt::print("{}: {} people, {} merges applied\n", file, index, merges);
  return kExitOk;
}

}  // namespace

void AddPeopleCommands(CLI::App& app, const GlobalOptions& global, int* exit_code) {
  {
    auto args = std::make_shared<PeopleArgs>();
    CLI::App* command = app.add_subcommand("people", "List people, or those matching QUERY");
    command->add_option("query", args->query, "Part of a name or identity");
    command->callback([&global, args, exit_code] { *exit_code = RunPeople(global, *args); });
  }
  {
    auto args = std::make_shared<PeopleArgs>();
    CLI::App* command =
        app.add_subcommand("identities", "A person's identities, and why each belongs to them");
    command->add_option("person", args->query, "Name, identity, #id or me")->required();
    command->callback([&global, args, exit_code] { *exit_code = RunIdentities(global, *args); });
  }
  {
    auto args = std::make_shared<PeopleArgs>();
    CLI::App* command =
        app.add_subcommand("merge", "Make two people one (B's identities join A); undo with split");
    command->add_option("a", args->a, "The person who stays")->required();
    command->add_option("b", args->b, "The person who joins A")->required();
    command->add_option("--reason", args->reason, "Why (kept, shown by `identities`)");
    command->callback([&global, args, exit_code] { *exit_code = RunMerge(global, *args); });
  }
  {
    auto args = std::make_shared<PeopleArgs>();
    CLI::App* command =
        app.add_subcommand("split", "Give one of a person's identities a person of its own");
    command->add_option("person", args->a, "Name, identity, #id or me")->required();
    command->add_option("identity", args->b, "The identity to split off")->required();
    command->add_option("--reason", args->reason, "Why (kept, shown by `identities`)");
    command->callback([&global, args, exit_code] { *exit_code = RunSplit(global, *args); });
  }
  {
    auto args = std::make_shared<PeopleArgs>();
    CLI::App* command = app.add_subcommand(
        "alias", "Apply an alias file: the identities that are one person (docs/formats.md)");
    command->add_option("file", args->file, "TOML alias file")->required();
    command->callback([&global, args, exit_code] { *exit_code = RunAlias(global, *args); });
  }
}

}  // namespace rapport::cli
