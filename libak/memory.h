// The memory-management part of the application-kernel class library (paper §3):
// physical frames from the kernel's granted memory, and segments mapped into virtual
// regions by a segment manager that answers their mapping faults. What to evict, and how
// a page goes out and comes back in, are virtual functions an application kernel
// overrides.
#pragma once

#include <stdint.h>

#include "ck_call.h"

namespace ak {

inline constexpr uint32_t kPageBytes = 4096;

// Page frames of [base, end), each handed out once until freed.
class FrameAllocator {
 public:
  static constexpr uint32_t kMaxFrames = 8192;  // 32 MiB
  FrameAllocator(uint32_t base, uint32_t end);
  // A free frame's physical address in *frame; false when none is left.
  bool allocate(uint32_t* frame);
  void free(uint32_t frame);
  uint32_t available() const { return available_; }

 private:
  uint32_t base_, frames_, available_, hand_ = 0;
  uint32_t used_[kMaxFrames / 32] = {};
};

// Physical memory [physical, physical + bytes) the kernel holds, at virtual
// [base, base + bytes) of the faulting thread's space (its home space), mapped a page at a time as it is touched: the
// kernel's exception handler passes mapping faults to fault(). The mappings are
// unlocked; one the Cache Kernel displaces comes back on the next touch. (The SRM
// reaches the memory of the kernels it starts this way.)
class PhysicalWindow {
 public:
  PhysicalWindow(uint32_t base, uint32_t physical, uint32_t bytes) : base_(base), physical_(physical), bytes_(bytes) {}
  bool contains(uint32_t va) const { return va - base_ < bytes_; }
  // Where physical address `pa` appears (it must be inside the window).
  template <typename T = uint8_t>
  T* at(uint32_t pa) const {
    return reinterpret_cast<T*>(base_ + (pa - physical_));
  }
  // Answers a mapping fault in the window by mapping its page and resuming the thread;
  // returns only if it could not (the status).
  int32_t fault(uint32_t va) const {
    const uint32_t page = va & ~(kPageBytes - 1);
    return load_mapping_resume(page, physical_ + (page - base_), CK_MAP_WRITE);
  }
  // After instructions were written to [pa, pa + bytes) through the window: instruction
  // fetches from that memory see them (CK_SYNC_CODE). Page by page, each touched first
  // so that it is mapped (the window's mappings come and go); the first failing status.
  int32_t sync_code(uint32_t pa, uint32_t bytes) const;

 private:
  uint32_t base_, physical_, bytes_;
};

// Which resident page of a segment to evict (paper §3: "a replacement policy as a
// virtual function"): FIFO unless overridden.
class ReplacementPolicy {
 public:
  // `page` became resident / was evicted.
  virtual void loaded(uint32_t page) = 0;
  virtual void evicted(uint32_t page) = 0;
  // The page to evict now (one that is resident).
  virtual uint32_t victim() = 0;

 protected:
  ~ReplacementPolicy() = default;
};

class FifoPolicy final : public ReplacementPolicy {
 public:
  static constexpr uint32_t kMaxResident = 1024;
  void loaded(uint32_t page) override;
  void evicted(uint32_t page) override;
  uint32_t victim() override { return order_[head_]; }

 private:
  uint32_t order_[kMaxResident] = {};
  uint32_t head_ = 0, count_ = 0;
};

// A segment of `pages` pages mapped at `base` in `space`, backed by whatever page_in and
// page_out do (zero-filled and discarded by default). At most `max_frames` frames are
// resident; a fault on a page that is not takes a frame (evicting a page when the
// segment has its share) and loads the mapping. A page whose mapping the Cache Kernel
// displaced keeps its frame: the next fault only loads the mapping again.
class Segment {
 public:
  static constexpr uint32_t kMaxPages = 4096;
  Segment(ck_id space, uint32_t base, uint32_t pages, uint32_t max_frames, FrameAllocator& frames,
          ReplacementPolicy& policy, uint32_t scratch_va);
  Segment(const Segment&) = delete;
  Segment& operator=(const Segment&) = delete;
  bool contains(uint32_t va) const { return va - base_ < pages_ * kPageBytes; }
  // Answers a mapping fault in the segment (from the exception handler) by loading the
  // page and resuming the thread; returns only if it could not (the status).
  int32_t fault(uint32_t va, bool write);
  // A mapping of the segment was written back (the Cache Kernel displaced it): `modified`
  // from its writeback record.
  void written_back(uint32_t va, bool modified);

  uint32_t resident() const { return resident_; }
  uint32_t page_ins() const { return page_ins_; }
  uint32_t page_outs() const { return page_outs_; }

 protected:
  ~Segment() = default;  // an application kernel's segment class derives from it
  // The page's contents into `at` (a kPageBytes buffer), and out of it.
  virtual void page_in(uint32_t page, void* at);
  virtual void page_out(uint32_t page, const void* at);

 private:
  static constexpr uint32_t kNoFrame = 0;
  bool take_frame(uint32_t* frame);
  void evict(uint32_t page);
  // Maps `frame` at the scratch address to fill or read it.
  void* scratch(uint32_t frame);
  void unscratch();
  // Reads the kernel's writeback ring: this segment's mapping records mark pages dirty
  // (a kernel with several segments dispatches to written_back itself).
  void drain_ring();

  ck_id space_;
  uint32_t base_, pages_, max_frames_, scratch_va_;
  FrameAllocator& frames_;
  ReplacementPolicy& policy_;
  uint32_t resident_ = 0, page_ins_ = 0, page_outs_ = 0;
  uint32_t frame_[kMaxPages] = {};
  bool dirty_[kMaxPages] = {};
};

}  // namespace ak
