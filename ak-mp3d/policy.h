// Which resident page of MP3D's data to evict (paper §3: the replacement policy is the
// application kernel's, a virtual function): the pager asks its policy for a victim and
// tells it what came in, went out and was touched again.
#pragma once

#include <stdint.h>

namespace mp3d_ak {

class Pager;

class Policy {
 public:
  virtual const char* name() const = 0;
  virtual void loaded(uint32_t page) = 0;
  virtual void evicted(uint32_t page) = 0;
  // A resident page was touched again after its mapping had gone (a soft fault).
  virtual void referenced(uint32_t page) { (void)page; }
  // A resident page to evict now; it may take mappings away (pager.unmap) to learn
  // which pages are in use.
  virtual uint32_t victim(Pager& pager) = 0;
  // The page worth reading ahead once `page` came in (paper §3: the application knows
  // what it will process next), or kNoPage.
  static constexpr uint32_t kNoPage = 0xffffffff;
  virtual uint32_t read_ahead(uint32_t page) const {
    (void)page;
    return kNoPage;
  }
  // Everything was evicted: start afresh.
  virtual void reset() = 0;

 protected:
  ~Policy() = default;
};

}  // namespace mp3d_ak
