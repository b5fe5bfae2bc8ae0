// wasi/p2: wasi:io/streams. Input streams read stdin (a host fd, or bytes given in the config), a file
// at an offset, a socket, or an HTTP response body as it arrives (http_outgoing_handler.cc); output
// streams write stdout/stderr (a host fd, or a capture buffer), a file at an offset or at its end, a
// socket, or an HTTP request body. Writes are performed completely before they return, so flush has
// nothing left to do and check-write always grants a fixed budget. Every length a guest passes is
// clamped before anything is allocated. Waits on stdin, on a full pipe and on an HTTP body go through
// runtime/blocking.hh, so the Store's interruption and deadlines still stop the guest, and a sliced call
// suspends instead of waiting: before a read, and before or in the middle of a write, whose run again on
// resume skips what went out (OutputStreamObj::unfinished, keyed by Store::host_call_id).
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <sys/socket.h>

#include "runtime/blocking.hh"
#include "wasi/p2/sockets.hh"

namespace airwasm::wasi::p2::internal {
namespace {

constexpr uint64_t kMaxChunk = 1 << 20;  // the most one read returns, and what check-write grants

int stdin_raw(Call& c) {
  return c.st.stdin_fd.get();
}

// Reads up to `len` bytes. `blocking` waits for at least one byte (or EOF). Returns the result value.
TrapResult<Val> do_read(Call& c, InputStreamObj& s, uint64_t len, bool blocking, bool skip) {
  if (s.closed) return err(stream_error_closed());
  const size_t n = size_t(std::min(len, kMaxChunk));
  if (s.what == InputStreamObj::What::kHttpBody && n > 0) {
    AIRWASM_TRY_ASSIGN(Val v, response_body_read(c, *s.http_body, n, blocking, skip));
    if (!v.is_ok()) s.closed = true;
    return v;
  }
  std::string buf(n, '\0');
  ssize_t got = 0;
  if (n == 0) return ok(skip ? Val::u64(0) : Val::list({}));
  switch (s.what) {
    case InputStreamObj::What::kEmpty:
      got = 0;
      break;
    case InputStreamObj::What::kStdin: {
      if (c.st.stdin_data) {
        const std::string& d = *c.st.stdin_data;
        got = ssize_t(std::min(n, d.size() - std::min(c.st.stdin_pos, d.size())));
        buf.assign(d, std::min(c.st.stdin_pos, d.size()), size_t(got));
        c.st.stdin_pos += size_t(got);
        break;
      }
      const int fd = stdin_raw(c);
      if (fd < 0) break;
      if (!blocking) {
        pollfd f{fd, POLLIN, 0};
        if (::poll(&f, 1, 0) == 0) return ok(skip ? Val::u64(0) : Val::list({}));
      } else {
        // Nothing read yet: a sliced call suspends here and the read runs again (blocking.hh).
        AIRWASM_TRY(airwasm::internal::wait_fd_or_suspend(c.store, fd, POLLIN));
      }
      do {
        got = ::read(fd, buf.data(), n);
      } while (got < 0 && errno == EINTR);
      if (got < 0 && errno == EAGAIN) {
        if (!blocking) return ok(skip ? Val::u64(0) : Val::list({}));
        AIRWASM_TRY(airwasm::internal::wait_fd_or_suspend(c.store, fd, POLLIN));
        do {
          got = ::read(fd, buf.data(), n);
        } while (got < 0 && errno == EINTR);
      }
      break;
    }
    case InputStreamObj::What::kFile:
      do {
        got = ::pread(s.fd->get(), buf.data(), n, off_t(s.offset));
      } while (got < 0 && errno == EINTR);
      break;
    case InputStreamObj::What::kHttpBody:
      break;  // read above
    case InputStreamObj::What::kSocket:
      for (;;) {
        got = ::recv(s.fd->get(), buf.data(), n, MSG_DONTWAIT);
        if (got >= 0 || errno == EINTR) {
          if (got >= 0) break;
          continue;
        }
        if (errno != EAGAIN && errno != EWOULDBLOCK) break;
        if (!blocking) return ok(skip ? Val::u64(0) : Val::list({}));
        AIRWASM_TRY(airwasm::internal::wait_fd_or_suspend(c.store, s.fd->get(), POLLIN));
      }
      if (got < 0) {
        s.closed = true;
        return err(socket_stream_error(c, errno));
      }
      break;
  }
  if (got < 0) {
    s.closed = true;
    const int e = errno;
    return err(
        stream_error_failed(c, std::string("read failed: ") + std::strerror(e), fs_code_from_errno(e)));
  }
  if (got == 0) {
    s.closed = true;
    return err(stream_error_closed());
  }
  s.offset += uint64_t(got);
  if (skip) return ok(Val::u64(uint64_t(got)));
  return ok(bytes_val(reinterpret_cast<const uint8_t*>(buf.data()), size_t(got)));
}

// Writes `data` from byte `done` on to `fd`, waiting while a non-blocking fd is full (wait_to_write: a
// sliced call suspends, and its run again goes on from where this stopped). A socket is written with
// send(2) and MSG_NOSIGNAL, so that a peer that went away gives EPIPE, not a SIGPIPE that would kill the
// host. Returns 0 or an errno, or the trap of an interruption (or of the suspension).
TrapResult<int> write_fully(Call& c, OutputStreamObj& s, int fd, std::string_view data, size_t done,
                            bool socket) {
  while (done < data.size()) {
    const char* p = data.data() + done;
    const size_t n = data.size() - done;
    const ssize_t w = socket ? ::send(fd, p, n, MSG_DONTWAIT | MSG_NOSIGNAL) : ::write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        AIRWASM_TRY(wait_to_write(c, s, fd, POLLOUT, data.size(), done));
        continue;
      }
      return errno;
    }
    done += size_t(w);
  }
  return 0;
}

