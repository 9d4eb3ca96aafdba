// The memory-management classes of libak (memory.h), and its draining mapping load
// (libak.h).
#include "memory.h"

#include <string.h>

#include "libak.h"

namespace ak {

int32_t load_mapping_draining(ck_id space, uint32_t va, uint32_t pa, uint32_t flags, void (*drain)()) {
  int32_t s = CK_E_RETRY;
  for (int attempt = 0; attempt < 1000 && s == CK_E_RETRY; ++attempt) {
    s = load_mapping(space, va, pa, flags);
    if (s != CK_E_RETRY) break;
    drain();
    if (attempt >= 8) block_self(1000 * 1000);  // not (only) this kernel's ring
  }
  return s;
}

FrameAllocator::FrameAllocator(uint32_t base, uint32_t end)
    : base_(base), frames_((end - base) / kPageBytes < kMaxFrames ? (end - base) / kPageBytes : kMaxFrames) {
  available_ = frames_;
}

int32_t PhysicalWindow::sync_code(uint32_t pa, uint32_t bytes) const {
  // A page displaced between its touch and the call is touched again, a few times.
  constexpr int kAttempts = 4;
  uint32_t va = base_ + (pa - physical_);
  const uint32_t end = va + bytes;
  while (va < end) {
    const uint32_t page_end = (va | (kPageBytes - 1)) + 1;
    const uint32_t part = (page_end < end ? page_end : end) - va;
    int32_t s = CK_E_NOT_MAPPED;
    for (int attempt = 0; attempt < kAttempts && s == CK_E_NOT_MAPPED; ++attempt) {
      (void)*reinterpret_cast<const volatile uint8_t*>(va);
      s = ak::sync_code(va, part);
    }
    if (s != CK_OK) return s;
    va += part;
  }
  return CK_OK;
}

bool FrameAllocator::allocate(uint32_t* frame) {
  for (uint32_t n = 0; n < frames_; ++n) {
    const uint32_t i = (hand_ + n) % frames_;
    if ((used_[i / 32] & 1u << (i % 32)) != 0) continue;
    used_[i / 32] |= 1u << (i % 32);
    available_ -= 1;
    hand_ = i + 1;
    *frame = base_ + i * kPageBytes;
    return true;
  }
  return false;
}

void FrameAllocator::free(uint32_t frame) {
  const uint32_t i = (frame - base_) / kPageBytes;
  if (i >= frames_ || (used_[i / 32] & 1u << (i % 32)) == 0) return;  // not ours, or free already
  used_[i / 32] &= ~(1u << (i % 32));
  available_ += 1;
}

void FifoPolicy::loaded(uint32_t page) {
  if (count_ == kMaxResident) return;
  order_[(head_ + count_) % kMaxResident] = page;
  count_ += 1;
}

void FifoPolicy::evicted(uint32_t page) {
  // Usually the oldest; otherwise close the gap.
  for (uint32_t n = 0; n < count_; ++n) {
    const uint32_t i = (head_ + n) % kMaxResident;
    if (order_[i] != page) continue;
    for (uint32_t m = n; m + 1 < count_; ++m)
      order_[(head_ + m) % kMaxResident] = order_[(head_ + m + 1) % kMaxResident];
    count_ -= 1;
    return;
  }
}

Segment::Segment(ck_id space, uint32_t base, uint32_t pages, uint32_t max_frames, FrameAllocator& frames,
                 ReplacementPolicy& policy, uint32_t scratch_va)
    : space_(space),
      base_(base),
      pages_(pages < kMaxPages ? pages : kMaxPages),
      max_frames_(max_frames),
      scratch_va_(scratch_va),
      frames_(frames),
      policy_(policy) {}

void Segment::page_in(uint32_t, void* at) { memset(at, 0, kPageBytes); }
void Segment::page_out(uint32_t, const void*) {}

void* Segment::scratch(uint32_t frame) {
  while (load_mapping(boot_info().space, scratch_va_, frame, CK_MAP_WRITE) == CK_E_RETRY) drain_ring();
  return reinterpret_cast<void*>(scratch_va_);
}

void Segment::unscratch() {
  while (unload_mapping(boot_info().space, scratch_va_) == CK_E_RETRY) drain_ring();
}

void Segment::drain_ring() {
  WritebackReader reader(boot_info().ring);
  ck_writeback r;
  while (reader.next(&r))
    if (r.kind == CK_WB_MAPPING && r.space == space_ && contains(r.va))
      written_back(r.va, (r.flags & CK_WB_MODIFIED) != 0);
}

void Segment::written_back(uint32_t va, bool modified) {
  const uint32_t page = (va - base_) / kPageBytes;
  if (contains(va) && modified) dirty_[page] = true;
}

void Segment::evict(uint32_t page) {
  const uint32_t va = base_ + page * kPageBytes;
  // Its mapping first (the writeback says whether it was written), unless the Cache
  // Kernel displaced it already.
  int32_t s;
  while ((s = unload_mapping(space_, va)) == CK_E_RETRY) drain_ring();
  drain_ring();
  if (dirty_[page]) {
    page_out(page, scratch(frame_[page]));
    unscratch();
    page_outs_ += 1;
  }
  frames_.free(frame_[page]);
  frame_[page] = kNoFrame;
  dirty_[page] = false;
  resident_ -= 1;
  policy_.evicted(page);
}

bool Segment::take_frame(uint32_t* frame) {
  if (resident_ >= max_frames_ || !frames_.allocate(frame)) {
    if (resident_ == 0) return false;
    evict(policy_.victim());
    if (!frames_.allocate(frame)) return false;
  }
  return true;
}

int32_t Segment::fault(uint32_t va, bool) {
  if (!contains(va)) return CK_E_ADDRESS;
  const uint32_t page = (va - base_) / kPageBytes;
  if (frame_[page] == kNoFrame) {
    uint32_t frame;
    if (!take_frame(&frame)) return CK_E_NO_DESCRIPTOR;
    page_in(page, scratch(frame));
    unscratch();
    frame_[page] = frame;
    dirty_[page] = false;
    resident_ += 1;
    page_ins_ += 1;
    policy_.loaded(page);
  }
  for (;;) {
    const int32_t s = load_mapping_resume(base_ + page * kPageBytes, frame_[page], CK_MAP_WRITE);
    if (s != CK_E_RETRY) return s;  // CK_OK does not come back
    drain_ring();
  }
}

}  // namespace ak
