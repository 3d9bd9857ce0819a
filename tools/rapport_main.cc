// The rapport command-line tool: parses arguments and hands over to the cli module.
#include "rapport/cli/app.h"

int main(int argc, char** argv) { return rapport::cli::Main(argc, argv); }
