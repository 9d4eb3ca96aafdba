// A test application kernel for libak's class library (issue 7 groundwork, paper §3),
// started as the first kernel by the guest test class_library.cpp: a segment mapped into
// a virtual region by its segment manager, with fewer frames than pages, a replacement
// policy, and page-out/page-in hooks backed by a copy of every page in this kernel.
#include <stdint.h>
#include <string.h>

#include "checks.h"
#include "libak.h"
#include "memory.h"

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

}  // namespace

int ak_main(const ck_boot_info&) {
  static constexpr ak::Scenario kScenarios[] = {{"segments", segments}};
  return ak::run_scenario(kScenarios);
}
