// Sandboxed path resolution (wasi/path.h): nothing outside the starting
// directory can be named, whatever ".." or symlinks a path contains.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "wasi/path.h"
#include "wasi_test_util.h"

namespace weft::testing {
namespace {

using wasi::Errno;
using wasi::ResolvedPath;
namespace err = wasi::err;
namespace fs = std::filesystem;

class WasiPath : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(dir.in_root("d/e"));
    ScratchDir::write(dir.in_root("a.txt"), "a");
    ScratchDir::write(dir.in_root("d/e/f.txt"), "f");
    fs::create_directory_symlink("d", dir.in_root("to_d"));
    fs::create_directory_symlink("..", dir.in_root("up"));
    fs::create_directory_symlink("../..", dir.in_root("d/up2"));
    fs::create_directory_symlink("/etc", dir.in_root("abs"));
    fs::create_symlink("loop2", dir.in_root("loop1"));
    fs::create_symlink("loop1", dir.in_root("loop2"));
    fs::create_symlink("missing", dir.in_root("dangling"));
    base = ::open(dir.root().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    ASSERT_GE(base, 0);
  }
  void TearDown() override { ::close(base); }

  Errno resolve(const char* path, wasi::FinalLink final_link, ResolvedPath* out) {
    return wasi::resolve_path(base, path, final_link, out);
  }
  Errno resolve(const char* path, bool follow, ResolvedPath* out) {
    return resolve(path, follow ? wasi::FinalLink::follow : wasi::FinalLink::keep, out);
  }
  Errno resolve(const char* path, bool follow = true) {
    ResolvedPath p;
    return resolve(path, follow, &p);
  }
  // The inode that a resolved (dir, name) names.
  static ino_t inode_of(const ResolvedPath& p) {
    struct stat st;
    EXPECT_EQ(::fstatat(p.dir, p.c_name(), &st, AT_SYMLINK_NOFOLLOW), 0) << p.name;
    return st.st_ino;
  }
  static ino_t inode_of(const std::string& host_path) {
    struct stat st;
    EXPECT_EQ(::lstat(host_path.c_str(), &st), 0) << host_path;
    return st.st_ino;
  }