// How much of `size` bytes the running host call already wrote to `s` before it suspended: its record's
// `written` if the record is this call's run again, else 0. The record is consumed either way.
size_t resume_point(Call& c, OutputStreamObj& s, size_t size) {
  OutputStreamObj::Unfinished& u = s.unfinished;
  const size_t written = u.call != 0 && u.call == c.store.host_call_id() && u.size == size ? u.written : 0;
  u.call = 0;
  u.written = 0;
  return written;
}

}  // namespace

TrapResult<void> wait_to_write(Call& c, OutputStreamObj& s, int fd, short events, size_t size,
                               size_t written) {
  // Kept before asking: if the call suspends, its run again finds this and skips the bytes written.
  s.unfinished.call = c.store.host_call_id();
  s.unfinished.size = size;
  s.unfinished.written = written;
  AIRWASM_TRY(airwasm::internal::wait_fd_or_suspend(c.store, fd, events));
  s.unfinished.call = 0;  // waited here, on the thread: nothing runs again
  return {};
}

TrapResult<Val> stream_write(Call& c, OutputStreamObj& s, std::string_view data) {
  const size_t done = resume_point(c, s, data.size());
  if (s.failed) return err(stream_error_closed());
  int e = 0;
  switch (s.what) {
    case OutputStreamObj::What::kDiscard:
      break;
    case OutputStreamObj::What::kHttpBody: {
      AIRWASM_TRY_ASSIGN(Val v, request_body_write(c, s, data, done));
      if (!v.is_ok()) s.failed = true;
      return v;
    }
    case OutputStreamObj::What::kSocket: {
      AIRWASM_TRY_ASSIGN(const int se, write_fully(c, s, s.fd->get(), data, done, /*socket=*/true));
      if (se != 0) {
        s.failed = true;
        return err(socket_stream_error(c, se));
      }
      break;
    }
    case OutputStreamObj::What::kStdout:
    case OutputStreamObj::What::kStderr: {
      const bool out = s.what == OutputStreamObj::What::kStdout;
      if (out ? c.st.capture_stdout : c.st.capture_stderr) {
        std::string& buf = out ? c.st.captured_stdout : c.st.captured_stderr;
        if (data.size() > c.st.capture_limit - std::min(buf.size(), c.st.capture_limit)) {
          s.failed = true;
          return err(stream_error_failed(c, "the host's capture buffer is full", "insufficient-space"));
        }
        buf += data;
        break;
      }
      const int fd = out ? c.st.stdout_fd.get() : c.st.stderr_fd.get();
      if (fd >= 0) {
        AIRWASM_TRY_ASSIGN(e, write_fully(c, s, fd, data, done, /*socket=*/false));
      }
      break;
    }
    case OutputStreamObj::What::kFile:
    case OutputStreamObj::What::kFileAppend: {
      const int fd = s.fd->get();
      if (s.what == OutputStreamObj::What::kFileAppend) {
        struct ::stat st{};
        if (::fstat(fd, &st) != 0) {
          e = errno;
          break;
        }
        s.offset = uint64_t(st.st_size);
      }
      size_t pos = 0;  // regular files never make a write wait, so never leave one unfinished
      while (pos < data.size()) {
        ssize_t w = ::pwrite(fd, data.data() + pos, data.size() - pos, off_t(s.offset));
        if (w < 0) {
          if (errno == EINTR) continue;
          e = errno;
          break;
        }
        pos += size_t(w);
        s.offset += uint64_t(w);
      }
      break;
    }
  }
  if (e != 0) {
    s.failed = true;
    return err(
        stream_error_failed(c, std::string("write failed: ") + std::strerror(e), fs_code_from_errno(e)));
  }
  return ok();
}

