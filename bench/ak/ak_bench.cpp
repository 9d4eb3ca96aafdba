// The benchmark application kernel (paper §5.2 Table 2, §5.3; issue 4): started as the
// first kernel by bench/cache_kernel_ops.cpp under QEMU -icount shift=0, where the
// Cache Kernel's clock (CK_QUERY_TIME) counts executed instructions. It times each
// operation of the call interface from the application kernel's side, trap entry and
// exit included, and prints `KBENCH <name> <instructions> <what>` lines.
//
// One sample is t1 - t0 - q around the operation, where t0 and t1 are CK_QUERY_TIME
// calls and q is the median of two back-to-back queries (the measuring itself). Each
// figure is the median of its samples, so that a timer tick landing in one sample does
// not move it.
#include <stdint.h>
#include <string.h>

#include "channel.h"
#include "checks.h"
#include "libak.h"

namespace {

using ak::check;
using ak::check_eq;
using ak::print;
using ak::take_frame;
using ck::StrView;

constexpr uint32_t kPage = 4096;

const ck_boot_info* g_info;
// ---- Measuring ----------------------------------------------------------------------

uint32_t now() { return ak::query(CK_QUERY_TIME).value; }

constexpr uint32_t kMaxSamples = 512;

class Samples {
 public:
  void add(uint32_t instructions) {
    if (count_ < kMaxSamples) values_[count_++] = instructions;
  }
  uint32_t count() const { return count_; }
  uint32_t median() {
    // Insertion sort: a few hundred samples.
    for (uint32_t i = 1; i < count_; ++i)
      for (uint32_t j = i; j > 0 && values_[j - 1] > values_[j]; --j) {
        const uint32_t v = values_[j];
        values_[j] = values_[j - 1];
        values_[j - 1] = v;
      }
    return count_ == 0 ? 0 : values_[count_ / 2];
  }

