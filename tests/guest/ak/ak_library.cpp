// A test application kernel for libak's class library (issue 7 groundwork, paper §3),
// started as the first kernel by the guest test class_library.cpp: a segment mapped into
// a virtual region by its segment manager, with fewer frames than pages, a replacement
// policy, and page-out/page-in hooks backed by a copy of every page in this kernel.
#include <stdint.h>
#include <string.h>

#include "checks.h"
#include "libak.h"
#include "memory.h"
#include "threads.h"

namespace {

using ak::check;
using ak::check_eq;
using ak::print;

constexpr uint32_t kSegmentBase = 0x40000000, kSegmentPages = 128, kSegmentFrames = 16, kPoolFrames = 32;
constexpr uint32_t kScratch = 0x3f000000;
uint8_t g_backing[kSegmentPages][ak::kPageBytes];

class BackedSegment final : public ak::Segment {
 public:
  using Segment::Segment;

 protected:
  void page_in(uint32_t page, void* at) override { memcpy(at, g_backing[page], ak::kPageBytes); }
  void page_out(uint32_t page, const void* at) override { memcpy(g_backing[page], at, ak::kPageBytes); }
};
BackedSegment* g_segment;

class Handler final : public ak::ExceptionHandler {
 public:
  void exception(ck_exception& e) override {
    if (e.kind == CK_EXC_MAPPING && g_segment != nullptr && g_segment->contains(e.address)) {
      check_eq(static_cast<uint32_t>(g_segment->fault(e.address, (e.access & 0xff) == CK_ACCESS_WRITE)), CK_OK,
               "the segment answers its fault");
    }
    print("ak_library: exception {} at pc {:#x}, address {:#x}\n", e.kind, e.regs.pc, e.address);
    check(false, "no exception outside the segment");
    ak::unload_thread(e.thread);
  }
};
Handler g_handler;

volatile uint32_t* word(uint32_t page, uint32_t offset) {
  return reinterpret_cast<volatile uint32_t*>(kSegmentBase + page * ak::kPageBytes + offset);
}
uint32_t pattern(uint32_t page, uint32_t round) { return page * 0x10001u ^ round * 0x9e3779b9u; }

uint32_t pages_not_holding(uint32_t round) {
  uint32_t wrong = 0;
  for (uint32_t p = 0; p < kSegmentPages; ++p)
    wrong += *word(p, 0) != pattern(p, round) || *word(p, 4092) != ~pattern(p, round);
  return wrong;
}

void segments() {
  // Static: the segment's tables are larger than the first thread's stack.
  const uint32_t first = ak::take_frames(kPoolFrames);
  static ak::FrameAllocator frames(first, first + kPoolFrames * ak::kPageBytes);
  static ak::FifoPolicy fifo;
  static BackedSegment segment(ak::boot_info().space, kSegmentBase, kSegmentPages, kSegmentFrames, frames, fifo,
                               kScratch);
  g_segment = &segment;
  ak::set_exception_handler(&g_handler);
  for (uint32_t round = 1; round <= 2; ++round) {
    for (uint32_t p = 0; p < kSegmentPages; ++p) {
      *word(p, 0) = pattern(p, round);
      *word(p, 4092) = ~pattern(p, round);
    }
  }
  check_eq(pages_not_holding(2), 0, "every page holds what was last written, through page-outs and page-ins");
  // All pages came in clean in that pass: reading them all again writes none out.
  const uint32_t outs = segment.page_outs();
  check_eq(pages_not_holding(2), 0, "and again");
  check_eq(segment.page_outs(), outs, "clean pages are not paged out");
  print("ak_library: {} page-ins, {} page-outs for {} pages through {} frames\n", segment.page_ins(),
        segment.page_outs(), kSegmentPages, kSegmentFrames);
  check(segment.page_ins() >= 4 * kSegmentPages - kSegmentFrames, "pages came back in on every pass");
  check(segment.page_outs() >= 2 * kSegmentPages - kSegmentFrames, "written pages went out");
  check(segment.resident() <= kSegmentFrames, "never more resident than its share");
  check_eq(frames.available(), kPoolFrames - segment.resident(), "frames accounted for");
  ak::set_exception_handler(nullptr);
  g_segment = nullptr;
  for (uint32_t p = 0; p < kSegmentPages; ++p) {
    const int32_t s = ak::unload_mapping(ak::boot_info().space, kSegmentBase + p * ak::kPageBytes);
    check(s == CK_OK || s == CK_E_NOT_MAPPED, "unload a segment page");
    ak::WritebackReader reader(ak::boot_info().ring);
    ck_writeback r;
    while (reader.next(&r)) {
    }
  }
}

// ---- The thread library and a scheduling thread ------------------------------------------

// Four workers, two loaded at a time: a scheduling thread rotates them by parking (unload)
// and unparking (load) every two ticks; all make progress, never more than two loaded.
constexpr uint32_t kWorkers = 4, kRounds = 20;
ak::ThreadStacks g_worker_stacks[kWorkers], g_scheduler_stacks;
volatile uint32_t g_counts[kWorkers], g_stop;

void worker(uint32_t i) {
  while (g_stop == 0) g_counts[i] = g_counts[i] + 1;
}

class Rotator final : public ak::SchedulingThread {
 public:
  Rotator(ak::ThreadLibrary& threads) : SchedulingThread(2), threads_(threads) {}
  uint32_t max_loaded = 0, failures = 0;

