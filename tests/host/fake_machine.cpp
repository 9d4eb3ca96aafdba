// The simulated machine (fake_machine.h): arch:: functions the portable kernel calls.
#include "fake_machine.h"

#include <cstdio>

#include <cstring>

#include <cstdlib>
#include <memory>
#include <vector>

#include "arch/m68k/page_table.h"
#include "arch/m68k/table_pool.h"

namespace fake_machine {

namespace {

using m68k::DirtyTracking;
using m68k::PageTable;
using m68k::TableBlock;
using m68k::TablePool;

struct Machine {
  std::vector<u32> memory = std::vector<u32>(kMemoryBytes / 4);  // words: table-aligned
  std::vector<TableBlock> blocks = std::vector<TableBlock>(kTableBytes / m68k::kBlockBytes);
  TablePool pool;
  PhysAddr current;
  std::string console;
  std::string input;                                 // typed, for console_poll()
  std::vector<u8> disk = std::vector<u8>(64 * 512);  // 64 sectors
  bool disk_busy = false, disk_ended = false;        // a transfer in flight; it has ended
  u64 clock_ns = 0;
  u64 clock_step = 1000;  // how far each read moves the clock
  std::vector<PhysAddr> synced_code_pages;

  Machine() { pool.init(memory.data() + (kTablesBase - kMemoryBase) / 4, kTablesBase, kTableBytes, blocks.data()); }
};

std::unique_ptr<Machine> g_machine;

Machine& machine() {
  if (!g_machine) reset();
  return *g_machine;
}

PageTable tables_of(PhysAddr root) { return PageTable(&machine().pool, root, DirtyTracking::Software); }

class ConsoleSink final : public Sink {
 public:
  void put(char c) override { machine().console.push_back(c); }
};
ConsoleSink g_console;

}  // namespace

void reset() {
  g_machine = std::make_unique<Machine>();
  g_enter_directly = true;
  g_continued = Continued{};
}
const std::string& console_output() { return machine().console; }
PhysAddr current_space() { return machine().current; }
const std::vector<PhysAddr>& synced_code_pages() { return machine().synced_code_pages; }
void type(const std::string& text) { machine().input += text; }
void end_disk_transfer() { machine().disk_ended = machine().disk_busy; }

void set_time(u64 ns, u64 step) {
  machine().clock_ns = ns;
  machine().clock_step = step;
}

bool touch(PhysAddr root, VirtAddr va, bool write) {
  PageTable t = tables_of(root);
  return write ? t.mark_modified(va) : t.mark_used(va);
}

}  // namespace fake_machine

