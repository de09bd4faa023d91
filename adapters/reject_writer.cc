#include "adapters/reject_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cerrno>
#include <cstdlib>
#include <optional>
#include <cstring>
#include <filesystem>

#include "common/error.h"
#include "common/strings.h"

namespace my2pg {

RejectWriter::RejectWriter(std::string path, std::vector<std::string> column_names,
                           std::vector<int> key_columns)
    : path_(std::move(path)), column_names_(std::move(column_names)), key_columns_(std::move(key_columns)) {}

namespace {

[[noreturn]] void FailFile(const std::string& path) {
  throw Error(ErrorCategory::kData, "cannot write reject file " + path + ": " + std::strerror(errno));
}

// The chunk a line names (its last "chunk" member: a column named so sits
// inside "row", before it), or nullopt for a line without one.
std::optional<int> ChunkOf(const std::string& line) {
  size_t at = line.rfind(",\"chunk\":");
  if (at == std::string::npos) return std::nullopt;
  try {
    return std::stoi(line.substr(at + 9));
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace

void ChunkRejects::Write(int64_t row_number, const SourceValue* values, int column, const std::string& reason) {
  writer_->Write(chunk_, row_number, values, column, reason);
}

RejectWriter::~RejectWriter() { Close(); }

void RejectWriter::Close() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (file_ != nullptr) std::fclose(file_);
  file_ = nullptr;
}

void RejectWriter::StartAfresh() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (unlink(path_.c_str()) != 0 && errno != ENOENT) FailFile(path_);
  created_ = false;
  count_ = 0;
}

void RejectWriter::KeepOnly(const std::function<bool(int chunk)>& keep) {
  std::lock_guard<std::mutex> lock(mutex_);
  created_ = true;
  count_ = 0;
  FILE* in = std::fopen(path_.c_str(), "r");
  if (in == nullptr) {
    if (errno == ENOENT) return;
    FailFile(path_);
  }
  // Rewritten beside it and renamed over it: a crash leaves one or the other.
  std::string kept_path = path_ + ".kept";
  int fd = open(kept_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  FILE* out = fd < 0 ? nullptr : fdopen(fd, "w");
  if (out == nullptr) {
    if (fd >= 0) close(fd);
    std::fclose(in);
    FailFile(kept_path);
  }
  char* line = nullptr;
  size_t capacity = 0;
  ssize_t length;
  bool ok = true;
  while ((length = getline(&line, &capacity, in)) > 0) {
    std::optional<int> chunk = ChunkOf(std::string(line, length));
    if (chunk && !keep(*chunk)) continue;
    ok = ok && std::fwrite(line, 1, length, out) == static_cast<size_t>(length);
    ++count_;
  }
  std::free(line);
  std::fclose(in);
  ok = ok && std::fflush(out) == 0 && fsync(fileno(out)) == 0;
  ok = std::fclose(out) == 0 && ok;
  if (!ok || std::rename(kept_path.c_str(), path_.c_str()) != 0) FailFile(path_);
}

void RejectWriter::Sync() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!unsynced_ || file_ == nullptr) return;
  if (fsync(fileno(file_)) != 0) FailFile(path_);
  unsynced_ = false;
}

void RejectWriter::Write(int chunk, int64_t row_number, const SourceValue* values, int column,
                         const std::string& reason) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (file_ == nullptr) {
    std::error_code ignored;
    std::filesystem::create_directories(std::filesystem::path(path_).parent_path(), ignored);
    // Rejected rows are the source's data: readable by the owner only.
    int fd = open(path_.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | (created_ ? O_APPEND : O_TRUNC), 0600);
    file_ = fd < 0 ? nullptr : fdopen(fd, created_ ? "a" : "w");
    if (fd >= 0 && file_ == nullptr) close(fd);
    created_ = true;
    if (file_ == nullptr) FailFile(path_);
  }
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  auto value_text = [&](int index) {
    const SourceValue& value = values[index];
    if (value.is_null) {
      w.Null();
    } else {
      std::string escaped = EscapeBytes(value.data, value.size);
      w.String(escaped.c_str(), static_cast<rapidjson::SizeType>(escaped.size()));
    }
  };
  w.StartObject();
  w.Key("key");
  w.StartObject();
  if (key_columns_.empty()) {
    w.Key("row_number");
    w.Int64(row_number);
  }
  for (int key : key_columns_) {
    w.Key(column_names_[key].c_str());
    value_text(key);
  }
  w.EndObject();
  w.Key("column");
  w.String(column >= 0 ? column_names_[column].c_str() : "");
  w.Key("reason");
  w.String(reason.c_str(), static_cast<rapidjson::SizeType>(reason.size()));
  w.Key("value");
  if (column >= 0) value_text(column); else w.Null();
  w.Key("row");
  w.StartObject();
  for (size_t i = 0; i < column_names_.size(); ++i) {
    w.Key(column_names_[i].c_str());
    value_text(static_cast<int>(i));
  }
  w.EndObject();
  w.Key("chunk");
  w.Int(chunk);
  w.EndObject();
  if (std::fwrite(buffer.GetString(), 1, buffer.GetSize(), file_) != buffer.GetSize() ||
      std::fputc('\n', file_) == EOF || std::fflush(file_) != 0) {
    FailFile(path_);
  }
  unsynced_ = true;
  ++count_;
}

}  // namespace my2pg