 private:
  void reschedule() override {
    // Park the first loaded worker after the last one parked, unpark the next parked.
    uint32_t loaded = 0;
    for (uint32_t i = 0; i < kWorkers; ++i) loaded += threads_.loaded(i);
    if (loaded > max_loaded) max_loaded = loaded;
    uint32_t park = kWorkers, unpark = kWorkers;
    for (uint32_t n = 1; n <= kWorkers; ++n) {
      const uint32_t i = (next_ + n) % kWorkers;
      if (park == kWorkers && threads_.loaded(i)) park = i;
      if (unpark == kWorkers && !threads_.loaded(i)) unpark = i;
    }
    if (park == kWorkers || unpark == kWorkers) return;
    failures += threads_.park(park) != CK_OK;
    failures += threads_.unpark(unpark) != CK_OK;
    next_ = park;
  }

  ak::ThreadLibrary& threads_;
  uint32_t next_ = 0;
};

void threads() {
  const ck_boot_info& info = ak::boot_info();
  check_eq(ak::set_priority(info.thread, 25), CK_OK, "this thread above the workers");
  static ak::ThreadLibrary library(info.space, info.ring, nullptr);
  for (uint32_t i = 0; i < kWorkers; ++i)
    check_eq(library.spawn(worker, i, g_worker_stacks[i], 5), i, "spawn a worker");
  check_eq(library.park(2), CK_OK, "park worker 2");
  check_eq(library.park(3), CK_OK, "park worker 3");
  static Rotator rotator(library);
  check_eq(rotator.start(info.space, g_scheduler_stacks, 28, kRounds), CK_OK, "start the scheduling thread");
  const uint32_t tick_ns = ak::query(CK_QUERY_TICK_NS).value;
  for (uint32_t i = 0; i < 10 * kRounds && rotator.rounds_done() < kRounds; ++i) ak::block_self(tick_ns);
  g_stop = 1;
  print("ak_library: {} rounds; worker counts {} {} {} {}; at most {} loaded\n", rotator.rounds_done(), g_counts[0],
        g_counts[1], g_counts[2], g_counts[3], rotator.max_loaded);
  check_eq(rotator.rounds_done(), kRounds, "the scheduling thread ran its rounds");
  check_eq(rotator.failures, 0, "every park and unpark worked");
  check_eq(rotator.max_loaded, 2, "never more than two workers loaded");
  for (uint32_t i = 0; i < kWorkers; ++i) check(g_counts[i] > 0, "every worker ran, loaded in its turn");
  ak::block_self(2 * tick_ns);  // the loaded workers see g_stop and end; parked ones are not in the Cache Kernel
}

}  // namespace

int ak_main(const ck_boot_info&) {
  static constexpr ak::Scenario kScenarios[] = {{"segments", segments}, {"threads", threads}};
  return ak::run_scenario(kScenarios);
}
