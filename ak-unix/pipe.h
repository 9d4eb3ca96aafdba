// Pipes (issue 18 item 4; paper §2: the emulator implements the UNIX interface its
// processes call, here an in-emulator byte channel between them). A pipe is a ring of
// kBytes held in frames of the emulator's memory, taken when the pipe is made and freed
// when its last end closes, from a bounded pool (ENFILE past it: the emulator's memory is
// finite). Its two ends are open file descriptions (files.h: FileKind::PipeRead and
// ::PipeWrite, `node` the pipe's index); the pipe counts the descriptions of each end.
// The calls that block on a pipe wait on blocking.h (WaitKind::Pipe, the pipe's index);
// poll and select wait for any change (kAnyChange).
#pragma once

#include <stdint.h>

#include "process.h"

namespace unixemu {

class Pipes {
 public:
  static constexpr uint32_t kMax = 64;    // pipes at once
  static constexpr uint32_t kFrames = 2;  // each one's buffer
  static constexpr uint32_t kBytes = kFrames * 4096;
  static constexpr uint32_t kAtomicBytes = 4096;  // PIPE_BUF: writes up to it are whole
  static constexpr uint32_t kNone = 0xffffffffu;
  // What poll and select wait for: any pipe's (or the console's) readiness changing.
  static constexpr uint32_t kAnyChange = 0xffffffffu;

  // A new pipe with one reader and one writer: its index, or kNone (no slot or frame).
  uint32_t create();
  // A description of an end went away: the pipe's waiters are woken; the pipe goes with
  // its last end.
  void end_closed(uint32_t pipe, bool writer);

  uint32_t bytes(uint32_t pipe) const { return pipes_[pipe].head - pipes_[pipe].tail; }
  uint32_t room(uint32_t pipe) const { return kBytes - bytes(pipe); }
  uint32_t readers(uint32_t pipe) const { return pipes_[pipe].readers; }
  uint32_t writers(uint32_t pipe) const { return pipes_[pipe].writers; }
  // Moves up to `count` bytes from the pipe to the process at `va` (at most bytes()):
  // bytes moved or -EFAULT. The pipe gives them up only once they are copied, so that a
  // call made again after a writeback finds them still there.
  int32_t take(Process& p, uint32_t pipe, uint32_t va, uint32_t count);
  // Moves `count` bytes (at most room()) from the process at `va` into the pipe: bytes
  // moved (fewer on a fault part-way) or -EFAULT.
  int32_t put(Process& p, uint32_t pipe, uint32_t va, uint32_t count);
  // Wakes whoever waits on `pipe` and the pollers.
  void wake(uint32_t pipe);
  // The caller's process waits on `pipe` (kAnyChange: a poll or select) until a wake or
  // `deadline` (blocking.h's block_process). Does not return.
  [[noreturn]] void wait(Process& p, uint32_t pipe, uint64_t deadline = 0);
  // The same with blocking.h's wait_here: true when woken in place.
  bool wait_here(Process& p, uint32_t pipe);

 private:
  // A bit per process slot that began to wait on a pipe (or for any change): a hint a
  // wake looks at instead of every process that may wait, the process's own wait saying
  // whether it still waits there (issue 18 item 11: a round trip's four wakes looked at
  // both processes twice each; two of them find no mark now).
  using Marks = uint32_t[2];
  struct Pipe {
    bool used = false;
    uint32_t frames[kFrames] = {};
    uint32_t head = 0, tail = 0;  // free-running: the bytes are [tail, head) modulo kBytes
    uint16_t readers = 0, writers = 0;
    Marks waiters = {};
  };
  uint8_t* at(const Pipe& pipe, uint32_t position, uint32_t* contiguous) const;
  static void wake_marked(Marks& marks, uint32_t what);

  Pipe pipes_[kMax];
  Marks pollers_ = {};
};
// Inline: every read and write of a pipe asks for it (a call each was 40 instructions of a
// round trip).
extern Pipes g_pipes;
inline Pipes& pipes() { return g_pipes; }

}  // namespace unixemu
