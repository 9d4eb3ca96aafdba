// MP3D's replacement policies (policies.h).
#include "policies.h"

#include "pager.h"

namespace mp3d_ak {

void ClockPolicy::loaded(uint32_t page) {
  // The page takes the slot of the one it replaces (the hand has just passed it).
  uint32_t slot = free_slot_;
  if (slot == kNone) slot = used_++;
  free_slot_ = kNone;
  slots_[slot] = page;
  slot_of_[page] = slot;
  referenced_[page] = true;
}

void ClockPolicy::evicted(uint32_t page) {
  const uint32_t slot = slot_of_[page];
  slots_[slot] = kNone;
  free_slot_ = slot;
}

uint32_t ClockPolicy::victim(Pager& pager) {
  for (uint32_t turns = 0; turns < 3 * used_ + 1; ++turns) {
    const uint32_t page = slots_[hand_];
    hand_ = hand_ + 1 == used_ ? 0 : hand_ + 1;
    if (page == kNone) continue;
    if (!referenced_[page]) return page;
    // A second chance: the next touch shows whether it is still in use.
    referenced_[page] = false;
    pager.unmap(page);
  }
  return slots_[hand_];
}

void ClockPolicy::reset() {
  used_ = 0;
  hand_ = 0;
  free_slot_ = kNone;
}

void SweepPolicy::configure(uint32_t lane_pages, uint32_t pages) {
  lane_pages_ = lane_pages;
  molecule_pages_ = lane_pages * mp3d::kLanes;
  pages_ = pages;
  reset();
}

void SweepPolicy::reset() {
  for (bool& r : resident_) r = false;
  new_step();
}

void SweepPolicy::new_step() {
  for (volatile uint32_t& d : done_) d = 0;
}

uint32_t SweepPolicy::highest_resident(uint32_t first, uint32_t end) const {
  for (uint32_t p = end; p > first; --p)
    if (resident_[p - 1]) return p - 1;
  return kNone;
}

uint32_t SweepPolicy::victim(Pager&) {
  // The page each lane finished last (behind its sweep; needed again only next step),
  // the latest in the sweep's order of all.
  uint32_t best = kNone;
  for (uint32_t lane = 0; lane < mp3d::kLanes; ++lane) {
    const uint32_t first = lane * lane_pages_;
    const uint32_t finished = done_[lane] / mp3d::kMoleculesPerPage;
    const uint32_t p = highest_resident(first, first + (finished < lane_pages_ ? finished : lane_pages_));
    if (p != kNone && (best == kNone || p > best)) best = p;
  }
  if (best != kNone) return best;
  // None finished yet: the molecule page the sweep reaches last.
  best = highest_resident(0, molecule_pages_);
  if (best != kNone) return best;
  // Only cells are resident: round robin.
  for (uint32_t n = 0; n < pages_ - molecule_pages_; ++n) {
    const uint32_t p = molecule_pages_ + (cell_hand_ + n) % (pages_ - molecule_pages_);
    if (resident_[p]) {
      cell_hand_ = p - molecule_pages_ + 1;
      return p;
    }
  }
  return 0;
}

}  // namespace mp3d_ak
