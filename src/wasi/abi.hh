// wasi: the preview 1 ABI as constants: errno values, file types, flags, rights and the byte layouts of
// the structures exchanged through guest memory. Values and offsets follow the witx definitions of
// wasi_snapshot_preview1 (the same numbers as wasi-libc's <wasi/api.h>, which the tests build against).
#pragma once

#include <cstdint>

namespace airwasm::wasi::abi {

// ---- errno (u16) ----
enum Errno : uint16_t {
  kSuccess = 0,
  k2Big = 1,
  kAcces = 2,
  kAddrInUse = 3,
  kAddrNotAvail = 4,
  kAfNoSupport = 5,
  kAgain = 6,
  kAlready = 7,
  kBadf = 8,
  kBadMsg = 9,
  kBusy = 10,
  kCanceled = 11,
  kChild = 12,
  kConnAborted = 13,
  kConnRefused = 14,
  kConnReset = 15,
  kDeadlk = 16,
  kDestAddrReq = 17,
  kDom = 18,
  kDquot = 19,
  kExist = 20,
  kFault = 21,
  kFbig = 22,
  kHostUnreach = 23,
  kIdrm = 24,
  kIlseq = 25,
  kInProgress = 26,
  kIntr = 27,
  kInval = 28,
  kIo = 29,
  kIsConn = 30,
  kIsDir = 31,
  kLoop = 32,
  kMfile = 33,
  kMlink = 34,
  kMsgSize = 35,
  kMultihop = 36,
  kNameTooLong = 37,
  kNetDown = 38,
  kNetReset = 39,
  kNetUnreach = 40,
  kNfile = 41,
  kNoBufs = 42,
  kNoDev = 43,
  kNoEnt = 44,
  kNoExec = 45,
  kNoLck = 46,
  kNoLink = 47,
  kNoMem = 48,
  kNoMsg = 49,
  kNoProtoOpt = 50,
  kNoSpc = 51,
  kNoSys = 52,
  kNotConn = 53,
  kNotDir = 54,
  kNotEmpty = 55,
  kNotRecoverable = 56,
  kNotSock = 57,
  kNotSup = 58,
  kNotTy = 59,
  kNxio = 60,
  kOverflow = 61,
  kOwnerDead = 62,
  kPerm = 63,
  kPipe = 64,
  kProto = 65,
  kProtoNoSupport = 66,
  kProtoType = 67,
  kRange = 68,
  kRofs = 69,
  kSpipe = 70,
  kSrch = 71,
  kStale = 72,
  kTimedOut = 73,
  kTxtBsy = 74,
  kXdev = 75,
  kNotCapable = 76,
};

// ---- filetype (u8) ----
enum Filetype : uint8_t {
  kUnknown = 0,
  kBlockDevice = 1,
  kCharacterDevice = 2,
  kDirectory = 3,
  kRegularFile = 4,
  kSocketDgram = 5,
  kSocketStream = 6,
  kSymbolicLink = 7,
};

// ---- fdflags (u16), oflags (u16), lookupflags (u32), fstflags (u16) ----
inline constexpr uint16_t kFdflagAppend = 1, kFdflagDsync = 2, kFdflagNonblock = 4, kFdflagRsync = 8,
                          kFdflagSync = 16;
inline constexpr uint16_t kOflagCreat = 1, kOflagDirectory = 2, kOflagExcl = 4, kOflagTrunc = 8;
inline constexpr uint32_t kLookupSymlinkFollow = 1;
inline constexpr uint16_t kFstAtim = 1, kFstAtimNow = 2, kFstMtim = 4, kFstMtimNow = 8;

// ---- whence (u8), clockid (u32), eventtype (u8), subclockflags (u16), advice (u8) ----
inline constexpr uint8_t kWhenceSet = 0, kWhenceCur = 1, kWhenceEnd = 2;
inline constexpr uint32_t kClockRealtime = 0, kClockMonotonic = 1, kClockProcessCputime = 2,
                          kClockThreadCputime = 3;
inline constexpr uint8_t kEventClock = 0, kEventFdRead = 1, kEventFdWrite = 2;
inline constexpr uint16_t kSubclockAbstime = 1;
inline constexpr uint16_t kEventFdReadwriteHangup = 1;
inline constexpr uint8_t kAdviceNormal = 0, kAdviceSequential = 1, kAdviceRandom = 2, kAdviceWillNeed = 3,
                         kAdviceDontNeed = 4, kAdviceNoReuse = 5;
inline constexpr uint8_t kPreopenTypeDir = 0;

// ---- rights (u64) ----
inline constexpr uint64_t kRightFdDatasync = 1ull << 0, kRightFdRead = 1ull << 1, kRightFdSeek = 1ull << 2,
                          kRightFdFdstatSetFlags = 1ull << 3, kRightFdSync = 1ull << 4,
                          kRightFdTell = 1ull << 5, kRightFdWrite = 1ull << 6, kRightFdAdvise = 1ull << 7,
                          kRightFdAllocate = 1ull << 8, kRightPathCreateDirectory = 1ull << 9,
                          kRightPathCreateFile = 1ull << 10, kRightPathLinkSource = 1ull << 11,
                          kRightPathLinkTarget = 1ull << 12, kRightPathOpen = 1ull << 13,
                          kRightFdReaddir = 1ull << 14, kRightPathReadlink = 1ull << 15,
                          kRightPathRenameSource = 1ull << 16, kRightPathRenameTarget = 1ull << 17,
                          kRightPathFilestatGet = 1ull << 18, kRightPathFilestatSetSize = 1ull << 19,
                          kRightPathFilestatSetTimes = 1ull << 20, kRightFdFilestatGet = 1ull << 21,
                          kRightFdFilestatSetSize = 1ull << 22, kRightFdFilestatSetTimes = 1ull << 23,
                          kRightPathSymlink = 1ull << 24, kRightPathRemoveDirectory = 1ull << 25,
                          kRightPathUnlinkFile = 1ull << 26, kRightPollFdReadwrite = 1ull << 27,
                          kRightSockShutdown = 1ull << 28, kRightSockAccept = 1ull << 29;

// What an open regular file (or a stdio stream) may be asked to do.
inline constexpr uint64_t kFileRights =
    kRightFdDatasync | kRightFdRead | kRightFdSeek | kRightFdFdstatSetFlags | kRightFdSync | kRightFdTell |
    kRightFdWrite | kRightFdAdvise | kRightFdAllocate | kRightFdFilestatGet | kRightFdFilestatSetSize |
    kRightFdFilestatSetTimes | kRightPollFdReadwrite;
// What a directory may be asked to do.
inline constexpr uint64_t kDirRights =
    kRightFdFdstatSetFlags | kRightFdSync | kRightFdAdvise | kRightPathCreateDirectory |
    kRightPathCreateFile | kRightPathLinkSource | kRightPathLinkTarget | kRightPathOpen | kRightFdReaddir |
    kRightPathReadlink | kRightPathRenameSource | kRightPathRenameTarget | kRightPathFilestatGet |
    kRightPathFilestatSetSize | kRightPathFilestatSetTimes | kRightFdFilestatGet | kRightFdFilestatSetTimes |
    kRightPathSymlink | kRightPathRemoveDirectory | kRightPathUnlinkFile;

// ---- structure layouts: sizes and field offsets in guest memory ----
namespace iovec {
inline constexpr uint32_t kSize = 8, kBuf = 0, kLen = 4;
}
namespace fdstat {
inline constexpr uint32_t kSize = 24, kFiletype = 0, kFlags = 2, kRightsBase = 8, kRightsInheriting = 16;
}
namespace filestat {
inline constexpr uint32_t kSize = 64, kDev = 0, kIno = 8, kFiletype = 16, kNlink = 24, kFileSize = 32,
                          kAtim = 40, kMtim = 48, kCtim = 56;
}
namespace prestat {
inline constexpr uint32_t kSize = 8, kTag = 0, kNameLen = 4;
}
namespace dirent {
inline constexpr uint32_t kSize = 24, kNext = 0, kIno = 8, kNamlen = 16, kType = 20;
}
namespace subscription {
inline constexpr uint32_t kSize = 48, kUserdata = 0, kTag = 8, kClockId = 16, kClockTimeout = 24,
                          kClockPrecision = 32, kClockFlags = 40, kFd = 16;
}
namespace event {
inline constexpr uint32_t kSize = 32, kUserdata = 0, kError = 8, kType = 10, kNbytes = 16, kFlags = 24;
}

}  // namespace airwasm::wasi::abi
