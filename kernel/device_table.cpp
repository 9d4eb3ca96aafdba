// The device table (device_table.h).
#include "device_table.h"

namespace ck {

bool DeviceTable::attach(PhysAddr page, Device* device) {
  Entry* free = nullptr;
  for (Entry& e : pages_) {
    if (e.device != nullptr && e.page == page) {
      if (device == nullptr) count_ -= 1;
      e.device = device;  // replaced, or detached
      return true;
    }
    if (e.device == nullptr && free == nullptr) free = &e;
  }
  if (device == nullptr) return true;
  if (free == nullptr) return false;
  *free = Entry{.page = page, .device = device};
  count_ += 1;
  return true;
}

}  // namespace ck
