// The application kernels the SRM runs (kernels.h; paper §3, §2.4, §4.3).
#include "kernels.h"

#include <string.h>

#include "ak_layout.h"
#include "check_mailbox.h"
#include "devices.h"
#include "disk_service.h"
#include "elf_image.h"
#include "random.h"

namespace srm {

namespace {

namespace layout = ck::ak_layout;
using ck::AkHeader;
using ck::ElfImage;

// Where things are in a kernel's page groups, from their base.
constexpr uint32_t kPage = layout::kPage;
constexpr uint32_t kInfoOffset = layout::kRingBytes;  // the ring is first
constexpr uint32_t kStackOffset = kInfoOffset + kPage;
constexpr uint32_t kExceptionStackOffset = kStackOffset + layout::kStackBytes;
constexpr uint32_t kImageOffset = kExceptionStackOffset + layout::kExceptionStackBytes;
constexpr uint32_t kStartPriority = 8;
// A kernel may lock a mapping of every page of its memory (a handler must not fault, so
// what it touches is mapped locked: the UNIX emulator's memory) and this many more (the
// emulator's windows on its root file system in the PROM table among them:
// ak-unix/prom_window.h). A kernel whose image says its handler relies on locked
// mappings (kAkPinned) has its kernel object loaded locked too.
constexpr uint32_t kExtraLockedMappings = 256;
constexpr uint32_t kNotExited = layout::kNotExited;

Kernel g_kernels[kMaxKernels];
ck::PromTable g_prom;
MemoryPool g_pool;
ak::PhysicalWindow g_window(0, 0, 0);

struct Image {
  ElfImage elf;
  AkHeader header;
};

bool parse_image(const ck::PromImage& image, Image* out) {
  return out->elf.parse(image.elf, image.bytes) && out->elf.ak_header(&out->header) &&
         out->elf.end() <= layout::kImageLimit;
}

// A page the SRM maps for the kernel: its layout (ak_layout.h) and its image.
struct Region {
  uint32_t va, offset, bytes;
  bool writable;
};
constexpr Region kFixedRegions[] = {
    {layout::kRing, 0, layout::kRingBytes, true},
    {layout::kBootInfo, kInfoOffset, kPage, true},
    {layout::kStackTop - layout::kStackBytes, kStackOffset, layout::kStackBytes, true},
    {layout::kExceptionStackTop - layout::kExceptionStackBytes, kExceptionStackOffset, layout::kExceptionStackBytes,
     true},
};

template <typename Visit>
bool for_each_srm_mapping(const Kernel& k, const Image& image, Visit&& visit) {
  for (const Region& r : kFixedRegions)
    for (uint32_t off = 0; off < r.bytes; off += kPage)
      if (!visit(r.va + off, k.base + r.offset + off, r.writable)) return false;
  for (uint32_t i = 0; i < image.elf.segment_count(); ++i) {
    const ck::ElfSegment& s = image.elf.segment(i);
    for (uint32_t off = 0; off < s.memory_bytes; off += kPage) {
      const uint32_t va = s.vaddr + off;
      if (!visit(va, k.base + kImageOffset + (va - image.elf.start()), s.writable)) return false;
    }
  }
  return true;
}

bool in_image(const Image& image, uint32_t va) { return va >= image.elf.start() && va < image.elf.end(); }

// Whether the paged layout (paged_page) fits the image and the grant.
bool pageable(const Image& image, const Grant& grant) {
  return image.elf.end() <= layout::kPagedMemory && image.elf.segment_count() <= Kernel::kMaxSegments &&
         grant.groups * kGroupBytes <= layout::kPagedBytesMax && ak::boot_info().prom_bytes <= layout::kPagedBytesMax;
}

// The first byte of its memory after its image (ck_boot_info::memory_base).
uint32_t memory_base_of(const Kernel& k) { return k.base + kImageOffset + (k.image_end - k.image_start); }

// The page the SRM maps at `page` of a paged kernel's home space on its fault there
// (ck_boot_info::paged_memory): its image, its memory at kPagedMemory, the PROM table at
// kPagedProm, or its fixed regions (locked, so never faulted on; for completeness).
// Writable pages are loaded already modified: the SRM keeps no modified bits of them.
bool paged_page(const Kernel& k, uint32_t page, uint32_t* pa, uint32_t* flags) {
  constexpr uint32_t kWritable = CK_MAP_WRITE | CK_MAP_MODIFIED;
  for (uint32_t i = 0; i < k.segment_count; ++i) {
    const Kernel::Segment& s = k.segments[i];
    if (page - s.va >= s.bytes) continue;
    *pa = k.base + kImageOffset + (page - k.image_start);
    *flags = s.writable ? kWritable : 0;
    return true;
  }
  const uint32_t memory_base = memory_base_of(k);
  if (page - layout::kPagedMemory < k.base + k.bytes() - memory_base) {
    *pa = memory_base + (page - layout::kPagedMemory);
    *flags = kWritable;
    return true;
  }
  if (page - layout::kPagedProm < ak::boot_info().prom_bytes) {
    *pa = ak::boot_info().prom_physical + (page - layout::kPagedProm);
    *flags = 0;
    return true;
  }
  for (const Region& r : kFixedRegions)
    if (page - r.va < r.bytes) {
      *pa = k.base + r.offset + (page - r.va);
      *flags = r.writable ? kWritable : 0;
      return true;
    }
  return false;
}

bool is_srm_mapping(const Image& image, uint32_t va) {
  for (const Region& r : kFixedRegions)
    if (va - r.va < r.bytes) return true;
  return in_image(image, va);
}

uint32_t srm_mapping_count(const Image& image) {
  uint32_t n = 0;
  for (const Region& r : kFixedRegions) n += r.bytes / kPage;
  for (uint32_t i = 0; i < image.elf.segment_count(); ++i) n += (image.elf.segment(i).memory_bytes + kPage - 1) / kPage;
  return n;
}

}  // namespace

int32_t sync_code(uint32_t pa, uint32_t bytes) {
  int32_t status = CK_OK;
  by_chunks(bytes, [&](uint32_t offset, uint32_t part) {
    if (status == CK_OK) status = g_window.sync_code(pa + offset, part);
  });
  return status;
}

namespace {

// A fresh kernel's memory: zeroed, the image's segments copied in, its boot info.
void prepare_fresh(Kernel& k, const Image& image) {
  zero_memory(k);
  for (uint32_t i = 0; i < image.elf.segment_count(); ++i) {
    const ck::ElfSegment& s = image.elf.segment(i);
    const uint32_t at = k.base + kImageOffset + (s.vaddr - image.elf.start());
    by_chunks(s.file_bytes, [&](uint32_t offset, uint32_t bytes) {
      memcpy(g_window.at(at + offset), k.image.elf + s.offset + offset, bytes);
    });
    // The code went in through the data cache; the kernel's instruction fetches must
    // see it, not stale lines (the 68040's caches are not coherent).
    if (const int32_t status = sync_code(at, s.file_bytes); status != CK_OK)
      say("SRM: kernel #{}: cannot sync its code at {:#010x}: status {}\n", k.number, at, status);
  }
  k.image_start = image.elf.start();
  k.image_end = image.elf.end();
  k.segment_count = 0;
  for (uint32_t i = 0; i < image.elf.segment_count() && i < Kernel::kMaxSegments; ++i, ++k.segment_count)
    k.segments[i] = {image.elf.segment(i).vaddr, image.elf.segment(i).memory_bytes, image.elf.segment(i).writable};
  ck_boot_info& info = boot_info_of(k);
  info = ck_boot_info{};
  info.memory_base = memory_base_of(k);
  info.memory_end = k.base + k.bytes();
  layout::describe(&info, layout::kRingBytes);
  info.ring_physical = k.base;
  info.image_start = image.elf.start();
  info.image_end = image.elf.end();
  info.image_physical = k.base + kImageOffset;
  // The PROM table, readable by every kernel (load_kernel_objects grants it): a kernel maps
  // what it needs of it (the UNIX emulator, its root file system).
  info.prom_physical = ak::boot_info().prom_physical;
  info.prom_bytes = ak::boot_info().prom_bytes;
  // A paged kernel's memory and the PROM table, mapped as it touches them (paged_page).
  if (k.grant.paged) {
    info.paged_memory = layout::kPagedMemory;
    info.paged_prom = layout::kPagedProm;
  }
  // Its own seed, fresh output of the SRM's generator (seeded from the machine): no two
  // kernels, and no restart of one, start their generators alike.
  ak::random_bytes(info.entropy, sizeof info.entropy);
  info.entropy_sources = ak::entropy_sources();
  memcpy(reinterpret_cast<char*>(&info + 1), k.arguments, sizeof k.arguments);  // NUL-terminated
  static_assert(sizeof(ck_boot_info) + sizeof k.arguments <= ck::check_mailbox::kMailboxOffset,
                "the arguments reach the mailboxes");
}

void restart_kernel(Kernel& k) {
  disk_service_forget(k);
  unload_whole(k, RingAfterUnload::Discard);
  k.restarts += 1;
  Image image;
  parse_image(k.image, &image);
  prepare_fresh(k, image);
  if (const int32_t s = load_kernel_objects(k, true); s != CK_OK) {
    k.state = State::Free;  // not loaded: nothing to unload
    g_pool.give_back(k.base, k.grant.groups);
    say("SRM: kernel #{} '{}' cannot be restarted (status {}): removed\n", k.number, k.image.name, s);
    return;
  }
  say("SRM: kernel #{} '{}' restarted ({} of {})\n", k.number, k.image.name, k.restarts, kMaxRestarts);
}

}  // namespace

ck_boot_info& boot_info_of(const Kernel& k) { return *g_window.at<ck_boot_info>(k.base + kInfoOffset); }

void init_kernels(const ck::PromTable& prom, const MemoryPool& pool, const ak::PhysicalWindow& window) {
  g_prom = prom;
  g_pool = pool;
  g_window = window;
  for (uint32_t i = 0; i < kMaxKernels; ++i) g_kernels[i].number = i + 1;
}

MemoryPool& pool() { return g_pool; }
const ck::PromTable& prom() { return g_prom; }
const ak::PhysicalWindow& window() { return g_window; }

Kernel* kernel_numbered(uint32_t number) {
  return number >= 1 && number <= kMaxKernels ? &g_kernels[number - 1] : nullptr;
}
Kernel& kernel_slot(uint32_t i) { return g_kernels[i]; }

const char* state_text(State s) {
  switch (s) {
    case State::Free:
      return "free";
    case State::Running:
      return "running";
    case State::Displaced:
      return "displaced";
    case State::SwappedOut:
      return "swapped out";
  }
  return "?";
}

Kernel* start_kernel(StrView name, const Grant& asked, bool restart, StrView arguments) {
  ck::PromImage found;
  Image image;
  if (!g_prom.find(name, &found)) {
    say("start: there is no '{}' in the PROM table (`images` lists it)\n", name);
    return nullptr;
  }
  if (!parse_image(found, &image)) {
    say("start: '{}' is not an application-kernel image\n", name);
    return nullptr;
  }
  // Without mem=, the memory its image asks for (its header's flags), else one group.
  Grant grant = asked;
  if (grant.groups == 0) {
    const uint32_t wanted = (image.header.flags & ck::kAkDefaultGroupsMask) >> ck::kAkDefaultGroupsShift;
    grant.groups = wanted == 0 ? 1 : wanted <= kMaxGrantGroups ? wanted : kMaxGrantGroups;
  }
  const uint32_t needs = kImageOffset + (image.elf.end() - image.elf.start()) + kPage;
  if (needs > grant.groups * kGroupBytes) {
    say("start: '{}' needs {} KiB; grant it more page groups (mem=N)\n", name, needs / 1024);
    return nullptr;
  }
  if (grant.paged && !pageable(image, grant)) {
    say("start: '{}' cannot be paged: its image must end below {:#010x} in at most {} segments, its memory and the "
        "PROM table be at most {} MiB each\n",
        name, layout::kPagedMemory, Kernel::kMaxSegments, layout::kPagedBytesMax >> 20);
    return nullptr;
  }
  Kernel* k = nullptr;
  for (Kernel& slot : g_kernels)
    if (slot.state == State::Free) {
      k = &slot;
      break;
    }
  if (k == nullptr) {
    say("start: all {} kernel slots are in use\n", kMaxKernels);
    return nullptr;
  }
  ck::BufferSink args(k->arguments, sizeof k->arguments);
  ck::format(args, "kernel={} {}", k->number, arguments);
  if (args.truncated()) {
    say("start: the arguments are too long\n");
    return nullptr;
  }
  uint32_t base;
  if (!g_pool.take(grant.groups, &base)) {
    say("start: no {} contiguous free page group(s) of 512 KiB ({} free)\n", grant.groups, g_pool.free_groups());
    return nullptr;
  }
  k->image = found;
  k->grant = grant;
  k->restart = restart;
  k->restarts = k->displacements = k->reloads = k->faults = k->overflowed = k->home_faults = 0;
  k->base = base;
  k->saved_count = 0;
  prepare_fresh(*k, image);
  if (const int32_t s = load_kernel_objects(*k, true); s != CK_OK) {
    g_pool.give_back(base, grant.groups);
    say("start: cannot load '{}' into the Cache Kernel: status {}\n", name, s);
    return nullptr;
  }
  k->state = State::Running;
  say("SRM: started #{} '{}': kernel {:#x}, memory {:#010x}..{:#010x} ({} page group(s); {} left free), "
      "cpu {}%, priority <= {}\n",
      k->number, name, k->kernel, base, base + k->bytes(), grant.groups, g_pool.free_groups(), grant.percent,
      grant.max_priority);
  return k;
}

int32_t load_kernel_objects(Kernel& k, bool fresh) {
  Image image;
  if (!parse_image(k.image, &image)) return CK_E_ARGUMENT;
  const ck_kernel_desc desc{.handler = image.header.handler,
                            .writeback_ring = k.base,
                            .ring_bytes = layout::kRingBytes,
                            .cookie = k.number,
                            .flags = (fresh ? 0u : CK_KERNEL_KEEP_RING) |
                                     ((image.header.flags & ck::kAkPinned) != 0 ? CK_LOCK : 0u) |
                                     ((image.header.flags & ck::kAkHandlerNoFpu) != 0 ? CK_KERNEL_HANDLER_NO_FPU : 0u) |
                                     (k.grant.paged ? CK_KERNEL_HOME_PAGED : 0u)};
  const ak::CallResult loaded = ak::load_kernel(desc);
  if (!loaded.ok()) return loaded.status;
  k.kernel = loaded.value;
  ak::Steps s;
  const uint32_t prom_groups_bytes = (ak::boot_info().prom_bytes + kGroupBytes - 1) & ~(kGroupBytes - 1);
  s.step(ak::set_memory_access(k.kernel, k.base, k.bytes(), CK_RIGHTS_READ_WRITE)) &&
      s.step(ak::set_memory_access(k.kernel, ak::boot_info().prom_physical, prom_groups_bytes, CK_RIGHTS_READ)) &&
      s.step(ak::set_cpu(k.kernel, k.grant.percent, k.grant.max_priority)) &&
      s.step(ak::set_lock_quota(k.kernel, CK_OBJECT_SPACE, 1)) &&
      s.step(ak::set_lock_quota(k.kernel, CK_OBJECT_THREAD, kMaxSavedThreads)) &&
      s.step(ak::set_lock_quota(k.kernel, CK_OBJECT_MAPPING,
                                srm_mapping_count(image) + k.bytes() / kPage + kExtraLockedMappings));
  const ak::CallResult home =
      s.status == CK_OK ? ak::load_space(k.kernel, 0, CK_LOCK | CK_SPACE_HOME) : ak::CallResult{};
  if (s.step(home.status)) k.home = home.value;
  if (s.status == CK_OK)
    for_each_srm_mapping(k, image, [&](uint32_t va, uint32_t pa, bool writable) {
      // A paged kernel's image is mapped as it touches it (kernel_home_fault).
      if (k.grant.paged && in_image(image, va)) return true;
      // (A load may displace another kernel's mapping into its full ring: waited on.)
      return s.step(
          ak::load_mapping_draining(k.home, va, pa, CK_MAP_LOCK | (writable ? CK_MAP_WRITE : 0), drain_own_ring));
    });
  ck_boot_info& info = boot_info_of(k);
  ck_id first = 0;
  const uint32_t top = k.grant.max_priority;
  if (fresh && s.status == CK_OK) {
    ck_thread_state state{};
    state.regs.pc = image.header.entry;
    state.regs.a[0] = layout::kBootInfo;
    state.regs.a[7] = layout::kStackTop;
    state.exception_stack = layout::kExceptionStackTop;
    const uint32_t priority = kStartPriority < top ? kStartPriority : top;
    const ak::CallResult t = ak::load_thread(k.home, 0, CK_LOCK | priority << CK_PRIORITY_SHIFT, state);
    if (s.step(t.status)) first = t.value;
  }
  for (uint32_t i = 0; !fresh && i < k.saved_count && s.status == CK_OK; ++i) {
    const SavedThread& saved = k.saved[i];
    const uint32_t priority = saved.priority < top ? saved.priority : top;
    const ak::CallResult t = ak::load_thread(k.home, saved.cookie,
                                             (saved.locked ? CK_LOCK : 0) | priority << CK_PRIORITY_SHIFT, saved.state);
    if (s.step(t.status) && saved.old_id == info.thread) first = t.value;
  }
  if (s.status != CK_OK) {
    // Nothing half-loaded stays; what the attempt wrote to its ring is not the kernel's.
    unload_whole(k, fresh ? RingAfterUnload::Discard : RingAfterUnload::Absorb);
    return s.status;
  }
  k.saved_count = 0;  // reloaded
  // Identifiers are new on every load (§2): the kernel finds its own in its boot info.
  info.kernel = k.kernel;
  info.space = k.home;
  if (first != 0) info.thread = first;
  return CK_OK;
}

void absorb_ring(Kernel& k, bool save) {
  Image image;
  if (!parse_image(k.image, &image)) return;
  auto* header = g_window.at<ck_ring_header>(k.base);
  uint8_t* ring = g_window.at(k.base);
  const uint32_t slots = layout::kRingBytes / CK_RING_SLOT_BYTES;
  if (header->slots != slots || header->tail == 0 || header->tail >= slots || header->head >= slots) {
    say("SRM: kernel #{}'s writeback ring is damaged; its threads cannot be reloaded\n", k.number);
    return;
  }
  for (uint32_t i = header->tail, steps = 0; i != header->head && steps < slots; ++steps) {
    ck_writeback r;
    memcpy(&r, ring + i * CK_RING_SLOT_BYTES, sizeof r);
    if (r.slots == 0) break;
    bool take = false;
    if (r.kind != CK_WB_PAD && (r.flags & CK_WB_KERNEL_GONE) != 0) {
      if (r.kind == CK_WB_THREAD && r.space == k.home) {
        if (!save) {
          take = true;
        } else if (k.saved_count < kMaxSavedThreads) {
          SavedThread& t = k.saved[k.saved_count++];
          memcpy(&t.state, ring + (i + 1) * CK_RING_SLOT_BYTES, sizeof t.state);
          t.cookie = r.cookie;
          t.priority = r.va;
          t.locked = (r.flags & CK_WB_LOCKED) != 0;
          t.old_id = r.id;
          take = true;
        } else {
          say("SRM: kernel #{}: thread {:#x} is left for the kernel to reload (the SRM keeps {})\n", k.number, r.id,
              kMaxSavedThreads);
        }
      } else {
        take = (r.kind == CK_WB_SPACE && r.id == k.home) ||
               (r.kind == CK_WB_MAPPING && r.space == k.home && is_srm_mapping(image, r.va));
      }
    }
    if (take) ring[i * CK_RING_SLOT_BYTES] = CK_WB_PAD;  // the reader skips it
    i += r.slots;
    if (i >= slots) i = 1;
  }
}

uint32_t memory_checksum(const Kernel& k) {
  uint32_t h = 2166136261u;
  by_chunks(k.bytes(), [&](uint32_t offset, uint32_t bytes) {
    const uint32_t* w = g_window.at<uint32_t>(k.base + offset);
    for (uint32_t i = 0; i < bytes / 4; ++i) h = (h ^ w[i]) * 16777619u;
  });
  return h;
}

void zero_memory(const Kernel& k) {
  by_chunks(k.bytes(), [&](uint32_t offset, uint32_t bytes) { memset(g_window.at(k.base + offset), 0, bytes); });
}

int32_t unload_whole(Kernel& k, RingAfterUnload ring) {
  auto take_ring = [&] {
    if (ring == RingAfterUnload::Discard) {
      auto* header = g_window.at<ck_ring_header>(k.base);
      header->tail = header->head;
    } else {
      absorb_ring(k, ring == RingAfterUnload::Save);
    }
  };
  int32_t s = ak::unload_kernel(k.kernel);
  for (uint32_t calls = 0; (s == CK_E_PARTIAL || s == CK_E_RETRY) && calls < 100000; ++calls) {
    take_ring();
    drain_own_ring();
    s = ak::unload_kernel(k.kernel);
  }
  take_ring();
  return s;
}

void end_kernel(Kernel& k, StrView why) {
  disk_service_forget(k);
  if (k.state == State::Running) {
    // Its ring is full of records it did not read; it is ending, so they go.
    const int32_t s = unload_whole(k, RingAfterUnload::Discard);
    if (s != CK_OK && s != CK_E_STALE_ID) say("SRM: unloading kernel #{}: status {}\n", k.number, s);
  }
  if (k.state != State::SwappedOut) g_pool.give_back(k.base, k.grant.groups);
  k.state = State::Free;
  say("SRM: kernel #{} '{}' {}\n", k.number, k.image.name, why);
  if (k.grant.keep_on_fault) say("SRM: kernel #{} had {} fault(s) no handler took\n", k.number, k.faults);
  if (k.grant.paged && k.home_faults == 0) say("SRM: kernel #{}'s image was paged: it never faulted\n", k.number);
  if (k.grant.paged && k.home_faults != 0)
    say("SRM: kernel #{}'s image was paged: {} page(s) mapped on its faults\n", k.number, k.home_faults);
}

void kernel_written_back(const ck_writeback& r) {
  Kernel* k = kernel_numbered(r.cookie);  // the cookie is its number
  // The SRM's own unloads are handled where it made them.
  if (k == nullptr || k->state != State::Running || r.id != k->kernel || (r.flags & CK_WB_RECLAIMED) == 0) return;
  k->state = State::Displaced;
  k->displaced_at = now_ns();
  k->displacements += 1;
  absorb_ring(*k, true);
  say("SRM: kernel #{} '{}' displaced from the Cache Kernel ({} thread(s) written back); reloaded when it runs "
      "again\n",
      k->number, k->image.name, k->saved_count);
}

namespace {
// A kernel that faulted where nothing takes the fault: started again (`restart`, up to
// kMaxRestarts times) or removed.
void restart_or_end(Kernel& k) {
  if (k.restart && k.restarts < kMaxRestarts) {
    restart_kernel(k);
  } else {
    end_kernel(k, k.restart ? "removed: it kept faulting" : "removed; the others run on");
  }
}
}  // namespace

void kernel_faulted(const ck_writeback& r) {
  Kernel* k = kernel_numbered(r.cookie);  // the cookie is its number
  if (k == nullptr || k->state != State::Running || r.id != k->kernel) return;
  if (k->grant.keep_on_fault) {
    // A fuzz kernel's hostile threads fault on purpose (faults=keep): counted, not fatal.
    k->faults += 1;
    return;
  }
  say("SRM: kernel #{} '{}' faulted with no handler: {} at address {:#010x}, pc {:#010x}\n", k->number, k->image.name,
      StrView(ak::exception_kind_name(r.exception & 0xff)), r.address, r.va);
  restart_or_end(*k);
}

void kernel_home_fault(const ck_writeback& r) {
  Kernel* k = kernel_numbered(r.cookie);  // the cookie is its number
  if (k == nullptr || k->state != State::Running || !k->grant.paged || r.space != k->home) return;
  const uint32_t page = r.address & ~(kPage - 1);
  uint32_t pa = 0, flags = 0;
  if (!paged_page(*k, page, &pa, &flags)) {
    // Not a page the SRM gives it: the kernel's own fault, as one with no handler.
    say("SRM: kernel #{} '{}' faulted in its home space outside what the SRM maps for it: {} at address {:#010x}, pc "
        "{:#010x}\n",
        k->number, k->image.name, StrView(ak::exception_kind_name(r.exception & 0xff)), r.address, r.va);
    restart_or_end(*k);
    return;
  }
  // Unlocked: it may be displaced again; the kernel faults on it again then.
  const int32_t s = ak::load_mapping_draining(k->home, page, pa, flags, drain_own_ring);
  // Another thread's fault on the same page mapped it first: woken all the same.
  if (s != CK_OK && s != CK_E_ALREADY_MAPPED) {
    say("SRM: kernel #{} '{}': cannot map its page {:#010x}: status {}\n", k->number, k->image.name, page, s);
    end_kernel(*k, "removed; the others run on");
    return;
  }
  k->home_faults += 1;
  const int32_t w = ak::wake(r.id);
  if (w != CK_OK && w != CK_E_STALE_ID) say("SRM: kernel #{}: waking thread {:#x}: status {}\n", k->number, r.id, w);
}

void kernel_overflowed(const ck_writeback& wrapper, const ck_writeback& r, const ck_thread_state& state) {
  Kernel* k = kernel_numbered(wrapper.cookie);  // the cookie is its number
  if (k == nullptr || r.id == 0 || wrapper.id != k->kernel) return;
  if (k->overflowed++ == 0)
    say("SRM: kernel #{} '{}' does not drain its writeback ring: its records come to the SRM (its loads wait until "
        "it does)\n",
        k->number, k->image.name);
  // A home thread of a kernel leaving while it runs (displaced, swapped out).
  if (k->state == State::Running && r.kind == CK_WB_THREAD && (r.flags & CK_WB_KERNEL_GONE) != 0 &&
      r.space == k->home && k->saved_count < kMaxSavedThreads) {
    SavedThread& t = k->saved[k->saved_count++];
    t.state = state;
    t.cookie = r.cookie;
    t.priority = r.va;
    t.locked = (r.flags & CK_WB_LOCKED) != 0;
    t.old_id = r.id;
  }
}

void kernels_pass() {
  Kernel* oldest = nullptr;
  for (Kernel& k : g_kernels) {
    if (k.state == State::Running && boot_info_of(k).exit_code != kNotExited) {
      char why[40];
      ck::BufferSink text(why, sizeof why);
      const uint32_t code = boot_info_of(k).exit_code;
      ck::format(text, "{} (exit code {})", StrView(code == 0 ? "finished" : "failed"), code);
      end_kernel(k, text.view());
      continue;
    }
    if (k.state == State::Displaced && (oldest == nullptr || k.displaced_at < oldest->displaced_at)) oldest = &k;
  }
  if (oldest == nullptr) return;
  const int32_t s = load_kernel_objects(*oldest, false);
  if (s == CK_OK) {
    oldest->state = State::Running;
    oldest->reloads += 1;
    say("SRM: kernel #{} '{}' reloaded on demand (kernel {:#x}, {} thread(s)); it runs on\n", oldest->number,
        oldest->image.name, oldest->kernel, oldest->saved_count);
  } else if (s != CK_E_NO_DESCRIPTOR && s != CK_E_RETRY) {
    end_kernel(*oldest, "removed: it cannot be reloaded");
  }
}

uint32_t live_kernels() {
  uint32_t n = 0;
  for (const Kernel& k : g_kernels) n += k.state == State::Running || k.state == State::Displaced ? 1 : 0;
  return n;
}

}  // namespace srm
