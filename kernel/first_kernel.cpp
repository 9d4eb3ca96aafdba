// Starting the first kernel (first_kernel.h).
#include "first_kernel.h"

#include <cstring>

#include "elf_image.h"
#include "page_groups.h"

namespace ck {

namespace {

using namespace ak_layout;

// Pages handed out from the bottom of the kernel's memory, zeroed.
class PageBump {
 public:
  explicit PageBump(PhysRange memory) : next_(memory.base), end_(memory.end()) {}
  bool take(PhysAddr* page) {
    if (next_ >= end_) return false;
    *page = next_;
    std::memset(arch::physical_memory(next_), 0, arch::kPageBytes);
    next_ = next_ + arch::kPageBytes;
    return true;
  }
  PhysAddr next() const { return next_; }

 private:
  PhysAddr next_, end_;
};

struct Loader {
  ObjectCaches& caches;
  u32 kernel;
  ObjectId space;
  PageBump& pages;
  Sink& log;

  // Maps fresh pages over [va, va + bytes), locked; the first page's physical address
  // in *first.
  bool map_fresh(u32 va, u32 bytes, bool writable, PhysAddr* first = nullptr) {
    for (u32 off = 0; off < bytes; off += arch::kPageBytes) {
      PhysAddr pa;
      if (!pages.take(&pa)) {
        format(log, "first kernel: out of memory at {:#x}\n", va + off);
        return false;
      }
      if (first != nullptr && off == 0) *first = pa;
      const ck_status s =
          caches.load_mapping(kernel, space, VirtAddr(va + off), pa, CK_MAP_LOCK | (writable ? CK_MAP_WRITE : 0));
      if (s != CK_OK) {
        format(log, "first kernel: cannot map {:#x}: status {}\n", va + off, static_cast<i32>(s));
        return false;
      }
    }
    return true;
  }

  // Maps [va, va + bytes) read-only and locked onto the frames from `first` on.
  bool map_frames(u32 va, u32 bytes, PhysAddr first) {
    for (u32 off = 0; off < bytes; off += arch::kPageBytes) {
      const ck_status s = caches.load_mapping(kernel, space, VirtAddr(va + off), first + off, CK_MAP_LOCK);
      if (s != CK_OK) {
        format(log, "first kernel: cannot map {:#x}: status {}\n", va + off, static_cast<i32>(s));
        return false;
      }
    }
    return true;
  }

