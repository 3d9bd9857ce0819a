// The rapport command-line tool. Main parses the arguments (CLI11) and runs one subcommand;
// every subcommand is a thin layer over the library: open the store, call, print.
// Exit codes: 0 success; 1 the import finished but more records were rejected than
// --max-rejects allows; 2 a usage error or a failure (file missing, database unreadable).
#pragma once

namespace rapport::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitRejects = 1;
inline constexpr int kExitFailure = 2;

int Main(int argc, char** argv);

}  // namespace rapport::cli
