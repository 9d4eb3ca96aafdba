// Swapping application kernels to the disk (swap.h). Each kernel slot has its own area
// of the disk, large enough for the largest grant.
#include "swap.h"

#include "devices.h"
#include "disk_service.h"

namespace srm {

namespace {

constexpr uint32_t kPage = 4096;
constexpr uint32_t kSectorsPerPage = kPage / CK_DISK_SECTOR_BYTES;
constexpr uint32_t kAreaSectors = kSwapAreaGroups * kGroupBytes / CK_DISK_SECTOR_BYTES;

uint32_t area(const Kernel& k) { return (k.number - 1) * kAreaSectors; }

bool disk_holds(const Kernel& k) { return area(k) + kAreaSectors <= disk_sectors(); }

// Every page of the kernel's memory to (out) or from the disk; the first failing status.
int32_t transfer(const Kernel& k, bool out) {
  int32_t status = CK_OK;
  by_chunks(k.bytes(), [&](uint32_t chunk, uint32_t bytes) {
    for (uint32_t off = chunk; off < chunk + bytes && status == CK_OK; off += kPage) {
      uint8_t* page = window().at(k.base + off);
      const uint32_t sector = area(k) + off / kPage * kSectorsPerPage;
      status = out ? disk_write(sector, page) : disk_read(sector, page);
    }
  });
  return status;
}

}  // namespace

bool swap_out(Kernel& k) {
  if (k.state != State::Running && k.state != State::Displaced) {
    say("swapout: kernel #{} is {}\n", k.number, StrView(state_text(k.state)));
    return false;
  }
  if (k.grant.groups > kSwapAreaGroups) {
    say("swapout: kernel #{} has {} KiB; a swap area holds {} KiB\n", k.number, k.bytes() / 1024,
        kSwapAreaGroups * kGroupBytes / 1024);
    return false;
  }
  if (!disk_holds(k)) {
    say("swapout: {}\n", disk_sectors() == 0 ? StrView("no disk is attached") : StrView("the disk is too small"));
    return false;
  }
  const uint32_t kernels_before = static_cast<uint32_t>(ak::query(CK_QUERY_LOADED, CK_OBJECT_KERNEL).value);
  if (k.state == State::Running) {
    // Everything it has leaves the Cache Kernel, written back to its ring and the SRM's.
    // A kernel leaves in parts, its ring taken in between.
    k.saved_count = 0;
    const int32_t s = unload_whole(k, RingAfterUnload::Save);
    if (s != CK_OK) {
      say("swapout: cannot unload kernel #{}: status {}{}\n", k.number, s,
          StrView(s == CK_E_RETRY ? " (its writeback ring is full: it has not read it)" : ""));
      return false;
    }
  }
  disk_service_forget(k);
  k.state = State::SwappedOut;
  k.swap_checksum = memory_checksum(k);
  if (const int32_t s = transfer(k, true); s != CK_OK) {
    k.state = State::Displaced;  // still in memory: reloaded as if displaced
    say("swapout: disk write failed (status {}); kernel #{} stays in memory\n", s, k.number);
    return false;
  }
  zero_memory(k);  // what comes back must come from the disk
  pool().give_back(k.base, k.grant.groups);
  say("SRM: kernel #{} '{}' swapped out: {} KiB to disk sectors {}..{}, checksum {:#010x}; {} thread(s) saved; "
      "kernels in the Cache Kernel: {} -> {}\n",
      k.number, k.image.name, k.bytes() / 1024, area(k), area(k) + k.bytes() / CK_DISK_SECTOR_BYTES - 1,
      k.swap_checksum, k.saved_count, kernels_before,
      static_cast<uint32_t>(ak::query(CK_QUERY_LOADED, CK_OBJECT_KERNEL).value));
  return true;
}

bool swap_in(Kernel& k) {
  if (k.state != State::SwappedOut) {
    say("swapin: kernel #{} is {}\n", k.number, StrView(state_text(k.state)));
    return false;
  }
  if (!pool().take_at(k.base, k.grant.groups)) {
    say("swapin: its page groups at {:#010x} are in use by another kernel\n", k.base);
    return false;
  }
  if (const int32_t s = transfer(k, false); s != CK_OK) {
    pool().give_back(k.base, k.grant.groups);
    say("swapin: disk read failed (status {})\n", s);
    return false;
  }
  // Its code came back through the SRM's copies (data cache); the instruction cache may
  // hold lines of whatever ran in these groups meanwhile.
  if (const int32_t s = sync_code(k.base, k.bytes()); s != CK_OK)
    say("swapin: cannot sync kernel #{}'s code: status {}\n", k.number, s);
  const uint32_t checksum = memory_checksum(k);
  k.state = State::Displaced;  // in memory again; its objects are not loaded yet
  const int32_t s = load_kernel_objects(k, false);
  if (s == CK_OK) k.state = State::Running;
  say("SRM: kernel #{} '{}' swapped in: checksum {:#010x} ({}), {}\n", k.number, k.image.name, checksum,
      StrView(checksum == k.swap_checksum ? "unchanged" : "CHANGED"),
      StrView(s == CK_OK ? "its objects reloaded; it runs on" : "reloaded when a kernel descriptor is free"));
  return true;
}

}  // namespace srm
