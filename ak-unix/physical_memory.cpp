// The emulator's physical memory (physical_memory.h).
#include "physical_memory.h"

#include "emulator.h"
#include "page_ops.h"

namespace unixemu {

Memory g_memory;

bool Memory::init(const ck_boot_info& info) {
  base_ = (info.memory_base + ak::kPageBytes - 1) & ~(ak::kPageBytes - 1);
  end_ = info.memory_end & ~(ak::kPageBytes - 1);
  if (end_ <= base_ || end_ - base_ > kWindowLimit - kWindow) {
    ak::print("unix: no memory to run processes in ({:#x}..{:#x})\n", base_, end_);
    return false;
  }
  space_ = info.space;
  frames_ = ak::FrameAllocator(base_, end_);
  total_ = frames_.available();
  return true;
}

// window_use.S's C++ part: at()'s slow path.
extern "C" void unixemu_window_use(uint32_t pa) { memory().use_if_needed(pa); }

void Memory::use_if_needed(uint32_t pa) {
  const uint32_t i = index(pa);
  if (used_[i] != *stamp_) use(i);
}

void Memory::use(uint32_t i) {
  const uint16_t stamp = *stamp_;
  if (used_[i] == 0) map(i, stamp);
  used_[i] = stamp;
}

bool Memory::map_all() {
  for (uint32_t i = 0; i < total_; ++i) {
    if (used_[i] != 0) continue;
    const int32_t s =
        load_locked_mapping(space_, window_of(i), base_ + i * ak::kPageBytes, CK_MAP_WRITE | CK_MAP_MODIFIED);
    if (s != CK_OK) {
      ak::print(
          "unix: cannot map its memory at {:#010x} (status {}; {} of {} frames mapped): start it with a "
          "smaller mem=, or start unix_window\n",
          base_ + i * ak::kPageBytes, s, mapped_, total_);
      return false;
    }
    used_[i] = kMapped;
    mapped_ += 1;
  }
  return true;
}

uint8_t* Memory::pin(uint32_t pa) {
  const uint32_t i = index(pa);
  pinned_[i / 32] |= 1u << (i % 32);
  return at(pa);
}

void Memory::map(uint32_t i, uint16_t holding) {
  if (mapped_ >= budget_) evict(holding);
  bool said = false;
  for (;;) {
    // Modified from the start: the emulator never asks, and a first write to each frame
    // (zeroing it for a process) would otherwise trap to have it recorded.
    const int32_t s =
        load_locked_mapping(space_, window_of(i), base_ + i * ak::kPageBytes, CK_MAP_WRITE | CK_MAP_MODIFIED);
    if (s == CK_OK) break;
    // Its own locked pages go first; then others may unlock theirs (a tick at a time).
    if (s == CK_E_NO_DESCRIPTOR && evict(holding)) continue;
    // Left mapped by an unload that gave up (its ring never drained): loaded afresh.
    if (s == CK_E_ALREADY_MAPPED) {
      unload_mapping_surely(space_, window_of(i));
      continue;
    }
    if (!said)
      ak::print("unix: cannot map its memory at {:#010x} (status {}, {} window pages mapped); waiting\n",
                base_ + i * ak::kPageBytes, s, mapped_);
    said = true;
    ak::block_self(1000 * 1000);
  }
  mapped_ += 1;
}

bool Memory::evict(uint16_t holding) {
  // Without a budget no stamp says which pages a holding uses: none may go.
  if (stamp_ == &kMapped) return false;
  const uint32_t frames = total_;
  for (uint32_t looked = 0; looked < frames; ++looked) {
    const uint32_t i = hand_;
    hand_ = hand_ + 1 == frames ? 0 : hand_ + 1;
    if (used_[i] == 0 || used_[i] == holding || pinned(i)) continue;
    unload_mapping_surely(space_, window_of(i));
    used_[i] = 0;
    mapped_ -= 1;
    evictions_ += 1;
    return true;
  }
  return false;
}

bool Memory::allocate(uint32_t* frame) {
  if (!allocate_to_fill(frame)) return false;
  ak::zero_page(at(*frame));
  return true;
}

bool Memory::allocate_to_fill(uint32_t* frame) {
  while (!frames_.allocate(frame))
    if (reclaim_ == nullptr || !reclaim_()) return false;
  refs_[index(*frame)] = 1;
  return true;
}

void Memory::release(uint32_t frame) {
  refs_[index(frame)] = 0;
  frames_.free(frame);
}

int32_t Memory::sync_code(uint32_t pa) {
  const uint32_t page = pa & ~(ak::kPageBytes - 1);
  return ak::sync_code(reinterpret_cast<uint32_t>(at(page)), ak::kPageBytes);
}

}  // namespace unixemu
