// Attacks on isolation (issue 15, paper §3, §4.3), one scenario per start, run by the
// guest test attacks.cpp as the first kernel on the default (paper-sized) caches. Each
// scenario sets a second kernel B up to attack as a hostile application kernel would
// (B's objects are loaded for it, on its behalf: the Cache Kernel charges B for them)
// and checks that the first kernel's own loads still succeed. Each failed on the code
// before its fix.
#include <stdint.h>

#include "checks.h"
#include "libak.h"

namespace {

using ak::check;
using ak::check_eq;
using ak::print;
using ak::take_frame;
using ak::take_frames;

constexpr uint32_t kPage = 4096;
constexpr uint32_t kRingView = 0x30000000;  // B's ring, as this kernel scribbles on it
constexpr uint32_t kOwn = 0x40000000;       // this kernel's loads under attack
constexpr uint32_t kBase = 0x10000000;      // where B's mappings go in its space

constexpr uint32_t kGroup = 512 * 1024;  // a page group
constexpr uint32_t kBPages = 4 * kGroup / kPage;

struct KernelB {
  ck_id kernel, space;
  uint32_t ring;
  uint32_t pages;  // kBPages pages of this kernel's memory granted to B too
};

// B: a kernel on this image with a space of its own and 2 MiB of this kernel's memory.
KernelB kernel_b() {
  KernelB b{};
  b.ring = take_frame();
  const ak::ImageKernel k = ak::load_kernel_on_image(b.ring, 50, 8);
  check_eq(static_cast<uint32_t>(k.status), CK_OK, "load kernel B");
  b.kernel = k.kernel;
  const ak::CallResult s = ak::load_space(k.kernel, 7, 0);
  check_eq(static_cast<uint32_t>(s.status), CK_OK, "load B's space");
  b.space = s.value;
  b.pages = (take_frames(kBPages + kGroup / kPage) + kGroup - 1) & ~(kGroup - 1);
  check_eq(ak::set_memory_access(b.kernel, b.pages, kBPages * kPage, CK_RIGHTS_READ_WRITE), CK_OK, "B's pages");
  return b;
}

// A page of B's memory: all of them in turn, so that no page has more than 128 mappings
// (a page takes at most CK_PAGE_MAPPINGS_MAX).
uint32_t page_of_b(const KernelB& b, uint32_t n) { return b.pages + (n % kBPages) * kPage; }

// Unloads B whole, reading this kernel's ring as B's records come to it.
void unload_b(const KernelB& b) {
  check_eq(static_cast<uint32_t>(ak::unload_kernel_whole(b.kernel)), CK_OK, "unload B");
}

uint32_t loaded_mappings() { return ak::query(CK_QUERY_LOADED, CK_OBJECT_MAPPING).value; }

// B holds every mapping descriptor it can and then leaves its ring full (its tail
// scribbled). Its mappings were a free lock on the cache: every other kernel's load
// answered CK_E_RETRY for as long as B wanted. Now they are reclaimed, their records
// wrapped for the first kernel, and this kernel's loads go on.
void full_ring() {
  const KernelB b = kernel_b();
  // Room in its table quota for a full mapping cache (about 256 KiB of page tables).
  check_eq(ak::set_lock_quota(b.kernel, CK_QUOTA_PAGE_TABLES, 2 * 1024 * 1024), CK_OK, "B's table quota");
  check_eq(ak::load_mapping(ak::boot_info().space, kRingView, b.ring, CK_MAP_WRITE | CK_MAP_LOCK), CK_OK,
           "map B's ring to scribble on it");
  // Until the cache is full: a load that displaces another leaves the count as it was.
  uint32_t n = 0;
  for (uint32_t before = loaded_mappings();; ++n) {
    if (ak::load_mapping(b.space, kBase + n * kPage, page_of_b(b, n), 0) != CK_OK) {
      check(false, "B's mappings fill the cache");
      return;
    }
    const uint32_t after = loaded_mappings();
    if (after == before) break;
    before = after;
  }
  print("attacks: B holds {} mappings; its ring's tail scribbled\n", n);
  auto* header = reinterpret_cast<volatile ck_ring_header*>(kRingView);
  header->tail = 0;
  ak::WritebackReader reader(ak::boot_info().ring);
  ck_writeback r, inner;
  ck_thread_state state;
  while (reader.next(&r, &state, &inner)) {
  }
  constexpr uint32_t kLoads = 200;
  uint32_t ok = 0, wrapped = 0;
  const uint32_t frame = take_frame();
  // Each load displaces one of B's mappings (the cache stays full).
  for (uint32_t i = 0; i < kLoads; ++i) {
    const ak::CallResult s = ak::call(CK_LOAD_MAPPING, ak::boot_info().space, kOwn + i * kPage, frame, CK_MAP_WRITE);
    if (s.status != CK_OK) {
      print("attacks: load {} answered {}, waiting for kernel {:#x}\n", i, s.status, s.value);
      break;
    }
    ok += 1;
    while (reader.next(&r, &state, &inner))
      if (r.kind == CK_WB_OVERFLOW && r.id == b.kernel && inner.kind == CK_WB_MAPPING && inner.space == b.space)
        wrapped += 1;
  }
  check_eq(ok, kLoads, "every load of this kernel succeeded while B's ring was full");
  check_eq(wrapped, kLoads, "each of B's displaced mappings came to the first kernel, wrapped");
  for (uint32_t i = 0; i < ok; ++i) ak::unload_mapping(ak::boot_info().space, kOwn + i * kPage);
  unload_b(b);
}

// B maps pages 256 KiB apart, each needing a page table of its own, until its loads
// fail. The page-table pool was global: B exhausted it and then every kernel's loads
// failed with CK_E_NO_TABLES. Now B stops at its table quota, and only B.
void table_quota() {
  const KernelB b = kernel_b();
  constexpr uint32_t kStride = 256 * 1024;  // one 68040 page table maps 256 KiB
  uint32_t n = 0;
  int32_t s = CK_OK;
  for (; n < 12000 && s == CK_OK; ++n) s = ak::load_mapping(b.space, kBase + n * kStride, page_of_b(b, n), 0);
  print("attacks: B's sparse mapping {} answered {}\n", n, s);
  check_eq(static_cast<uint32_t>(s), static_cast<uint32_t>(CK_E_NO_TABLES), "B runs out of page tables");
  const ck_id home = ak::boot_info().space;
  const uint32_t frame = take_frame();
  for (uint32_t i = 0; i < 64; ++i)
    check_eq(ak::load_mapping(home, kOwn + i * kStride, frame, 0), CK_OK, "this kernel's sparse loads succeed");
  for (uint32_t i = 0; i < 64; ++i) ak::unload_mapping(home, kOwn + i * kStride);
  // B's tables come back with its space.
  int32_t u = ak::unload_space(b.space);
  while (u == CK_E_PARTIAL || u == CK_E_RETRY) {
    ak::WritebackReader reader(ak::boot_info().ring);
    ck_writeback r;
    while (reader.next(&r)) {
    }
    u = ak::unload_space(b.space);
  }
  check_eq(u, CK_OK, "unload B's space");
  const ak::CallResult again = ak::load_space(b.kernel, 8, 0);
  check_eq(again.status, CK_OK, "B loads a space again");
  check_eq(ak::load_mapping(again.value, kBase, page_of_b(b, 0), 0), CK_OK, "and maps in it: its tables were refunded");
  unload_b(b);
}

// B maps one page, which this kernel shares, as often as it can (65,697 times before,
// displacing its own). All mappings of a page were on one hash chain, so each lookup of
// the page walked B's mappings with interrupts masked: this kernel's unload of the page
// took up to 5.9 million instructions per call (measured), and every other kernel
// stalled meanwhile. Now a page takes at most CK_PAGE_MAPPINGS_MAX
// mappings (then CK_E_SHARED), and each walk visits only the mappings it is about: each
// of this kernel's calls stays short. Timed under -icount (1 ns per instruction).
void one_page() {
  const KernelB b = kernel_b();
  check_eq(ak::set_lock_quota(b.kernel, CK_QUOTA_PAGE_TABLES, 2 * 1024 * 1024), CK_OK, "B's table quota");
  const uint32_t page = page_of_b(b, 5);
  uint32_t n = 0;
  int32_t s = CK_OK;
  for (; n < 70000 && s == CK_OK; ++n)
    s = ak::load_mapping(b.space, kBase + n * kPage, page, n % 2 == 0 ? CK_MAP_WRITE : 0);
  print("attacks: B's mapping {} of one page answered {}\n", n, s);
  check_eq(static_cast<uint32_t>(s), static_cast<uint32_t>(CK_E_SHARED), "B stops at the page's limit");
  check_eq(n, CK_PAGE_MAPPINGS_MAX + 1, "after the page's limit of mappings");

  const ck_id home = ak::boot_info().space;
  ak::WritebackReader reader(ak::boot_info().ring);
  ck_writeback r, inner;
  ck_thread_state state;
  uint32_t worst = 0;
  auto timed = [&](auto&& call) {
    const uint32_t start = ak::now();
    const int32_t status = call();
    const uint32_t took = ak::now() - start;
    worst = took > worst ? took : worst;
    return status;
  };
  // Its own mappings of the page (the page is full: unload one of B's first) and of others.
  check_eq(ak::unload_mapping(b.space, kBase), CK_OK, "unload one of B's");
  for (uint32_t i = 0; i < 16; ++i) {
    const uint32_t pa = i == 0 ? page : take_frame();
    check_eq(timed([&] { return ak::load_mapping(home, kOwn + i * kPage, pa, CK_MAP_WRITE); }), CK_OK, "own load");
    check_eq(timed([&] { return ak::unload_mapping(home, kOwn + i * kPage); }), CK_OK, "own unload");
    while (reader.next(&r, &state, &inner)) {
    }
  }
  // The page whole (B's mappings too), a few each call.
  uint32_t calls = 0;
  do {
    s = timed([&] { return ak::unload_page(page); });
    while (reader.next(&r, &state, &inner)) {
    }
  } while ((s == CK_E_PARTIAL || s == CK_E_RETRY) && ++calls < 10000);
  check_eq(s, CK_OK, "the page unloaded");
  print("attacks: the longest of this kernel's calls took {} instructions ({} calls to unload the page)\n", worst,
        calls);
  check(worst < 20000, "each of this kernel's calls took under 20,000 instructions");
  unload_b(b);
}

}  // namespace

int ak_main(const ck_boot_info&) {
  static constexpr ak::Scenario kScenarios[] = {
      {"full_ring", full_ring},
      {"table_quota", table_quota},
      {"one_page", one_page},
  };
  return ak::run_scenario(kScenarios);
}
