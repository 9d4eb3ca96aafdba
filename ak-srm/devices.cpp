// The SRM's devices through message pages (devices.h; page formats in ck/abi.h).
#include "devices.h"

#include <string.h>

namespace srm {

namespace {

constexpr uint32_t kTx = 0x60000000, kRx = 0x60001000, kClock = 0x60002000;
constexpr uint32_t kDiskRequest = 0x60003000, kDiskData = 0x60004000;
constexpr int32_t kPending = 1;

uint32_t g_disk_sectors;

int32_t disk_request(uint32_t op, uint32_t sector) {
  auto* r = reinterpret_cast<ck_disk_request*>(kDiskRequest);
  *r = ck_disk_request{.op = op, .status = kPending, .sector = sector, .count = 8, .data_offset = 0};
  if (ak::signal(kDiskRequest).value != 1) return CK_E_IO;  // no driver took it
  // The driver answers with a signal to this thread once `status` is set.
  while (r->status == kPending) ak::wait_signal();
  return r->status;
}

}  // namespace

ak::LineSink g_console([](const char* text, uint32_t bytes) {
  memcpy(reinterpret_cast<char*>(kTx + 4), text, bytes);
  *reinterpret_cast<volatile uint32_t*>(kTx) = bytes;
  ak::signal(kTx);
});

bool map_devices(const ck_boot_info& info) {
  const ck_id self = info.thread;
  // Locked: the SRM's console must outlive any cache pressure the kernels it starts make
  // (a mapping cache full of their locked mappings reclaimed the console's, and the SRM,
  // whose handler maps only its window and the PROM table, died on its next message).
  constexpr uint32_t kLock = CK_MAP_LOCK;
  const bool console =
      ak::load_mapping(info.space, kTx, info.console_tx, CK_MAP_WRITE | CK_MAP_MESSAGE | kLock) == CK_OK &&
      ak::load_mapping(info.space, kRx, info.console_rx, CK_MAP_WRITE | CK_MAP_MESSAGE | kLock, self) == CK_OK &&
      ak::load_mapping(info.space, kClock, info.clock, CK_MAP_MESSAGE | kLock, self) == CK_OK;
  if (!console) return false;
  if (info.disk_sectors != 0 &&
      ak::load_mapping(info.space, kDiskRequest, info.disk_request, CK_MAP_WRITE | CK_MAP_MESSAGE | kLock, self) ==
          CK_OK &&
      ak::load_mapping(info.space, kDiskData, info.disk_data, CK_MAP_WRITE | kLock) == CK_OK)
    g_disk_sectors = info.disk_sectors;
  return true;
}

bool read_line(StrView* out) {
  static char line[128];
  static uint32_t n = 0;
  static bool complete = false;
  if (complete) {
    n = 0;
    complete = false;
  }
  auto* rx = reinterpret_cast<ck_console_rx*>(kRx);
  while (rx->tail != rx->head) {
    const char c = static_cast<char>(rx->data[rx->tail]);
    rx->tail = (rx->tail + 1) % CK_CONSOLE_RX_BYTES;
    if (c == '\r' || c == '\n') {
      say("\n");
      complete = true;
      *out = StrView(line, n);
      return true;
    }
    if ((c == 0x7f || c == 0x08) && n > 0) {
      --n;
      say("\b \b");
    } else if (c >= ' ' && c < 0x7f && n < sizeof line) {
      line[n++] = c;
      say("{}", StrView(&line[n - 1], 1));
    }
  }
  return false;
}

ck_console_rx& console_input() { return *reinterpret_cast<ck_console_rx*>(kRx); }

uint64_t now_ns() {
  const auto* c = reinterpret_cast<const ck_clock*>(kClock);
  uint32_t sequence, high, low;
  do {
    sequence = c->sequence;
    high = c->ns_high;
    low = c->ns_low;
  } while (sequence != c->sequence);
  return static_cast<uint64_t>(high) << 32 | low;
}

uint32_t disk_sectors() { return g_disk_sectors; }

int32_t disk_write(uint32_t sector, const void* page) {
  memcpy(reinterpret_cast<void*>(kDiskData), page, 4096);
  return disk_request(CK_DISK_WRITE, sector);
}

int32_t disk_read(uint32_t sector, void* page) {
  const int32_t s = disk_request(CK_DISK_READ, sector);
  if (s == CK_OK) memcpy(page, reinterpret_cast<const void*>(kDiskData), 4096);
  return s;
}

bool is_device_signal(uint32_t address) { return address >= kTx && address < kDiskData + 4096; }

}  // namespace srm
