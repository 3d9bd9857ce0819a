// The mbox reader. Not written yet: this placeholder keeps the dispatch compiling and tells
// the user plainly that the format is not supported yet.
#include <fmt/format.h>

#include "archive_readers.h"

namespace rapport::ingest {

Result<ReadCounts> ReadMboxPath(const std::string& path, const ReadOptions&, const EventCallback&,
                                const RejectCallback&) {
  return InvalidArgument(fmt::format("{}: the mbox reader is not available yet", path));
}

Result<ReadCounts> ReadMboxBuffer(std::string_view, const std::string& name, const ReadOptions&,
                                  const EventCallback&, const RejectCallback&) {
  return InvalidArgument(fmt::format("{}: the mbox reader is not available yet", name));
}

}  // namespace rapport::ingest
