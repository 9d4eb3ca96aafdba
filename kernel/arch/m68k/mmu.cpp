// 68040 MMU control (mmu.h).
#include "arch/m68k/mmu.h"

#include "arch/arch.h"
#include "log.h"
#include "panic.h"

extern "C" char __kernel_stack_guard[];  // linker/virt.ld: the page below the boot stack
// Added to a table's physical address, where the kernel reads it (the pool's window):
// entry.S's walk of a handler's stack page.
extern "C" ck::u32 m68k_table_bias;
ck::u32 m68k_table_bias;
// The pool's generation (TablePool::generation_slot), for the walks forward_card keeps.
extern "C" const ck::u32* m68k_table_generation;
const ck::u32* m68k_table_generation;
// The window's address of the pool's first table and that table's block bookkeeping
// (TableBlock, 3 bytes a 256-byte block): entry.S's load_fast counts the descriptor it
// adds to a page table there, as PageTable::map_at does.
extern "C" ck::u32 m68k_table_window;
ck::u32 m68k_table_window;
extern "C" ck::u8* m68k_table_blocks;
ck::u8* m68k_table_blocks;
// The pool's last walk (TablePool::recall), which load_fast asks first.
extern "C" const ck::u32* m68k_table_last;
const ck::u32* m68k_table_last;
// The URP's root (switch_address_space), which entry.S's own forward and resume switch
// the same way.
extern "C" ck::PhysAddr m68k_current_root;
ck::PhysAddr m68k_current_root;

namespace ck::m68k {

namespace {

constexpr u32 kTcEnable = 1u << 15;  // TC: E, with P=0 (4 KiB pages)
constexpr u32 kCacrDataEnable = 1u << 31;
constexpr u32 kCacrInstructionEnable = 1u << 15;
constexpr u32 kFunctionCodeUserData = 1;
constexpr u32 kIoBase = 0xff000000;

TablePool g_pool;
PageTable g_kernel_tables;  // SRP: RAM (but page 0 and the stack guard), the pool's window
PageTable g_idle_tables;    // URP while no thread runs: empty
PhysAddr& g_current_root = m68k_current_root;
// QEMU's virt machine is the only platform, and QEMU does not keep M reliably
// (page_table.h, DirtyTracking): the kernel keeps it.
constexpr DirtyTracking kDirtyTracking = DirtyTracking::Software;

void write_urp(PhysAddr root) { asm volatile("movec %0, %%urp" : : "r"(root.value()) : "memory"); }

void flush_atc_page(VirtAddr va) { asm volatile("pflush (%0)" : : "a"(va.value()) : "memory"); }

// Every non-global ATC entry: the user translations of the previous address space.
void flush_atc_user() { asm volatile("pflushan" : : : "memory"); }

void flush_if_current(PhysAddr root, VirtAddr va) {
  if (root == g_current_root) flush_atc_page(va);
}

PageTable tables_of(PhysAddr root) { return PageTable(&g_pool, root, kDirtyTracking); }

// Maps one page of the supervisor's view of RAM, at its physical address.
void map_kernel_page(u32 address, CacheMode cache) {
  const PageFlags flags{.writable = true, .supervisor = true, .global = true, .cache = cache};
  const MapStatus s = g_kernel_tables.map(VirtAddr(address), PhysAddr(address), flags);
  if (s != MapStatus::Ok) panic("cannot map kernel page {:#010x}: status {}", address, static_cast<u32>(s));
}

// The supervisor reaches RAM for data through the SRP tables, not a transparent
// translation, so that two pages can be left invalid: page 0 (a kernel null pointer
// traps) and the guard page below the boot stack (a path without stack-limit checks
// running off its bottom traps; exceptions.cpp and fatal_report.cpp name both). Every
// page is Global, so the PFLUSHAN of an address-space switch keeps it. The pool's
// tables are mapped uncached here too, as in the window, so that no cached copy of a
// table the walker updates can exist. Costs one descriptor per 4 KiB page (1/1024 of
// RAM, from the pool).
void map_kernel_memory(PhysAddr tables, u32 table_bytes) {
  const u32 guard = static_cast<u32>(reinterpret_cast<usize>(__kernel_stack_guard));
  const arch::Platform& p = arch::platform();
  for (usize i = 0; i < p.memory_count; ++i) {
    for (u32 page = p.memory[i].base.value(); page < p.memory[i].end().value(); page += kPageBytes) {
      if (page == 0 || page == guard) continue;
      const bool table = page >= tables.value() && page - tables.value() < table_bytes;
      map_kernel_page(page, table ? CacheMode::NoCacheSerialized : CacheMode::CopyBack);
    }
  }
}

}  // namespace

TablePool& table_pool() { return g_pool; }

void push_data_cache(PhysAddr base, u32 bytes) {
  constexpr u32 kLine = 16;
  for (u32 line = base.value() & ~(kLine - 1); line < base.value() + bytes; line += kLine) {
    asm volatile("cpushl %%dc, (%0)" : : "a"(line) : "memory");
  }
}

bool lookup_current(VirtAddr va, Translation* out) { return tables_of(g_current_root).lookup(va, out); }

bool record_write_current(VirtAddr va) {
  if (!tables_of(g_current_root).record_write(va)) return false;
  flush_atc_page(VirtAddr(va.value() & descriptor::kPageMask));
  return true;
}

bool store_user_byte(VirtAddr va, u8 byte) {
  PageTable tables = tables_of(g_current_root);
  Translation t;
  if (!tables.lookup(va, &t) || !tables.mark_modified(va)) return false;
  flush_atc_page(VirtAddr(va.value() & descriptor::kPageMask));
  *reinterpret_cast<volatile u8*>(static_cast<usize>(t.page.value() + (va.value() & (kPageBytes - 1)))) = byte;
  return true;
}

}  // namespace ck::m68k