  // The segment's pages are the image's frames from `image` (for `image_start`) on.
  bool load_segment(const u8* elf, const ElfSegment& seg, u32 image_start, PhysAddr image) {
    for (u32 off = 0; off < seg.memory_bytes; off += arch::kPageBytes) {
      const PhysAddr pa = image + (seg.vaddr + off - image_start);
      const ck_status s = caches.load_mapping(kernel, space, VirtAddr(seg.vaddr + off), pa,
                                              CK_MAP_LOCK | (seg.writable ? CK_MAP_WRITE : 0));
      if (s != CK_OK) {
        format(log, "first kernel: cannot map {:#x}: status {}\n", seg.vaddr + off, static_cast<i32>(s));
        return false;
      }
      if (off < seg.file_bytes) {
        const u32 n = seg.file_bytes - off < arch::kPageBytes ? seg.file_bytes - off : arch::kPageBytes;
        std::memcpy(arch::physical_memory(pa), elf + seg.offset + off, n);
      }
    }
    return true;
  }
};

}  // namespace

bool start_first_kernel(ObjectCaches& caches, const PromTable& prom, PhysRange memory, StrView arguments,
                        StartedKernel* out, Sink& log) {
  const PromImage first = prom.image(0);
  const u8* elf = first.elf;
  const u32 elf_bytes = first.bytes;
  ElfImage image;
  AkHeader header;
  if (!image.parse(elf, elf_bytes) || !image.ak_header(&header)) {
    format(log, "first kernel: not an application-kernel ELF image ({} bytes)\n", elf_bytes);
    return false;
  }
  if (image.end() > kImageLimit || arguments.size() >= arch::kPageBytes - sizeof(ck_boot_info)) {
    format(log, "first kernel: image or arguments too large\n");
    return false;
  }
  // The table's copy takes whole page groups of its own at the top of the memory, so that
  // the first kernel can grant read access to it and to nothing else of its own (the UNIX
  // emulator reads its root file system there). The rest is handed out from the bottom.
  const u32 table_bytes = (prom.size() + arch::kPageBytes - 1) & ~(arch::kPageBytes - 1);
  const u32 table_groups_bytes = (table_bytes + kGroupBytes - 1) & ~(kGroupBytes - 1);
  if (table_groups_bytes >= memory.size) {
    format(log, "first kernel: the PROM table ({} bytes) leaves no memory\n", prom.size());
    return false;
  }
  const PhysAddr table = memory.base + (memory.size - table_groups_bytes);
  PageBump pages(PhysRange{memory.base, memory.size - table_groups_bytes});
  PhysAddr ring;
  DevicePages devices;
  if (!pages.take(&ring) || !pages.take(&devices.console_tx) || !pages.take(&devices.console_rx) ||
      !pages.take(&devices.clock) || !pages.take(&devices.disk_request) || !pages.take(&devices.disk_data))
    return false;
  const u32 kernel =
      caches.create_first_kernel(FirstKernelSetup{.memory = memory,
                                                  .read_only = PhysRange{table, table_groups_bytes},
                                                  .ring = ring,
                                                  .ring_bytes = kFirstKernelRingBytes,
                                                  .handler = VirtAddr(header.handler),
                                                  .handler_no_fpu = (header.flags & kAkHandlerNoFpu) != 0});
  ObjectId space;
  if (const ck_status s = caches.load_space(kernel, ObjectId(), 0, CK_LOCK | CK_SPACE_HOME, &space); s != CK_OK) {
    format(log, "first kernel: cannot load its address space: status {}\n", static_cast<i32>(s));
    return false;
  }
  Loader loader{caches, kernel, space, pages, log};
  if (caches.load_mapping(kernel, space, VirtAddr(kRing), ring, CK_MAP_LOCK | CK_MAP_WRITE) != CK_OK) return false;
  // The image takes one run of frames, in the order of its addresses.
  const PhysAddr image_frames = pages.next();
  for (u32 off = image.start(); off < image.end(); off += arch::kPageBytes) {
    PhysAddr unused;
    if (!pages.take(&unused)) {
      format(log, "first kernel: no memory for its image\n");
      return false;
    }
  }
  for (u32 i = 0; i < image.segment_count(); ++i)
    if (!loader.load_segment(elf, image.segment(i), image.start(), image_frames)) return false;
  // The table, read-only: its images are what the first kernel starts.
  // Its head, the header and the entries, read before the first kernel can take a fault:
  // the images it maps itself as it reads them (the UNIX emulator's root file system
  // makes the table thousands of pages, which locked would fill a small mapping cache).
  if (!loader.map_frames(kPromTable, (prom.head_bytes() + arch::kPageBytes - 1) & ~(arch::kPageBytes - 1), table))
    return false;
  for (u32 off = 0; off < prom.size(); off += arch::kPageBytes) {
    const u32 n = prom.size() - off < arch::kPageBytes ? prom.size() - off : arch::kPageBytes;
    std::memcpy(arch::physical_memory(table + off), prom.bytes() + off, n);
    if (n < arch::kPageBytes) std::memset(arch::physical_memory(table + off + n), 0, arch::kPageBytes - n);
  }
  PhysAddr info_page;
  if (!loader.map_fresh(kStackTop - kStackBytes, kStackBytes, true) ||
      !loader.map_fresh(kBootInfo, arch::kPageBytes, true, &info_page) ||
      !loader.map_fresh(kExceptionStackTop - kExceptionStackBytes, kExceptionStackBytes, true))
    return false;

  auto* info = static_cast<ck_boot_info*>(arch::physical_memory(info_page));
  info->kernel = caches.kernels().id_of(kernel).raw();
  info->space = space.raw();
  describe(info, kFirstKernelRingBytes);
  info->ring_physical = ring.value();
  info->image_start = image.start();
  info->image_end = image.end();
  info->image_physical = image_frames.value();
  std::memcpy(reinterpret_cast<char*>(info + 1), arguments.data(), arguments.size());
  info->memory_end = table.value();  // the table's groups are not the kernel's to hand out
  info->console_tx = devices.console_tx.value();
  info->console_rx = devices.console_rx.value();
  info->clock = devices.clock.value();
  const u64 sectors = arch::disk_sectors();
  info->disk_request = sectors != 0 ? devices.disk_request.value() : 0;
  info->disk_data = sectors != 0 ? devices.disk_data.value() : 0;
  info->disk_sectors = static_cast<u32>(sectors < 0xffffffffu ? sectors : 0xffffffffu);
  info->prom_table = kPromTable;
  info->prom_bytes = prom.size();
  info->prom_physical = table.value();
  u8 entropy[arch::kEntropyBytes] = {};
  info->entropy_sources = arch::machine_entropy(entropy);
  static_assert(sizeof info->entropy == sizeof entropy);
  std::memcpy(info->entropy, entropy, sizeof entropy);
  std::memset(entropy, 0, sizeof entropy);

  ck_thread_state state{};
  state.regs.pc = header.entry;
  state.regs.a[0] = kBootInfo;
  state.regs.a[7] = kStackTop;
  state.exception_stack = kExceptionStackTop;
  ObjectId thread;
  if (const ck_status s = caches.load_thread(kernel, space, 0, CK_LOCK, state, &thread); s != CK_OK) {
    format(log, "first kernel: cannot load its thread: status {}\n", static_cast<i32>(s));
    return false;
  }
  info->thread = thread.raw();
  info->memory_base = pages.next().value();
  // The image went in through the data cache; instruction fetches must see it.
  arch::sync_instruction_cache();
  *out = StartedKernel{.kernel = kernel,
                       .boot_info = info_page,
                       .memory_used_end = pages.next(),
                       .devices = devices,
                       .entropy_sources = info->entropy_sources};
  return true;
}

}  // namespace ck
