// Unit tests for whole-file reads: regular files read fully; directories and missing files are errors.
#include "wast/file_io.hh"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

namespace airwasm::wast {
namespace {

TEST(WastFileIo, ReadsRegularFile) {
  std::string path = ::testing::TempDir() + "/wast_file_io_test.bin";
  std::FILE* f = std::fopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  const unsigned char data[] = {0, 'a', 's', 'm', 1, 0, 0, 0};
  std::fwrite(data, 1, sizeof data, f);
  std::fclose(f);
  auto bytes = read_file_bytes(path);
  ASSERT_TRUE(bytes);
  EXPECT_EQ(bytes->size(), sizeof data);
  EXPECT_EQ((*bytes)[1], 'a');
  std::remove(path.c_str());
}

TEST(WastFileIo, DirectoriesAndMissingFilesAreErrors) {
  EXPECT_FALSE(read_file_bytes(::testing::TempDir()));
  EXPECT_FALSE(read_file_bytes("/nonexistent/airwasm/file.wasm"));
  EXPECT_FALSE(read_file_bytes(""));
}

}  // namespace
}  // namespace airwasm::wast
