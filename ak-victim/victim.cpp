// The victim of the fuzz suite (issue 15; paper §4.3: one kernel's misbehaviour must not
// reach another's memory, objects or processor share). Beside hostile kernels it does
// ordinary work: 64 KiB of its memory in a known pattern, checked every round; pages of
// its own loaded, written, checked, unloaded and loaded again (loads that must succeed
// within a bound: a load starved by another kernel, CK_E_RETRY or CK_E_NO_TABLES for
// longer than that, fails it); every writeback record matched to the mapping it wrote
// back (frame, modified bit, once); and messages to a second thread of its own through
// a message page (paper §2.2), each received once, in order and intact, while the page's
// mappings and the receiver leave the cache and come back. It shows its progress to the
// SRM in its check mailbox and runs until the SRM tells it that no hostile kernel is
// left.
//
// Arguments: kernel=K, rounds=N (at least this many), max=M (at most; 0: no limit).
#include <stdint.h>

#include "ak_layout.h"
#include "check_mailbox.h"
#include "lib/cmdline.h"
#include "libak.h"
#include "pattern.h"
#include "threads.h"

namespace {

namespace mb = ck::check_mailbox;

constexpr uint32_t kPage = 4096;
constexpr uint32_t kWords = 16 * 1024;  // 64 KiB
constexpr uint32_t kScratch = 0x20000000;
constexpr uint32_t kScratchPages = 16;
constexpr uint32_t kLoadTries = 400;  // ticks a load may be starved before the victim fails
// A page mapped for a moment far from the others, read-only: a load that needs new page
// tables (a hostile kernel that exhausts the page-table pool starves it).
constexpr uint32_t kProbe = 0x30000000;
constexpr uint32_t kProbeStride = 0x00400000;

uint32_t g_data[kWords];

struct ScratchPage {
  uint32_t frame;
  uint32_t tag;  // what every word holds (tag ^ index)
  bool mapped, written_since_load;
};
ScratchPage g_pages[kScratchPages];

struct Counts {
  uint32_t loads, writebacks, reclaimed, faults, retries, failures, probes;
};
uint32_t g_probe_va;  // the probe mapping loaded now, or 0
Counts g_counts;
uint32_t g_kernel;
uint32_t g_tick_ns;

mb::Mailbox& mailbox() { return *reinterpret_cast<mb::Mailbox*>(ck::ak_layout::kBootInfo + mb::kMailboxOffset); }

void fail(ck::StrView what, uint32_t detail) {
  g_counts.failures += 1;
  ak::print("victim#{}: {} ({:#x})\n", g_kernel, what, detail);
}

// Another kernel keeps a ring or a cache full: the load is tried again a tick later.
bool starved(int32_t s) { return s == CK_E_RETRY || s == CK_E_NO_TABLES || s == CK_E_NO_DESCRIPTOR; }

// ---- Messaging (paper §2.2) ----------------------------------------------------------
//
// The main thread sends sequence-numbered messages to a second thread, the receiver,
// through one page of its memory mapped twice in its home space: writable in message mode
// at kSendPage, read-only in message mode at kRecvPage with the receiver as its signal
// thread. A message fills a slot of the page (the slot of its sequence number, taken
// again only once the receiver has read it); CK_SIGNAL on the slot runs the receiver's
// signal function with the slot's address at kRecvPage. The protocol: signals go out in
// sequence order, one at a time, and a message is signalled again until its signal is
// delivered to exactly the receiver. A refusal delivered nothing: CK_E_SIGNAL_QUEUE_FULL
// waits for the next round; CK_E_NOT_MAPPED (the page's mappings left the cache: a
// signal mapping takes the writable mappings of its page with it) or no receiver
// reached loads them again first. A receiver written back takes its queued signals
// along: it is loaded again from its record and the messages it had not read are
// signalled again. So every message sent is received exactly once and in order, and
// every signal delivered is handled once. Besides hostile kernels, the victim itself
// takes the mappings and the receiver away now and then, as the cache would.

constexpr uint32_t kSendPage = 0x24000000;
constexpr uint32_t kRecvPage = 0x28000000;
constexpr uint32_t kSlotBytes = 64;
constexpr uint32_t kSlots = kPage / kSlotBytes;
constexpr uint32_t kSlotWords = kSlotBytes / 4;  // the sequence number, then words from it
constexpr uint32_t kMessagesPerRound = 4;
constexpr uint32_t kReceiverWaits = 400;  // faults in a row on its page before it gives up
constexpr uint32_t kMessageFlags = CK_MAP_WRITE | CK_MAP_MESSAGE;

constexpr uint32_t message_word(uint32_t sequence, uint32_t i) {
  return (sequence + 1) * 0x9e3779b1u ^ i * 0x85ebca77u;
}

// The main thread's side (only it touches this).
struct Sender {
  uint32_t frame;                    // the message page
  uint32_t sent, signalled;          // messages written; of those, signals delivered
  uint32_t delivered, lost_signals;  // signals delivered; lost with a receiver written back
  uint32_t queue_full, resent, receiver_loads, taken_away;
  bool send_mapped, send_written, recv_mapped;
  // The receiver: its thread, and its record while it waits to be loaded again.
  ck_id receiver;
  bool receiver_gone;
  uint32_t receiver_priority, receiver_cookie;
  ck_thread_state receiver_state;
};
Sender g_tx;

// The receiver's side (written by it only; the main thread reads it).
struct Receiver {
  volatile uint32_t handled, received;  // signals handled; messages read, in order
  volatile uint32_t duplicated, lost, corrupted, wrong_address, faults, fault_streak, gave_up;
};
Receiver g_rx;
ak::ThreadStacks g_receiver_stacks;

// Its signal function: the message at `address` must be the next one, whole.
void on_message(uint32_t address) {
  g_rx.handled = g_rx.handled + 1;
  const uint32_t offset = address - kRecvPage;
  if (address < kRecvPage || offset >= kPage || offset % kSlotBytes != 0) {
    g_rx.wrong_address = g_rx.wrong_address + 1;
    return;
  }
  const auto* slot = reinterpret_cast<const volatile uint32_t*>(address);
  const uint32_t expected = g_rx.received, sequence = slot[0];
  bool whole = offset / kSlotBytes == expected % kSlots;
  for (uint32_t i = 1; i < kSlotWords; ++i) whole = whole && slot[i] == message_word(sequence, i);
  g_rx.fault_streak = 0;
  if (sequence < expected) {
    g_rx.duplicated = g_rx.duplicated + 1;
  } else if (sequence > expected) {
    g_rx.lost = g_rx.lost + 1;
  } else if (!whole) {
    g_rx.corrupted = g_rx.corrupted + 1;
  } else {
    g_rx.received = expected + 1;
  }
}

// Its own context waits; each signal interrupts it with the signal function.
void receiver(uint32_t) {
  for (;;) ak::block_self(g_tick_ns);
}

// The receiver read its page after the mapping left: the main thread maps it again (each
// round); the receiver waits a tick and reads again.
void receiver_fault() {
  g_rx.faults = g_rx.faults + 1;
  g_rx.fault_streak = g_rx.fault_streak + 1;
  if (g_rx.fault_streak < kReceiverWaits) {
    ak::block_self(g_tick_ns);
    ak::resume();
  }
  g_rx.gave_up = 1;  // the main thread reports it; the receiver stays here
  for (;;) ak::block_self();
}

// ---- Its writeback ring: every record is a mapping or the receiver it had loaded -------

// A record of the message page's mappings or of the receiver (false: another's).
bool message_writeback(const ck_writeback& r, const ck_thread_state& state) {
  if (r.kind == CK_WB_THREAD && r.id == g_tx.receiver && !g_tx.receiver_gone) {
    if ((r.flags & CK_WB_FAULTED) == CK_WB_FAULTED) fail("ITS RECEIVER FAULTED: exception", r.exception);
    if (state.signal_function != ak::signal_entry() ||
        state.exception_stack !=
            reinterpret_cast<uint32_t>(g_receiver_stacks.exception_stack + sizeof g_receiver_stacks.exception_stack))
      fail("ITS RECEIVER CAME BACK CHANGED: signal function", state.signal_function);
    // Signals it had queued are gone with it; the one it was handling, if any, counts as
    // handled once it started (it may have stopped before that: then it is lost too).
    const uint32_t lost = g_tx.delivered - g_tx.lost_signals - g_rx.handled;
    const bool in_signal = (r.flags & CK_WB_IN_SIGNAL) != 0;
    if ((r.flags & CK_WB_SIGNALS_LOST) != 0 ? lost == 0 : lost > (in_signal ? 1u : 0u))
      fail("A RECEIVER'S RECORD WITH A WRONG SIGNALS-LOST FLAG: signals lost", lost);
    g_tx.lost_signals += lost;
    g_tx.signalled = g_rx.received;  // what it had not read is signalled again
    g_tx.receiver_gone = true;       // loaded again before the next signal
    g_tx.receiver_priority = r.va;
    g_tx.receiver_cookie = r.cookie;
    g_tx.receiver_state = state;
    g_counts.writebacks += 1;
    return true;
  }
  if (r.kind != CK_WB_MAPPING || (r.va != kSendPage && r.va != kRecvPage)) return false;
  if (r.pa != g_tx.frame) fail("A MESSAGE-PAGE WRITEBACK WITH ANOTHER FRAME: pa", r.pa);
  const bool modified = (r.flags & CK_WB_MODIFIED) != 0;
  if ((r.flags & CK_WB_RECLAIMED) != 0) g_counts.reclaimed += 1;
  if (r.va == kSendPage) {
    if (!g_tx.send_mapped) fail("ITS SENDING MAPPING WRITTEN BACK TWICE (or never loaded)", r.va);
    if (modified != g_tx.send_written) fail("A WRONG MODIFIED BIT: va", r.va);
    g_tx.send_mapped = false;
  } else {
    if (!g_tx.recv_mapped) fail("ITS RECEIVING MAPPING WRITTEN BACK TWICE (or never loaded)", r.va);
    if (modified || (r.flags & CK_WB_SIGNAL) == 0 || r.exception != g_tx.receiver)
      fail("A RECEIVING MAPPING'S WRITEBACK WITHOUT ITS SIGNAL THREAD: flags", r.flags);
    g_tx.recv_mapped = false;
  }
  g_counts.writebacks += 1;
  return true;
}

void drain() {
  ak::WritebackReader reader(ak::boot_info().ring);
  ck_writeback r;
  ck_thread_state state;
  while (reader.next(&r, &state)) {
    if (message_writeback(r, state)) continue;
    if (r.kind == CK_WB_MAPPING && g_probe_va != 0 && r.va == g_probe_va) {
      if (r.pa != g_pages[0].frame || (r.flags & CK_WB_MODIFIED) != 0) fail("A WRONG PROBE WRITEBACK: pa", r.pa);
      g_probe_va = 0;
      g_counts.writebacks += 1;
      continue;
    }
    const uint32_t index = (r.va - kScratch) / kPage;
    if (r.kind != CK_WB_MAPPING || r.va < kScratch || index >= kScratchPages) {
      fail("A WRITEBACK IT NEVER CAUSED: kind, va", r.kind << 24 ^ r.va);
      continue;
    }
    ScratchPage& p = g_pages[index];
    if (!p.mapped) fail("A MAPPING WRITTEN BACK TWICE (or never loaded): va", r.va);
    if (r.pa != p.frame) fail("A WRITEBACK WITH ANOTHER FRAME: pa", r.pa);
    if (((r.flags & CK_WB_MODIFIED) != 0) != p.written_since_load) fail("A WRONG MODIFIED BIT: va", r.va);
    if ((r.flags & CK_WB_RECLAIMED) != 0) g_counts.reclaimed += 1;
    p.mapped = false;
    g_counts.writebacks += 1;
  }
}

// Loads `va` -> `frame` into its own space, again while another kernel keeps a ring or
// the table pool full (for a bounded time). `*mapped` and `*written` are set and the
// load counted first: a resuming load that succeeds does not come back. The last status.
int32_t load_own(uint32_t va, uint32_t frame, uint32_t flags, bool resume, bool* mapped, bool* written) {
  int32_t s = CK_E_RETRY;
  for (uint32_t tries = 0; tries < kLoadTries; ++tries) {
    drain();
    *written = false;
    *mapped = true;
    g_counts.loads += 1;
    s = resume ? ak::load_mapping_resume(va, frame, flags) : ak::load_mapping(ak::boot_info().space, va, frame, flags);
    if (s == CK_OK) return s;
    *mapped = false;
    g_counts.loads -= 1;
    if (!starved(s)) break;
    g_counts.retries += 1;
    ak::block_self(g_tick_ns);
  }
  return s;
}

// A load of its own page into its own space must succeed.
bool load(uint32_t index, bool resume) {
  ScratchPage& p = g_pages[index];
  const int32_t s = load_own(kScratch + index * kPage, p.frame, CK_MAP_WRITE, resume, &p.mapped, &p.written_since_load);
  if (s == CK_OK) return true;
  fail("A LOAD THAT MUST SUCCEED DID NOT: status", static_cast<uint32_t>(s));
  return false;
}

// Loads a far page (read-only, its first scratch frame), reads it, unloads it.
void probe(uint32_t round) {
  const uint32_t va = kProbe + (round % 64) * kProbeStride;
  int32_t s = CK_E_RETRY;
  for (uint32_t tries = 0; tries < kLoadTries && s != CK_OK; ++tries) {
    drain();
    s = ak::load_mapping(ak::boot_info().space, va, g_pages[0].frame, 0);
    if (s == CK_OK || !starved(s)) break;
    g_counts.retries += 1;
    ak::block_self(g_tick_ns);
  }
  if (s != CK_OK) return fail("A FAR LOAD THAT MUST SUCCEED DID NOT: status", static_cast<uint32_t>(s));
  g_probe_va = va;
  g_counts.loads += 1;
  g_counts.probes += 1;
  if (*reinterpret_cast<volatile uint32_t*>(va) != (g_pages[0].tag ^ 0)) fail("THE PROBE PAGE READS WRONG: va", va);
  const int32_t u = ak::unload_mapping(ak::boot_info().space, va);
  if (u != CK_OK) fail("ITS PROBE COULD NOT BE UNLOADED: status", static_cast<uint32_t>(u));
  drain();
}

// ---- Messaging: the main thread's side ---------------------------------------------------

// Loads the receiver (again, from its record, once it was written back).
bool reload_receiver() {
  int32_t s = CK_E_RETRY;
  for (uint32_t tries = 0; g_tx.receiver_gone && tries < kLoadTries; ++tries) {
    drain();
    const ak::CallResult t = ak::load_thread(ak::boot_info().space, g_tx.receiver_cookie,
                                             g_tx.receiver_priority << CK_PRIORITY_SHIFT, g_tx.receiver_state);
    s = t.status;
    if (s == CK_OK) {
      g_tx.receiver = t.value;
      g_tx.receiver_gone = false;
      g_tx.receiver_loads += 1;
      g_counts.loads += 1;
      return true;
    }
    if (!starved(s)) break;
    g_counts.retries += 1;
    ak::block_self(g_tick_ns);
  }
  if (!g_tx.receiver_gone) return true;
  fail("ITS RECEIVER COULD NOT BE LOADED AGAIN: status", static_cast<uint32_t>(s));
  return false;
}

// The receiving mapping, unless it is loaded (the receiver first, if it left).
bool map_receiving() {
  int32_t s = CK_E_RETRY;
  for (uint32_t tries = 0; tries < kLoadTries; ++tries) {
    drain();
    if (g_tx.recv_mapped) return true;
    if (!reload_receiver()) return false;
    s = ak::load_mapping(ak::boot_info().space, kRecvPage, g_tx.frame, CK_MAP_MESSAGE, g_tx.receiver);
    if (s == CK_OK) {
      g_tx.recv_mapped = true;
      g_counts.loads += 1;
      return true;
    }
    // A stale receiver: it was just written back; its record is read next time round.
    if (!starved(s) && s != CK_E_STALE_ID) break;
    g_counts.retries += 1;
    if (s != CK_E_STALE_ID) ak::block_self(g_tick_ns);
  }
  fail("ITS RECEIVING MAPPING COULD NOT BE LOADED: status", static_cast<uint32_t>(s));
  return false;
}

// The sending mapping, unless it is loaded; `resume`: for the main thread's fault on it
// (then it does not come back when the load succeeds).
bool map_sending(bool resume) {
  drain();
  if (g_tx.send_mapped && !resume) return true;
  // Mapped, yet it faulted on it: a failure.
  const int32_t s = g_tx.send_mapped
                        ? CK_E_RETRY
                        : load_own(kSendPage, g_tx.frame, kMessageFlags, resume, &g_tx.send_mapped, &g_tx.send_written);
  if (s == CK_OK) return true;
  fail("ITS SENDING MAPPING COULD NOT BE LOADED: status", static_cast<uint32_t>(s));
  return false;
}

// Unloads one of the page's mappings (the receiving one takes the sending one with it).
void unload_message_mapping(uint32_t va) {
  int32_t s = CK_E_RETRY;
  for (uint32_t tries = 0; tries < kLoadTries && s == CK_E_RETRY; ++tries) {
    drain();
    s = ak::unload_mapping(ak::boot_info().space, va);
    if (s == CK_E_RETRY) ak::block_self(g_tick_ns);
  }
  if (s != CK_OK && s != CK_E_NOT_MAPPED)
    fail("ITS MESSAGE MAPPING COULD NOT BE UNLOADED: status", static_cast<uint32_t>(s));
  drain();
}

// As the cache may.
void take_away(uint32_t va) {
  unload_message_mapping(va);
  g_tx.taken_away += 1;
}

// Unloads the receiver (its signals queued go with it); its record brings it back.
void unload_receiver() {
  int32_t s = CK_E_RETRY;
  for (uint32_t tries = 0; tries < kLoadTries && s == CK_E_RETRY; ++tries) {
    drain();
    s = ak::unload_thread(g_tx.receiver);
    if (s == CK_E_RETRY) ak::block_self(g_tick_ns);
  }
  if (s != CK_OK) fail("ITS RECEIVER COULD NOT BE UNLOADED: status", static_cast<uint32_t>(s));
  drain();
}

void write_message(uint32_t sequence) {
  auto* slot = reinterpret_cast<volatile uint32_t*>(kSendPage + sequence % kSlots * kSlotBytes);
  for (uint32_t i = 1; i < kSlotWords; ++i) slot[i] = message_word(sequence, i);
  slot[0] = sequence;
  g_tx.send_written = true;
}

enum class Signal { Delivered, Again, Later };

// Signals the first message whose signal has not been delivered.
Signal signal_next() {
  const ak::CallResult s = ak::signal(kSendPage + g_tx.signalled % kSlots * kSlotBytes);
  if (s.status == CK_OK && s.value == 1) {
    g_tx.signalled += 1;
    g_tx.delivered += 1;
    return Signal::Delivered;
  }
  if (s.status == CK_E_SIGNAL_QUEUE_FULL) {
    g_tx.queue_full += 1;
    return Signal::Later;
  }
  if (s.status == CK_E_NOT_MAPPED || (s.status == CK_OK && s.value == 0)) {
    // The page's mappings left (or the receiving one did): load them, signal again.
    g_tx.resent += 1;
    return map_receiving() && map_sending(false) ? Signal::Again : Signal::Later;
  }
  fail("A SIGNAL ON ITS MESSAGE PAGE WAS ANSWERED: status", static_cast<uint32_t>(s.status) ^ s.value << 16);
  return Signal::Later;
}

// A round's messages: those waiting for their signal first, then new ones while the
// receiver keeps up. Every 16 rounds the victim takes something away itself.
void send_messages(uint32_t round) {
  if (!map_receiving()) return;  // a receiver whose mapping left waits for it
  uint32_t written = 0;
  for (uint32_t steps = 0; steps < 4 * kMessagesPerRound && g_counts.failures == 0; ++steps) {
    if (g_tx.signalled < g_tx.sent) {
      if (signal_next() == Signal::Later) break;
      continue;
    }
    if (written == kMessagesPerRound || g_tx.sent - g_rx.received >= kSlots) break;
    write_message(g_tx.sent);  // a fault on the page loads its mappings again
    g_tx.sent += 1;
    written += 1;
    // Between a message and its signal: the signal finds the page unmapped.
    if (round % 16 == 4 && written == 1) take_away(kRecvPage);
  }
  if (round % 16 == 8) take_away(kSendPage);  // the next message faults
  if (round % 16 == 12) {
    // Signals queued for the receiver find its page unmapped: it waits for the next round.
    take_away(kRecvPage);
    ak::block_self(g_tick_ns);
  }
  if (round % 64 == 32) unload_receiver();  // its queued signals are lost, signalled again
}

// Every message sent is received: the last signals delivered and handled.
void finish_messages() {
  for (uint32_t tries = 0; tries < kLoadTries && g_rx.received != g_tx.sent && g_counts.failures == 0; ++tries) {
    if (map_receiving() && g_tx.signalled < g_tx.sent && signal_next() != Signal::Later) continue;
    ak::block_self(g_tick_ns);
  }
}

// A mapping that left the cache (a scratch page written back RECLAIMED, the message
// page's) faults when touched: the main thread loads it again and goes on; the receiver
// waits for the main thread to.
class Handler final : public ak::ExceptionHandler {
 public:
  void exception(ck_exception& e) override {
    const uint32_t page = e.address & ~(kPage - 1);
    if (e.kind == CK_EXC_MAPPING && page == kRecvPage && e.thread == g_tx.receiver) receiver_fault();
    if (e.kind == CK_EXC_MAPPING && page == kSendPage && e.thread != g_tx.receiver) {
      g_counts.faults += 1;
      if (map_receiving()) map_sending(true);  // comes back only when a load failed
      return;
    }
    const uint32_t index = (e.address - kScratch) / kPage;
    if (e.kind != CK_EXC_MAPPING || e.address < kScratch || index >= kScratchPages) return;  // not its to take
    g_counts.faults += 1;
    drain();
    if (g_pages[index].mapped) fail("A FAULT ON A PAGE IT HAS MAPPED: va", e.address);
    g_pages[index].mapped = false;
    load(index, true);  // comes back only when the load failed
  }
};
Handler g_handler;

volatile uint32_t* word_of(uint32_t index, uint32_t i) {
  return reinterpret_cast<volatile uint32_t*>(kScratch + index * kPage) + i;
}

// The page still holds what it was last given, then takes a new tag.
void use_page(uint32_t index, uint32_t tag) {
  ScratchPage& p = g_pages[index];
  if (!p.mapped && !load(index, false)) return;
  for (uint32_t i = 0; i < kPage / 4; ++i)
    if (*word_of(index, i) != (p.tag ^ i)) {
      fail("SCRATCH PAGE CHANGED UNDER IT: va", kScratch + index * kPage + 4 * i);
      break;
    }
  for (uint32_t i = 0; i < kPage / 4; ++i) *word_of(index, i) = tag ^ i;
  p.tag = tag;
  p.written_since_load = true;
}

void unload_page(uint32_t index) {
  drain();
  if (!g_pages[index].mapped) return;
  const int32_t s = ak::unload_mapping(ak::boot_info().space, kScratch + index * kPage);
  if (s != CK_OK) fail("ITS OWN MAPPING COULD NOT BE UNLOADED: status", static_cast<uint32_t>(s));
  drain();
}

}  // namespace

