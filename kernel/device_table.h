// The device table (paper §2.2): pages owned by the Cache Kernel's drivers (devices.h). A
// signal on one goes to its driver instead of to signal threads. Not an object cache:
// a small fixed table, filled at boot.
//
// Owns: the table of (physical page, driver).
#pragma once

#include "lib/types.h"

namespace ck {

// A driver of device pages: CK_SIGNAL on its page comes to it.
class Device {
 public:
  virtual void signalled(u32 offset) = 0;

 protected:
  ~Device() = default;
};

class DeviceTable {
 public:
  static constexpr u32 kPages = 8;

  // `device` receives the signals on `page` (nullptr: none). False when the table is
  // full.
  bool attach(PhysAddr page, Device* device);
  // The driver of `page`, or null.
  Device* driver(PhysAddr page) const {
    for (u32 i = 0; count_ != 0 && i < kPages; ++i)
      if (pages_[i].device != nullptr && pages_[i].page == page) return pages_[i].device;
    return nullptr;
  }

 private:
  struct Entry {
    PhysAddr page;
    Device* device = nullptr;
  };
  Entry pages_[kPages];
  u32 count_ = 0;
};

}  // namespace ck
