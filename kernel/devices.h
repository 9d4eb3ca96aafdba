// Devices through memory-based messaging (paper §2.2): the Cache Kernel's drivers own
// device pages; a signal on one goes to its driver, and a driver signals the signal
// threads of a page's mappings. The console and the clock (issue 6); portable, on
// arch::console() and the object caches' signal delivery. Host-tested.
#pragma once

#include "lib/format.h"
#include "object_caches.h"

namespace ck {

// The pages of the devices, taken from the first kernel's memory at boot.
struct DevicePages {
  PhysAddr console_tx, console_rx, clock, disk_request, disk_data;
};

// Console output: the text at a signalled address goes out.
class ConsoleOutput final : public Device {
 public:
  ConsoleOutput(PhysAddr page, Sink& out) : page_(page), out_(out) {}
  void signalled(u32 offset) override;

 private:
  PhysAddr page_;
  Sink& out_;
};

// Console input: bytes into the receive page's ring, then a signal.
class ConsoleInput {
 public:
  ConsoleInput(ObjectCaches& caches, PhysAddr page);
  // Takes every byte `poll` has (it returns -1 when none).
  void take(int (*poll)());

 private:
  ObjectCaches& caches_;
  PhysAddr page_;
};

// The clock page: the time, updated and signalled on every tick.
class ClockPage {
 public:
  ClockPage(ObjectCaches& caches, PhysAddr page, u32 tick_ns);
  void tick(u64 ticks, u64 now_ns);

 private:
  ObjectCaches& caches_;
  PhysAddr page_;
};

// The disk: requests at signalled addresses of the request page, data through the data
// page, synchronous, answered in the request and by a signal.
class DiskRequests final : public Device {
 public:
  DiskRequests(ObjectCaches& caches, PhysAddr requests, PhysAddr data)
      : caches_(caches), requests_(requests), data_(data) {}
  // A request at `offset`: started (answered when it ends), or answered at once when
  // it is bad or another is in flight (CK_E_BUSY).
  void signalled(u32 offset) override;
  // The request in flight, if it has ended, is answered.
  void poll();

 private:
  // The transfer started (CK_OK), or why not.
  ck_status start(const ck_disk_request& r) const;
  void answer(u32 offset, i32 status);

  ObjectCaches& caches_;
  PhysAddr requests_, data_;
  bool in_flight_ = false;
  u32 in_flight_offset_ = 0;
};

// All of them, attached to the caches (the console output page's signals).
class Devices {
 public:
  Devices(ObjectCaches& caches, const DevicePages& pages, Sink& console, u32 tick_ns);
  ~Devices();
  Devices(const Devices&) = delete;
  Devices& operator=(const Devices&) = delete;

  void tick(u64 ticks, u64 now_ns) { clock_.tick(ticks, now_ns); }
  void input(int (*poll)()) { input_.take(poll); }
  void disk_ended() { disk_.poll(); }

 private:
  ObjectCaches& caches_;
  DevicePages pages_;
  ConsoleOutput output_;
  ConsoleInput input_;
  ClockPage clock_;
  DiskRequests disk_;
};

}  // namespace ck