 private:
  uint32_t values_[kMaxSamples];
  uint32_t count_ = 0;
};

uint32_t g_query_cost;

// Instructions between two clock readings, less the cost of reading the clock.
uint32_t elapsed(uint32_t t0, uint32_t t1) {
  const uint32_t d = t1 - t0;
  return d > g_query_cost ? d - g_query_cost : 0;
}

template <typename Op>
uint32_t timed(Op op) {
  const uint32_t t0 = now();
  op();
  const uint32_t t1 = now();
  return elapsed(t0, t1);
}

void report(StrView name, Samples& s, StrView what) {
  if (s.count() == 0) {
    check(false, "a figure without samples");
    print("ak_bench: no samples for {}\n", name);
    return;
  }
  print("KBENCH {} {} {} (median of {})\n", name, s.median(), what, s.count());
}

void measure_query_cost() {
  Samples s;
  for (uint32_t i = 0; i < 64; ++i) {
    const uint32_t t0 = now();
    const uint32_t t1 = now();
    s.add(t1 - t0);
  }
  g_query_cost = s.median();
  print("KBENCH query_time {} CK_QUERY_TIME call, subtracted from every figure (median of {})\n", g_query_cost,
        s.count());
}

// ---- Writeback ------------------------------------------------------------------------

struct Drained {
  uint32_t records = 0;
  ck_writeback last{};
};

Drained drain() {
  Drained d;
  ak::WritebackReader reader(g_info->ring);
  ck_writeback r;
  ck_thread_state state;
  while (reader.next(&r, &state)) {
    d.records += 1;
    d.last = r;
  }
  return d;
}

// Unloads a space with everything in it, emptying the ring as often as it fills.
void unload_space_fully(uint32_t space) {
  int32_t s;
  while ((s = ak::unload_space(space)) == CK_E_RETRY || s == CK_E_PARTIAL) drain();
  check_eq(s, CK_OK, "unload a space");
  drain();
}

// ---- Programs run by threads in another address space -------------------------------

constexpr uint32_t kCode = 0x00001000;
constexpr uint32_t kTouchRegion = 0x40000000;  // pages the touch program faults on
constexpr uint32_t kTrapProgram = kCode;
constexpr uint32_t kTouchProgram = kCode + 0x10;
constexpr uint32_t kUnloadMeProgram = kCode + 0x20;
const uint16_t kPrograms[] = {
    // kTrapProgram: a system call in a loop.
    0x4e41,  // 1: trap #1
    0x60fc,  //    bra.s 1b
    0, 0, 0, 0, 0, 0,
    // kTouchProgram: reads one word of each page from a0 up.
    0x2210,                  // 1: move.l (%a0), %d1
    0xd1fc, 0x0000, 0x1000,  //    adda.l #4096, %a0
    0x60f6,                  //    bra.s 1b
    0, 0, 0,
    // kUnloadMeProgram: asks its kernel to unload it (threads loaded only to be timed).
    0x4e43,  // trap #3
    0x60fc,  // bra.s .-2
};

// A space with the programs mapped at kCode.
uint32_t program_space() {
  const ak::CallResult space = ak::load_space(0, 0, 0);
  check_eq(space.status, CK_OK, "load a program space");
  constexpr uint32_t kScratch = 0x30000000;
  const uint32_t code = take_frame();
  check_eq(ak::load_mapping(g_info->space, kScratch, code, CK_MAP_WRITE), CK_OK, "map the code page");
  memcpy(reinterpret_cast<void*>(kScratch), kPrograms, sizeof kPrograms);
  check_eq(ak::sync_code(kScratch, sizeof kPrograms), CK_OK, "sync the code");
  check_eq(ak::unload_mapping(g_info->space, kScratch), CK_OK, "unmap the code page");
  drain();
  check_eq(ak::load_mapping(space.value, kCode, code, 0), CK_OK, "map the programs");
  return space.value;
}

constexpr uint32_t kThreadStacks = 256;
constexpr uint32_t kThreadStackBytes = 1024;
uint8_t g_exception_stacks[kThreadStacks][kThreadStackBytes];

ck_thread_state thread_at(uint32_t pc, uint32_t index) {
  ck_thread_state state{};
  state.regs.pc = pc;
  state.exception_stack = reinterpret_cast<uint32_t>(g_exception_stacks[index % kThreadStacks] + kThreadStackBytes);
  return state;
}

// ---- The exception handler ------------------------------------------------------------

constexpr uint32_t kRounds = 256;  // forwarded traps and faults timed
constexpr uint32_t kOwnRegion = 0x20000000;

constexpr uint32_t kTimedCookie = 0x7173;  // the thread in another space whose exceptions are stamped
volatile uint32_t g_stamps_taken;
uint32_t g_stamps[kRounds + 1];
uint32_t g_handler_stamp;  // when the handler of a fault of this kernel's own thread began
uint32_t g_region_frames;  // first of the frames backing the touched regions

class Handler final : public ak::ExceptionHandler {
 public:
  void exception(ck_exception& e) override {
    if (e.kind == CK_EXC_TRAP && e.vector == 3) ak::unload_thread(e.thread);
    if (e.thread == g_info->thread && e.kind == CK_EXC_MAPPING) own_fault(e);
    if (e.thread_cookie == kTimedCookie) timed_exception(e);
  }

 private:
  // A fault of the main thread: the mapping-load-and-resume after the stamp is timed.
  static void own_fault(const ck_exception& e) {
    const uint32_t page = e.address & ~(kPage - 1);
    g_handler_stamp = now();
    check_eq(ak::load_mapping_resume(page, frame_for(page - kOwnRegion), 0), CK_OK, "load_mapping_resume");
  }

  // One round of a thread in another space: stamped at entry; the difference between
  // consecutive stamps is a whole round trip.
  static void timed_exception(const ck_exception& e) {
    const uint32_t stamp = now();
    const uint32_t n = g_stamps_taken;
    if (n <= kRounds) g_stamps[n] = stamp;
    g_stamps_taken = n + 1;
    if (n >= kRounds) ak::unload_thread(e.thread);
    if (e.kind == CK_EXC_TRAP) {
      ak::resume();
    } else if (e.kind == CK_EXC_MAPPING) {
      const uint32_t page = e.address & ~(kPage - 1);
      check_eq(ak::load_mapping_resume(page, frame_for(page - kTouchRegion), 0), CK_OK, "load_mapping_resume");
    }
  }

