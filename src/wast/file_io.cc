// wast: whole-file reads with C stdio (see file_io.hh).
#include "wast/file_io.hh"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include <sys/stat.h>

namespace airwasm::wast {

std::expected<std::vector<uint8_t>, std::string> read_file_bytes(const std::string& path) {
  struct stat st{};
  if (::stat(path.c_str(), &st) != 0) return std::unexpected(std::strerror(errno));
  if (!S_ISREG(st.st_mode)) return std::unexpected("not a regular file");
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) return std::unexpected(std::strerror(errno));
  std::vector<uint8_t> bytes;
  bytes.reserve(static_cast<size_t>(st.st_size));
  uint8_t buf[1 << 16];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f.get())) > 0) bytes.insert(bytes.end(), buf, buf + n);
  if (std::ferror(f.get())) return std::unexpected("read error");
  return bytes;
}

}  // namespace airwasm::wast
