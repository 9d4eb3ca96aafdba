// The console (console.h).
#include "console.h"

#include "atomic.h"
#include "physical_memory.h"

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
    ak::call(CK_CONSOLE_WRITE, n, 0, 0, 0, text);
    g_last = text[n - 1];
    text += n;
    bytes -= n;
  }
}
ck_console_rx* g_ring = nullptr;

// The line discipline's state: the line being typed, and lines complete and not read.
constexpr uint32_t kLineBytes = 1024;
char g_editing[kLineBytes];
uint32_t g_editing_bytes = 0;
char g_ready[kLineBytes * 2];
uint32_t g_ready_bytes = 0;
uint32_t g_eofs = 0;  // ^D on an empty line: one read returns 0 for each

constexpr char kErase = 0x7f, kBackspace = 0x08, kKill = 0x15 /* ^U */, kEof = 0x04 /* ^D */;

void echo(const char* text, uint32_t bytes) { console_write(text, bytes); }  // the first thread's

// A finished line (with its newline, unless ^D ended it) joins the ready ones.
void finish_line(bool newline) {
  uint32_t n = g_editing_bytes;
  if (n + (newline ? 1 : 0) > sizeof g_ready - g_ready_bytes) return;  // nobody reads: dropped
  for (uint32_t i = 0; i < n; ++i) g_ready[g_ready_bytes++] = g_editing[i];
  if (newline) g_ready[g_ready_bytes++] = '\n';
  g_editing_bytes = 0;
}

void typed(char c) {
  if (c == '\r' || c == '\n') {
    echo("\n", 1);
    finish_line(true);
  } else if (c == kErase || c == kBackspace) {
    if (g_editing_bytes > 0) {
      --g_editing_bytes;
      echo("\b \b", 3);
    }
  } else if (c == kKill) {
    for (; g_editing_bytes > 0; --g_editing_bytes) echo("\b \b", 3);
  } else if (c == kEof) {
    if (g_editing_bytes == 0)
      g_eofs += 1;
    else
      finish_line(false);
  } else if (static_cast<uint8_t>(c) >= ' ' && g_editing_bytes < kLineBytes) {
    g_editing[g_editing_bytes++] = c;
    echo(&c, 1);
  }
}

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
  g_ring = static_cast<ck_console_rx*>(static_cast<void*>(memory().at(frame)));
  // The boot info is the emulator's own page: the SRM reads the request there.
  const_cast<ck_boot_info&>(info).console_rx = frame;
  return true;
}

bool console_attached() { return g_ring != nullptr; }

void console_poll() {
  if (g_ring == nullptr) return;
  // The SRM moves head; the ring is ours to read.
  const uint32_t head = g_ring->head % CK_CONSOLE_RX_BYTES;
  uint32_t tail = g_ring->tail % CK_CONSOLE_RX_BYTES;
  while (tail != head) {
    typed(static_cast<char>(g_ring->data[tail]));
    tail = (tail + 1) % CK_CONSOLE_RX_BYTES;
  }
  g_ring->tail = tail;
}

bool console_readable() { return g_ring == nullptr || g_ready_bytes != 0 || g_eofs != 0; }

bool console_take(char* out, uint32_t count, uint32_t* n) {
  if (g_ring == nullptr) {
    *n = 0;
    return true;
  }
  if (g_ready_bytes == 0) {
    if (g_eofs == 0) return false;
    g_eofs -= 1;
    *n = 0;
    return true;
  }
  // One line at most, as a terminal in canonical mode gives it.
  uint32_t line = 0;
  while (line < g_ready_bytes && g_ready[line] != '\n') ++line;
  if (line < g_ready_bytes) ++line;
  const uint32_t take = line < count ? line : count;
  for (uint32_t i = 0; i < take; ++i) out[i] = g_ready[i];
  for (uint32_t i = take; i < g_ready_bytes; ++i) g_ready[i - take] = g_ready[i];
  g_ready_bytes -= take;
  *n = take;
  return true;
}

}  // namespace unixemu
