// jit: executable memory keeps W^X. The page protections are read back from /proc/self/maps (the
// kernel's view, independent of our bookkeeping): a region is rw- while written, r-x once published,
// never both writable and executable, and gone after it is freed; published code runs and cannot be
// written (a write faults).
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

#include "jit/exec_memory.hh"

namespace airwasm::jit {
namespace {

// The permission strings ("r-xp", ...) of the mappings that overlap [p, p + size).
std::vector<std::string> protections(const void* p, size_t size) {
  const uintptr_t lo = uintptr_t(p), hi = lo + size;
  std::ifstream maps("/proc/self/maps");
  std::vector<std::string> out;
  std::string line;
  while (std::getline(maps, line)) {
    std::istringstream in(line);
    std::string range, perms;
    in >> range >> perms;
    const size_t dash = range.find('-');
    const uintptr_t start = std::stoull(range.substr(0, dash), nullptr, 16);
    const uintptr_t end = std::stoull(range.substr(dash + 1), nullptr, 16);
    if (start < hi && lo < end) out.push_back(perms);
  }
  return out;
}

// Every mapping of the process that is writable and executable at once.
std::vector<std::string> writable_and_executable_mappings() {
  std::ifstream maps("/proc/self/maps");
  std::vector<std::string> out;
  std::string line;
  while (std::getline(maps, line)) {
    std::istringstream in(line);
    std::string range, perms;
    in >> range >> perms;
    if (perms.size() >= 3 && perms[1] == 'w' && perms[2] == 'x') out.push_back(line);
  }
  return out;
}

// mov eax, 42; ret
const uint8_t kReturn42[] = {0xb8, 42, 0, 0, 0, 0xc3};

TEST(ExecutableMemory, WritableThenExecutableNeverBoth) {
  auto w = WritableCode::create(sizeof kReturn42);
  ASSERT_TRUE(w) << w.error().message;
  const uint8_t* base = w->bytes().data();
  EXPECT_EQ(w->size(), sizeof kReturn42);
  EXPECT_EQ(protections(base, w->size()), std::vector<std::string>{"rw-p"});
  std::memcpy(w->bytes().data(), kReturn42, sizeof kReturn42);
  auto code = std::move(*w).publish();
  ASSERT_TRUE(code) << code.error().message;
  EXPECT_EQ(code->data(), base);  // published in place, not copied
  EXPECT_EQ(protections(base, code->size()), std::vector<std::string>{"r-xp"});
  EXPECT_EQ(code->entry<int()>()(), 42);
  EXPECT_TRUE(writable_and_executable_mappings().empty());
}

TEST(ExecutableMemory, LargeRegionIsPublishedAsAUnitAndFreedAsAUnit) {
  const size_t size = 3 * 4096 + 100;  // several pages, not a multiple of the page size
  const uint8_t* base;
  {
    auto w = WritableCode::create(size);
    ASSERT_TRUE(w);
    base = w->bytes().data();
    std::memset(w->bytes().data(), 0xcc, size);  // int3 everywhere
    std::memcpy(w->bytes().data() + size - sizeof kReturn42, kReturn42, sizeof kReturn42);
    auto code = std::move(*w).publish();
    ASSERT_TRUE(code);
    for (const std::string& p : protections(base, size)) EXPECT_EQ(p, "r-xp");
    EXPECT_EQ(code->entry<int()>(size - sizeof kReturn42)(), 42);
    ExecutableCode moved = std::move(*code);  // ownership moves, the region stays
    EXPECT_TRUE(code->empty());
    EXPECT_EQ(moved.entry<int()>(size - sizeof kReturn42)(), 42);
  }
  EXPECT_TRUE(protections(base, size).empty()) << "the region must be unmapped when its owner goes";
}

TEST(ExecutableMemory, UnpublishedRegionIsFreed) {
  const uint8_t* base;
  {
    auto w = WritableCode::create(100);
    ASSERT_TRUE(w);
    base = w->bytes().data();
  }
  EXPECT_TRUE(protections(base, 100).empty());
}

TEST(ExecutableMemory, PublishedCodeCannotBeWritten) {
  auto code = publish_code(kReturn42);
  ASSERT_TRUE(code);
  EXPECT_EQ(code->entry<int()>()(), 42);
  uint8_t* p = const_cast<uint8_t*>(code->data());
  EXPECT_DEATH({ *reinterpret_cast<volatile uint8_t*>(p) = 0xc3; }, "");
  EXPECT_EQ(code->entry<int()>()(), 42);  // unchanged in this process
}

TEST(ExecutableMemory, Errors) {
  auto empty = WritableCode::create(0);
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().kind, ErrorKind::kUsage);
  auto huge = WritableCode::create(SIZE_MAX - 10);
  ASSERT_FALSE(huge);
  EXPECT_EQ(huge.error().kind, ErrorKind::kLimit);
  // A huge but representable request fails cleanly instead of crashing.
  auto too_big = WritableCode::create(size_t{1} << 50);
  ASSERT_FALSE(too_big);
  EXPECT_EQ(too_big.error().kind, ErrorKind::kLimit);
  // Publishing a moved-from region is an error, not a crash.
  auto w = WritableCode::create(16);
  ASSERT_TRUE(w);
  WritableCode taken = std::move(*w);
  auto r = std::move(*w).publish();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::kUsage);
}

}  // namespace
}  // namespace airwasm::jit
