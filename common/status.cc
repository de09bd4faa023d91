#include "common/status.h"

namespace my2pg {

const std::string& Status::message() const {
  static const std::string kEmpty;
  return message_ ? *message_ : kEmpty;
}

}  // namespace my2pg