namespace ck::arch {

using namespace m68k;

void init_memory_management(PhysRange region, PhysAddr ram_end) {
  // The block bookkeeping sits at the start of the region, in ordinary cached memory;
  // the tables follow, page-aligned (the window maps them page by page).
  const u32 metadata = (TablePool::metadata_bytes(region.size) + kPageBytes - 1) & ~(kPageBytes - 1);
  const PhysAddr tables = region.base + metadata;
  const u32 table_bytes = region.size - metadata;
  auto* blocks = reinterpret_cast<TableBlock*>(static_cast<usize>(region.base.value()));
  // The MMU is off: the kernel reaches the pool at its physical address for now.
  g_pool.init(reinterpret_cast<u32*>(static_cast<usize>(tables.value())), tables, table_bytes, blocks);

  g_kernel_tables = PageTable::create(g_pool);
  g_idle_tables = PageTable::create(g_pool);
  if (!g_kernel_tables.valid() || !g_idle_tables.valid()) panic("page-table pool too small: {} bytes", table_bytes);
  const PageFlags window{.writable = true, .supervisor = true, .global = true, .cache = CacheMode::NoCacheSerialized};
  for (u32 offset = 0; offset < g_pool.capacity_bytes(); offset += kPageBytes) {
    const MapStatus s = g_kernel_tables.map(VirtAddr(kTableWindow + offset), tables + offset, window);
    if (s != MapStatus::Ok) panic("cannot map the table window: status {}", static_cast<u32>(s));
  }
  map_kernel_memory(tables, table_bytes);

  // Instruction fetches (which page 0's reset code and no guard concern) keep the
  // transparent translation of RAM; data accesses to RAM go through the tables.
  const u32 ram_tt = transparent_translation(0, ram_end.value(), CacheMode::CopyBack);
  const u32 io_tt = transparent_translation(kIoBase, 0, CacheMode::NoCacheSerialized);
  g_current_root = g_idle_tables.root();
  asm volatile(
      "movec %[srp], %%srp\n\t"
      "movec %[urp], %%urp\n\t"
      "movec %[ram], %%itt0\n\t"
      "movec %[zero], %%dtt0\n\t"
      "movec %[zero], %%itt1\n\t"
      "movec %[io], %%dtt1\n\t"
      "movec %[fc], %%dfc\n\t"
      "movec %[fc], %%sfc\n\t"
      "pflusha\n\t"
      "movec %[tc], %%tc\n\t"
      :
      : [srp] "r"(g_kernel_tables.root().value()), [urp] "r"(g_current_root.value()), [ram] "r"(ram_tt),
        [io] "r"(io_tt), [zero] "r"(0), [fc] "r"(kFunctionCodeUserData), [tc] "r"(kTcEnable)
      : "memory");
  g_pool.set_window(reinterpret_cast<u32*>(static_cast<usize>(kTableWindow)));
  m68k_table_bias = static_cast<u32>(reinterpret_cast<usize>(g_pool.entries(PhysAddr(0))));
  m68k_table_generation = g_pool.generation_slot();
  static_assert(sizeof(TableBlock) == 3 && offsetof(TableBlock, entries_in_use) == 0, "load_fast's count");
  m68k_table_window = static_cast<u32>(reinterpret_cast<usize>(g_pool.entries(tables)));
  m68k_table_blocks = &g_pool.entries_in_use(tables);
  m68k_table_last = g_pool.last_walk();

  // Caches on only now: nothing the kernel wrote before is in them.
  asm volatile(
      "cinva %%bc\n\t"
      "movec %0, %%cacr"
      :
      : "r"(kCacrDataEnable | kCacrInstructionEnable)
      : "memory");
  klog::info(
      "mmu: on; {} KiB of page tables at {:#010x} (window {:#010x}), {} KiB free after the kernel's map of RAM; "
      "ram itt {:#010x}, i/o dtt {:#010x}",
      table_bytes / KiB, tables.value(), kTableWindow, g_pool.free_bytes() / KiB, ram_tt, io_tt);
}

// One 512-byte page table (with its tags) per 256 KiB and one 512-byte pointer table per 32 MiB, each
// rounded up (map_kernel_memory); the table window was in the pool's size already.
u32 kernel_map_table_bytes(u32 ram_bytes) {
  constexpr u32 kPageTableReach = 64 * kPageBytes, kPointerTableReach = 128 * kPageTableReach;
  const u32 page_tables = ram_bytes / kPageTableReach + 1;
  const u32 pointer_tables = ram_bytes / kPointerTableReach + 2;
  return (page_tables + pointer_tables) * kChunkBytes;
}

PhysAddr create_page_tables() { return PageTable::create(g_pool, kDirtyTracking).root(); }

void destroy_page_tables(PhysAddr root) {
  if (root == g_current_root) switch_address_space(g_idle_tables.root());
  PageTable t = tables_of(root);
  t.destroy();
}

MapStatus map_page(PhysAddr root, VirtAddr va, PhysAddr pa, bool writable, bool cached, u32 tag, bool written) {
  const PageFlags flags{.writable = writable, .cache = cached ? CacheMode::CopyBack : CacheMode::NoCacheSerialized};
  PageTable tables = tables_of(root);
  const MapStatus s = tables.map(va, pa, flags, tag);
  // Under software dirty tracking the retried write would fault only to set M.
  if (s == MapStatus::Ok && written && writable) tables.record_write(va);
  // The 68040 may hold an ATC entry for an earlier failed translation of this page.
  if (s == MapStatus::Ok) flush_if_current(root, va);
  return s;
}

bool page_free(PhysAddr root, VirtAddr va, PageSlot* slot) { return tables_of(root).find_free(va, slot); }

MapStatus map_page_at(const PageSlot& slot, PhysAddr root, VirtAddr va, PhysAddr pa, bool writable, bool cached,
                      u32 tag, bool written) {
  const PageFlags flags{.writable = writable, .cache = cached ? CacheMode::CopyBack : CacheMode::NoCacheSerialized};
  const MapStatus s = tables_of(root).map_at(slot, va, pa, flags, tag, written);
  // The 68040 may hold an ATC entry for an earlier failed translation of this page.
  if (s == MapStatus::Ok) flush_if_current(root, va);
  return s;
}

MapStatus unmap_page(PhysAddr root, VirtAddr va, PageState* old) {
  Translation t;
  const MapStatus s = tables_of(root).unmap(va, &t);
  if (s != MapStatus::Ok) return s;
  flush_if_current(root, va);
  if (old != nullptr)
    *old = PageState{.page = t.page, .writable = t.flags.writable, .used = t.used, .modified = t.modified};
  return s;
}

MapStatus protect_page(PhysAddr root, VirtAddr va, bool writable) {
  const MapStatus s = tables_of(root).protect(va, writable);
  if (s == MapStatus::Ok) flush_if_current(root, va);
  return s;
}

// Decoded straight from the descriptor: every copy to or from user memory walks here.
bool lookup_page(PhysAddr root, VirtAddr va, PageState* out) {
  using namespace descriptor;
  const u32* p = tables_of(root).page_descriptor(va);
  if (p == nullptr) return false;
  const u32 d = *p;
  *out = PageState{.page = PhysAddr(d & kPageMask),
                   .writable = (d & kWriteProtect) == 0 || (d & kSoftWritable) != 0,
                   .used = (d & kUsed) != 0,
                   .modified = (d & kModified) != 0,
                   .tag = p[kPageTagOffset]};
  return true;
}

bool page_mapped(PhysAddr root, VirtAddr va) { return tables_of(root).mapped(va); }
// The descriptor decoded in place: every forwarded exception writes its frame here.
void* user_write_window(PhysAddr root, VirtAddr va, u32 bytes) {
  using namespace descriptor;
  const u32 offset = va.value() & ~kPageMask;
  if (bytes == 0 || bytes > kPageBytes - offset) return nullptr;
  const u32* p = tables_of(root).page_descriptor(va);
  if (p == nullptr) return nullptr;
  const u32 d = *p;
  if ((d & kSupervisor) != 0 || ((d & kWriteProtect) != 0 && (d & kSoftWritable) == 0)) return nullptr;
  if ((d & (kUsed | kModified)) != (kUsed | kModified) && !mark_page_modified(root, va)) return nullptr;
  return physical_memory(PhysAddr(d & kPageMask) + offset);
}

bool translate_page(PhysAddr root, VirtAddr va, PhysAddr* page) { return tables_of(root).translate(va, page); }

bool set_page_tag(PhysAddr root, VirtAddr va, u32 tag) { return tables_of(root).set_tag(va, tag); }

bool page_tag(PhysAddr root, VirtAddr va, u32* tag) {
  const u32* p = tables_of(root).page_descriptor(va);
  if (p == nullptr) return false;
  *tag = p[kPageTagOffset];
  return true;
}

bool clear_page_used(PhysAddr root, VirtAddr va) {
  if (!tables_of(root).clear_used(va)) return false;
  // The ATC keeps no used bit, but an entry lets accesses go on without the walker
  // setting U again: drop it.
  flush_if_current(root, va);
  return true;
}

bool next_mapping(PhysAddr root, VirtAddr from, VirtAddr* va) { return tables_of(root).next_mapped(from, va); }

bool mark_page_modified(PhysAddr root, VirtAddr va) {
  if (!tables_of(root).mark_modified(va)) return false;
  flush_if_current(root, VirtAddr(va.value() & descriptor::kPageMask));
  return true;
}

// RAM is reached through the supervisor's transparent translation, at its physical
// address.
void* physical_memory(PhysAddr pa) { return reinterpret_cast<void*>(static_cast<usize>(pa.value())); }

void switch_address_space(PhysAddr root) {
  if (root == g_current_root) return;
  g_current_root = root;
  write_urp(root);
  flush_atc_user();
}

u32 page_table_bytes_free() { return g_pool.free_bytes(); }

// CPUSHA/CPUSHP with BC (MC68040 UM §4.5): dirty data-cache lines are written to memory
// and invalidated, instruction-cache lines invalidated (the instruction cache does not
// snoop the data cache). CPUSHP takes a physical address.
void sync_instruction_cache() { asm volatile("cpusha %%bc" : : : "memory"); }

void sync_code_page(PhysAddr page) { asm volatile("cpushp %%bc, (%0)" : : "a"(page.value()) : "memory"); }

}  // namespace ck::arch
