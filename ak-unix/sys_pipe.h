// pipe and pipe2, and reads and writes of a pipe's ends (pipe.h; issue 18 item 4), which
// sys_file.cpp's read, readv, write and writev call.
#pragma once

#include <stdint.h>

#include "files.h"
#include "process.h"

namespace unixemu {

// A piece of a process's memory (write's buffer, one of writev's iovecs).
struct UserSpan {
  uint32_t va, bytes;
};

// read(2) of a pipe's read end `f` (through `fd`; -1: the caller's state does not survive
// a wait, its call is made again after it): the bytes there (up to `count`); 0 at the end
// of file (no writer left); -EAGAIN with O_NONBLOCK; else it waits. A system call's result.
uint32_t pipe_read(Process& p, int32_t fd, OpenFile& f, uint32_t va, uint32_t count);
// write(2)/writev(2) of a pipe's write end: all of `spans` (a total up to PIPE_BUF all at
// once), waiting for room; with O_NONBLOCK what fits now, or -EAGAIN; -EPIPE and SIGPIPE
// with no reader. A system call's result.
// `fd` as pipe_read's.
uint32_t pipe_write(Process& p, int32_t fd, OpenFile& f, const UserSpan* spans, uint32_t count);

uint32_t pipe_call(Process& p, uint32_t fds_va, uint32_t flags);

}  // namespace unixemu
