// make_tempfile: mkstemp under $TMPDIR, removed by ~TempFile.
#include "tempfile.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <vector>

#include "c10_util.hpp"

namespace tg {

TempFile& TempFile::operator=(TempFile&& other) noexcept {
  if (this != &other) {
    if (!name.empty()) std::remove(name.c_str());
    name = std::move(other.name);
    other.name.clear();
  }
  return *this;
}

TempFile::~TempFile() {
  if (!name.empty()) std::remove(name.c_str());
}

TempFile make_tempfile(std::string name_prefix) {
  const char* dir = std::getenv("TMPDIR");
  std::string path = std::string(dir && *dir ? dir : "/tmp") + "/" + name_prefix + "XXXXXX";
  std::vector<char> buf(path.begin(), path.end());
  buf.push_back('\0');
  const int fd = mkstemp(buf.data());
  TORCH_CHECK(fd != -1, "Error generating temporary file");
  close(fd);
  return TempFile(std::string(buf.data()));
}

}  // namespace tg
