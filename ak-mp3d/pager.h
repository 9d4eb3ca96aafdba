// MP3D's data segment and its pager (issue 19; paper §3: memory management in the
// application kernel): the molecule and cell arrays at a virtual range of the kernel's
// own space, backed by frames of its grant and by its area of the disk (DiskClient). A
// mapping fault there comes to pager.fault(): a page not resident takes a frame (evicting
// the policy's victim when the frames are used up: written to the disk only if it was
// modified, as the mapping's writeback says) and is read from the disk, or zero-filled
// the first time. Resident pages whose mapping went (displaced, or taken by the clock)
// are mapped again without I/O (soft faults). One thread at a time pages: the others
// wait for it, blocked.
#pragma once

#include <stdint.h>

#include "ck_call.h"
#include "disk_client.h"
#include "memory.h"
#include "policies.h"

namespace mp3d_ak {

struct PagerStats {
  uint32_t page_ins = 0;    // read from the disk
  uint32_t page_outs = 0;   // written to the disk
  uint32_t zero_fills = 0;  // first touches
  uint32_t soft_faults = 0;
  uint32_t evictions = 0;
  uint32_t read_aheads = 0;      // reads started ahead of the sweep (counted in page_ins once in)
  uint32_t read_ahead_hits = 0;  // faults on a page read ahead (no read of their own)
  uint32_t read_waits = 0;       // faults that waited for a read: their own, or the one ahead not yet in
  uint32_t read_wait_ns = 0;     // the time those faults waited for their reads
};

class Pager {
 public:
  static constexpr uint32_t kMaxWaiters = 8;
  Pager(ck_id space, uint32_t base, uint32_t pages, ak::FrameAllocator& frames, uint32_t max_frames, Policy& policy,
        DiskClient& disk);
  bool contains(uint32_t va) const { return va - base_ < pages_ * ak::kPageBytes; }
  // Answers a mapping fault of thread `thread` at `va` in the segment: on CK_OK the page is
  // mapped and the thread can resume.
  int32_t fault(uint32_t va, ck_id thread);
  // Takes a resident page's mapping away (its frame stays): the next touch is a soft fault.
  void unmap(uint32_t page);
  // Evicts every page (modified ones to the disk) and forgets the disk's copies: the next
  // run starts from zero-filled pages. `policy` replaces the policy.
  void reset(Policy& policy);
  // A mapping record from the kernel's writeback ring (the pager reads the ring itself
  // while it pages; other records go to `other`).
  using OtherRecord = void (*)(const ck_writeback& record, const ck_thread_state& state);
  void set_other_records(OtherRecord other) { other_ = other; }
  void drain_ring();

  const PagerStats& stats() const { return stats_; }
  uint32_t resident() const { return resident_; }
  uint32_t max_frames() const { return max_frames_; }
  uint32_t pages() const { return pages_; }
  int32_t last_error() const { return last_error_; }

 private:
  enum Flag : uint8_t { kDirty = 1, kOnDisk = 2, kMapped = 4 };
  void lock(ck_id thread);
  void unlock();
  bool take_frame(uint32_t* frame, ck_id thread);
  // `keep`: write it to the disk if it was modified (else its contents are dropped).
  bool evict(uint32_t page, ck_id thread, bool keep = true);
  bool fill(uint32_t page, uint32_t frame, ck_id thread);
  int32_t map(uint32_t page);
  // Finishes the read ahead, if one is out (waiting for it if the SRM has not answered):
  // its page becomes resident and mapped. Before any other transfer: one at a time.
  bool settle_ahead(ck_id thread);
  // Starts reading `page` ahead (a frame taken for it now) when it is on the disk and not
  // resident. Not if it would evict `in_use` (the page the fault just brought in).
  void start_ahead(uint32_t page, uint32_t in_use, ck_id thread);
  uint32_t va_of(uint32_t page) const { return base_ + page * ak::kPageBytes; }

  ck_id space_;
  uint32_t base_, pages_;
  ak::FrameAllocator& frames_;
  uint32_t max_frames_;
  Policy* policy_;
  DiskClient& disk_;
  OtherRecord other_ = nullptr;
  PagerStats stats_;
  uint32_t resident_ = 0;
  int32_t last_error_ = CK_OK;
  uint32_t ahead_ = Policy::kNoPage;  // the page being read ahead
  volatile uint32_t locked_ = 0;
  volatile ck_id waiters_[kMaxWaiters] = {};
  uint32_t frame_[kMaxDataPages] = {};
  uint8_t flags_[kMaxDataPages] = {};
};

}  // namespace mp3d_ak