int ak_main(const ck_boot_info& info) {
  uint32_t rounds = 100, max = 0;
  const ck::CommandLine args(reinterpret_cast<const char*>(info.arguments));
  ck::StrView v;
  if (args.lookup("kernel", &v)) ck::parse_u32(v, &g_kernel);
  if (args.lookup("rounds", &v)) ck::parse_u32(v, &rounds);
  if (args.lookup("max", &v)) ck::parse_u32(v, &max);
  ak::set_exception_handler(&g_handler);
  g_tick_ns = ak::query(CK_QUERY_TICK_NS).value;
  const uint32_t first = (info.memory_base + kPage - 1) & ~(kPage - 1);
  for (uint32_t i = 0; i < kScratchPages; ++i) g_pages[i] = ScratchPage{first + i * kPage, 0, false, false};
  // The message page follows them; the receiver runs at this thread's priority.
  g_tx.frame = first + kScratchPages * kPage;
  if (g_tx.frame + kPage > info.memory_end) fail("NO ROOM FOR ITS MESSAGE PAGE: end", info.memory_end);
  ck_thread_stats self{};
  ak::thread_stats(0, &self);
  ak::set_signal_handler(on_message);
  g_tx.receiver_state = ak::thread_state(receiver, 0, g_receiver_stacks, ak::signal_entry());
  g_tx.receiver_priority = self.priority;
  g_tx.receiver_cookie = 1;
  g_tx.receiver_gone = true;
  reload_receiver();
  // Each page starts with tag 0: word i holds i.
  for (uint32_t i = 0; i < kScratchPages; ++i) {
    if (!load(i, false)) break;
    for (uint32_t w = 0; w < kPage / 4; ++w) *word_of(i, w) = w;
    g_pages[i].written_since_load = true;
  }
  mb::Mailbox& box = mailbox();
  box.role = mb::Role::Victim;
  box.magic = mb::kMagic;
  const uint32_t seed = 0x71c7000u + g_kernel;
  ak::Pattern pattern(g_data, kWords, seed);
  pattern.fill();
  uint32_t round = 0;
  for (; (round < rounds || box.stop == 0) && (max == 0 || round < max) && g_counts.failures == 0; ++round) {
    if (!pattern.check_and_step(round)) fail("MEMORY CHANGED UNDER IT in round", round);
    use_page(round % kScratchPages, round * 0x01000193u);
    if (round % 3 == 0) unload_page(round * 7 % kScratchPages);
    if (round % 4 == 0) probe(round / 4);
    send_messages(round);
    drain();
    box.progress = round + 1;
  }
  // Every message sent is received once, in order, whole; every signal delivered handled.
  finish_messages();
  if (!g_tx.receiver_gone) unload_receiver();  // the receiving mapping goes first
  if (g_tx.send_mapped) unload_message_mapping(kSendPage);
  if (g_tx.sent == 0) fail("NO MESSAGE WENT THROUGH", 0);
  if (g_rx.received != g_tx.sent) fail("MESSAGES SENT BUT NOT RECEIVED: received", g_rx.received);
  if (g_rx.duplicated != 0) fail("MESSAGES RECEIVED TWICE", g_rx.duplicated);
  if (g_rx.lost != 0) fail("MESSAGES LOST (a later one came first)", g_rx.lost);
  if (g_rx.corrupted != 0) fail("MESSAGES CORRUPTED", g_rx.corrupted);
  if (g_rx.wrong_address != 0) fail("SIGNALS AT AN ADDRESS NOT A MESSAGE'S", g_rx.wrong_address);
  if (g_rx.gave_up != 0) fail("THE RECEIVER'S PAGE NEVER CAME BACK: faults", g_rx.faults);
  if (g_rx.handled != g_tx.delivered - g_tx.lost_signals)
    fail("SIGNALS DELIVERED BUT NOT HANDLED ONCE EACH: handled", g_rx.handled);
  // Every load is written back exactly once.
  for (uint32_t i = 0; i < kScratchPages; ++i) unload_page(i);
  drain();
  if (g_counts.loads != g_counts.writebacks) fail("LOADS NOT WRITTEN BACK ONCE EACH: loads", g_counts.loads);
  ak::print(
      "victim#{}: {} rounds, {} loads ({} far), {} writebacks ({} reclaimed), {} faults, {} starved load "
      "tries\n",
      g_kernel, round, g_counts.loads, g_counts.probes, g_counts.writebacks, g_counts.reclaimed, g_counts.faults,
      g_counts.retries);
  ak::print(
      "victim#{}: {} messages sent, {} received in order ({} twice, {} lost, {} corrupted); {} signals "
      "delivered, {} handled, {} lost with the receiver (written back and loaded again {} times); {} refused "
      "for a full queue, "
      "{} sent again after the page's mappings left ({} taken away), {} receiver faults\n",
      g_kernel, g_tx.sent, g_rx.received, g_rx.duplicated, g_rx.lost, g_rx.corrupted, g_tx.delivered, g_rx.handled,
      g_tx.lost_signals, g_tx.receiver_loads - 1, g_tx.queue_full, g_tx.resent, g_tx.taken_away, g_rx.faults);
  if (g_counts.failures != 0) {
    ak::print("victim#{}: done: FAILED ({} failures)\n", g_kernel, g_counts.failures);
    return 1;
  }
  ak::print(
      "victim#{}: done: every word as expected, every writeback accounted for, every message received once "
      "and in order\n",
      g_kernel);
  return 0;
}
