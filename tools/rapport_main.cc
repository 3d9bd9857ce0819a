// The rapport command-line tool: parses arguments and hands over to the cli module.
#include "rapport/cli/app.h"
#include "rapport/core/huge_pages.h"

int main(int argc, char** argv) {
  rapport::ReexecWithHugePageMalloc(argv);
  return rapport::cli::Main(argc, argv);
}