  static uint32_t frame_for(uint32_t offset) { return g_region_frames + offset; }
};
Handler g_handler;

// ---- Figures --------------------------------------------------------------------------

void null_call() {
  Samples s;
  for (uint32_t i = 0; i < kMaxSamples; ++i) s.add(timed([] { ak::call(CK_NULL); }));
  report("null_call", s, "trap #0 CK_NULL and back");
}

// This kernel's own thread faults on fresh pages of its space; its handler loads each
// mapping with CK_LOAD_MAPPING_RESUME.
void own_page_faults() {
  Samples to_handler, load_resume;
  for (uint32_t i = 0; i < kRounds; ++i) {
    const auto* word = reinterpret_cast<volatile uint32_t*>(kOwnRegion + i * kPage);
    g_handler_stamp = 0;
    const uint32_t t0 = now();
    (void)*word;
    const uint32_t t1 = now();
    if (g_handler_stamp == 0) {
      check_eq(0, 1, "the access faulted");
      continue;
    }
    to_handler.add(elapsed(t0, g_handler_stamp));
    load_resume.add(elapsed(g_handler_stamp, t1));
  }
  report("fault_to_handler", to_handler, "page fault to the kernel's handler (same space)");
  report("mapping_load_resume", load_resume, "optimized mapping load: CK_LOAD_MAPPING_RESUME to the retried access");
  for (uint32_t i = 0; i < kRounds; ++i) {
    check_eq(ak::unload_mapping(g_info->space, kOwnRegion + i * kPage), CK_OK, "unload a faulted-in page");
    drain();
  }
}

// A thread in another space runs `pc` until the handler has stamped kRounds + 1
// exceptions; the figure is the median round trip.
void timed_rounds(uint32_t space, uint32_t pc, uint32_t a0, StrView name, StrView what) {
  g_stamps_taken = 0;
  ck_thread_state state = thread_at(pc, 0);
  state.regs.a[0] = a0;
  check_eq(ak::load_thread(space, kTimedCookie, 0, state).status, CK_OK, "load the timed thread");
  while (g_stamps_taken <= kRounds) {
    // The timed thread runs when the clock tick ends this thread's slice.
  }
  Samples s;
  for (uint32_t i = 0; i < kRounds; ++i) s.add(elapsed(g_stamps[i], g_stamps[i + 1]));
  report(name, s, what);
  drain();
}

void forwarded_rounds() {
  const uint32_t space = program_space();
  timed_rounds(space, kTrapProgram, 0, "trap_round_trip",
               "trap #1 in another space to the kernel's handler, CK_RESUME, next trap");
  timed_rounds(space, kTouchProgram, kTouchRegion, "page_fault_round_trip",
               "fault in another space to the handler, CK_LOAD_MAPPING_RESUME, next fault");
  unload_space_fully(space);
}

// Loads with `load(i)` until one writes back (the cache is full), untimed.
template <typename Load>
uint32_t fill(Load load) {
  for (uint32_t i = 0;; ++i) {
    check_eq(load(i), CK_OK, "fill a cache");
    if (drain().records != 0 || ak::failures() != 0) return i + 1;
  }
}

// Frames behind the mappings the benchmark loads: one for each mapping descriptor. A
// frame is reused once its mapping is gone (so a page has at most two mappings).
constexpr uint32_t kPoolFrames = 65536;
uint32_t g_pool;
uint32_t pool_frame(uint32_t i) { return g_pool + (i % kPoolFrames) * kPage; }

uint32_t loaded_mappings() { return ak::query(CK_QUERY_LOADED, CK_OBJECT_MAPPING).value; }
uint32_t g_mapping_descriptors;  // in use when the mapping cache is full (mappings())

void mappings() {
  const ak::CallResult space = ak::load_space(0, 0, 0);
  check_eq(space.status, CK_OK, "load the mapping space");
  const uint32_t id = space.value;
  auto va = [](uint32_t i) { return 0x10000000 + i * kPage; };
  Samples load, writeback, unload;
  uint32_t n = 0;
  for (; n < kMaxSamples; ++n) {
    const uint32_t pa = pool_frame(n);
    load.add(timed([&] { check_eq(ak::load_mapping(id, va(n), pa, CK_MAP_WRITE), CK_OK, "load a mapping"); }));
  }
  for (uint32_t i = 0; i < kMaxSamples; ++i) {
    unload.add(timed([&] { check_eq(ak::unload_mapping(id, va(i)), CK_OK, "unload a mapping"); }));
    drain();
  }
  n += fill([&](uint32_t i) { return ak::load_mapping(id, va(n + i), pool_frame(n + i), CK_MAP_WRITE); });
  g_mapping_descriptors = loaded_mappings();
  print("ak_bench: the mapping cache filled at {} mappings in the bench space ({} descriptors in use)\n",
        n - kMaxSamples, g_mapping_descriptors);
  // Full: every load now displaces a mapping; its frame is reused for the next load.
  uint32_t frame = take_frame();
  for (uint32_t i = 0; i < kMaxSamples; ++i, ++n) {
    writeback.add(timed([&] { check_eq(ak::load_mapping(id, va(n), frame, CK_MAP_WRITE), CK_OK, "load a mapping"); }));
    const Drained d = drain();
    check_eq(static_cast<int32_t>(d.records), 1, "one mapping written back per load");
    frame = d.last.pa;
  }
  report("mapping_load", load, "CK_LOAD_MAPPING, no writeback");
  report("mapping_load_writeback", writeback, "CK_LOAD_MAPPING displacing a mapping (clock), its writeback");
  report("mapping_unload", unload, "CK_UNLOAD_MAPPING with its writeback");
  unload_space_fully(id);
}

constexpr uint32_t kObjectSamples = 64;

// ---- Scaling (issue 16) ---------------------------------------------------------------
// Mapping loads and unloads, and the unload of a signal thread, timed with about 1k, 16k
// and 64k mappings already loaded, spread over kScalingSpaces spaces as an application
// kernel's processes would be: a call should cost the same however full the cache is.
// "64k" is just short of full, so that nothing is written back.
constexpr uint32_t kScalingSpaces = 16;
constexpr uint32_t kScalingBase = 0x10000000;       // each space's pages, upwards
constexpr uint32_t kSignalThreadPage = 0x70000000;  // the signal thread's message page (first space)

struct ScalingPoint {
  StrView name;
  uint32_t loaded = 0;                                      // mapping descriptors in use before the samples
  uint32_t load = 0, unload = 0, signal_thread_unload = 0;  // medians
};

class ScaledMappings {
 public:
  ScaledMappings() {
    for (uint32_t& id : spaces_) {
      const ak::CallResult space = ak::load_space(0, 0, 0);
      check_eq(space.status, CK_OK, "load a scaling space");
      id = space.value;
    }
  }

