// ak-mp3d's way to its area of the disk (issue 19): the SRM's disk service
// (common/disk_mailbox.h). A request page of its own memory, mapped locked in message
// mode, carries one transfer at a time; the SRM moves the page between the disk and the
// frame named, then signals. The signal goes to an I/O thread of the kernel (a mapping has
// one signal thread), which wakes the thread that asked: any worker may page.
#pragma once

#include <stdint.h>

#include "ck_call.h"

namespace mp3d_ak {

class DiskClient {
 public:
  // Connects: the request page is `frame` (of this kernel's memory), mapped at `va`,
  // its signals going to `io_thread`. CK_OK, or why not (the SRM's status; CK_E_IO when
  // it did not answer).
  int32_t connect(uint32_t frame, uint32_t va, ck_id io_thread);
  bool connected() const { return area_pages_ != 0; }
  uint32_t area_pages() const { return area_pages_; }
  // One page between block `block` of the area and the physical page `frame`; the
  // caller (`self`) waits.
  int32_t read(uint32_t block, uint32_t frame, ck_id self);
  int32_t write(uint32_t block, uint32_t frame, ck_id self);
  // A read that does not wait (the pager's read-ahead): the request page carries one
  // transfer, so the caller finishes it (finish: waits for it if the SRM has not yet
  // answered) before it asks for another.
  void start_read(uint32_t block, uint32_t frame);
  bool in_flight() const;
  int32_t finish(ck_id self);
  // The I/O thread's loop: each signal from the SRM wakes the waiting thread.
  [[noreturn]] void serve_signals();

 private:
  int32_t transfer(uint32_t op, uint32_t block, uint32_t frame, ck_id self);
  uint32_t post(uint32_t op, uint32_t block, uint32_t frame);
  int32_t wait(uint32_t wanted, ck_id self);

  uint32_t va_ = 0, area_pages_ = 0;
  volatile ck_id waiter_ = 0;
  uint32_t outstanding_ = 0;  // the request number posted and not yet finished (0: none)
};

}  // namespace mp3d_ak