namespace ck::arch {

using fake_machine::machine;
using fake_machine::tables_of;

PhysAddr create_page_tables() { return m68k::PageTable::create(machine().pool, m68k::DirtyTracking::Software).root(); }

void destroy_page_tables(PhysAddr root) {
  if (machine().current == root) machine().current = PhysAddr(0);
  m68k::PageTable t = tables_of(root);
  t.destroy();
}

MapStatus map_page(PhysAddr root, VirtAddr va, PhysAddr pa, bool writable, bool cached, u32 tag, bool written) {
  m68k::PageTable tables = tables_of(root);
  const MapStatus s =
      tables.map(va, pa,
                 m68k::PageFlags{.writable = writable,
                                 .cache = cached ? m68k::CacheMode::CopyBack : m68k::CacheMode::NoCacheSerialized},
                 tag);
  if (s == MapStatus::Ok && written && writable) tables.record_write(va);
  return s;
}

bool page_free(PhysAddr root, VirtAddr va, PageSlot* slot) { return tables_of(root).find_free(va, slot); }

MapStatus map_page_at(const PageSlot& slot, PhysAddr root, VirtAddr va, PhysAddr pa, bool writable, bool cached,
                      u32 tag, bool written) {
  return tables_of(root).map_at(
      slot, va, pa,
      m68k::PageFlags{.writable = writable,
                      .cache = cached ? m68k::CacheMode::CopyBack : m68k::CacheMode::NoCacheSerialized},
      tag, written);
}

MapStatus unmap_page(PhysAddr root, VirtAddr va, PageState* old) {
  m68k::Translation t;
  const MapStatus s = tables_of(root).unmap(va, &t);
  if (s == MapStatus::Ok && old != nullptr)
    *old = PageState{.page = t.page, .writable = t.flags.writable, .used = t.used, .modified = t.modified};
  return s;
}

MapStatus protect_page(PhysAddr root, VirtAddr va, bool writable) { return tables_of(root).protect(va, writable); }

bool lookup_page(PhysAddr root, VirtAddr va, PageState* out) {
  m68k::Translation t;
  if (!tables_of(root).lookup(va, &t)) return false;
  *out = PageState{.page = t.page, .writable = t.flags.writable, .used = t.used, .modified = t.modified, .tag = t.tag};
  return true;
}

bool page_mapped(PhysAddr root, VirtAddr va) { return tables_of(root).mapped(va); }
bool translate_page(PhysAddr root, VirtAddr va, PhysAddr* page) { return tables_of(root).translate(va, page); }

bool set_page_tag(PhysAddr root, VirtAddr va, u32 tag) { return tables_of(root).set_tag(va, tag); }
bool page_tag(PhysAddr root, VirtAddr va, u32* tag) {
  m68k::Translation t;
  if (!tables_of(root).lookup(va, &t)) return false;
  *tag = t.tag;
  return true;
}

bool clear_page_used(PhysAddr root, VirtAddr va) { return tables_of(root).clear_used(va); }
bool next_mapping(PhysAddr root, VirtAddr from, VirtAddr* va) { return tables_of(root).next_mapped(from, va); }
bool mark_page_modified(PhysAddr root, VirtAddr va) { return tables_of(root).mark_modified(va); }

void* user_write_window(PhysAddr root, VirtAddr va, u32 bytes) {
  const u32 offset = va.value() & (kPageBytes - 1);
  if (bytes == 0 || bytes > kPageBytes - offset) return nullptr;
  PageState s;
  if (!lookup_page(root, va, &s) || !s.writable) return nullptr;
  if ((!s.used || !s.modified) && !mark_page_modified(root, va)) return nullptr;
  return physical_memory(s.page + offset);
}

void* physical_memory(PhysAddr pa) {
  if (pa < fake_machine::kMemoryBase || pa - fake_machine::kMemoryBase >= fake_machine::kMemoryBytes) std::abort();
  return reinterpret_cast<u8*>(machine().memory.data()) + (pa - fake_machine::kMemoryBase);
}

void switch_address_space(PhysAddr root) { machine().current = root; }
u32 page_table_bytes_free() { return machine().pool.free_bytes(); }

void init_user_context(UserContext& context, VirtAddr pc, VirtAddr sp) {
  context = UserContext{};
  context.usp = sp.value();
  context.set_start(pc.value(), 0);
}

void save_user_context(UserContext&) {}
void discard_user_context(UserContext&) {}
void sync_instruction_cache() {}
void sync_code_page(PhysAddr page) { machine().synced_code_pages.push_back(page); }
StackUsage kernel_stack_usage() { return StackUsage{.high_water = 1024, .size = 16384}; }
void set_call_hook(CallHook hook) { fake_machine::g_call_hook = hook; }
void set_entry_hook(EntryHook hook) { fake_machine::g_entry_hook = hook; }
void set_forward_hook(ForwardHook hook) { fake_machine::g_forward_hook = hook; }
void set_resume_hook(ResumeHook hook) { fake_machine::g_resume_hook = hook; }
void set_card_hook(CardHook hook) { fake_machine::g_card_hook = hook; }
void set_fast_path_links(const FastPathLinks&) {}
void set_plain_load_links(const PlainLoadLinks&) {}
void set_load_resume_hook(LoadResumeHook hook) { fake_machine::g_load_resume_hook = hook; }
void set_plain_load_hook(PlainLoadHook hook) { fake_machine::g_plain_load_hook = hook; }
void set_plain_call_hook(PlainCallHook hook) { fake_machine::g_plain_call_hook = hook; }
FastPathCounts fast_path_counts() { return FastPathCounts{}; }

bool continue_in(UserContext& context, PhysAddr root, bool calls) {
  if (!fake_machine::g_enter_directly) return false;
  machine().current = root;
  fake_machine::g_continued = fake_machine::Continued{.context = &context, .root = root, .calls = calls};
  return true;
}

// A clock that moves a microsecond per reading: later readings are always later.
u64 clock_ns() { return machine().clock_ns += machine().clock_step; }
u32 clock_low_ns() { return static_cast<u32>(clock_ns()); }
u64 clock_epoch_ns() { return 1764547200ull * 1000000000ull; }  // 2025-12-01

// A boot seed of 1, 2, ... 32 (tests look for it in the first kernel's boot info).
u32 machine_entropy(u8 (&out)[kEntropyBytes]) {
  for (u32 i = 0; i < kEntropyBytes; ++i) out[i] ^= static_cast<u8>(i + 1);
  return CK_ENTROPY_BOOT_SEED;
}

u64 disk_sectors() { return machine().disk.size() / kSectorBytes; }

// The transfer is done at once; it ends (disk_poll) when the test says so.
bool disk_start(bool write, u64 sector, PhysAddr buffer, u32 sectors) {
  std::vector<u8>& d = machine().disk;
  if (machine().disk_busy || sectors == 0 || (sector + sectors) * kSectorBytes > d.size()) return false;
  u8* memory = static_cast<u8*>(physical_memory(buffer));
  u8* at = d.data() + sector * kSectorBytes;
  if (write) {
    std::memcpy(at, memory, sectors * kSectorBytes);
  } else {
    std::memcpy(memory, at, sectors * kSectorBytes);
  }
  machine().disk_busy = true;
  return true;
}

DiskState disk_poll() {
  if (!machine().disk_busy) return DiskState::Idle;
  if (!machine().disk_ended) return DiskState::Busy;
  machine().disk_busy = machine().disk_ended = false;
  return DiskState::Done;
}

int console_poll() {
  std::string& in = machine().input;
  if (in.empty()) return -1;
  const int c = static_cast<unsigned char>(in.front());
  in.erase(in.begin());
  return c;
}

Sink& console() { return fake_machine::g_console; }

}  // namespace ck::arch

namespace ck {
Thread* running_thread() { return fake_machine::g_running_thread; }
Thread* const* running_thread_slot() { return &fake_machine::g_running_thread; }
u64 uncharged_ns() { return fake_machine::g_uncharged_ns; }
bool run_directly(Thread& next) {
  if (fake_machine::g_running_thread == nullptr) return false;
  fake_machine::g_running_thread = &next;
  return true;
}
}  // namespace ck
