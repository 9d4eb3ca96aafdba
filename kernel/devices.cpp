// Devices through memory-based messaging (devices.h).
#include "devices.h"

#include <cstring>

namespace ck {

namespace {
constexpr u32 kPageBytes = arch::kPageBytes;
u8* bytes_of(PhysAddr page) { return static_cast<u8*>(arch::physical_memory(page)); }
}  // namespace

void ConsoleOutput::signalled(u32 offset) {
  // A count and the text after it, never past the page.
  if (offset > kPageBytes - 4 || (offset & 3) != 0) return;
  const u8* at = bytes_of(page_) + offset;
  u32 bytes;
  std::memcpy(&bytes, at, 4);
  const u32 room = kPageBytes - offset - 4;
  out_.write(StrView(reinterpret_cast<const char*>(at + 4), bytes < room ? bytes : room));
}

ConsoleInput::ConsoleInput(ObjectCaches& caches, PhysAddr page) : caches_(caches), page_(page) {
  std::memset(bytes_of(page_), 0, kPageBytes);
}

void ConsoleInput::take(int (*poll)()) {
  auto* rx = static_cast<ck_console_rx*>(arch::physical_memory(page_));
  const u32 first = rx->head;
  for (int c = poll(); c >= 0; c = poll()) {
    const u32 head = rx->head;
    // The reader's tail is its own to write: a bad one only costs it its input.
    if ((head + 1) % CK_CONSOLE_RX_BYTES == rx->tail % CK_CONSOLE_RX_BYTES) {
      rx->dropped = rx->dropped + 1;
      continue;
    }
    rx->data[head % CK_CONSOLE_RX_BYTES] = static_cast<u8>(c);
    rx->head = (head + 1) % CK_CONSOLE_RX_BYTES;
  }
  if (rx->head != first) caches_.signal_physical(page_, static_cast<u32>(offsetof(ck_console_rx, data)) + first);
}

ClockPage::ClockPage(ObjectCaches& caches, PhysAddr page, u32 tick_ns) : caches_(caches), page_(page) {
  std::memset(bytes_of(page_), 0, kPageBytes);
  static_cast<ck_clock*>(arch::physical_memory(page_))->tick_ns = tick_ns;
}

void ClockPage::tick(u64 ticks, u64 now_ns) {
  auto* c = static_cast<ck_clock*>(arch::physical_memory(page_));
  c->sequence = c->sequence + 1;
  c->ns_high = static_cast<u32>(now_ns >> 32);
  c->ns_low = static_cast<u32>(now_ns);
  c->ticks_high = static_cast<u32>(ticks >> 32);
  c->ticks_low = static_cast<u32>(ticks);
  c->sequence = c->sequence + 1;
  caches_.signal_physical(page_, 0);
}

ck_status DiskRequests::start(const ck_disk_request& r) const {
  if (r.op != CK_DISK_READ && r.op != CK_DISK_WRITE) return CK_E_ARGUMENT;
  const u32 sectors_per_page = kPageBytes / CK_DISK_SECTOR_BYTES;
  if (r.count == 0 || r.count > sectors_per_page || r.data_offset % CK_DISK_SECTOR_BYTES != 0 ||
      r.data_offset / CK_DISK_SECTOR_BYTES + r.count > sectors_per_page)
    return CK_E_ARGUMENT;
  const u64 sectors = arch::disk_sectors();
  if (sectors == 0) return CK_E_IO;
  if (static_cast<u64>(r.sector) + r.count > sectors) return CK_E_ADDRESS;
  return arch::disk_start(r.op == CK_DISK_WRITE, r.sector, data_ + r.data_offset, r.count) ? CK_OK : CK_E_IO;
}

void DiskRequests::answer(u32 offset, i32 status) {
  std::memcpy(bytes_of(requests_) + offset + offsetof(ck_disk_request, status), &status, sizeof status);
  caches_.signal_physical(requests_, offset);
}

void DiskRequests::signalled(u32 offset) {
  if (offset > kPageBytes - sizeof(ck_disk_request) || (offset & 3) != 0) return;
  if (in_flight_) {
    answer(offset, CK_E_BUSY);
    return;
  }
  // Copied in: the page is the client's to scribble on while the transfer runs.
  ck_disk_request r;
  std::memcpy(&r, bytes_of(requests_) + offset, sizeof r);
  const ck_status s = start(r);
  if (s != CK_OK) {
    answer(offset, s);
    return;
  }
  in_flight_ = true;
  in_flight_offset_ = offset;
}

void DiskRequests::poll() {
  if (!in_flight_) return;
  const arch::DiskState s = arch::disk_poll();
  if (s == arch::DiskState::Busy) return;
  in_flight_ = false;
  answer(in_flight_offset_, s == arch::DiskState::Done ? CK_OK : CK_E_IO);
}

Devices::Devices(ObjectCaches& caches, const DevicePages& pages, Sink& console, u32 tick_ns)
    : caches_(caches),
      pages_(pages),
      output_(pages.console_tx, console),
      input_(caches, pages.console_rx),
      clock_(caches, pages.clock, tick_ns),
      disk_(caches, pages.disk_request, pages.disk_data) {
  caches_.attach_device(pages_.console_tx, &output_);
  caches_.attach_device(pages_.disk_request, &disk_);
}

Devices::~Devices() {
  caches_.attach_device(pages_.console_tx, nullptr);
  caches_.attach_device(pages_.disk_request, nullptr);
}

}  // namespace ck
