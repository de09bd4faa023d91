#include "adapters/reject_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "common/error.h"
#include "common/strings.h"

namespace my2pg {

RejectWriter::RejectWriter(std::string path, std::vector<std::string> column_names,
                           std::vector<int> key_columns)
    : path_(std::move(path)), column_names_(std::move(column_names)), key_columns_(std::move(key_columns)) {}

RejectWriter::~RejectWriter() { Close(); }

void RejectWriter::Close() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (file_ != nullptr) std::fclose(file_);
  file_ = nullptr;
}

void RejectWriter::Write(int64_t row_number, const SourceValue* values, int column,
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
    if (file_ == nullptr) {
      throw Error(ErrorCategory::kData, "cannot write reject file " + path_ + ": " + std::strerror(errno));
    }
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
  w.EndObject();
  if (std::fwrite(buffer.GetString(), 1, buffer.GetSize(), file_) != buffer.GetSize() ||
      std::fputc('\n', file_) == EOF || std::fflush(file_) != 0) {
    throw Error(ErrorCategory::kData, "cannot write reject file " + path_ + ": " + std::strerror(errno));
  }
  ++count_;
}

}  // namespace my2pg
