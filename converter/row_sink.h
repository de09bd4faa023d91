// RowSink: where converted COPY data goes. CopyWriter (adapters/) sends it to
// PostgreSQL; MemoryRowSink keeps it, for tests and for tools (verify) that
// hash it instead. Write() receives whole rows only.
#ifndef MY2PG_CONVERTER_ROW_SINK_H_
#define MY2PG_CONVERTER_ROW_SINK_H_

#include <string>
#include <string_view>

namespace my2pg {

class RowSink {
 public:
  virtual ~RowSink() = default;
  // Takes a batch of complete COPY rows. Throws Error on failure.
  virtual void Write(std::string_view rows) = 0;
  // Ends the stream successfully: after it returns, every row written is
  // durable in the target (committed). Throws Error on failure.
  virtual void Complete() = 0;
};

// Keeps every byte written; complete() tells whether Complete() was called.
class MemoryRowSink : public RowSink {
 public:
  void Write(std::string_view rows) override { data_.append(rows); }
  void Complete() override { complete_ = true; }

  const std::string& data() const { return data_; }
  bool complete() const { return complete_; }

 private:
  std::string data_;
  bool complete_ = false;
};

}  // namespace my2pg

#endif  // MY2PG_CONVERTER_ROW_SINK_H_
