// A hostile application kernel (issue 15; paper §2-§4: the Cache Kernel must protect
// itself and every other kernel from any sequence of calls an application kernel makes).
// Started by the SRM with `faults=keep` (its streams fault on purpose), it makes random
// hostile calls in batches (hostile_calls.h) while threads of its own run hostile
// instruction streams (streams.h). After each batch it drains its ring (checking every
// record's form), has the SRM run the Cache Kernel's invariant walk through its check
// mailbox, checks that the kernel still answers and that the victim kernel progressed.
// Its verdict is its exit code; a failure prints the seed, the batch and the last calls.
//
// Arguments: seed=S calls=N batch=B (calls per batch, default 10000), report=R (a line
// every R batches), ringfull=0|1 (leave its ring full for whole batches, default 1),
// tables=0|1 (now and then hold the page-table pool exhausted for a whole batch, default
// 0: every kernel's loads then fail with CK_E_NO_TABLES, a known starvation the victim
// reports),
// finale=0|1 (end by unloading its own home space or its own thread, default 1),
// trace=C (print every call from call number C on: a reproducer's detail), kernel=K (the
// SRM's number for it).
#include <stdint.h>
#include <string.h>

#include "ak_layout.h"
#include "check_mailbox.h"
#include "hostile_calls.h"
#include "lib/cmdline.h"
#include "libak.h"
#include "streams.h"
#include "world.h"

