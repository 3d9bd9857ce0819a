// The Messenger reader. Not written yet: this placeholder keeps the dispatch compiling and tells
// the user plainly that the format is not supported yet.
#include <fmt/format.h>

#include "archive_readers.h"

namespace rapport::ingest {

Result<ReadCounts> ReadMessengerPath(const std::string& path, const ReadOptions&,
                                     const EventCallback&, const RejectCallback&) {
  return InvalidArgument(fmt::format("{}: the Messenger reader is not available yet", path));
}

Result<ReadCounts> ReadMessengerBuffer(std::string_view, const std::string& name,
                                       const ReadOptions&, const EventCallback&,
                                       const RejectCallback&) {
  return InvalidArgument(fmt::format("{}: the Messenger reader is not available yet", name));
}

}  // namespace rapport::ingest
