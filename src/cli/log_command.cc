// `rapport log KIND --with PERSON`: a journal entry for what no export can see (a coffee, a call,
// a favour). The entry is an event from the owner ("me") to the person, or from the person to
// the owner with --by-them, stored with source "journal".
#include <fmt/format.h>

#include <chrono>

#include "context.h"
#include "rapport/cli/app.h"
#include "rapport/core/identity.h"
#include "rapport/core/time.h"

namespace rapport::cli {
namespace {

struct LogArgs {
  std::string kind;
  std::string with;
  std::string channel;
  std::string at;
  std::string note;
  double minutes = 0;
  bool by_them = false;
};

Channel DefaultChannelFor(Kind kind) {
  switch (kind) {
    case Kind::kCall:
      return Channel::kPhone;
    case Kind::kEmail:
      return Channel::kEmail;
    case Kind::kMessage:
      return Channel::kChat;
    case Kind::kMeeting:
    case Kind::kFavour:
      return Channel::kInPerson;
    default:
      return Channel::kOther;
  }
}

int RunLog(const GlobalOptions& global, const LogArgs& args) {
  std::optional<Kind> kind = ParseKind(args.kind);
  if (!kind) {
    return Fail(InvalidArgument(fmt::format("unknown kind \"{}\"", args.kind)),
                "use one of: " + AllKindNames() + " (a coffee is a meeting)");
  }
  if (*kind == Kind::kPost) {
    return Fail(InvalidArgument("a journal entry is with someone; a post has no one"),
                "use meeting, call, message, email or favour");
  }
  Channel channel = DefaultChannelFor(*kind);
  if (!args.channel.empty()) {
    std::optional<Channel> parsed = ParseChannel(args.channel);
    if (!parsed) {
      return Fail(InvalidArgument(fmt::format("unknown channel \"{}\"", args.channel)),
                  "use one of: " + AllChannelNames());
    }
    channel = *parsed;
  }
  const double now =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  double time = now;
  if (!args.at.empty()) {
    Result<double> parsed = ParseTime(args.at);
    if (!parsed.ok()) return Fail(parsed.status().WithContext("--at"));
    time = *parsed;
  }
  Result<std::unique_ptr<store::Store>> store = OpenStore(global);
  if (!store.ok()) return Fail(store.status());
  Result<std::string> owner = (*store)->OwnerIdentity();
  if (!owner.ok()) return Fail(owner.status());
  // The person may be known (use their first identity) or new (the text becomes an identity).
  std::string other = NormalizeIdentity(args.with);
  Result<store::Person> person = (*store)->FindPerson(args.with);
  if (person.ok()) {
    other = person->identities.front();
    Result<store::Person> me = (*store)->FindPerson("me");
    if (me.ok() && me->id == person->id) {
      return Fail(InvalidArgument("--with names you; name the other person"));
    }
  } else if (person.status().code() != StatusCode::kNotFound) {
    return Fail(person.status());
  }
  if (other == NormalizeIdentity(*owner)) {
    return Fail(InvalidArgument("--with names you; name the other person"));
  }

  Event event;
  event.time = time;
  event.channel = channel;
  event.kind = *kind;
  event.actor = args.by_them ? other : *owner;
  event.targets = {args.by_them ? *owner : other};
  event.is_private = DefaultPrivate(channel, *kind);
  event.duration = args.minutes * 60;
  event.source = "journal";
  event.native_id = fmt::format("{:.6f}-{}-{}", now, args.kind, other);
  event.text = args.note;
  Status status = (*store)->BeginBatch();
  Result<bool> inserted = status.ok() ? (*store)->InsertEvent(event) : Result<bool>(status);
  if (!inserted.ok()) {
    (void)(*store)->RollbackBatch();
    return Fail(inserted.status());
  }
  status = (*store)->CommitBatch();
  if (!status.ok()) return Fail(status);
  const std::string what = args.by_them
                               ? fmt::format("{} by {} for {}", KindName(*kind), other, *owner)
                               : fmt::format("{} with {}", KindName(*kind), other);
  fmt::print("logged: {} on {} via {}{}\n", what, FormatTime(time), ChannelName(channel),
             args.note.empty() ? "" : fmt::format(" (\"{}\")", args.note));
  return kExitOk;
}

}  // namespace

void AddLogCommand(CLI::App& app, const GlobalOptions& global, int* exit_code) {
  auto args = std::make_shared<LogArgs>();
  CLI::App* command = app.add_subcommand(
      "log", "Record an interaction no export can see: a coffee, a call, a favour");
  command->add_option("kind", args->kind, "meeting, call, message, email, favour, ...")->required();
  command->add_option("--with", args->with, "The other person (name, identity or #id)")->required();
  command->add_option("--channel", args->channel,
                      "Channel (default by kind: call->phone, meeting/favour->in_person)");
  command->add_option("--at", args->at, "When (default now; YYYY-MM-DD or ISO 8601)");
  command->add_option("--note", args->note, "What happened (kept in the journal entry)");
  command->add_option("--minutes", args->minutes, "Duration of a call or meeting");
  command->add_flag("--by-them", args->by_them,
                    "They did it for you (default: you did it with or for them)");
  command->callback([&global, args, exit_code] { *exit_code = RunLog(global, *args); });
}

}  // namespace rapport::cli