  // Mapping `k`: page k / kScalingSpaces of space k % kScalingSpaces.
  int32_t load(uint32_t k) const { return ak::load_mapping(space(k), va(k), pool_frame(k), CK_MAP_WRITE); }
  int32_t unload(uint32_t k) const { return ak::unload_mapping(space(k), va(k)); }

  // Loads the next mappings, untimed, until `descriptors` are in use; none written back.
  void fill_to(uint32_t descriptors) {
    for (uint32_t in_use = loaded_mappings(); in_use < descriptors; ++in_use) {
      check_eq(load(next_++), CK_OK, "load a mapping (scaling)");
      check_eq(drain().records, 0, "nothing written back below full");
    }
  }

  // Times kMaxSamples loads of the next mappings, then their unloads.
  void time_loads_and_unloads(ScalingPoint* p) const {
    Samples loads, unloads;
    for (uint32_t i = 0; i < kMaxSamples; ++i)
      loads.add(timed([&] { check_eq(load(next_ + i), CK_OK, "load a mapping (scaling)"); }));
    check_eq(drain().records, 0, "nothing written back below full");
    for (uint32_t i = 0; i < kMaxSamples; ++i) {
      unloads.add(timed([&] { check_eq(unload(next_ + i), CK_OK, "unload a mapping (scaling)"); }));
      drain();
    }
    p->load = loads.median();
    p->unload = unloads.median();
  }

  // Times kObjectSamples unloads of a (blocked) thread that is the signal thread of one
  // message mapping: the mapping goes first, both are written back.
  void time_signal_thread_unloads(ScalingPoint* p) const {
    Samples s;
    for (uint32_t i = 0; i < kObjectSamples; ++i) {
      const ak::CallResult t = ak::load_thread(spaces_[0], i, 0, thread_at(kUnloadMeProgram, i));
      check_eq(t.status, CK_OK, "load a signal thread");
      check_eq(ak::block(t.value), CK_OK, "it waits: only its unload is timed");
      check_eq(ak::load_mapping(spaces_[0], kSignalThreadPage, signal_frame_, CK_MAP_WRITE | CK_MAP_MESSAGE, t.value),
               CK_OK, "its message mapping");
      s.add(timed([&] { check_eq(ak::unload_thread(t.value), CK_OK, "unload the signal thread"); }));
      check_eq(drain().records, 2, "the mapping and the thread written back");
    }
    p->signal_thread_unload = s.median();
  }

