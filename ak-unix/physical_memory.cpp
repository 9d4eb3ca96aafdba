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
  frames_ = ak::FrameAllocator(base_, end_);
  total_ = frames_.available();
  for (uint32_t pa = base_; pa < end_; pa += ak::kPageBytes) {
    // Modified from the start: the emulator never asks, and a first write to each frame
    // (zeroing it for a process) would otherwise trap to have it recorded.
    const int32_t s = load_locked_mapping(info.space, kWindow + (pa - base_), pa, CK_MAP_WRITE | CK_MAP_MODIFIED);
    if (s != CK_OK) {
      ak::print("unix: cannot map its memory at {:#010x}: status {}\n", pa, s);
      return false;
    }
  }
  return true;
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

int32_t Memory::sync_code(uint32_t pa) const {
  return ak::sync_code(kWindow + ((pa & ~(ak::kPageBytes - 1)) - base_), ak::kPageBytes);
}

}  // namespace unixemu
