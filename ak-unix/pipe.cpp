// Pipes (pipe.h).
#include "pipe.h"

#include "blocking.h"
#include "physical_memory.h"
#include "user_memory.h"

namespace unixemu {

namespace {
constexpr uint32_t kFrameBytes = 4096;
}  // namespace

Pipes g_pipes;

uint32_t Pipes::create() {
  for (uint32_t i = 0; i < kMax; ++i) {
    Pipe& pipe = pipes_[i];
    if (pipe.used) continue;
    for (uint32_t f = 0; f < kFrames; ++f) {
      if (memory().allocate(&pipe.frames[f])) continue;
      for (uint32_t g = 0; g < f; ++g) memory().free(pipe.frames[g]);
      return kNone;
    }
    pipe.used = true;
    pipe.head = pipe.tail = 0;
    pipe.waiters[0] = pipe.waiters[1] = 0;
    pipe.readers = pipe.writers = 1;
    return i;
  }
  return kNone;
}

void Pipes::end_closed(uint32_t index, bool writer) {
  Pipe& pipe = pipes_[index];
  uint16_t& count = writer ? pipe.writers : pipe.readers;
  if (count != 0) count -= 1;
  // The last writer gone: readers see the end of file; the last reader: writers EPIPE.
  wake(index);
  if (pipe.readers != 0 || pipe.writers != 0) return;
  for (uint32_t f = 0; f < kFrames; ++f) memory().free(pipe.frames[f]);
  pipe.used = false;
}

uint8_t* Pipes::at(const Pipe& pipe, uint32_t position, uint32_t* contiguous) const {
  const uint32_t offset = position % kBytes;
  *contiguous = kFrameBytes - offset % kFrameBytes;
  return memory().at(pipe.frames[offset / kFrameBytes]) + offset % kFrameBytes;
}

int32_t Pipes::take(Process& p, uint32_t index, uint32_t va, uint32_t count) {
  Pipe& pipe = pipes_[index];
  if (count > bytes(index)) count = bytes(index);
  uint32_t done = 0;
  int32_t status = 0;
  while (done < count && status == 0) {
    uint32_t n;
    const uint8_t* from = at(pipe, pipe.tail + done, &n);
    if (n > count - done) n = count - done;
    status = copy_out(p, va + done, from, n);
    if (status == 0) done += n;
  }
  pipe.tail += done;  // one store: a repeat after a writeback before it reads them again
  if (done != 0) wake(index);
  return done != 0 ? static_cast<int32_t>(done) : status;
}

int32_t Pipes::put(Process& p, uint32_t index, uint32_t va, uint32_t count) {
  Pipe& pipe = pipes_[index];
  if (count > room(index)) count = room(index);
  uint32_t done = 0;
  int32_t status = 0;
  while (done < count && status == 0) {
    uint32_t n;
    uint8_t* to = at(pipe, pipe.head + done, &n);
    if (n > count - done) n = count - done;
    status = copy_in(p, va + done, to, n);
    if (status == 0) done += n;
  }
  pipe.head += done;
  if (done != 0) wake(index);
  return done != 0 ? static_cast<int32_t>(done) : status;
}

void Pipes::wake_marked(Marks& marks, uint32_t what) {
  // Every process marked that still waits for `what` is woken: no mark is needed after.
  for (uint32_t half = 0; half < 2; ++half) {
    uint32_t bits = marks[half];
    marks[half] = 0;
    for (; bits != 0; bits &= bits - 1) {
      Process& p = processes().slot(32 * half + static_cast<uint32_t>(__builtin_ctz(bits)));
      if (p.state == ProcessState::Running && p.wait.kind == WaitKind::Pipe && p.wait.what == what) wake_process(p);
    }
  }
}

// The pipe's waiters first, then the pollers, each in slot order (as one pass over the
// processes that may wait woke them).
void Pipes::wake(uint32_t index) {
  Marks& waiters = pipes_[index].waiters;
  if ((waiters[0] | waiters[1]) != 0) wake_marked(waiters, index);
  if ((pollers_[0] | pollers_[1]) != 0) wake_marked(pollers_, kAnyChange);
}

void Pipes::wait(Process& p, uint32_t index, uint64_t deadline) {
  const uint32_t slot = processes().index_of(p);
  Marks& marks = index == kAnyChange ? pollers_ : pipes_[index].waiters;
  marks[slot / 32] |= 1u << (slot % 32);
  block_process(p, WaitKind::Pipe, index, deadline);
}

bool Pipes::wait_here(Process& p, uint32_t index) {
  const uint32_t slot = processes().index_of(p);
  pipes_[index].waiters[slot / 32] |= 1u << (slot % 32);
  return unixemu::wait_here(p, WaitKind::Pipe, index);
}

}  // namespace unixemu