  void unload_all() const {
    for (const uint32_t id : spaces_) unload_space_fully(id);
  }

 private:
  uint32_t space(uint32_t k) const { return spaces_[k % kScalingSpaces]; }
  static uint32_t va(uint32_t k) { return kScalingBase + k / kScalingSpaces * kPage; }

  uint32_t spaces_[kScalingSpaces];
  uint32_t next_ = 0;  // mappings 0..next_ - 1 are loaded
  uint32_t signal_frame_ = take_frame();
};

void report_scaling(StrView name, uint32_t median, StrView what, const ScalingPoint& p, uint32_t samples) {
  print("KBENCH {}_{} {} {}, with {} mappings loaded (in {} spaces and the home space) (median of {})\n", name, p.name,
        median, what, p.loaded, kScalingSpaces, samples);
}

void scaling() {
  // Room at the top for the samples and a signal thread's two records.
  const uint32_t top = g_mapping_descriptors - kMaxSamples - 16;
  ScalingPoint points[] = {
      {.name = "1k", .loaded = 1024}, {.name = "16k", .loaded = 16384}, {.name = "64k", .loaded = top}};
  ScaledMappings m;
  for (ScalingPoint& p : points) {
    m.fill_to(p.loaded);
    p.loaded = loaded_mappings();
    m.time_loads_and_unloads(&p);
    m.time_signal_thread_unloads(&p);
  }
  for (const ScalingPoint& p : points)
    report_scaling("mapping_load", p.load, "CK_LOAD_MAPPING, no writeback", p, kMaxSamples);
  for (const ScalingPoint& p : points)
    report_scaling("mapping_unload", p.unload, "CK_UNLOAD_MAPPING with its writeback", p, kMaxSamples);
  const ScalingPoint& low = points[0];
  const ScalingPoint& high = points[2];
  print(
      "KBENCH unload_signal_thread {} CK_UNLOAD_THREAD of a blocked thread that is the signal thread of 1 message "
      "mapping, with {} mappings loaded ({} with {} loaded) (median of {})\n",
      high.signal_thread_unload, high.loaded, low.signal_thread_unload, low.loaded, kObjectSamples);
  m.unload_all();
}

void threads() {
  const uint32_t space = program_space();
  static uint32_t ids[kThreadStacks];
  Samples load, writeback, unload;
  auto load_state = [&](uint32_t i, const ck_thread_state& state) {
    const ak::CallResult r = ak::load_thread(space, i, 0, state);
    ids[i % kThreadStacks] = r.value;
    return r.status;
  };
  auto load_one = [&](uint32_t i) { return load_state(i, thread_at(kUnloadMeProgram, i)); };
  // The timed loads' states are built first: building the 212 bytes (about 100
  // instructions) is this kernel's work, not the call's.
  for (uint32_t i = 0; i < kObjectSamples; ++i) {
    const ck_thread_state state = thread_at(kUnloadMeProgram, i);
    load.add(timed([&] { check_eq(load_state(i, state), CK_OK, "load a thread"); }));
  }
  for (uint32_t i = 0; i < kObjectSamples; ++i) {
    unload.add(timed([&] { check_eq(ak::unload_thread(ids[i]), CK_OK, "unload a thread"); }));
    drain();
  }
  const uint32_t filled = fill(load_one);
  print("ak_bench: the thread cache filled at {} threads in the bench space\n", filled - 1);
  for (uint32_t i = 0; i < kObjectSamples; ++i) {
    const ck_thread_state state = thread_at(kUnloadMeProgram, filled + i);
    writeback.add(timed([&] { check_eq(load_state(filled + i, state), CK_OK, "load a thread"); }));
    check_eq(static_cast<int32_t>(drain().records), 1, "one thread written back per load");
  }
  report("thread_load", load, "CK_LOAD_THREAD (registers, FPU state), no writeback");
  report("thread_load_writeback", writeback, "CK_LOAD_THREAD displacing a thread, its writeback");
  report("thread_unload", unload, "CK_UNLOAD_THREAD with its writeback");
  unload_space_fully(space);
}

// Scheduling (issue 5): a switch between the address spaces of two kernels, and a
// thread descheduled by unloading it and rescheduled by loading it again (paper §2.3).
constexpr uint32_t kRingB = 0x38000000;  // the second kernel's ring, read here
struct BlockerMemory {
  uint32_t stack[512];
  uint8_t exception_stack[1024];
};
BlockerMemory g_blocker;

[[noreturn]] void blocker() {
  for (;;) ak::block_self();
}

void scheduling() {
  // The blocker is a thread of a second kernel, in that kernel's home space, at a
  // priority above this (main) thread's: waking it switches to it at once; its block
  // switches back.
  const uint32_t ring = take_frame();
  const ak::ImageKernel b = ak::load_kernel_on_image(ring, 100, 1);
  check_eq(b.status, CK_OK, "a second kernel on this image");
  check_eq(ak::load_mapping(g_info->space, kRingB, ring, CK_MAP_WRITE), CK_OK, "map its ring here");
  ck_thread_state state{};
  state.regs.pc = reinterpret_cast<uint32_t>(&blocker);
  state.regs.a[7] = reinterpret_cast<uint32_t>(g_blocker.stack + 512);
  state.exception_stack = reinterpret_cast<uint32_t>(g_blocker.exception_stack + sizeof g_blocker.exception_stack);
  const ak::CallResult t = ak::load_thread(b.home, 0, 1u << CK_PRIORITY_SHIFT, state);
  check_eq(t.status, CK_OK, "load the blocker");
  Samples wake_switch;
  for (uint32_t i = 0; i < kMaxSamples; ++i)
    wake_switch.add(timed([&] { check_eq(ak::wake(t.value), CK_OK, "wake the blocker"); }));
  report("switch_two_spaces", wake_switch,
         "CK_WAKE of a higher-priority thread of another kernel and space, which runs and blocks again: "
         "two address-space switches, two calls");

  // Deschedule by unloading (its writeback read back) and reschedule by loading.
  Samples resched;
  uint32_t id = t.value;
  for (uint32_t i = 0; i < kObjectSamples; ++i) {
    resched.add(timed([&] {
      check_eq(ak::unload_thread(id), CK_OK, "unload the blocker");
      ak::WritebackReader reader(kRingB);
      ck_writeback r;
      ck_thread_state written;
      check_eq(reader.next(&r, &written) && r.kind == CK_WB_THREAD, true, "its writeback");
      const ak::CallResult again = ak::load_thread(b.home, 0, 1u << CK_PRIORITY_SHIFT, written);
      check_eq(again.status, CK_OK, "reload the blocker");
      id = again.value;
    }));
  }
  report("thread_reschedule", resched,
         "a blocked thread unloaded, its writeback read, loaded again, run until it blocks again");
  check_eq(ak::unload_kernel_whole(b.kernel), CK_OK, "unload the second kernel");
  check_eq(ak::unload_mapping(g_info->space, kRingB), CK_OK, "unmap its ring");
  drain();
}

// Messaging (issue 6): a signal to a thread of another kernel waiting for one, and a
// round trip over two channels (paper §2.2, §5.3 "signal"). The second kernel's thread
// is above this one: a signal hands it the processor at once.
constexpr uint32_t kMessagePages = 0x3a000000;  // here
constexpr uint32_t kPeerPages = 0x5a000000;     // in the second kernel's home space
volatile uint32_t g_signal_stamp;

[[noreturn]] void signal_waiter() {
  for (;;) {
    ak::wait_signal();
    g_signal_stamp = now();
  }
}

[[noreturn]] void echo() {
  ak::ChannelReceiver requests(kPeerPages);
  ak::ChannelSender replies(kPeerPages + kPage);
  for (;;) {
    uint32_t message[2], bytes = 0, signalled = 0;
    requests.receive(message, &bytes, &signalled);
    replies.send(message, bytes);
  }
}

// A second kernel on this image running `entry` at priority 1 (above this thread), with
// `pages` message pages mapped writable here and there; its thread is the signal thread
// of the first `receives` there; `signal_here`: this thread is the signal thread of the
// second page here.
ak::ImageKernel peer(void (*entry)(), uint32_t pages, uint32_t receives, bool signal_here, uint32_t* thread) {
  const ak::ImageKernel b = ak::load_kernel_on_image(take_frame(), 100, 1);
  check_eq(b.status, CK_OK, "a second kernel on this image");
  ck_thread_state state{};
  state.regs.pc = reinterpret_cast<uint32_t>(entry);
  state.regs.a[7] = reinterpret_cast<uint32_t>(g_blocker.stack + 512);
  state.exception_stack = reinterpret_cast<uint32_t>(g_blocker.exception_stack + sizeof g_blocker.exception_stack);
  // This thread above the peer until the peer's pages are mapped: no tick may run it first.
  check_eq(ak::set_priority(g_info->thread, 31), CK_OK, "raise this thread");
  const ak::CallResult t = ak::load_thread(b.home, 0, 0, state);
  check_eq(t.status, CK_OK, "load the peer thread");
  // One grant for all the pages: each CK_SET_MEMORY_ACCESS looks at every mapping descriptor.
  const uint32_t frames = ak::take_frames(pages);
  constexpr uint32_t kGroup = 512 * 1024;
  const uint32_t groups = frames & ~(kGroup - 1);
  check_eq(ak::set_memory_access(b.kernel, groups, (frames + pages * kPage - groups + kGroup - 1) & ~(kGroup - 1),
                                 CK_RIGHTS_READ_WRITE),
           CK_OK, "grant the peer the pages' groups");
  for (uint32_t i = 0; i < pages; ++i) {
    const uint32_t frame = frames + i * kPage;
    const uint32_t flags = CK_MAP_WRITE | CK_MAP_MESSAGE;
    check_eq(ak::load_mapping(b.home, kPeerPages + i * kPage, frame, flags, i < receives ? t.value : 0), CK_OK,
             "the peer's page");
    check_eq(ak::load_mapping(g_info->space, kMessagePages + i * kPage, frame, flags,
                              i == 1 && signal_here ? g_info->thread : 0),
             CK_OK, "this kernel's page");
  }
  check_eq(ak::set_priority(t.value, 1), CK_OK, "the peer above this thread");
  check_eq(ak::set_priority(g_info->thread, 0), CK_OK, "this thread back to priority 0");
  *thread = t.value;
  return b;
}

void end_peer(const ak::ImageKernel& b, uint32_t pages) {
  check_eq(ak::unload_kernel_whole(b.kernel), CK_OK, "unload the second kernel");
  for (uint32_t i = 0; i < pages; ++i) {
    const int32_t s = ak::unload_mapping(g_info->space, kMessagePages + i * kPage);
    check_eq(s == CK_OK || s == CK_E_NOT_MAPPED, true, "unload a message page");
  }
  drain();
}

// Signals on the first of `pages` message pages whose receiving mappings are all the
// waiter's: the median from the signal to the waiter running.
uint32_t signal_delivery(uint32_t pages, uint32_t* samples) {
  uint32_t thread = 0;
  const ak::ImageKernel waiter = peer(signal_waiter, pages, pages, false, &thread);
  Samples delivery;
  for (uint32_t i = 0; i < kMaxSamples; ++i) {
    const uint32_t t0 = now();
    check_eq(ak::signal(kMessagePages + 8).value, 1, "one thread signalled");
    delivery.add(elapsed(t0, g_signal_stamp));
  }
  end_peer(waiter, pages);
  *samples = delivery.count();
  return delivery.median();
}

void messaging() {
  // A signal visits the receivers of its own page only: the waiter's 63 other message
  // pages should not change its cost (issue 16; one page cannot have 64 receivers,
  // CK_MESSAGE_PAGE_MAPPINGS_MAX).
  uint32_t samples = 0;
  const uint32_t one = signal_delivery(1, &samples);
  print(
      "KBENCH signal_delivery {} CK_SIGNAL to a waiting thread of another kernel until it runs (its "
      "CK_WAIT_SIGNAL returns) (median of {})\n",
      one, samples);
  const uint32_t many = signal_delivery(64, &samples);
  print(
      "KBENCH signal_1_vs_64_mappings {} signal_delivery with the waiter receiving on 64 message pages (the "
      "signalled page has 1 receiving mapping); on 1 page: {} (median of {})\n",
      many, one, samples);

  uint32_t thread = 0;
  const ak::ImageKernel echoer = peer(echo, 2, 1, true, &thread);
  ak::ChannelSender requests(kMessagePages);
  ak::ChannelReceiver replies(kMessagePages + kPage);
  Samples round_trip;
  for (uint32_t i = 0; i < kMaxSamples; ++i) {
    uint32_t message[2] = {i, ~i}, reply[2] = {}, bytes = 0, signalled = 0;
    round_trip.add(timed([&] {
      requests.send(message, sizeof message);
      replies.receive(reply, &bytes, &signalled);
    }));
    check_eq(reply[0] == i && reply[1] == ~i, true, "the echo");
  }
  report("channel_round_trip", round_trip,
         "an 8-byte message over a channel to another kernel's thread and its echo back (2 signals, 4 switches)");
  end_peer(echoer, 2);
}

void spaces() {
  static uint32_t ids[kObjectSamples * 4];
  uint32_t count = 0;
  Samples load, writeback, unload;
  auto load_one = [&] {
    const ak::CallResult r = ak::load_space(0, count, 0);
    if (count < kObjectSamples * 4) ids[count++] = r.value;
    return r.status;
  };
  for (uint32_t i = 0; i < kObjectSamples / 2; ++i)
    load.add(timed([&] { check_eq(load_one(), CK_OK, "load a space"); }));
  for (uint32_t i = 0; i < kObjectSamples / 2; ++i) {
    unload.add(timed([&] { check_eq(ak::unload_space(ids[i]), CK_OK, "unload a space"); }));
    drain();
  }
  const uint32_t filled = fill([&](uint32_t) { return load_one(); });
  print("ak_bench: the space cache filled at {} spaces besides the home space\n", filled - 1);
  for (uint32_t i = 0; i < kObjectSamples / 2; ++i) {
    writeback.add(timed([&] { check_eq(load_one(), CK_OK, "load a space"); }));
    check_eq(static_cast<int32_t>(drain().records), 1, "one space written back per load");
  }
  report("space_load", load, "CK_LOAD_SPACE (a root page table), no writeback");
  report("space_load_writeback", writeback, "CK_LOAD_SPACE displacing an empty space, its writeback");
  report("space_unload", unload, "CK_UNLOAD_SPACE of an empty space with its writeback");
  for (uint32_t i = 0; i < count; ++i) ak::unload_space(ids[i]);  // stale ones refuse
  drain();
}

void kernels() {
  static uint32_t ids[64];
  uint32_t count = 0;
  Samples load, writeback, unload;
  auto load_one = [&] {
    const ck_kernel_desc desc{
        .handler = 0x1000, .writeback_ring = take_frame(), .ring_bytes = kPage, .cookie = count, .flags = 0};
    const ak::CallResult r = ak::call(CK_LOAD_KERNEL, 0, 0, 0, 0, &desc);
    if (count < 64) ids[count++] = r.value;
    return r.status;
  };
  constexpr uint32_t kKernelSamples = 8;
  for (uint32_t i = 0; i < kKernelSamples; ++i) load.add(timed([&] { check_eq(load_one(), CK_OK, "load a kernel"); }));
  for (uint32_t i = 0; i < kKernelSamples; ++i) {
    unload.add(timed([&] { check_eq(ak::call(CK_UNLOAD_KERNEL, ids[i]).status, CK_OK, "unload a kernel"); }));
    drain();
  }
  const uint32_t filled = fill([&](uint32_t) { return load_one(); });
  print("ak_bench: the kernel cache filled at {} kernels besides this one\n", filled - 1);
  for (uint32_t i = 0; i < kKernelSamples; ++i) {
    writeback.add(timed([&] { check_eq(load_one(), CK_OK, "load a kernel"); }));
    check_eq(static_cast<int32_t>(drain().records), 1, "one kernel written back per load");
  }
  report("kernel_load", load, "CK_LOAD_KERNEL (its ring and resources), no writeback");
  report("kernel_load_writeback", writeback, "CK_LOAD_KERNEL displacing a kernel, its writeback");
  report("kernel_unload", unload, "CK_UNLOAD_KERNEL of a kernel without spaces, with its writeback");
  for (uint32_t i = 0; i < count; ++i) ak::call(CK_UNLOAD_KERNEL, ids[i]);
  drain();
}

}  // namespace

int ak_main(const ck_boot_info& info) {
  g_info = &info;
  g_region_frames = ak::take_frames(kRounds + 1);  // one frame per page of the touched regions
  g_pool = ak::take_frames(kPoolFrames);
  ak::set_exception_handler(&g_handler);
  measure_query_cost();
  null_call();
  own_page_faults();
  forwarded_rounds();
  mappings();
  scaling();
  threads();
  scheduling();
  messaging();
  spaces();
  kernels();
  return static_cast<int>(ak::failures());
}
