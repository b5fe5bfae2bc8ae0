// Unit tests of the sandboxed path walk (src/wasi/sandbox_path.cc): what resolves, to which directory and
// name, and every way out of the base directory that must give ENOTCAPABLE (or ELOOP for link cycles).
#include "wasi/sandbox_path.hh"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

namespace airwasm::wasi::internal {
namespace {

namespace fs = std::filesystem;

class SandboxPathTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/airwasm-sandbox-XXXXXX";
    root_ = mkdtemp(tmpl);
    fs::create_directories(root_ / "box/sub/deeper");
    std::FILE* f = std::fopen((root_ / "box/file.txt").c_str(), "w");
    std::fputs("x", f);
    std::fclose(f);
    f = std::fopen((root_ / "outside.txt").c_str(), "w");
    std::fclose(f);
    fs::create_symlink("../outside.txt", root_ / "box/up");
    fs::create_symlink(root_ / "outside.txt", root_ / "box/abs");
    fs::create_symlink("sub", root_ / "box/to_sub");
    fs::create_symlink("file.txt", root_ / "box/sub/deeper/../../ok_link");
    fs::create_symlink("..", root_ / "box/sub/parent");
    fs::create_symlink("a", root_ / "box/b");
    fs::create_symlink("b", root_ / "box/a");
    base_ = ::open((root_ / "box").c_str(), O_RDONLY | O_DIRECTORY);
    ASSERT_GE(base_, 0);
  }
  void TearDown() override {
    ::close(base_);
    fs::remove_all(root_);
  }

  abi::Errno resolve(const char* path, bool follow, ResolvedPath* out = nullptr) {
    ResolvedPath rp;
    abi::Errno e = resolve_path(base_, path, follow, rp);
    if (out) *out = std::move(rp);
    return e;
  }

  // The path of the resolved directory, relative to the box, via /proc/self/fd.
  std::string dir_of(const ResolvedPath& rp) {
    fs::path p = fs::read_symlink("/proc/self/fd/" + std::to_string(rp.dir));
    return fs::relative(p, fs::canonical(root_ / "box")).string();
  }

  fs::path root_;
  int base_ = -1;
};

TEST_F(SandboxPathTest, PlainNamesResolveToTheirDirectory) {
  ResolvedPath rp;
  ASSERT_EQ(resolve("file.txt", true, &rp), abi::kSuccess);
  EXPECT_EQ(rp.dir, base_);
  EXPECT_EQ(rp.name, "file.txt");
  ASSERT_EQ(resolve("sub/deeper/new.txt", false, &rp), abi::kSuccess);
  EXPECT_EQ(dir_of(rp), "sub/deeper");
  EXPECT_EQ(rp.name, "new.txt");
}

TEST_F(SandboxPathTest, DotAndDotDotInsideStayInside) {
  ResolvedPath rp;
  ASSERT_EQ(resolve("sub/deeper/../../file.txt", true, &rp), abi::kSuccess);
  EXPECT_EQ(rp.name, "file.txt");
  EXPECT_EQ(rp.dir, base_);
  ASSERT_EQ(resolve(".", true, &rp), abi::kSuccess);
  EXPECT_EQ(rp.name, ".");
  ASSERT_EQ(resolve("sub/..", true, &rp), abi::kSuccess);
  EXPECT_EQ(rp.name, ".");
  ASSERT_EQ(resolve("./sub//deeper/./", true, &rp), abi::kSuccess);
  EXPECT_EQ(rp.name, "deeper");
  EXPECT_TRUE(rp.must_be_dir);
}

TEST_F(SandboxPathTest, EscapesAreNotCapable) {
  EXPECT_EQ(resolve("..", true), abi::kNotCapable);
  EXPECT_EQ(resolve("../outside.txt", true), abi::kNotCapable);
  EXPECT_EQ(resolve("sub/../../outside.txt", true), abi::kNotCapable);
  EXPECT_EQ(resolve("/etc/passwd", true), abi::kNotCapable);
  EXPECT_EQ(resolve("/", true), abi::kNotCapable);
  EXPECT_EQ(resolve("up", true), abi::kNotCapable);
  EXPECT_EQ(resolve("abs", true), abi::kNotCapable);
  EXPECT_EQ(resolve("sub/parent/..", true), abi::kNotCapable);
  EXPECT_EQ(resolve("sub/parent/up", true), abi::kNotCapable);
  EXPECT_EQ(resolve("up/", false), abi::kNotCapable);   // a trailing slash follows the link
  EXPECT_EQ(resolve("up/x", false), abi::kNotCapable);  // intermediate links are always followed
}

TEST_F(SandboxPathTest, FinalLinksAreFollowedOnlyWhenAsked) {
  ResolvedPath rp;
  ASSERT_EQ(resolve("up", false, &rp), abi::kSuccess);
  EXPECT_EQ(rp.name, "up");
  ASSERT_EQ(resolve("ok_link", true, &rp), abi::kSuccess);
  EXPECT_EQ(rp.name, "file.txt");
  ASSERT_EQ(resolve("to_sub/deeper", true, &rp), abi::kSuccess);
  EXPECT_EQ(dir_of(rp), "sub");
  EXPECT_EQ(rp.name, "deeper");
  ASSERT_EQ(resolve("sub/parent/file.txt", true, &rp), abi::kSuccess);
  EXPECT_EQ(rp.dir, base_);
}

TEST_F(SandboxPathTest, LinkCyclesAreLoops) {
  EXPECT_EQ(resolve("a", true), abi::kLoop);
  EXPECT_EQ(resolve("a/x", false), abi::kLoop);
  ResolvedPath rp;
  EXPECT_EQ(resolve("a", false, &rp), abi::kSuccess);  // the link itself can be named (unlink, readlink)
}

TEST_F(SandboxPathTest, MalformedPaths) {
  EXPECT_EQ(resolve("", true), abi::kNoEnt);
  EXPECT_EQ(resolve(std::string("fi\0le", 5).c_str(), true), abi::kSuccess);  // c_str stops at NUL
  ResolvedPath rp;
  EXPECT_EQ(resolve_path(base_, std::string_view("fi\0le", 5), true, rp), abi::kInval);
  EXPECT_EQ(resolve("missing/x", true), abi::kNoEnt);
  EXPECT_EQ(resolve("file.txt/x", true), abi::kNotDir);
  EXPECT_EQ(resolve("file.txt/", true), abi::kNotDir);
}

TEST_F(SandboxPathTest, LongChainsStopAtTheLinkLimit) {
  // l0 -> l1 -> ... -> l49 -> file.txt: more than 40 links is ELOOP, as on Linux.
  for (int i = 0; i < 50; ++i) {
    fs::create_symlink(i == 49 ? std::string("file.txt") : "l" + std::to_string(i + 1),
                       root_ / "box" / ("l" + std::to_string(i)));
  }
  EXPECT_EQ(resolve("l0", true), abi::kLoop);
  EXPECT_EQ(resolve("l20", true), abi::kSuccess);
}

}  // namespace
}  // namespace airwasm::wasi::internal
