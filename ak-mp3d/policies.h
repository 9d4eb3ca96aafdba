// MP3D's replacement policies (issue 19, paper §3 "it can identify the portion of its
// data set to page out to provide room for data it is about to process"):
//   SweepPolicy (policy=mp3d): the application's own. The molecules are swept in order
//     every step (mp3d::SweepHook says how far each lane is): a page the sweep has just
//     finished is not needed again until the next step, later than any other, so it is
//     the one to go (Belady's choice on a cyclic sweep); pages ahead of the sweep stay,
//     and the cells, which every molecule touches at random, go last.
//   FifoPolicy (policy=fifo): libak's FIFO.
//   ClockPolicy (policy=clock or lru): the clock approximation of LRU; a page's reference
//     bit is learned by taking its mapping away and seeing it touched again.
// On a cyclic sweep larger than memory FIFO and LRU evict exactly the page needed next.
#pragma once

#include <stdint.h>

#include "memory.h"
#include "policy.h"
#include "simulation.h"

namespace mp3d_ak {

inline constexpr uint32_t kMaxDataPages = 2048;  // the SRM's paging area: 8 MiB

class FifoPolicy final : public Policy {
 public:
  const char* name() const override { return "fifo"; }
  void loaded(uint32_t page) override { fifo_.loaded(page); }
  void evicted(uint32_t page) override { fifo_.evicted(page); }
  uint32_t victim(Pager&) override { return fifo_.victim(); }
  void reset() override { fifo_ = ak::FifoPolicy(); }

 private:
  ak::FifoPolicy fifo_;
};

class ClockPolicy final : public Policy {
 public:
  const char* name() const override { return "clock"; }
  void loaded(uint32_t page) override;
  void evicted(uint32_t page) override;
  void referenced(uint32_t page) override { referenced_[page] = true; }
  uint32_t victim(Pager& pager) override;
  void reset() override;

 private:
  static constexpr uint32_t kNone = 0xffffffff;
  uint32_t slots_[kMaxDataPages];  // resident pages around the clock (kNone: an empty slot)
  uint32_t slot_of_[kMaxDataPages];
  bool referenced_[kMaxDataPages] = {};
  uint32_t used_ = 0, hand_ = 0, free_slot_ = kNone;
};

class SweepPolicy final : public Policy, public mp3d::SweepHook {
 public:
  // The molecule array is the first `lanes x lane_pages` pages, the cells the rest.
  void configure(uint32_t lane_pages, uint32_t pages);
  const char* name() const override { return "mp3d"; }
  void loaded(uint32_t page) override { resident_[page] = true; }
  void evicted(uint32_t page) override { resident_[page] = false; }
  uint32_t victim(Pager& pager) override;
  void reset() override;
  // A new step: no molecule is done yet.
  void new_step();
  void sweeping(uint32_t lane, uint32_t done) override { done_[lane] = done; }
  // The next page of the same lane: the sweep reads its lane's pages in order.
  uint32_t read_ahead(uint32_t page) const override {
    return read_ahead_ && page < molecule_pages_ && (page + 1) % lane_pages_ != 0 ? page + 1 : kNoPage;
  }
  void set_read_ahead(bool on) { read_ahead_ = on; }

 private:
  static constexpr uint32_t kNone = 0xffffffff;
  uint32_t highest_resident(uint32_t first, uint32_t end) const;
  uint32_t lane_pages_ = 0, molecule_pages_ = 0, pages_ = 0, cell_hand_ = 0;
  bool read_ahead_ = true;
  volatile uint32_t done_[mp3d::kLanes] = {};
  bool resident_[kMaxDataPages] = {};
};

}  // namespace mp3d_ak
