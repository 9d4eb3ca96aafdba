// The console (console.h).
#include "console.h"

#include "atomic.h"
#include "physical_memory.h"
#include "terminal.h"

namespace unixemu {

namespace {

char g_last = '\n';
constexpr uint32_t kChunk = 256;  // CK_CONSOLE_WRITE's limit

// Processes' output, waiting for the first thread to write it: free-running counts, the
// bytes at [head, tail) modulo the size. One process queues at a time (g_owner).
constexpr uint32_t kQueueBytes = 16 * 1024;
char g_queue[kQueueBytes];
volatile uint32_t g_head = 0, g_tail = 0;
volatile uint32_t g_owner = 0;

void write_out(const char* text, uint32_t bytes) {
  while (bytes != 0) {
    const uint32_t n = bytes < kChunk ? bytes : kChunk;
    ak::call_with(CK_CONSOLE_WRITE, n, 0, 0, text, n);
    g_last = text[n - 1];
    text += n;
    bytes -= n;
  }
}
ck_console_rx* g_ring = nullptr;

void echo(const char* text, uint32_t bytes);
LineDiscipline g_tty{echo};  // Linux's n_tty for the console (terminal.h)
void echo(const char* text, uint32_t bytes) { console_write(text, bytes); }  // the first thread's

}  // namespace

void console_write(const char* text, uint32_t bytes) {
  console_flush();
  write_out(text, bytes);
}

bool console_queue(uint32_t owner, const char* text, uint32_t bytes, volatile uint32_t* counted) {
  uint32_t free_owner = 0;
  if (!__atomic_compare_exchange_n(&g_owner, &free_owner, owner, false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
    return false;
  const uint32_t tail = g_tail;
  bool queued = false;
  if (bytes <= kQueueBytes - (tail - g_head)) {
    for (uint32_t i = 0; i < bytes; ++i) g_queue[(tail + i) % kQueueBytes] = text[i];
    // The bytes join the queue and the call's count in one instruction.
    const uint32_t before = *counted;
    queued = ak::compare_and_set_two(&g_tail, tail, tail + bytes, counted, before, before + bytes);
  }
  __atomic_store_n(&g_owner, 0u, __ATOMIC_RELEASE);
  return queued;
}

// Out a console call at a time (256 bytes at most), each ending at a line's end where
// there is one, so that other kernels' lines come between whole lines.
void console_flush() {
  char chunk[kChunk];
  for (;;) {
    const uint32_t head = g_head, tail = g_tail;
    if (head == tail) return;
    uint32_t n = tail - head < kChunk ? tail - head : kChunk;
    for (uint32_t i = 0; i < n; ++i) chunk[i] = g_queue[(head + i) % kQueueBytes];
    uint32_t line_end = n;
    while (line_end > 0 && chunk[line_end - 1] != '\n') --line_end;
    if (line_end != 0) n = line_end;
    write_out(chunk, n);
    g_head = head + n;
  }
}

void console_abandon(uint32_t owner) {
  uint32_t expected = owner;
  __atomic_compare_exchange_n(&g_owner, &expected, 0u, false, __ATOMIC_RELEASE, __ATOMIC_RELAXED);
}

char console_last_byte() { return g_last; }

bool console_attach(const ck_boot_info& info) {
  uint32_t frame;
  if (!memory().allocate(&frame)) return false;
  g_ring = static_cast<ck_console_rx*>(static_cast<void*>(memory().pin(frame)));
  // The boot info is the emulator's own page: the SRM reads the request there.
  const_cast<ck_boot_info&>(info).console_rx = frame;
  return true;
}

bool console_attached() { return g_ring != nullptr; }

uint32_t console_poll() {
  if (g_ring == nullptr) return 0;
  // The SRM moves head; the ring is ours to read.
  const uint32_t head = g_ring->head % CK_CONSOLE_RX_BYTES;
  uint32_t tail = g_ring->tail % CK_CONSOLE_RX_BYTES;
  uint32_t raised = 0;
  while (tail != head) {
    if (const uint32_t signal = g_tty.receive(static_cast<char>(g_ring->data[tail])); signal != 0)
      raised |= 1u << signal;
    tail = (tail + 1) % CK_CONSOLE_RX_BYTES;
  }
  g_ring->tail = tail;
  return raised;
}

bool console_readable() { return g_ring == nullptr || g_tty.readable(); }

bool console_take(char* out, uint32_t count, uint32_t* n) {
  if (g_ring == nullptr) {
    *n = 0;
    return true;
  }
  return g_tty.take(out, count, n);
}

LineDiscipline& console_line() { return g_tty; }

}  // namespace unixemu
