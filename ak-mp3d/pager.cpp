// MP3D's data segment and its pager (pager.h).
#include "pager.h"

#include <string.h>

#include "libak.h"
#include "sync.h"

namespace mp3d_ak {

namespace {

constexpr uint32_t kNoFrame = 0;

}  // namespace

Pager::Pager(ck_id space, uint32_t base, uint32_t pages, ak::FrameAllocator& frames, uint32_t max_frames,
             Policy& policy, DiskClient& disk)
    : space_(space),
      base_(base),
      pages_(pages < kMaxDataPages ? pages : kMaxDataPages),
      frames_(frames),
      max_frames_(max_frames),
      policy_(&policy),
      disk_(disk) {}

void Pager::lock(ck_id thread) {
  while (!compare_and_set(&locked_, 0, 1)) {
    // Wait blocked: the holder wakes the waiters when it is done (a wake that comes
    // before the block makes the block return at once).
    uint32_t slot = 0;
    while (slot < kMaxWaiters && !compare_and_set(reinterpret_cast<volatile uint32_t*>(&waiters_[slot]), 0, thread))
      ++slot;
    if (locked_ != 0) ak::block_self(10 * 1000 * 1000);
    if (slot < kMaxWaiters) compare_and_set(reinterpret_cast<volatile uint32_t*>(&waiters_[slot]), thread, 0);
  }
}

void Pager::unlock() {
  locked_ = 0;
  for (volatile ck_id& w : waiters_) {
    const ck_id t = w;
    if (t != 0) ak::wake(t);
  }
}

void Pager::drain_ring() {
  ak::WritebackReader reader(ak::boot_info().ring);
  ck_writeback r;
  ck_thread_state state;
  while (reader.next(&r, &state)) {
    if (r.kind == CK_WB_MAPPING && r.space == space_ && contains(r.va)) {
      const uint32_t page = (r.va - base_) / ak::kPageBytes;
      flags_[page] &= static_cast<uint8_t>(~kMapped);
      if ((r.flags & CK_WB_MODIFIED) != 0) flags_[page] |= kDirty;
    } else if (other_ != nullptr) {
      other_(r, state);
    }
  }
}

int32_t Pager::map(uint32_t page) {
  for (;;) {
    const int32_t s = ak::load_mapping(space_, va_of(page), frame_[page], CK_MAP_WRITE);
    if (s == CK_OK || s == CK_E_ALREADY_MAPPED) {
      flags_[page] |= kMapped;
      return CK_OK;
    }
    if (s != CK_E_RETRY) return s;
    drain_ring();
  }
}

void Pager::unmap(uint32_t page) {
  if ((flags_[page] & kMapped) == 0) return;
  while (ak::unload_mapping(space_, va_of(page)) == CK_E_RETRY) drain_ring();
  drain_ring();
  flags_[page] &= static_cast<uint8_t>(~kMapped);
}

bool Pager::settle_ahead(ck_id thread) {
  if (ahead_ == Policy::kNoPage) return true;
  const uint32_t page = ahead_;
  ahead_ = Policy::kNoPage;
  const int32_t r = disk_.finish(thread);
  if (r != CK_OK || map(page) != CK_OK) {
    if (r != CK_OK) last_error_ = r;
    frames_.free(frame_[page]);
    frame_[page] = kNoFrame;
    resident_ -= 1;
    return false;
  }
  stats_.page_ins += 1;
  policy_->loaded(page);
  return true;
}

void Pager::start_ahead(uint32_t page, uint32_t in_use, ck_id thread) {
  if (page >= pages_ || frame_[page] != kNoFrame || (flags_[page] & kOnDisk) == 0 || !disk_.connected() ||
      page >= disk_.area_pages() || !settle_ahead(thread))
    return;
  uint32_t frame;
  if (resident_ >= max_frames_ || !frames_.allocate(&frame)) {
    // Room first, but not at the cost of the page the faulting thread is about to use.
    if (resident_ == 0) return;
    const uint32_t victim = policy_->victim(*this);
    if (victim == in_use || !evict(victim, thread) || !frames_.allocate(&frame)) return;
  }
  frame_[page] = frame;
  resident_ += 1;  // not yet the policy's: it cannot be chosen as a victim while in flight
  disk_.start_read(page, frame);
  ahead_ = page;
  stats_.read_aheads += 1;
}

bool Pager::evict(uint32_t page, ck_id thread, bool keep) {
  // The mapping first: its writeback says whether the page was written.
  int32_t s;
  while ((s = ak::unload_mapping(space_, va_of(page))) == CK_E_RETRY) drain_ring();
  drain_ring();
  flags_[page] &= static_cast<uint8_t>(~kMapped);
  if (keep && (flags_[page] & kDirty) != 0) {
    if (!settle_ahead(thread)) return false;
    if (!disk_.connected() || page >= disk_.area_pages()) {
      last_error_ = CK_E_IO;
      return false;
    }
    if (const int32_t w = disk_.write(page, frame_[page], thread); w != CK_OK) {
      last_error_ = w;
      return false;
    }
    stats_.page_outs += 1;
    flags_[page] = static_cast<uint8_t>((flags_[page] | kOnDisk) & ~kDirty);
  }
  frames_.free(frame_[page]);
  frame_[page] = kNoFrame;
  resident_ -= 1;
  stats_.evictions += 1;
  policy_->evicted(page);
  return true;
}

bool Pager::take_frame(uint32_t* frame, ck_id thread) {
  if (resident_ < max_frames_ && frames_.allocate(frame)) return true;
  if (resident_ == 0 || !evict(policy_->victim(*this), thread)) return false;
  return frames_.allocate(frame);
}

bool Pager::fill(uint32_t page, uint32_t frame, ck_id thread) {
  frame_[page] = frame;
  if ((flags_[page] & kOnDisk) != 0) {
    if (!settle_ahead(thread)) return false;
    stats_.read_waits += 1;
    const uint32_t t0 = ak::now();
    const int32_t r = disk_.read(page, frame, thread);
    stats_.read_wait_ns += ak::now() - t0;
    if (r != CK_OK) {
      last_error_ = r;
      return false;
    }
    stats_.page_ins += 1;
    return map(page) == CK_OK;
  }
  // Never written out: zeros (through its own mapping; the page is new data, modified).
  if (map(page) != CK_OK) return false;
  memset(reinterpret_cast<void*>(va_of(page)), 0, ak::kPageBytes);
  flags_[page] |= kDirty;
  stats_.zero_fills += 1;
  return true;
}

int32_t Pager::fault(uint32_t va, ck_id thread) {
  if (!contains(va)) return CK_E_ADDRESS;
  const uint32_t page = (va - base_) / ak::kPageBytes;
  lock(thread);
  int32_t status = CK_OK;
  if (page == ahead_) {
    // Read ahead: in already, or on its way (then this fault waits for the rest).
    if (disk_.in_flight()) stats_.read_waits += 1;
    stats_.read_ahead_hits += 1;
    const uint32_t t0 = ak::now();
    status = settle_ahead(thread) ? CK_OK : (last_error_ != CK_OK ? last_error_ : CK_E_IO);
    stats_.read_wait_ns += ak::now() - t0;
    if (status == CK_OK) start_ahead(policy_->read_ahead(page), page, thread);
  } else if (frame_[page] == kNoFrame) {
    uint32_t frame;
    if (!take_frame(&frame, thread)) {
      status = last_error_ != CK_OK ? last_error_ : CK_E_NO_DESCRIPTOR;
    } else if (!fill(page, frame, thread)) {
      frames_.free(frame);
      frame_[page] = kNoFrame;
      status = last_error_ != CK_OK ? last_error_ : CK_E_NO_DESCRIPTOR;
    } else {
      resident_ += 1;
      policy_->loaded(page);
      start_ahead(policy_->read_ahead(page), page, thread);
    }
  } else {
    stats_.soft_faults += 1;
    status = map(page);
    policy_->referenced(page);
  }
  unlock();
  return status;
}

void Pager::reset(Policy& policy) {
  lock(ak::query(CK_QUERY_SELF_THREAD).value);
  const ck_id self = ak::query(CK_QUERY_SELF_THREAD).value;
  settle_ahead(self);
  for (uint32_t page = 0; page < pages_; ++page) {
    if (frame_[page] == kNoFrame) continue;
    evict(page, self, false);  // what it held is of no more use
  }
  for (uint8_t& f : flags_) f = 0;
  stats_ = PagerStats{};
  policy_ = &policy;
  policy_->reset();
  unlock();
}

}  // namespace mp3d_ak