  ScratchDir dir;
  int base = -1;
};

TEST_F(WasiPath, PlainAndNestedPaths) {
  ResolvedPath p;
  ASSERT_EQ(resolve("a.txt", true, &p), err::success);
  EXPECT_EQ(p.dir, base);
  EXPECT_EQ(p.name, "a.txt");
  ASSERT_EQ(resolve("d/e/f.txt", true, &p), err::success);
  EXPECT_NE(p.dir, base);
  EXPECT_EQ(p.name, "f.txt");
  EXPECT_EQ(inode_of(p), inode_of(dir.in_root("d/e/f.txt")));
  ASSERT_EQ(resolve("./d//e/./f.txt", true, &p), err::success);
  EXPECT_EQ(inode_of(p), inode_of(dir.in_root("d/e/f.txt")));
  // Names that do not exist yet resolve (they may be created).
  ASSERT_EQ(resolve("d/new.txt", true, &p), err::success);
  EXPECT_EQ(p.name, "new.txt");
}

TEST_F(WasiPath, DotDotStaysInside) {
  ResolvedPath p;
  ASSERT_EQ(resolve("d/e/../../a.txt", true, &p), err::success);
  EXPECT_EQ(inode_of(p), inode_of(dir.in_root("a.txt")));
  ASSERT_EQ(resolve("d/..", true, &p), err::success);
  EXPECT_EQ(p.name, ".");
  EXPECT_EQ(inode_of(p), inode_of(dir.root()));
  EXPECT_EQ(resolve(".."), err::notcapable);
  EXPECT_EQ(resolve("../secret"), err::notcapable);
  EXPECT_EQ(resolve("d/../../secret"), err::notcapable);
  EXPECT_EQ(resolve("d/e/../../../root/a.txt"), err::notcapable);
}

TEST_F(WasiPath, AbsoluteAndEmptyPaths) {
  EXPECT_EQ(resolve("/etc/passwd"), err::notcapable);
  EXPECT_EQ(resolve("/"), err::notcapable);
  EXPECT_EQ(resolve(""), err::noent);
}

TEST_F(WasiPath, SymlinksInsideAreFollowed) {
  ResolvedPath p;
  ASSERT_EQ(resolve("to_d/e/f.txt", true, &p), err::success);
  EXPECT_EQ(inode_of(p), inode_of(dir.in_root("d/e/f.txt")));
  // A final symlink: followed or not.
  ASSERT_EQ(resolve("to_d", true, &p), err::success);
  EXPECT_EQ(inode_of(p), inode_of(dir.in_root("d")));
  ASSERT_EQ(resolve("to_d", false, &p), err::success);
  EXPECT_EQ(p.name, "to_d");
  EXPECT_EQ(inode_of(p), inode_of(dir.in_root("to_d")));
  // A dangling symlink resolves to its (missing) target, for creation.
  ASSERT_EQ(resolve("dangling", true, &p), err::success);
  EXPECT_EQ(p.name, "missing");
}

TEST_F(WasiPath, SymlinksCannotEscape) {
  EXPECT_EQ(resolve("up/secret"), err::notcapable);
  EXPECT_EQ(resolve("up", true), err::notcapable);
  EXPECT_EQ(resolve("d/up2/x"), err::notcapable);
  EXPECT_EQ(resolve("abs/passwd"), err::notcapable);
  EXPECT_EQ(resolve("abs", true), err::notcapable);
  EXPECT_EQ(resolve("to_d/up2/root"), err::notcapable);
  // Without following, the link itself can be named (lstat, unlink).
  EXPECT_EQ(resolve("up", false), err::success);
  EXPECT_EQ(resolve("abs", false), err::success);
}

TEST_F(WasiPath, LoopsAndNotDirectories) {
  EXPECT_EQ(resolve("loop1", true), err::loop);
  EXPECT_EQ(resolve("loop1/x", true), err::loop);
  EXPECT_EQ(resolve("a.txt/x"), err::notdir);
  EXPECT_EQ(resolve("a.txt/"), err::notdir);
  EXPECT_EQ(resolve("missing/x"), err::noent);
  ResolvedPath p;
  ASSERT_EQ(resolve("d/", false, &p), err::success);
  EXPECT_EQ(p.name, "d");
  EXPECT_TRUE(p.trailing_slash);
}

// A trailing '/' expands a final symlink for lookups, but an entry that is
// created, removed or renamed is the link itself, slash or not.
TEST_F(WasiPath, TrailingSlashOnEntries) {
  ResolvedPath p;
  ASSERT_EQ(resolve("to_d/", false, &p), err::success);
  EXPECT_EQ(inode_of(p), inode_of(dir.in_root("d")));
  ASSERT_EQ(resolve("to_d/", wasi::FinalLink::entry, &p), err::success);
  EXPECT_EQ(p.name, "to_d");
  EXPECT_TRUE(p.trailing_slash);
  EXPECT_EQ(inode_of(p), inode_of(dir.in_root("to_d")));
  // No directory is required of an entry: the call decides.
  ASSERT_EQ(resolve("a.txt/", wasi::FinalLink::entry, &p), err::success);
  EXPECT_EQ(p.name, "a.txt");
  ASSERT_EQ(resolve("dangling/", wasi::FinalLink::entry, &p), err::success);
  EXPECT_EQ(p.name, "dangling");
  ASSERT_EQ(resolve("a.txt", wasi::FinalLink::entry, &p), err::success);
  EXPECT_FALSE(p.trailing_slash);
  // Intermediate components are still checked.
  EXPECT_EQ(resolve("a.txt/x/", wasi::FinalLink::entry, &p), err::notdir);
  EXPECT_EQ(resolve("up/x/", wasi::FinalLink::entry, &p), err::notcapable);
}

}  // namespace
}  // namespace weft::testing
