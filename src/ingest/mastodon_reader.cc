// The Mastodon archive reader. Not written yet: this placeholder keeps the dispatch compiling and
// tells the user plainly that the format is not supported yet.
#include <fmt/format.h>

#include "archive_readers.h"

namespace rapport::ingest {

Result<ReadCounts> ReadMastodonArchivePath(const std::string& path, const ReadOptions&,
                                           const EventCallback&, const RejectCallback&) {
  return InvalidArgument(fmt::format("{}: the Mastodon archive reader is not available yet", path));
}

Result<ReadCounts> ReadMastodonArchiveBuffer(std::string_view, const std::string& name,
                                             const ReadOptions&, const EventCallback&,
                                             const RejectCallback&) {
  return InvalidArgument(fmt::format("{}: the Mastodon archive reader is not available yet", name));
}

}  // namespace rapport::ingest
