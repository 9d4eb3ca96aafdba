// pipe, pipe2 and the reads and writes of a pipe's ends (sys_pipe.h), as Linux's
// fs/pipe.c behaves: a read takes what is there or waits for a writer; a write of up to
// PIPE_BUF bytes goes in whole or waits, a longer one goes in as room appears; the last
// writer's close is the readers' end of file, the last reader's close the writers' EPIPE
// and SIGPIPE. Waiting is blocking.h's (paper §2.3: the thread leaves the Cache Kernel
// until the pipe changes); a call made again finds in Process::call_done how much it
// had written.
#include "sys_pipe.h"

#include "blocking.h"
#include "interruption.h"
#include "lib/endian.h"
#include "linux_abi.h"
#include "linux_abi_process.h"
#include "linux_abi_signal.h"
#include "pipe.h"
#include "signal_post.h"
#include "sys_file.h"
#include "syscalls.h"
#include "user_memory.h"

namespace unixemu {

namespace abi = linux_abi;

namespace {

bool nonblocking(const OpenFile& f) { return (f.flags & abi::kO_NONBLOCK) != 0; }

// A write to a pipe nobody reads: SIGPIPE to the writer (its default action ends it with
// "signal 13"), then EPIPE.
void raise_sigpipe(Process& p) {
  // Linux's send_sig(SIGPIPE, current, 0): SI_USER from itself.
  if (post_signal_to_self(p, abi::kSIGPIPE, abi::kSI_USER, p.tgid())) exit_process(p, abi::kSIGPIPE);
}

// Bytes [from, from + n) of the spans laid end to end into the pipe: moved or -EFAULT.
int32_t put_spans(Process& p, uint32_t pipe, const UserSpan* spans, uint32_t count, uint32_t from, uint32_t n) {
  uint32_t start = 0, done = 0;
  for (uint32_t i = 0; i < count && done < n; ++i) {
    const uint32_t end = start + spans[i].bytes;
    if (from + done < end) {
      const uint32_t offset = from + done - start;
      uint32_t chunk = spans[i].bytes - offset;
      if (chunk > n - done) chunk = n - done;
      const int32_t moved = pipes().put(p, pipe, spans[i].va + offset, chunk);
      if (moved < 0) return done != 0 ? static_cast<int32_t>(done) : moved;
      done += static_cast<uint32_t>(moved);
      if (static_cast<uint32_t>(moved) < chunk) break;  // a fault part-way
    }
    start = end;
  }
  return static_cast<int32_t>(done);
}

uint32_t finish_write(Process& p, uint32_t done, int32_t error_value) {
  end_call(p);
  return done != 0 ? done : error(error_value);
}

// Waits on `pipe` for a read or write through `fd` (-1: none given). Returns when woken in
// place with `fd` still naming description `f`, that end of that pipe: the caller looks
// again itself, finding what the call made again would find (a dispatch, its lookups and
// checks fewer: issue 18 item 11's pipe round trip). Otherwise (`fd` closed or naming
// another description meanwhile, none given, a long-term wait) the call is made again
// from the start, as before. Not for writev: its spans are the emulator's, not the
// caller's stack's, and another process's call may change them while this one waits.
void wait_on(Process& p, int32_t fd, const OpenFile& f, FileKind kind, uint32_t pipe) {
  if (fd < 0) pipes().wait(p, pipe);
  pipes().wait_here(p, pipe);
  if (file_of(p, fd) == &f && f.kind == kind && f.node == pipe) return;
  make_call_again(p);
}

}  // namespace

uint32_t pipe_read(Process& p, int32_t fd, OpenFile& f, uint32_t va, uint32_t count) {
  const uint32_t pipe = f.node;
  if (count == 0) return 0;
  for (;;) {
    if (pipes().bytes(pipe) != 0) {
      end_call(p);
      const int32_t n = pipes().take(p, pipe, va, count);
      return n < 0 ? error(-n) : static_cast<uint32_t>(n);
    }
    if (pipes().writers(pipe) == 0) return end_call(p), 0u;
    if (nonblocking(f)) return end_call(p), error(abi::kEAGAIN);
    if (signal_ends_wait(p)) return end_call(p), error(abi::kERESTARTSYS);
    p.call_again = true;
    wait_on(p, fd, f, FileKind::PipeRead, pipe);
  }
}

uint32_t pipe_write(Process& p, int32_t fd, OpenFile& f, const UserSpan* spans, uint32_t count) {
  const uint32_t pipe = f.node;
  uint32_t total = 0;
  for (uint32_t i = 0; i < count; ++i) total += spans[i].bytes;
  if (total == 0) return 0;
  uint32_t done = p.call_again ? p.call_done : 0;
  for (;;) {
    if (pipes().readers(pipe) == 0) {
      raise_sigpipe(p);
      return finish_write(p, done, abi::kEPIPE);
    }
    const uint32_t room = pipes().room(pipe), left = total - done;
    // Up to PIPE_BUF bytes go in at once or not at all (they never interleave).
    const bool fits = total <= Pipes::kAtomicBytes ? room >= left : room != 0;
    if (fits) {
      const uint32_t n = left < room ? left : room;
      const int32_t moved = put_spans(p, pipe, spans, count, done, n);
      if (moved < 0) return finish_write(p, done, -moved);
      done += static_cast<uint32_t>(moved);
      if (static_cast<uint32_t>(moved) < n) return finish_write(p, done, abi::kEFAULT);
      if (done == total) return finish_write(p, done, 0);
      continue;
    }
    if (nonblocking(f)) return finish_write(p, done, abi::kEAGAIN);
    if (signal_ends_wait(p)) return finish_write(p, done, abi::kERESTARTSYS);
    p.call_again = true;
    p.call_done = done;
    wait_on(p, fd, f, FileKind::PipeWrite, pipe);
  }
}

uint32_t pipe_call(Process& p, uint32_t fds_va, uint32_t flags) {
  constexpr uint32_t kODirect = 0200000;  // packet mode: accepted, the pipe stays a stream
  if ((flags & ~(abi::kO_CLOEXEC | abi::kO_NONBLOCK | kODirect)) != 0) return error(abi::kEINVAL);
  const uint32_t pipe = pipes().create();
  if (pipe == Pipes::kNone) return error(abi::kENFILE);
  const uint32_t status_flags = flags & abi::kO_NONBLOCK;
  const uint32_t reader = open_files().open(FileKind::PipeRead, pipe, abi::kO_RDONLY | status_flags);
  if (reader == OpenFiles::kNone) {
    pipes().end_closed(pipe, false);
    pipes().end_closed(pipe, true);
    return error(abi::kENFILE);
  }
  const uint32_t writer = open_files().open(FileKind::PipeWrite, pipe, abi::kO_WRONLY | status_flags);
  if (writer == OpenFiles::kNone) {
    open_files().unref(reader);
    pipes().end_closed(pipe, true);
    return error(abi::kENFILE);
  }
  const bool cloexec = (flags & abi::kO_CLOEXEC) != 0;
  const int32_t rfd = p.group().fds.install(reader, cloexec);  // takes (or on EMFILE drops) the reference
  if (rfd < 0) {
    open_files().unref(writer);
    return error(-rfd);
  }
  const int32_t wfd = p.group().fds.install(writer, cloexec);
  if (wfd < 0) {
    p.group().fds.close(rfd);
    return error(-wfd);
  }
  uint8_t out[8];
  ck::store_be32(out, static_cast<uint32_t>(rfd));
  ck::store_be32(out + 4, static_cast<uint32_t>(wfd));
  if (const int32_t s = copy_out(p, fds_va, out, sizeof out); s != 0) {
    p.group().fds.close(rfd);
    p.group().fds.close(wfd);
    return error(-s);
  }
  return 0;
}

namespace {

uint32_t sys_pipe(Process& p, const SyscallArgs& a) { return pipe_call(p, a[0], 0); }
uint32_t sys_pipe2(Process& p, const SyscallArgs& a) { return pipe_call(p, a[0], a[1]); }

constexpr SyscallEntry kEntries[] = {
    {abi::kPipe, sys_pipe},
    {abi::kPipe2, sys_pipe2},
};

}  // namespace

SyscallGroup pipe_syscalls() { return {kEntries, sizeof kEntries / sizeof kEntries[0]}; }

}  // namespace unixemu
