// ak-mp3d's client of the SRM's disk service (disk_client.h).
#include "disk_client.h"

#include "ak_layout.h"
#include "disk_mailbox.h"
#include "libak.h"

namespace mp3d_ak {

namespace {

namespace dm = ck::disk_mailbox;

// How long to wait for the SRM to connect (it looks at least every tick), and for a
// transfer's signal before looking again (the SRM answers a request whose signal it
// missed on its next tick).
constexpr uint32_t kConnectTries = 300;
constexpr uint32_t kWaitNs = 10 * 1000 * 1000;

dm::Mailbox& mailbox() { return *reinterpret_cast<dm::Mailbox*>(ck::ak_layout::kBootInfo + dm::kMailboxOffset); }

}  // namespace

int32_t DiskClient::connect(uint32_t frame, uint32_t va, ck_id io_thread) {
  const ck_boot_info& info = ak::boot_info();
  if (const int32_t s = ak::load_mapping(info.space, va, frame, CK_MAP_WRITE | CK_MAP_MESSAGE | CK_MAP_LOCK, io_thread);
      s != CK_OK)
    return s;
  va_ = va;
  auto* r = reinterpret_cast<dm::Request*>(va);
  *r = dm::Request{};
  dm::Mailbox& box = mailbox();
  box.area_pages = 0;
  box.status = CK_OK;
  box.request_page = frame;
  box.magic = dm::kMagic;  // last: the SRM reads the rest once it sees this
  for (uint32_t i = 0; i < kConnectTries && box.area_pages == 0 && box.status == CK_OK; ++i) ak::block_self(kWaitNs);
  if (box.area_pages == 0) return box.status != CK_OK ? box.status : CK_E_IO;
  area_pages_ = box.area_pages;
  return CK_OK;
}

uint32_t DiskClient::post(uint32_t op, uint32_t block, uint32_t frame) {
  auto* r = reinterpret_cast<dm::Request*>(va_);
  r->op = op;
  r->block = block;
  r->frame = frame;
  const uint32_t wanted = r->done + 1;
  r->request = wanted;
  ak::signal(va_);
  return wanted;
}

int32_t DiskClient::wait(uint32_t wanted, ck_id self) {
  auto* r = reinterpret_cast<volatile dm::Request*>(va_);
  // Registered before the look at `done`: a signal after it wakes this thread, one before
  // it shows in `done` (and the block has a time limit besides).
  waiter_ = self;
  while (r->done != wanted) ak::block_self(kWaitNs);
  waiter_ = 0;
  return r->status;
}

int32_t DiskClient::transfer(uint32_t op, uint32_t block, uint32_t frame, ck_id self) {
  if (outstanding_ != 0) finish(self);  // the pager finishes its read-ahead first; never two at once
  return wait(post(op, block, frame), self);
}

void DiskClient::start_read(uint32_t block, uint32_t frame) {
  outstanding_ = post(static_cast<uint32_t>(dm::Op::Read), block, frame);
}

bool DiskClient::in_flight() const {
  return outstanding_ != 0 && reinterpret_cast<volatile dm::Request*>(va_)->done != outstanding_;
}

int32_t DiskClient::finish(ck_id self) {
  const uint32_t wanted = outstanding_;
  outstanding_ = 0;
  return wanted == 0 ? CK_OK : wait(wanted, self);
}

int32_t DiskClient::read(uint32_t block, uint32_t frame, ck_id self) {
  return transfer(static_cast<uint32_t>(dm::Op::Read), block, frame, self);
}

int32_t DiskClient::write(uint32_t block, uint32_t frame, ck_id self) {
  return transfer(static_cast<uint32_t>(dm::Op::Write), block, frame, self);
}

void DiskClient::serve_signals() {
  for (;;) {
    ak::wait_signal();
    const ck_id waiter = waiter_;
    if (waiter != 0) ak::wake(waiter);
  }
}

}  // namespace mp3d_ak
