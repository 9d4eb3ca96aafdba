// The SRM's disk service (disk_service.h; protocol in common/disk_mailbox.h).
#include "disk_service.h"

#include "devices.h"
#include "disk_mailbox.h"

namespace srm {

namespace {

namespace dm = ck::disk_mailbox;

constexpr uint32_t kPage = 4096;
constexpr uint32_t kSectorsPerPage = kPage / CK_DISK_SECTOR_BYTES;
constexpr uint32_t kAreaPages = kPagingAreaGroups * kGroupBytes / kPage;
// The swap areas come first (swap.cpp): one per slot.
constexpr uint32_t kFirstAreaSector = kMaxKernels * kSwapAreaGroups * kGroupBytes / CK_DISK_SECTOR_BYTES;
// Where the SRM maps each slot's request page (message mode, its own thread signalled).
constexpr uint32_t kRequestPages = 0x61000000;

struct Connection {
  bool connected = false;
  uint32_t page = 0;  // the request page, physical
};

Connection g_connections[kMaxKernels];
uint32_t g_transfers;

uint32_t request_va(uint32_t slot) { return kRequestPages + slot * kPage; }

bool owns(const Kernel& k, uint32_t physical) {
  return physical % kPage == 0 && physical >= k.base && physical - k.base < k.bytes();
}

dm::Mailbox& mailbox_of(const Kernel& k) {
  const uintptr_t info = reinterpret_cast<uintptr_t>(&boot_info_of(k));
  return *reinterpret_cast<dm::Mailbox*>(info + dm::kMailboxOffset);
}

void disconnect(uint32_t slot) {
  Connection& c = g_connections[slot];
  if (!c.connected) return;
  int32_t s;
  while ((s = ak::unload_mapping(ak::boot_info().space, request_va(slot))) == CK_E_RETRY) drain_own_ring();
  c = Connection{};
}

void connect(uint32_t slot, Kernel& k, dm::Mailbox& box) {
  const uint32_t page = box.request_page;
  const uint32_t first = kFirstAreaSector + (k.number - 1) * kAreaPages * kSectorsPerPage;
  int32_t status = CK_OK;
  if (!owns(k, page)) {
    status = CK_E_ADDRESS;
  } else if (first + kAreaPages * kSectorsPerPage > disk_sectors()) {
    status = CK_E_IO;  // no disk, or one too small for the paging areas
  } else {
    status = ak::load_mapping(ak::boot_info().space, request_va(slot), page, CK_MAP_WRITE | CK_MAP_MESSAGE,
                              ak::boot_info().thread);
  }
  if (status != CK_OK) {
    box.magic = 0;  // answered: it may ask again
    box.status = status;
    say("SRM: kernel #{} '{}' cannot use the disk service: status {}\n", k.number, k.image.name, status);
    return;
  }
  g_connections[slot] = Connection{true, page};
  box.status = CK_OK;
  box.area_pages = kAreaPages;
  say("SRM: kernel #{} '{}' pages to disk sectors {}..{} ({} KiB)\n", k.number, k.image.name, first,
      first + kAreaPages * kSectorsPerPage - 1, kAreaPages * kPage / 1024);
}

int32_t transfer(const Kernel& k, dm::Request& r) {
  const uint32_t op = r.op, block = r.block, frame = r.frame;
  if (op != static_cast<uint32_t>(dm::Op::Read) && op != static_cast<uint32_t>(dm::Op::Write)) return CK_E_ARGUMENT;
  if (block >= kAreaPages) return CK_E_ARGUMENT;
  if (!owns(k, frame)) return CK_E_ADDRESS;
  const uint32_t sector = kFirstAreaSector + ((k.number - 1) * kAreaPages + block) * kSectorsPerPage;
  uint8_t* at = window().at(frame);
  if (op == static_cast<uint32_t>(dm::Op::Read)) {
    r.reads += 1;
    return disk_read(sector, at);
  }
  r.writes += 1;
  return disk_write(sector, at);
}

void serve(uint32_t slot, const Kernel& k) {
  // Read and written through the window (whose faults the SRM's handler answers); the
  // message-mode mapping is for the signals only.
  dm::Request& request = *window().at<dm::Request>(g_connections[slot].page);
  const uint32_t wanted = request.request;
  if (wanted == request.done) return;
  request.status = transfer(k, request);
  request.done = wanted;
  g_transfers += 1;
  if (ak::signal(request_va(slot)).status == CK_E_NOT_MAPPED) {
    // The Cache Kernel displaced the SRM's mapping: map it again (else the kernel finds
    // the answer on its next tick).
    ak::load_mapping(ak::boot_info().space, request_va(slot), g_connections[slot].page, CK_MAP_WRITE | CK_MAP_MESSAGE,
                     ak::boot_info().thread);
    ak::signal(request_va(slot));
  }
}

}  // namespace

void answer_disk_service() {
  for (uint32_t slot = 0; slot < kMaxKernels; ++slot) {
    Kernel& k = kernel_slot(slot);
    Connection& c = g_connections[slot];
    if (k.state != State::Running) continue;
    dm::Mailbox& box = mailbox_of(k);
    if (c.connected && (box.magic != dm::kMagic || box.request_page != c.page)) disconnect(slot);
    if (!c.connected && box.magic == dm::kMagic) connect(slot, k, box);
    if (c.connected) serve(slot, k);
  }
}

void disk_service_forget(const Kernel& k) {
  for (uint32_t slot = 0; slot < kMaxKernels; ++slot)
    if (&kernel_slot(slot) == &k) disconnect(slot);
}

uint32_t disk_service_transfers() { return g_transfers; }

}  // namespace srm
