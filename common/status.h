// Status: the outcome of an operation that may fail in an expected way, such
// as a value that cannot be converted. Cheap when ok (no allocation). Modelled
// on leveldb's Status. Failures that end a table or a run are my2pg::Error
// (error.h) instead.
#ifndef MY2PG_COMMON_STATUS_H_
#define MY2PG_COMMON_STATUS_H_

#include <memory>
#include <string>
#include <string_view>

namespace my2pg {

class Status {
 public:
  Status() = default;
  static Status OK() { return Status(); }
  static Status Invalid(std::string_view message) { return Status(message); }

  bool ok() const { return message_ == nullptr; }
  // The reason; empty when ok().
  const std::string& message() const;
  std::string ToString() const { return ok() ? "OK" : message(); }

 private:
  explicit Status(std::string_view message)
      : message_(std::make_shared<std::string>(message)) {}
  std::shared_ptr<const std::string> message_;
};

}  // namespace my2pg

#endif  // MY2PG_COMMON_STATUS_H_