namespace {

TrapResult<void> read_impl(Call& c, bool blocking, bool skip) {
  auto* s = c.arg<InputStreamObj>(0);
  if (!s) return std::unexpected(bad_handle("input-stream"));
  AIRWASM_TRY_ASSIGN(Val v, do_read(c, *s, c.p.size() > 1 ? c.p[1].as_u64() : 0, blocking, skip));
  return reply(c, std::move(v));
}
TrapResult<void> read(Call& c) {
  return read_impl(c, false, false);
}
TrapResult<void> blocking_read(Call& c) {
  return read_impl(c, true, false);
}
TrapResult<void> skip(Call& c) {
  return read_impl(c, false, true);
}
TrapResult<void> blocking_skip(Call& c) {
  return read_impl(c, true, true);
}

TrapResult<void> in_subscribe(Call& c) {
  auto* s = c.arg<InputStreamObj>(0);
  if (!s) return std::unexpected(bad_handle("input-stream"));
  std::unique_ptr<PollableObj> p;
  if (s->what == InputStreamObj::What::kStdin && !c.st.stdin_data && stdin_raw(c) >= 0) {
    p = std::make_unique<PollableObj>(PollableObj::What::kFdRead);
    p->raw_fd = stdin_raw(c);
  } else if (s->what == InputStreamObj::What::kSocket && !s->closed) {
    p = std::make_unique<PollableObj>(PollableObj::What::kFdRead);
    p->fd = s->fd;
    p->raw_fd = s->fd->get();
  } else if (s->what == InputStreamObj::What::kHttpBody && !s->closed) {
    p = std::make_unique<PollableObj>(PollableObj::What::kFdRead);
    p->fd = response_body_event(*s->http_body);
    p->raw_fd = p->fd->get();
  } else {
    p = std::make_unique<PollableObj>(PollableObj::What::kReady);
  }
  c.ret(c.own(std::move(p)));
  return {};
}

TrapResult<void> check_write(Call& c) {
  auto* s = c.arg<OutputStreamObj>(0);
  if (!s) return std::unexpected(bad_handle("output-stream"));
  c.ret(s->failed ? err(stream_error_closed()) : ok(Val::u64(kMaxChunk)));
  return {};
}

TrapResult<void> write(Call& c) {
  auto* s = c.arg<OutputStreamObj>(0);
  std::string data;
  if (!s) return std::unexpected(bad_handle("output-stream"));
  if (c.p.size() < 2 || !bytes_arg(c.p[1], data))
    return std::unexpected(Trap(TrapCode::kHostError, "write: bad contents"));
  AIRWASM_TRY_ASSIGN(Val v, stream_write(c, *s, data));  // nothing else done: may suspend part-way
  return reply(c, std::move(v));
}

TrapResult<void> flush(Call& c) {
  auto* s = c.arg<OutputStreamObj>(0);
  if (!s) return std::unexpected(bad_handle("output-stream"));
  c.ret(s->failed ? err(stream_error_closed()) : ok());
  return {};
}

TrapResult<void> write_zeroes(Call& c) {
  auto* s = c.arg<OutputStreamObj>(0);
  if (!s) return std::unexpected(bad_handle("output-stream"));
  const uint64_t n = c.p.size() > 1 ? c.p[1].as_u64() : 0;
  if (n > kMaxChunk)
    return std::unexpected(Trap(TrapCode::kHostError, "write-zeroes: more than check-write permits"));
  AIRWASM_TRY_ASSIGN(Val v, stream_write(c, *s, std::string(size_t(n), '\0')));
  return reply(c, std::move(v));
}

TrapResult<void> out_subscribe(Call& c) {
  auto* s = c.arg<OutputStreamObj>(0);
  if (!s) return std::unexpected(bad_handle("output-stream"));
  auto p = std::make_unique<PollableObj>(PollableObj::What::kReady);
  if (s->what == OutputStreamObj::What::kSocket && !s->failed) {
    p = std::make_unique<PollableObj>(PollableObj::What::kFdWrite);
    p->fd = s->fd;
    p->raw_fd = s->fd->get();
  }
  c.ret(c.own(std::move(p)));
  return {};
}

// The data read is kept in the output stream's unfinished record while it is written: should a sliced call
// suspend in the write, its run again writes the rest of those bytes instead of reading again (which would
// lose them).
TrapResult<void> splice_impl(Call& c, bool blocking) {
  auto* out = c.arg<OutputStreamObj>(0);
  auto* in = c.arg<InputStreamObj>(1);
  if (!out) return std::unexpected(bad_handle("output-stream"));
  if (!in) return std::unexpected(bad_handle("input-stream"));
  OutputStreamObj::Unfinished& u = out->unfinished;
  if (u.call == 0 || u.call != c.store.host_call_id()) {
    u = {};
    AIRWASM_TRY_ASSIGN(Val r, do_read(c, *in, c.p.size() > 2 ? c.p[2].as_u64() : 0, blocking, false));
    if (!r.is_ok()) {
      c.ret(std::move(r));
      return {};
    }
    bytes_arg(*r.payload(), u.spliced);
  }
  // stream_write consumes the record's progress but not `spliced` (which it writes); a suspension in it
  // records the progress again.
  AIRWASM_TRY_ASSIGN(Val w, stream_write(c, *out, u.spliced));
  const uint64_t n = u.spliced.size();
  std::string().swap(u.spliced);
  c.ret(w.is_ok() ? ok(Val::u64(n)) : std::move(w));
  return {};
}
TrapResult<void> splice(Call& c) {
  return splice_impl(c, false);
}
TrapResult<void> blocking_splice(Call& c) {
  return splice_impl(c, true);
}

constexpr FuncDef kFuncs[] = {
    {"[method]input-stream.read", read},
    {"[method]input-stream.blocking-read", blocking_read},
    {"[method]input-stream.skip", skip},
    {"[method]input-stream.blocking-skip", blocking_skip},
    {"[method]input-stream.subscribe", in_subscribe},
    {"[method]output-stream.check-write", check_write},
    {"[method]output-stream.write", write},
    {"[method]output-stream.blocking-write-and-flush", write},
    {"[method]output-stream.flush", flush},
    {"[method]output-stream.blocking-flush", flush},
    {"[method]output-stream.subscribe", out_subscribe},
    {"[method]output-stream.write-zeroes", write_zeroes},
    {"[method]output-stream.blocking-write-zeroes-and-flush", write_zeroes},
    {"[method]output-stream.splice", splice},
    {"[method]output-stream.blocking-splice", blocking_splice},
};

}  // namespace

Result<void> define_io_streams(LinkerInstance inst, const ContextGetter& g) {
  return define(inst, g, kFuncs,
                {{"error", Kind::kError},
                 {"pollable", Kind::kPollable},
                 {"input-stream", Kind::kInputStream},
                 {"output-stream", Kind::kOutputStream}});
}

}  // namespace airwasm::wasi::p2::internal
