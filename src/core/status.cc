#include "rapport/core/status.h"

namespace rapport {

std::string Status::ToString() const {
  if (ok()) return "ok";
  return message_;
}

}  // namespace rapport
