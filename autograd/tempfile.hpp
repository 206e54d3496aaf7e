// c10::TempFile / c10::make_tempfile: a uniquely named file in $TMPDIR (or /tmp), deleted when
// the TempFile goes away -- what libtorch's tests save models to.
//
//   auto file = tg::make_tempfile();     // file.name is "/tmp/torch-file-XXXXXX"
//   tg::save(model, file.name);
#pragma once

#include <string>

namespace tg {

struct TempFile {
  explicit TempFile(std::string name_) : name(std::move(name_)) {}
  TempFile(TempFile&& other) noexcept : name(std::move(other.name)) { other.name.clear(); }
  TempFile& operator=(TempFile&& other) noexcept;
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile();
  std::string name;
};

// Creates the file (empty); throws tg::Error if it cannot.
TempFile make_tempfile(std::string name_prefix = "torch-file-");

}  // namespace tg
