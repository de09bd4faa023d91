// RowSink: where converted COPY text goes. CopyWriter (copy_writer.h) sends
// it to PostgreSQL; a future `verify` hashes it instead. Write() receives
// whole lines only.
#ifndef MY2PG_CONVERTER_ROW_SINK_H_
#define MY2PG_CONVERTER_ROW_SINK_H_

#include <string_view>

namespace my2pg {

class RowSink {
 public:
  virtual ~RowSink() = default;
  // Takes a batch of complete COPY text lines. Throws Error on failure.
  virtual void Write(std::string_view lines) = 0;
  // Ends the stream successfully: after it returns, every line written is
  // durable in the target (committed). Throws Error on failure.
  virtual void Complete() = 0;
};

}  // namespace my2pg

#endif  // MY2PG_CONVERTER_ROW_SINK_H_