namespace fuzz {

namespace {

namespace mb = ck::check_mailbox;

constexpr uint32_t kStallBatches = 8;  // batches in a row the victim may make no progress
constexpr uint32_t kCheckWaitTicks = 5000;
constexpr uint32_t kMaintenanceEvery = 64;

World g_world;

struct Options {
  uint32_t kernel = 0, seed = 1, calls = 100000, batch = 10000, report = 0, ringfull = 1, finale = 1, trace = 0,
           tables = 0;
};

Options parse(const ck_boot_info& info) {
  Options o;
  const ck::CommandLine args(reinterpret_cast<const char*>(info.arguments));
  const struct {
    const char* key;
    uint32_t* value;
  } kKeys[] = {{"kernel", &o.kernel}, {"seed", &o.seed},     {"calls", &o.calls},
               {"batch", &o.batch},   {"report", &o.report}, {"ringfull", &o.ringfull},
               {"finale", &o.finale}, {"trace", &o.trace},   {"tables", &o.tables}};
  for (const auto& k : kKeys) {
    ck::StrView v;
    if (args.lookup(k.key, &v)) ck::parse_u32(v, k.value);
  }
  if (o.batch == 0) o.batch = 1;
  return o;
}

mb::Mailbox& mailbox() { return *reinterpret_cast<mb::Mailbox*>(ck::ak_layout::kBootInfo + mb::kMailboxOffset); }

// ---- Its writeback ring ---------------------------------------------------------------

struct RingCounts {
  uint32_t records, malformed, scribbles, dropped;
};
RingCounts g_ring;

ck_ring_header& ring() { return *reinterpret_cast<ck_ring_header*>(g_world.info->ring); }

// Reads every record, checking its form (kind and length); a thread record frees its
// stream slot.
void drain_own_ring() {
  ck_ring_header& h = ring();
  const auto* base = reinterpret_cast<const uint8_t*>(&h);
  h.pending = 0;
  for (uint32_t guard = 0; h.tail != h.head && guard < h.slots; ++guard) {
    if (h.tail == 0 || h.tail >= h.slots) break;
    ck_writeback r;
    memcpy(&r, base + h.tail * CK_RING_SLOT_BYTES, sizeof r);
    const uint32_t want = r.kind == CK_WB_THREAD ? CK_WB_THREAD_SLOTS : r.kind == CK_WB_PAD ? h.slots - h.tail : 1;
    if (r.kind > CK_WB_FAULT || r.slots != want) {
      g_ring.malformed += 1;
      ak::print("fuzz: MALFORMED WRITEBACK at slot {}: kind {} slots {} (expected {})\n", h.tail, r.kind, r.slots,
                want);
      h.tail = h.head;
      return;
    }
    if (r.kind != CK_WB_PAD) g_ring.records += 1;
    if (r.kind == CK_WB_THREAD)
      for (StreamThread& t : g_world.threads)
        if (t.id == r.id) t.id = 0;
    uint32_t next = h.tail + r.slots;
    if (next >= h.slots) next = 1;
    h.tail = next;
  }
}

// A scribbled tail (the Cache Kernel trusts only the tail, and must not trust it either
// to write outside the ring); put right by skipping whatever was written meanwhile.
bool g_scribbled;
void scribble_tail(Rng& rng) {
  g_ring.scribbles += 1;
  g_scribbled = true;
  ring().tail = rng.one_in(2) ? rng.next() : rng.below(ring().slots + 2);
}
void unscribble_tail() {
  if (!g_scribbled) return;
  g_scribbled = false;
  ring().tail = ring().head;
}

// ---- Batches ---------------------------------------------------------------------------

struct Verdict {
  uint32_t invariant_failures, stalls, unanswered, batches;
  uint32_t last_progress, stalled_batches;
};
Verdict g_verdict;

void print_reproducer(const Options& o, uint32_t batch) {
  ak::print("fuzz#{}: reproduce with seed={} calls={} batch={} (failed in batch {}); the last calls:\n", o.kernel,
            o.seed, o.calls, o.batch, batch);
  print_history(16);
}

// The SRM walks the Cache Kernel's invariants for it (CK_QUERY_DIGEST is the first
// kernel's alone); meanwhile its streams and the victim run.
void check_after_batch(const Options& o, uint32_t batch) {
  mb::Mailbox& box = mailbox();
  box.request = batch;
  const uint32_t tick = ak::query(CK_QUERY_TICK_NS).value;
  uint32_t waited = 0;
  while (box.done != batch && waited++ < kCheckWaitTicks) ak::block_self(tick);
  if (box.done != batch) {
    g_verdict.unanswered += 1;
    ak::print("fuzz#{}: the SRM never answered the check after batch {}\n", o.kernel, batch);
    return;
  }
  if (box.status != CK_OK) {
    g_verdict.invariant_failures += 1;
    ak::print("fuzz#{}: INVARIANTS BROKEN after batch {} (status {})\n", o.kernel, batch, box.status);
    print_reproducer(o, batch);
  }
  if (box.victims == 0) return;
  if (box.victim_progress == g_verdict.last_progress) {
    if (++g_verdict.stalled_batches == kStallBatches) {
      g_verdict.stalls += 1;
      ak::print("fuzz#{}: THE VICTIM MADE NO PROGRESS over {} batches (to batch {})\n", o.kernel, kStallBatches, batch);
      print_reproducer(o, batch);
    }
  } else {
    g_verdict.stalled_batches = 0;
  }
  g_verdict.last_progress = box.victim_progress;
}

void maintain(Rng& rng, bool drain) {
  unscribble_tail();
  if (drain) drain_own_ring();
  reap_threads();
  keep_streams_running(rng);
  if (rng.one_in(16)) regenerate_code(rng);
}

// The page-table pool run dry: one space of its own maps a page every 256 KiB (a page
// table each, a pointer table every 32 MiB) until the pool has none left. Its identifier,
// to unload after the batch, or 0.
ck_id exhaust_tables() {
  const ak::CallResult space = ak::load_space(0, 0x7ab1e5, 0);
  if (!space.ok()) return 0;
  uint32_t mapped = 0;
  for (uint32_t va = 0x02000000; va < 0xe0000000; va += 0x40000, ++mapped)
    if (ak::load_mapping(space.value, va, g_world.pool, 0) != CK_OK) break;
  ak::print("fuzz: the page-table pool ran dry after {} mappings\n", mapped);
  return space.value;
}

void run_batch(const Options& o, Rng& rng, uint32_t calls, uint32_t batch) {
  // Now and then a whole batch with the ring left to fill.
  const bool drain = o.ringfull == 0 || !rng.one_in(4);
  const ck_id dry = o.tables != 0 && rng.one_in(4) ? exhaust_tables() : 0;
  uint32_t scribbled_for = 0;
  for (uint32_t i = 0; i < calls; ++i) {
    if (scribbled_for != 0 && --scribbled_for == 0) unscribble_tail();
    if (scribbled_for == 0 && rng.one_in(4000)) {
      scribble_tail(rng);
      scribbled_for = 1 + rng.below(32);
    }
    hostile_call(rng, o.trace);
    if (i % kMaintenanceEvery == 0 && scribbled_for == 0) maintain(rng, drain);
  }
  if (scribbled_for != 0) unscribble_tail();
  if (dry != 0) discard(CK_UNLOAD_SPACE, dry);
  drain_own_ring();
  reap_threads();
  if (!ak::call(CK_NULL).ok()) ak::print("fuzz#{}: the Cache Kernel does not answer after batch {}\n", o.kernel, batch);
  check_after_batch(o, batch);
}

bool clean() {
  const CallCounts& c = call_counts();
  return c.wrong_acceptances == 0 && c.bad_statuses == 0 && g_verdict.invariant_failures == 0 &&
         g_verdict.stalls == 0 && g_verdict.unanswered == 0 && g_ring.malformed == 0 && stream_counts().own_faults == 0;
}

void report(const Options& o) {
  const CallCounts& c = call_counts();
  const StreamCounts& s = stream_counts();
  ak::print(
      "fuzz#{}: seed {}: {} hostile calls in {} batches ({} accepted, {} refused), {} wrong acceptances, {} "
      "impossible statuses\n",
      o.kernel, o.seed, c.calls, g_verdict.batches, c.accepted, c.refused, c.wrong_acceptances, c.bad_statuses);
  ak::print(
      "fuzz#{}: {} invariant checks failed, {} unanswered, victim stalled {} times; ring: {} records, {} "
      "malformed, {} scribbled tails\n",
      o.kernel, g_verdict.invariant_failures, g_verdict.unanswered, g_verdict.stalls, g_ring.records, g_ring.malformed,
      g_ring.scribbles);
  ak::print(
      "fuzz#{}: streams: {} threads, {} exceptions (trap {}, mapping {}, protection {}, address {}, illegal {}, "
      "privilege {}, zero divide {}, chk {}, trapv {}, trace {}, fpu {}, format {}, unknown {}), {} resumed, "
      "{} mapped, {} unloaded by their handler\n",
      o.kernel, s.threads_loaded, s.exceptions, s.by_kind[CK_EXC_TRAP], s.by_kind[CK_EXC_MAPPING],
      s.by_kind[CK_EXC_PROTECTION], s.by_kind[CK_EXC_ADDRESS_ERROR], s.by_kind[CK_EXC_ILLEGAL],
      s.by_kind[CK_EXC_PRIVILEGE], s.by_kind[CK_EXC_ZERO_DIVIDE], s.by_kind[CK_EXC_CHECK], s.by_kind[CK_EXC_OVERFLOW],
      s.by_kind[CK_EXC_TRACE], s.by_kind[CK_EXC_FLOATING_POINT], s.by_kind[CK_EXC_FORMAT], s.by_kind[CK_EXC_UNKNOWN],
      s.resumes, s.mapped, s.unloaded_by_handler);
  ak::print("fuzz#{}: done: {}\n", o.kernel, ck::StrView(clean() ? "clean" : "FAILED"));
}

void set_up(const ck_boot_info& info, const Options& o) {
  World& w = g_world;
  w.info = &info;
  w.kernel = info.kernel;
  w.home = info.space;
  w.self = info.thread;
  ck_kernel_stats stats{};
  ak::kernel_stats(0, &stats);
  w.max_priority = stats.max_priority;
  // Its own thread at the top of its priorities: its streams never starve it.
  ak::set_priority(w.self, w.max_priority);
  const uint32_t free = (info.memory_base + kPage - 1) & ~(kPage - 1);
  w.pool = free;
  w.code_frames = free + kPoolPages * kPage;
  w.stack_frame = w.code_frames + kCodePages * kPage;
  // Window page 0 stays mapped (a pointer its calls may use); page 1 never is.
  ak::load_mapping(w.home, kWindow, w.pool, CK_MAP_WRITE | CK_MAP_LOCK);
  mb::Mailbox& box = mailbox();
  box.role = mb::Role::Fuzzer;
  box.magic = mb::kMagic;
  init_streams(o.seed);
}

// The end: its verdict is set, then it takes itself apart in an odd order.
void finale(const Options& o, Rng& rng) {
  if (o.finale == 0) return;
  drain_own_ring();
  if (rng.one_in(2)) {
    ak::unload_space(g_world.home);  // its own home space, under its running thread
  } else {
    ak::unload_thread(g_world.self);  // itself
  }
}

}  // namespace

World& world() { return g_world; }
void drain_ring() {
  unscribble_tail();  // the reader reads from a tail it can trust
  drain_own_ring();
}

}  // namespace fuzz

int ak_main(const ck_boot_info& info) {
  using namespace fuzz;
  const Options o = parse(info);
  set_up(info, o);
  if (info.memory_end - g_world.stack_frame < kPage) {
    ak::print("fuzz#{}: not enough memory: start it with mem=2\n", o.kernel);
    return 2;
  }
  ak::print("fuzz#{}: seed {}: {} hostile calls in batches of {}, instruction streams in {} threads\n", o.kernel,
            o.seed, o.calls, o.batch, kMaxThreads);
  Rng rng(o.seed);
  for (uint32_t done = 0, batch = 1; done < o.calls; ++batch) {
    const uint32_t n = o.calls - done < o.batch ? o.calls - done : o.batch;
    run_batch(o, rng, n, batch);
    done += n;
    g_verdict.batches = batch;
    if (o.report != 0 && batch % o.report == 0)
      ak::print("fuzz#{}: batch {}: {} calls, {} stream exceptions\n", o.kernel, batch, done,
                stream_counts().exceptions);
  }
  report(o);
  const int verdict = clean() ? 0 : 1;
  const_cast<ck_boot_info&>(info).exit_code = static_cast<uint32_t>(verdict);
  finale(o, rng);
  return verdict;
}
