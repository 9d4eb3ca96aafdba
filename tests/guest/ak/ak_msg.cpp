// A test application kernel for memory-based messaging (issue 6, paper §2.2, §4.2),
// started as the first kernel by the guest test messaging.cpp, one scenario per start.
// The first kernel sends; kernel B (a second kernel on this image, ak::load_kernel_on_image)
// receives, in its own home space, through a message page both map at different
// addresses. Both see this image's globals, which is how B reports what it received.
#include <stdint.h>
#include <string.h>

#include "channel.h"
#include "checks.h"
#include "libak.h"
#include "rpc.h"
#include "threads.h"

namespace {

using ak::check;
using ak::check_eq;
using ak::print;
using ak::take_frame;

constexpr uint32_t kSenderPage = 0x30000000;    // the message page here
constexpr uint32_t kReceiverPage = 0x50000000;  // and in kernel B's home space
constexpr uint32_t kMessages = 100000;

const ck_boot_info* g_info;  // mapped in this kernel's space only

using ThreadMemory = ak::ThreadStacks;
ThreadMemory g_receiver_memory, g_pager_memory;

uint32_t g_page;                   // the message page's frame
uint32_t g_b_home;                 // kernel B's home space
uint32_t g_b;                      // kernel B
uint32_t g_receiver;               // B's receiving thread
ck_thread_state g_receiver_state;  // what it was loaded with

// A thread running `entry` on `memory`'s stacks, returning into ak::thread_exit.
ck_thread_state thread_state(void (*entry)(uint32_t), ThreadMemory& memory, uint32_t signal_function = 0) {
  return ak::thread_state(entry, 0, memory, signal_function);
}

uint32_t start_thread(uint32_t space, void (*entry)(uint32_t), ThreadMemory& memory, uint32_t priority) {
  const ak::CallResult t = ak::load_thread(space, 0, priority << CK_PRIORITY_SHIFT, thread_state(entry, memory));
  check_eq(t.status, CK_OK, "load a thread");
  return t.value;
}

// Kernel B with a thread running `entry` at `priority`, entering `signal_function`
// (0: none) for its signals, and the message page mapped in both kernels: writable and
// in message mode here, in message mode with that thread as signal thread in B.
void start_receiver(void (*entry)(uint32_t), uint32_t priority, uint32_t signal_function) {
  const ak::ImageKernel b = ak::load_kernel_on_image(take_frame(), 100, 20);
  check_eq(b.status, CK_OK, "start kernel B on this image");
  g_b = b.kernel;
  g_b_home = b.home;
  g_receiver_state = thread_state(entry, g_receiver_memory, signal_function);
  // This thread above it until its page is mapped: a tick must not run it before.
  ck_thread_stats self{};
  check_eq(ak::thread_stats(0, &self), CK_OK, "this thread's priority");
  check_eq(ak::set_priority(g_info->thread, 31), CK_OK, "raise this thread");
  const ak::CallResult t = ak::load_thread(g_b_home, 0, 0, g_receiver_state);
  check_eq(t.status, CK_OK, "load B's receiver");
  g_receiver = t.value;
  g_page = take_frame();
  check_eq(ak::load_mapping(g_info->space, kSenderPage, g_page, CK_MAP_WRITE | CK_MAP_MESSAGE), CK_OK,
           "the sender's mapping");
  check_eq(ak::load_mapping(g_b_home, kReceiverPage, g_page, CK_MAP_WRITE | CK_MAP_MESSAGE, g_receiver), CK_OK,
           "the receiver's signal mapping");
  check_eq(ak::set_priority(g_receiver, priority), CK_OK, "the receiver's priority");
  check_eq(ak::set_priority(g_info->thread, self.priority), CK_OK, "this thread's priority again");
}

void stop_receiver() {
  check_eq(ak::unload_kernel_whole(g_b), CK_OK, "unload kernel B");
  const int32_t s = ak::unload_mapping(g_info->space, kSenderPage);
  check(s == CK_OK || s == CK_E_NOT_MAPPED, "unload the sender's mapping");
  ak::WritebackReader reader(g_info->ring);
  ck_writeback r;
  while (reader.next(&r)) {
  }
}

// ---- 100,000 messages --------------------------------------------------------------

struct Message {
  uint32_t sequence;
  uint32_t check;
};
constexpr uint32_t message_check(uint32_t sequence) { return sequence * 2654435761u ^ 0x5a5a5a5a; }

volatile uint32_t g_received, g_out_of_order, g_bad_check, g_wrong_address, g_own_address_seen;

void channel_receiver(uint32_t) {
  ak::ChannelReceiver channel(kReceiverPage);
  for (uint32_t expected = 0; expected < kMessages; ++expected) {
    Message m{};
    uint32_t bytes = 0, signalled = 0;
    const uint32_t at = channel.receive(&m, &bytes, &signalled);
    if (m.sequence != expected) g_out_of_order = g_out_of_order + 1;
    if (m.check != message_check(m.sequence) || bytes != sizeof m) g_bad_check = g_bad_check + 1;
    // The signal named the message's slot in this space, not the sender's.
    if (signalled != 0 && signalled != at) g_wrong_address = g_wrong_address + 1;
    if (signalled >= kReceiverPage && signalled < kReceiverPage + 4096) g_own_address_seen = g_own_address_seen + 1;
    g_received = g_received + 1;
  }
}

void hundred_thousand() {
  // The receiver above the sender: each signal hands it the processor.
  start_receiver(channel_receiver, 10, 0);
  ak::ChannelSender channel(kSenderPage);
  uint32_t not_delivered = 0;
  const uint32_t t0 = ak::now();
  for (uint32_t i = 0; i < kMessages; ++i) {
    const Message m{.sequence = i, .check = message_check(i)};
    if (channel.send(&m, sizeof m) != CK_OK) not_delivered += 1;
  }
  const uint32_t elapsed = ak::now() - t0;
  for (uint32_t i = 0; i < 100 && g_received < kMessages; ++i) ak::block_self(1000000);
  print("ak_msg: {} messages received in {} ns ({} per message); {} signals seen at the receiver's own address\n",
        g_received, elapsed, elapsed / kMessages, g_own_address_seen);
  check_eq(g_received, kMessages, "every message received");
  check_eq(g_out_of_order, 0, "none lost or duplicated (sequence numbers)");
  check_eq(g_bad_check, 0, "none corrupted");
  check_eq(g_wrong_address, 0, "each signal gave the message's address in the receiver's space");
  check_eq(g_own_address_seen, kMessages, "a signal for every message");
  check_eq(not_delivered, 0, "every signal delivered");
  stop_receiver();
}

// ---- A burst while the receiver is in its signal function ----------------------------

constexpr uint32_t kBurst = CK_SIGNAL_QUEUE + 2;  // one in the function, 16 queued, one too many
volatile uint32_t g_handled[kBurst];
volatile uint32_t g_handled_count;

void record_signal(uint32_t address) {
  const uint32_t n = g_handled_count;
  if (n < kBurst) g_handled[n] = address;
  g_handled_count = n + 1;
}

void busy_receiver(uint32_t) {
  for (;;) {
  }  // ready all along: signals interrupt it with its signal function
}

void burst() {
  ak::set_signal_handler(record_signal);
  // The receiver below the sender: it runs its signal function only when the sender
  // stops, so the burst queues behind the first signal.
  check_eq(ak::set_priority(g_info->thread, 5), CK_OK, "the sender above the receiver");
  start_receiver(busy_receiver, 1, ak::signal_entry());
  int32_t status[kBurst];
  for (uint32_t i = 0; i < kBurst; ++i) status[i] = ak::signal(kSenderPage + 4 * i).status;
  for (uint32_t i = 0; i + 1 < kBurst; ++i) check_eq(status[i], CK_OK, "a signal of the burst delivered or queued");
  check_eq(status[kBurst - 1], CK_E_SIGNAL_QUEUE_FULL, "the one past the queue is refused to the sender");
  // The receiver handles them while the sender sleeps: up to a second of the virtual
  // clock, which is the host's (a loaded host gives the guest less of each millisecond).
  for (uint32_t i = 0; i < 1000 && g_handled_count < kBurst - 1; ++i) ak::block_self(1000000);
  check_eq(g_handled_count, kBurst - 1, "every accepted signal handled");
  for (uint32_t i = 0; i + 1 < kBurst; ++i)
    check_eq(g_handled[i], kReceiverPage + 4 * i, "handled in order, at the receiver's address");
  stop_receiver();
}

// ---- Multi-mapping consistency ------------------------------------------------------

// The sender's handler: a fault on the message page loads every mapping of it (the
// receiver's signal mapping too, §4.2's rule for application kernels, unless the
// receiver is unloaded) and resumes.
volatile uint32_t g_refaults;
volatile uint32_t g_receiver_unloaded;
class Handler final : public ak::ExceptionHandler {
 public:
  void exception(ck_exception& e) override {
    if (e.kind == CK_EXC_MAPPING && (e.address & ~4095u) == kSenderPage) {
      g_refaults = g_refaults + 1;
      if (g_receiver_unloaded == 0)
        check_eq(ak::load_mapping(g_b_home, kReceiverPage, g_page, CK_MAP_WRITE | CK_MAP_MESSAGE, g_receiver), CK_OK,
                 "reload the receiver's signal mapping");
      ak::load_mapping_resume(kSenderPage, g_page, CK_MAP_WRITE | CK_MAP_MESSAGE);
    }
    check(false, "an unexpected exception");
    print("ak_msg: exception {} at pc {:#x}, address {:#x}\n", e.kind, e.regs.pc, e.address);
    ak::unload_thread(e.thread);
  }
};
Handler g_handler;

volatile uint32_t g_waited[4];
volatile uint32_t g_waits;

void waiting_receiver(uint32_t) {
  for (;;) {
    const uint32_t at = ak::wait_signal().value;
    g_waited[g_waits % 4] = at;
    g_waits = g_waits + 1;
  }
}

void consistency() {
  ak::set_exception_handler(&g_handler);
  start_receiver(waiting_receiver, 10, 0);
  auto* word = reinterpret_cast<volatile uint32_t*>(kSenderPage + 8);
  *word = 1;
  check_eq(ak::signal(kSenderPage + 8).value, 1, "delivered before");
  check_eq(g_waits, 1, "the receiver woke");
  // The receiver's signal mapping leaves: the sender's writable mapping goes with it.
  check_eq(ak::unload_mapping(g_b_home, kReceiverPage), CK_OK, "unload the receiver's mapping");
  check_eq(ak::signal(kSenderPage + 8).status, CK_E_NOT_MAPPED, "the sender's mapping was flushed");
  *word = 2;  // faults; the handler loads both mappings again
  check_eq(g_refaults, 1, "the sender's next write faulted");
  check_eq(ak::signal(kSenderPage + 8).value, 1, "delivery restored");
  check_eq(g_waits, 2, "the receiver woke again");
  check_eq(g_waited[1], kReceiverPage + 8, "at its own address");
  stop_receiver();
}

// ---- Signal redirection (§2.3) ---------------------------------------------------------

// Kernel B points the page's signals at its pager thread (a read-only message mapping at
// another address, which the flush of writable mappings leaves alone) and unloads the
// receiver. A message then reaches the pager, which loads the receiver and its mapping
// again and passes the signal on; the receiver gets it at its own address.
constexpr uint32_t kRedirectPage = 0x58000000;  // the pager's mapping, in B's home space
volatile uint32_t g_redirected, g_reloads;

void pager(uint32_t) {
  for (;;) {
    const uint32_t at = ak::wait_signal().value;
    g_redirected = at;
    if (g_receiver_unloaded == 0) continue;
    const ak::CallResult t = ak::load_thread(g_b_home, 0, 10 << CK_PRIORITY_SHIFT, g_receiver_state);
    check_eq(t.status, CK_OK, "the pager reloads the receiver");
    g_receiver = t.value;
    check_eq(ak::load_mapping(g_b_home, kReceiverPage, g_page, CK_MAP_WRITE | CK_MAP_MESSAGE, g_receiver), CK_OK,
             "and its signal mapping");
    g_receiver_unloaded = 0;
    g_reloads = g_reloads + 1;
    check_eq(ak::signal(at).value, 1, "the pager passes the signal on");
  }
}

void redirect() {
  ak::set_exception_handler(&g_handler);
  start_receiver(waiting_receiver, 10, 0);
  const uint32_t pager_thread = start_thread(g_b_home, pager, g_pager_memory, 15);
  check_eq(ak::load_mapping(g_b_home, kRedirectPage, g_page, CK_MAP_MESSAGE, pager_thread), CK_OK,
           "redirect the page's signals to the pager");
  check_eq(ak::signal(kSenderPage + 12).value, 2, "receiver and pager both signalled");
  check_eq(g_waited[0], kReceiverPage + 12, "the receiver at its address");
  check_eq(g_redirected, kRedirectPage + 12, "the pager at its own");

  g_receiver_unloaded = 1;
  check_eq(ak::unload_thread(g_receiver), CK_OK, "unload the waiting receiver");
  const uint32_t waits = g_waits;
  *reinterpret_cast<volatile uint32_t*>(kSenderPage + 16) = 7;  // faults: the sender's mapping was flushed
  check_eq(g_refaults, 1, "the sender's write faulted");
  check_eq(ak::signal(kSenderPage + 16).value, 1, "only the pager is there to signal");
  check_eq(g_reloads, 1, "the pager reloaded the receiver");
  check_eq(g_waits, waits + 1, "the reloaded receiver got the signal");
  check_eq(g_waited[waits % 4], kReceiverPage + 16, "at its own address");
  stop_receiver();
}

// ---- The writeback channel's signal ---------------------------------------------------

// This kernel maps its writeback ring in message mode with a writeback thread as signal
// thread: the first record after the thread found the ring empty wakes it (§2.2).
volatile uint32_t g_wb_wakeups, g_wb_records, g_wb_wrong_address;

void writeback_thread(uint32_t) {
  for (;;) {
    const uint32_t at = ak::wait_signal().value;
    if (at != g_info->ring) g_wb_wrong_address = g_wb_wrong_address + 1;
    g_wb_wakeups = g_wb_wakeups + 1;
    ak::WritebackReader reader(g_info->ring);
    ck_writeback r;
    while (reader.next(&r)) g_wb_records = g_wb_records + 1;
  }
}

void writeback_signal() {
  const uint32_t writer = start_thread(g_info->space, writeback_thread, g_pager_memory, 0);
  // The ring's mapping again, in message mode with the writeback thread (the old one's
  // record, written as it leaves, is read here).
  check_eq(ak::unload_mapping(g_info->space, g_info->ring), CK_OK, "unload the ring's mapping");
  check_eq(ak::load_mapping(g_info->space, g_info->ring, g_info->ring_physical,
                            CK_MAP_WRITE | CK_MAP_LOCK | CK_MAP_MESSAGE, writer),
           CK_OK, "map the ring with a writeback thread");
  ak::WritebackReader reader(g_info->ring);
  ck_writeback r;
  while (reader.next(&r)) {
  }
  check_eq(ak::set_priority(writer, 20), CK_OK, "the writeback thread above this one");
  const uint32_t frame = take_frame();
  for (uint32_t i = 0; i < 10; ++i) {
    check_eq(ak::load_mapping(g_info->space, kSenderPage, frame, CK_MAP_WRITE), CK_OK, "load a mapping");
    check_eq(ak::unload_mapping(g_info->space, kSenderPage), CK_OK, "unload it: one record");
  }
  print("ak_msg: writeback thread: {} wake-ups, {} records\n", g_wb_wakeups, g_wb_records);
  check_eq(g_wb_records, 10, "every record read by the writeback thread");
  check_eq(g_wb_wakeups, 10, "one wake-up per record, each after it found the ring empty");
  check_eq(g_wb_wrong_address, 0, "signalled at the ring's address in this space");
  check_eq(ak::unload_thread(writer), CK_OK, "unload the writeback thread (and the ring's signal mapping)");
}

// ---- Devices through messaging ----------------------------------------------------------

// The console: a reader thread is the signal thread of the receive page; it collects a
// line and writes "echo: <line>" through the transmit page (the harness checks the
// console shows it).
constexpr uint32_t kTxPage = 0x60000000, kRxPage = 0x60001000, kClockPage = 0x60002000;
volatile uint32_t g_echoed, g_reader_signals;

void console_reader(uint32_t) {
  auto* rx = reinterpret_cast<ck_console_rx*>(kRxPage);
  char line[64];
  uint32_t n = 0;
  for (;;) {
    while (rx->tail != rx->head) {
      const char c = static_cast<char>(rx->data[rx->tail]);
      rx->tail = (rx->tail + 1) % CK_CONSOLE_RX_BYTES;
      if (c != '\r' && c != '\n') {
        if (n < sizeof line) line[n++] = c;
        continue;
      }
      char* text = reinterpret_cast<char*>(kTxPage + 4);
      memcpy(text, "echo: ", 6);
      memcpy(text + 6, line, n);
      text[6 + n] = '\n';
      *reinterpret_cast<uint32_t*>(kTxPage) = 7 + n;
      check_eq(ak::signal(kTxPage).value, 1, "the console driver took the line");
      g_echoed = 1;
      return;
    }
    ak::wait_signal();
    g_reader_signals = g_reader_signals + 1;
  }
}

void console_echo() {
  // Above the reader until its pages are mapped: a tick must not run it before.
  check_eq(ak::set_priority(g_info->thread, 20), CK_OK, "raise this thread");
  const uint32_t reader = start_thread(g_info->space, console_reader, g_receiver_memory, 0);
  check_eq(ak::load_mapping(g_info->space, kTxPage, g_info->console_tx, CK_MAP_WRITE | CK_MAP_MESSAGE), CK_OK,
           "map the console's transmit page");
  check_eq(ak::load_mapping(g_info->space, kRxPage, g_info->console_rx, CK_MAP_WRITE | CK_MAP_MESSAGE, reader), CK_OK,
           "map the receive page, the reader its signal thread");
  check_eq(ak::set_priority(reader, 10), CK_OK, "the reader's priority");
  for (uint32_t i = 0; i < 500 && g_echoed == 0; ++i) ak::block_self(ak::query(CK_QUERY_TICK_NS).value);
  check_eq(g_echoed, 1, "the typed line was echoed");
  // Typed at start-up, the line may be in the ring before the reader first looks.
  print("ak_msg: console reader woken {} times by input signals\n", g_reader_signals);
}

// The clock: a thread that is the signal thread of the clock page gets a timer signal
// on every tick and reads the time there.
volatile uint32_t g_clock_signals, g_clock_backwards, g_clock_ticks_seen;

void clock_watcher(uint32_t) {
  const auto* c = reinterpret_cast<const ck_clock*>(kClockPage);
  uint32_t last = 0;
  for (;;) {
    ak::wait_signal();
    uint32_t sequence, ticks;
    do {
      sequence = c->sequence;
      ticks = c->ticks_low;
    } while (sequence != c->sequence || (sequence & 1) != 0);
    if (ticks <= last) g_clock_backwards = g_clock_backwards + 1;
    last = ticks;
    g_clock_ticks_seen = ticks;
    g_clock_signals = g_clock_signals + 1;
  }
}

void clock() {
  const uint32_t watcher = start_thread(g_info->space, clock_watcher, g_pager_memory, 10);
  check_eq(ak::load_mapping(g_info->space, kClockPage, g_info->clock, CK_MAP_MESSAGE, watcher), CK_OK,
           "map the clock page read-only, the watcher its signal thread");
  const uint32_t tick_ns = ak::query(CK_QUERY_TICK_NS).value;
  const auto* page = reinterpret_cast<const ck_clock*>(kClockPage);
  const uint32_t first = g_clock_signals, first_tick = page->ticks_low;
  ak::block_self(20 * tick_ns);
  const uint32_t signals = g_clock_signals - first, ticks = page->ticks_low - first_tick;
  print("ak_msg: clock: {} timer signals in {} ticks, last tick {}\n", signals, ticks, g_clock_ticks_seen);
  // One signal per pass of the tick handler; a late host may fold several ticks into one.
  check(ticks >= 20 && signals >= ticks / 2 && signals <= ticks + 1, "timer signals as the ticks go");
  check_eq(g_clock_backwards, 0, "the clock page's tick count only grows");
  check_eq(reinterpret_cast<const ck_clock*>(kClockPage)->tick_ns, tick_ns, "the page's tick length");
  check_eq(ak::unload_thread(watcher), CK_OK, "unload the watcher");
}

// ---- The disk ------------------------------------------------------------------------------

// A block written in one boot is read back in the next (a new QEMU on the same disk
// image): the pattern comes from the token the harness gives both boots.
constexpr uint32_t kRequestPage = 0x61000000, kDataPage = 0x61001000;
constexpr uint32_t kDiskSector = 5;

uint32_t pattern(uint32_t token, uint32_t i) { return token ^ (i * 2654435761u); }

uint32_t parse_hex(const char* text) {
  uint32_t v = 0;
  for (; *text != '\0'; ++text) {
    const char c = *text;
    v = v << 4 | static_cast<uint32_t>(c >= 'a' ? c - 'a' + 10 : c - '0');
  }
  return v;
}

// One request through the disk's pages, answered by a signal to this thread.
int32_t disk_request(uint32_t op) {
  auto* r = reinterpret_cast<ck_disk_request*>(kRequestPage);
  *r = ck_disk_request{.op = op, .status = 1, .sector = kDiskSector, .count = 8, .data_offset = 0};
  check_eq(ak::signal(kRequestPage).value, 1, "the disk driver took the request");
  check_eq(ak::wait_signal().value, kRequestPage, "its answer, signalled at the request");
  return r->status;
}

void map_disk() {
  check(g_info->disk_sectors >= kDiskSector + 8, "a disk is attached");
  check_eq(ak::load_mapping(g_info->space, kRequestPage, g_info->disk_request, CK_MAP_WRITE | CK_MAP_MESSAGE,
                            g_info->thread),
           CK_OK, "map the disk's request page, this thread its signal thread");
  check_eq(ak::load_mapping(g_info->space, kDataPage, g_info->disk_data, CK_MAP_WRITE), CK_OK,
           "map the disk's data page");
}

void disk_write() {
  const uint32_t token = parse_hex(ak::scenario_argument());
  map_disk();
  auto* data = reinterpret_cast<uint32_t*>(kDataPage);
  for (uint32_t i = 0; i < 1024; ++i) data[i] = pattern(token, i);
  check_eq(disk_request(CK_DISK_WRITE), CK_OK, "write 8 sectors");
  for (uint32_t i = 0; i < 1024; ++i) data[i] = 0;
  check_eq(disk_request(CK_DISK_READ), CK_OK, "read them back");
  uint32_t wrong = 0;
  for (uint32_t i = 0; i < 1024; ++i) wrong += data[i] != pattern(token, i);
  check_eq(wrong, 0, "the same boot reads what it wrote");
  print("ak_msg: disk: wrote sectors {}..{} with token {:#x}\n", kDiskSector, kDiskSector + 7, token);
}

void disk_read() {
  const uint32_t token = parse_hex(ak::scenario_argument());
  map_disk();
  auto* data = reinterpret_cast<uint32_t*>(kDataPage);
  for (uint32_t i = 0; i < 1024; ++i) data[i] = 0;
  check_eq(disk_request(CK_DISK_READ), CK_OK, "read 8 sectors");
  uint32_t wrong = 0;
  for (uint32_t i = 0; i < 1024; ++i) wrong += data[i] != pattern(token, i);
  print("ak_msg: disk: read sectors {}..{}: {} words differ from token {:#x}'s pattern\n", kDiskSector, kDiskSector + 7,
        wrong, token);
  check_eq(wrong, 0, "the block written before the reboot");
}

// ---- RPC over two channels --------------------------------------------------------------

// Kernel B serves procedures through libak's RPC stubs; this kernel calls them.
constexpr uint32_t kRequestsHere = 0x62000000, kRepliesHere = 0x62001000;
constexpr uint32_t kRequestsInB = 0x52000000, kRepliesInB = 0x52001000;
struct AddArguments {
  uint32_t a, b;
};
struct AddResults {
  uint32_t sum;
};
int32_t add(const AddArguments& in, AddResults* out) {
  out->sum = in.a + in.b;
  return CK_OK;
}
struct Text {
  char bytes[16];
};
int32_t reverse(const Text& in, Text* out) {
  for (uint32_t i = 0; i < 16; ++i) out->bytes[i] = in.bytes[15 - i];
  return CK_OK;
}

void rpc_server(uint32_t) {
  ak::RpcServer server(kRequestsInB, kRepliesInB);
  server.provide(0, ak::RpcServer::stub<AddArguments, AddResults, add>);
  server.provide(1, ak::RpcServer::stub<Text, Text, reverse>);
  for (;;) server.serve_one();
}

void rpc() {
  // Above the server until its pages are mapped (start_receiver keeps this priority).
  check_eq(ak::set_priority(g_info->thread, 31), CK_OK, "raise this thread");
  start_receiver(rpc_server, 0, 0);  // kernel B; the message page of start_receiver goes unused
  const uint32_t requests = take_frame(), replies = take_frame();
  const uint32_t flags = CK_MAP_WRITE | CK_MAP_MESSAGE;
  check_eq(ak::load_mapping(g_b_home, kRequestsInB, requests, flags, g_receiver), CK_OK, "requests in B");
  check_eq(ak::load_mapping(g_b_home, kRepliesInB, replies, flags), CK_OK, "replies in B");
  check_eq(ak::load_mapping(g_info->space, kRequestsHere, requests, flags), CK_OK, "requests here");
  check_eq(ak::load_mapping(g_info->space, kRepliesHere, replies, flags, g_info->thread), CK_OK, "replies here");
  check_eq(ak::set_priority(g_receiver, 10), CK_OK, "the server's priority");
  check_eq(ak::set_priority(g_info->thread, 0), CK_OK, "the client below the server");
  ak::RpcClient client(kRequestsHere, kRepliesHere);
  uint32_t wrong = 0;
  for (uint32_t i = 0; i < 1000; ++i) {
    AddResults r{};
    const int32_t s = client.call(0, AddArguments{i * 7919u, ~i}, &r);
    wrong += s != CK_OK || r.sum != i * 7919u + ~i;
  }
  check_eq(wrong, 0, "1,000 calls of add answered right");
  Text in{}, out{};
  memcpy(in.bytes, "0123456789abcdef", 16);
  check_eq(client.call(1, in, &out), CK_OK, "reverse");
  check(memcmp(out.bytes, "fedcba9876543210", 16) == 0, "reversed");
  check_eq(client.call(7, in, &out), CK_E_OPERATION, "a procedure the server does not have");
  stop_receiver();
  // B's receiving mapping of the requests page left with B: this kernel's writable one
  // was flushed with it; the replies page still has its receiver here.
  check_eq(ak::unload_mapping(g_info->space, kRequestsHere), CK_E_NOT_MAPPED, "requests flushed");
  check_eq(ak::unload_mapping(g_info->space, kRepliesHere), CK_OK, "unmap replies");
}

}  // namespace

int ak_main(const ck_boot_info& info) {
  g_info = &info;
  static constexpr ak::Scenario kScenarios[] = {
      {"hundred_thousand", hundred_thousand},
      {"burst", burst},
      {"consistency", consistency},
      {"redirect", redirect},
      {"writeback_signal", writeback_signal},
      {"console_echo", console_echo},
      {"clock", clock},
      {"disk_write", disk_write},
      {"disk_read", disk_read},
      {"rpc", rpc},
  };
  return ak::run_scenario(kScenarios);
}
