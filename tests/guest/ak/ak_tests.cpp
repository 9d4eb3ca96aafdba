// A test application kernel (issue 4), started as the first kernel by the guest test
// application_kernels.cpp, one scenario per start (the boot argument names it). It
// checks what it sees through the Cache Kernel interface and returns the number of
// failed checks, which the test reads back.
#include <stdint.h>
#include <string.h>

#include "checks.h"
#include "libak.h"

namespace {

using ak::check;
using ak::check_eq;
using ak::print;
using ak::take_frame;
using ck::StrView;

const ck_boot_info* g_info;

constexpr uint32_t kPage = 4096;
constexpr uint32_t kScratch = 0x30000000;  // where this kernel writes into a fresh frame
constexpr uint32_t kShared = 0x31000000;   // a frame shared with a thread in another space
constexpr uint32_t kCode = 0x00001000;     // in the other space
constexpr uint32_t kData = 0x00002000;

volatile uint32_t* shared() { return reinterpret_cast<volatile uint32_t*>(kShared); }

// Spins (the tick lets other threads run) until `done()` or about two seconds.
template <typename Done>
bool wait_until(Done done) {
  for (uint32_t i = 0; i < 200000000; ++i)
    if (done()) return true;
  return false;
}

// ---- Writeback ------------------------------------------------------------------

struct Collected {
  ck_writeback records[32];
  ck_thread_state thread;  // the last thread record's state
  uint32_t count = 0;
};

Collected drain() {
  Collected c;
  ak::WritebackReader reader(g_info->ring);
  ck_writeback r;
  ck_thread_state state;
  while (reader.next(&r, &state)) {
    if (c.count < 32) c.records[c.count] = r;
    if (r.kind == CK_WB_THREAD) c.thread = state;
    c.count += 1;
  }
  return c;
}

// A frame holding `code`, written through a scratch mapping that is then unloaded.
uint32_t code_frame(const uint16_t* code, uint32_t words) {
  const uint32_t frame = take_frame();
  check_eq(ak::load_mapping(g_info->space, kScratch, frame, CK_MAP_WRITE), CK_OK, "map the scratch page");
  memcpy(reinterpret_cast<void*>(kScratch), code, words * 2);
  check_eq(ak::sync_code(kScratch, words * 2), CK_OK, "sync the code (CK_SYNC_CODE)");
  check_eq(ak::unload_mapping(g_info->space, kScratch), CK_OK, "unmap the scratch page");
  drain();
  return frame;
}

// ---- The exception handler --------------------------------------------------------

constexpr uint32_t kRegion = 0x20000000;
constexpr uint32_t kRegionPages = 256;  // 1 MiB, more than the mapping cache holds

struct RegionPage {
  uint32_t frame;
  bool written_since_load;
};
RegionPage g_region[kRegionPages];
uint32_t g_region_faults, g_region_writebacks, g_modified_mismatches, g_wrong_frames;

// Mapping writebacks of the region: the modified bit must say whether the page was
// written while that mapping was loaded.
void drain_region() {
  ak::WritebackReader reader(g_info->ring);
  ck_writeback r;
  while (reader.next(&r)) {
    if (r.kind != CK_WB_MAPPING || r.va < kRegion || r.va >= kRegion + kRegionPages * kPage) {
      check(false, "only region mappings are written back");
      continue;
    }
    const RegionPage& p = g_region[(r.va - kRegion) / kPage];
    g_region_writebacks += 1;
    if (r.pa != p.frame) g_wrong_frames += 1;
    if (((r.flags & CK_WB_MODIFIED) != 0) != p.written_since_load) g_modified_mismatches += 1;
  }
}

uint32_t g_trap_thread;
uint32_t g_traps_seen;
uint32_t g_pending_thread;  // a thread whose loaded state carries pending writes
ck_exception g_pending_fault;

class Handler final : public ak::ExceptionHandler {
 public:
  void exception(ck_exception& e) override {
    if (e.kind == CK_EXC_MAPPING && e.address - kRegion < kRegionPages * kPage) page_in(e);
    if (e.thread == g_pending_thread && g_pending_thread != 0) {
      // A carried write its space does not allow: seen as its write fault; give up.
      g_pending_fault = e;
      ak::give_up(&e);
    }
    if (e.kind == CK_EXC_TRAP && e.vector == 1 && e.thread == g_trap_thread) {
      // A "system call" from a thread in another space: answer in d0, go on after it.
      g_traps_seen += 1;
      check_eq(e.regs.pc, kCode + 2, "the trap's pc is the next instruction");
      e.regs.d[0] = 0x5ca1ab1e;
      check_eq(ak::resume(&e), CK_OK, "resume with registers");
    }
  }

 private:
  static void page_in(const ck_exception& e) {
    const uint32_t page = e.address & ~(kPage - 1);
    RegionPage& p = g_region[(page - kRegion) / kPage];
    g_region_faults += 1;
    drain_region();
    p.written_since_load = false;
    for (;;) {
      const int32_t s = ak::load_mapping_resume(page, p.frame, CK_MAP_WRITE);
      if (s != CK_E_RETRY) {
        check_eq(static_cast<uint32_t>(s), CK_OK, "load_mapping_resume");
        return;
      }
      drain_region();  // the ring was full: empty it and try again
    }
  }
};
Handler g_handler;

// ---- Scenarios --------------------------------------------------------------------

volatile uint32_t* region_word(uint32_t page, uint32_t offset) {
  return reinterpret_cast<volatile uint32_t*>(kRegion + page * kPage + offset);
}

void write_page(uint32_t page, uint32_t tag) {
  *region_word(page, 0) = tag | page;
  *region_word(page, 2048) = ~(tag | page);
  g_region[page].written_since_load = true;
}

bool page_holds(uint32_t page, uint32_t tag) {
  return *region_word(page, 0) == (tag | page) && *region_word(page, 2048) == ~(tag | page);
}

// Demand paging of 1 MiB through this kernel's own fault handler, with a mapping cache
// of 64 (application_kernels.cpp's image): every page faults in, is displaced and written
// back with the right modified bit, and holds its data when it faults in again.
void demand_paging() {
  for (uint32_t i = 0; i < kRegionPages; ++i) g_region[i] = RegionPage{take_frame(), false};
  uint32_t bad = 0;
  for (uint32_t i = 0; i < kRegionPages; ++i) write_page(i, 0xa0000000);
  for (uint32_t i = 0; i < kRegionPages; ++i) bad += !page_holds(i, 0xa0000000);
  for (uint32_t i = 1; i < kRegionPages; i += 2) write_page(i, 0xb0000000);
  for (uint32_t i = 0; i < kRegionPages; ++i) bad += !page_holds(i, i % 2 != 0 ? 0xb0000000 : 0xa0000000);
  check_eq(bad, 0, "pages whose data was lost");
  // Unload what is still loaded: every load is then written back exactly once.
  drain_region();
  for (uint32_t i = 0; i < kRegionPages; ++i) {
    const int32_t s = ak::unload_mapping(g_info->space, kRegion + i * kPage);
    check(s == CK_OK || s == CK_E_NOT_MAPPED, "unload a region page");
    drain_region();
  }
  print("ak: demand paging: {} faults, {} writebacks\n", g_region_faults, g_region_writebacks);
  check(g_region_faults > 2 * kRegionPages, "pages faulted in again after displacement");
  check_eq(g_region_writebacks, g_region_faults, "one writeback per load");
  check_eq(g_modified_mismatches, 0, "writebacks with a wrong modified bit");
  check_eq(g_wrong_frames, 0, "writebacks with a wrong frame");
}

// A new address space running `code` at kCode, with a writable data page at kData that
// is also mapped here at kShared (so this kernel sees what the program stores).
uint32_t program_space(uint32_t cookie, const uint16_t* code, uint32_t words) {
  const ak::CallResult space = ak::load_space(0, cookie, 0);
  check_eq(space.status, CK_OK, "load a space");
  const uint32_t data = take_frame();
  check_eq(ak::load_mapping(space.value, kCode, code_frame(code, words), 0), CK_OK, "map the program");
  check_eq(ak::load_mapping(space.value, kData, data, CK_MAP_WRITE), CK_OK, "map its data page");
  check_eq(ak::load_mapping(g_info->space, kShared, data, 0), CK_OK, "map the data page here too");
  return space.value;
}

// A thread state starting at kCode, with an exception stack of its own.
ck_thread_state program_thread() {
  static uint8_t exception_stacks[2][2048];
  static uint32_t used;
  ck_thread_state state{};
  state.regs.pc = kCode;
  state.exception_stack = reinterpret_cast<uint32_t>(exception_stacks[used++ % 2] + sizeof exception_stacks[0]);
  return state;
}

// A thread in another address space traps; the handler answers in its registers; then
// unloading the space writes back its mappings, then the thread, then the space.
void forwarded_trap_then_space_unload() {
  static const uint16_t kProgram[] = {
      0x4e41,  // trap #1
      0x2280,  // move.l %d0, (%a1)
      0x60fe,  // bra.s .
  };
  const uint32_t space = program_space(0x5ace, kProgram, 3);
  ck_thread_state state = program_thread();
  state.regs.a[1] = kData;
  const ak::CallResult t = ak::load_thread(space, 0x7ead, 0, state);
  check_eq(t.status, CK_OK, "load the thread");
  g_trap_thread = t.value;
  check(wait_until([] { return shared()[0] == 0x5ca1ab1e; }), "the thread stored the handler's d0");
  check_eq(g_traps_seen, 1, "traps forwarded");

  check_eq(ak::unload_space(space), CK_OK, "unload the space");
  const Collected c = drain();
  check_eq(c.count, 4, "writeback records");
  check_eq(c.records[0].kind, CK_WB_MAPPING, "first a mapping");
  check_eq(c.records[1].kind, CK_WB_MAPPING, "then a mapping");
  check_eq(c.records[2].kind, CK_WB_THREAD, "then the thread");
  check_eq(c.records[3].kind, CK_WB_SPACE, "then the space");
  check_eq(c.records[2].cookie, 0x7ead, "the thread's cookie");
  check_eq(c.records[3].cookie, 0x5ace, "the space's cookie");
  check_eq(c.thread.regs.pc, kCode + 4, "the thread's pc in its loop");
  check_eq(c.thread.regs.d[0], 0x5ca1ab1e, "the thread's d0");
  check_eq(ak::unload_mapping(g_info->space, kShared), CK_OK, "unmap the shared page");
  drain();
}

// A thread loaded with pending writes (as one written back after a 68040 write fault
// carries them, issue 15) has them done before it runs, in its space with its own
// rights: to its writable data page they land; one to its read-only code page, or to an
// address its space does not map (the Cache Kernel's own memory), is its write fault,
// forwarded here, and stays pending in its state.
void pending_writes_on_reload() {
  static const uint16_t kProgram[] = {
      0x2280,  // move.l %d0, (%a1)
      0x60fe,  // bra.s .
  };
  const uint32_t space = program_space(0xda7a, kProgram, 2);
  ck_thread_state state = program_thread();
  state.regs.a[1] = kData + 8;
  state.regs.d[0] = 0x600d600d;
  state.pending[0] = ck_pending_write{.address = kData, .data = 0x11223344, .size = 4};
  state.pending[1] = ck_pending_write{.address = kData + 5, .data = 0xab, .size = 1};
  ak::CallResult t = ak::load_thread(space, 1, 0, state);
  check_eq(t.status, CK_OK, "load a thread with two pending writes");
  check(wait_until([] { return shared()[2] == 0x600d600d; }), "the thread ran");
  check_eq(shared()[0], 0x11223344, "the long write was done");
  check_eq(shared()[1] >> 16 & 0xff, 0xab, "the byte write was done");
  check_eq(ak::unload_thread(t.value), CK_OK, "unload it");
  check_eq(drain().records[0].kind, CK_WB_THREAD, "its record");

  const uint32_t forbidden[] = {kCode, 0x00010000};  // read-only here; not mapped (kernel memory)
  const uint32_t kinds[] = {CK_EXC_PROTECTION, CK_EXC_MAPPING};
  for (uint32_t i = 0; i < 2; ++i) {
    ck_thread_state bad = program_thread();
    bad.regs.a[1] = kData + 12;
    bad.regs.d[0] = 0xbad0bad0;
    bad.pending[0] = ck_pending_write{.address = forbidden[i], .data = 0xbad, .size = 2};
    g_pending_fault = ck_exception{};
    t = ak::load_thread(space, 2, 0, bad);
    g_pending_thread = t.value;
    check_eq(t.status, CK_OK, "load a thread with a forbidden pending write");
    check(wait_until([] { return *static_cast<volatile uint32_t*>(&g_pending_fault.thread) != 0; }),
          "its first run faults");
    g_pending_thread = 0;
    check_eq(g_pending_fault.kind, kinds[i], "a protection, then a mapping fault");
    check_eq(g_pending_fault.address, forbidden[i], "at the write's address");
    check_eq(g_pending_fault.access, CK_ACCESS_WRITE | 2u << 8, "a 2-byte write");
    check(shared()[3] != 0xbad0bad0, "the thread did not run on");
    const Collected c = drain();
    check_eq(c.count, 1, "the faulted thread written back");
    check_eq(c.thread.pending[0].address, forbidden[i], "the write still pending in its state");
  }
  check_eq(ak::unload_space(space), CK_OK, "unload the space");
  drain();
  check_eq(ak::unload_mapping(g_info->space, kShared), CK_OK, "unmap the shared page");
  drain();
}

// A thread is unloaded, its registers read back from the writeback, changed, and it is
// loaded again and goes on from where it was with the new value.
void thread_writeback() {
  static const uint16_t kCounter[] = {
      0x5292,          // 1: addq.l #1, (%a2)
      0x2546, 0x0004,  //    move.l %d6, 4(%a2)
      0x60f8,          //    bra.s 1b
  };
  const uint32_t space = program_space(1, kCounter, 4);
  ck_thread_state state = program_thread();
  state.regs.a[2] = kData;
  state.regs.d[6] = 0x1111;
  ak::CallResult t = ak::load_thread(space, 0xc0c0, 0, state);
  check_eq(t.status, CK_OK, "load the thread");
  check(wait_until([] { return shared()[0] > 1000 && shared()[1] == 0x1111; }), "the thread counts");

  check_eq(ak::unload_thread(t.value), CK_OK, "unload the thread");
  Collected c = drain();
  check_eq(c.count, 1, "one writeback");
  check_eq(c.records[0].kind, CK_WB_THREAD, "a thread record");
  check_eq(c.records[0].id, t.value, "of that thread");
  check_eq(c.thread.regs.d[6], 0x1111, "d6 written back");
  check_eq(c.thread.regs.a[2], kData, "a2 written back");
  check(c.thread.regs.pc >= kCode && c.thread.regs.pc < kCode + 8, "pc written back inside the loop");
  const uint32_t stopped_at = shared()[0];
  check(!wait_until([stopped_at] { return shared()[0] != stopped_at; }), "an unloaded thread does not run");

  ck_thread_state again = c.thread;
  again.regs.d[6] = 0x2222;
  t = ak::load_thread(space, 0xc0c0, 0, again);
  check_eq(t.status, CK_OK, "reload the thread");
  check(wait_until([stopped_at] { return shared()[1] == 0x2222 && shared()[0] > stopped_at + 1000; }),
        "the reloaded thread goes on counting with the new d6");
  check_eq(ak::unload_space(space), CK_OK, "unload the space");
  check_eq(ak::unload_mapping(g_info->space, kShared), CK_OK, "unmap the shared page");
  drain();
}

// The ABI (ck/abi.h): a call changes d0 and d1 and no other register, on the fast
// path as on the full entry. Returns d0-d7, a0-a6 after `trap #0` with operation `op`
// and every other register holding a pattern.
struct AfterCall {
  uint32_t d[8];
  uint32_t a[7];
};
AfterCall registers_after_call(uint32_t op) {
  AfterCall out;
  asm volatile(
      "movem.l %%d2-%%d7/%%a2-%%a6, -(%%sp)\n\t"
      "move.l  %[out], -(%%sp)\n\t"
      "move.l  %[op], %%d0\n\t"
      "move.l  #0x11111111, %%d1\n\t"
      "move.l  #0x22222222, %%d2\n\t"
      "move.l  #0x33333333, %%d3\n\t"
      "move.l  #0x44444444, %%d4\n\t"
      "move.l  #0x55555555, %%d5\n\t"
      "move.l  #0x66666666, %%d6\n\t"
      "move.l  #0x77777777, %%d7\n\t"
      "move.l  #0xa0a0a0a0, %%a0\n\t"
      "move.l  #0xa1a1a1a1, %%a1\n\t"
      "move.l  #0xa2a2a2a2, %%a2\n\t"
      "move.l  #0xa3a3a3a3, %%a3\n\t"
      "move.l  #0xa4a4a4a4, %%a4\n\t"
      "move.l  #0xa5a5a5a5, %%a5\n\t"
      "move.l  #0xa6a6a6a6, %%a6\n\t"
      "trap    #0\n\t"
      "move.l  %%a0, -(%%sp)\n\t"
      "movea.l 4(%%sp), %%a0\n\t"
      "movem.l %%d0-%%d7, (%%a0)\n\t"
      "movem.l %%a1-%%a6, 36(%%a0)\n\t"
      "move.l  (%%sp)+, 32(%%a0)\n\t"
      "addq.l  #4, %%sp\n\t"
      "movem.l (%%sp)+, %%d2-%%d7/%%a2-%%a6"
      :
      : [out] "r"(&out), [op] "r"(op)
      : "d0", "d1", "a0", "a1", "memory", "cc");
  return out;
}

void check_registers_preserved(uint32_t op, int32_t status) {
  const AfterCall r = registers_after_call(op);
  check_eq(r.d[0], static_cast<uint32_t>(status), "d0 after the call");
  for (uint32_t i = 2; i < 8; ++i) check_eq(r.d[i], 0x11111111u * i, "a data register kept across a call");
  check_eq(r.a[0], 0xa0a0a0a0, "a0 kept across a call");
  for (uint32_t i = 1; i < 7; ++i) check_eq(r.a[i], 0xa0a0a0a0u + 0x01010101u * i, "an address register kept");
}

uint32_t digest() {
  const ak::CallResult r = ak::query(CK_QUERY_DIGEST);
  check_eq(r.status, CK_OK, "the caches are consistent");
  return r.value;
}

// Every call with a bad argument returns its error and changes nothing (the digest
// checks the caches after each); a kernel cannot map memory outside its page groups.
void garbage_calls() {
  // A stale identifier: a space loaded and unloaded again.
  const ak::CallResult gone = ak::load_space(0, 1, 0);
  check_eq(ak::unload_space(gone.value), CK_OK, "unload a space");
  drain();
  const uint32_t self_kernel = g_info->kernel, home = g_info->space, self = g_info->thread;
  const uint32_t frame = take_frame();
  const uint32_t before = digest();
  struct Case {
    const char* what;
    int32_t status;
    int32_t expected;
  };
  const Case cases[] = {
      {"no such operation", ak::call(99).status, CK_E_OPERATION},
      {"stale space", ak::load_mapping(gone.value, kScratch, frame, 0), CK_E_STALE_ID},
      {"never-issued space id", ak::load_mapping(0x40000000, kScratch, frame, 0), CK_E_INVALID_ID},
      {"stale-looking space id", ak::load_mapping(0x7fffffff, kScratch, frame, 0), CK_E_STALE_ID},
      {"a thread id as a space", ak::load_mapping(self, kScratch, frame, 0), CK_E_INVALID_ID},
      {"unaligned virtual page", ak::load_mapping(home, kScratch + 2, frame, 0), CK_E_ADDRESS},
      {"unaligned physical page", ak::load_mapping(home, kScratch, frame + 8, 0), CK_E_ADDRESS},
      {"unknown mapping flag", ak::load_mapping(home, kScratch, frame, 0x100), CK_E_ARGUMENT},
      {"Cache Kernel memory", ak::load_mapping(home, kScratch, 0x1000, 0), CK_E_NO_RIGHTS},
      // Above its read-write memory lies the PROM table's copy (readable only), then nothing.
      {"memory above the grant", ak::load_mapping(home, kScratch, g_info->memory_end, CK_MAP_WRITE), CK_E_NO_RIGHTS},
      {"memory above the PROM table",
       ak::load_mapping(home, kScratch, (g_info->prom_physical + g_info->prom_bytes + 0x7ffff) & ~0x7ffffu, 0),
       CK_E_NO_RIGHTS},
      {"already mapped", ak::load_mapping(home, g_info->ring, frame, 0), CK_E_ALREADY_MAPPED},
      {"not mapped", ak::unload_mapping(home, kScratch), CK_E_NOT_MAPPED},
      {"null thread state", ak::call(CK_LOAD_THREAD, home, 0, 0, 0, nullptr).status, CK_E_POINTER},
      {"thread state in kernel memory", ak::call(CK_LOAD_THREAD, home, 0, 0, 0, reinterpret_cast<void*>(0x2000)).status,
       CK_E_POINTER},
      {"null kernel descriptor", ak::call(CK_LOAD_KERNEL, 0, 0, 0, 0, nullptr).status, CK_E_POINTER},
      {"unknown space flag", ak::load_space(0, 1, 0x80).status, CK_E_ARGUMENT},
      {"priority out of range", ak::set_priority(self, 99), CK_E_ARGUMENT},
      {"resume outside a handler", ak::resume(), CK_E_NOT_IN_EXCEPTION},
      {"unload the first kernel's home", ak::unload_space(home), CK_E_BUSY},
      {"unload the first kernel", ak::call(CK_UNLOAD_KERNEL, self_kernel).status, CK_E_BUSY},
      {"rights on an unaligned range", ak::call(CK_SET_MEMORY_ACCESS, self_kernel, 0x123, 4096, 3).status,
       CK_E_ADDRESS},
      {"rights value", ak::call(CK_SET_MEMORY_ACCESS, self_kernel, 0, 512 * 1024, 2).status, CK_E_ARGUMENT},
      {"cpu share 0", ak::call(CK_SET_CPU, self_kernel, 0, 1).status, CK_E_ARGUMENT},
      {"lock quota type", ak::call(CK_SET_LOCK_QUOTA, self_kernel, 9, 1).status, CK_E_ARGUMENT},
      {"console write too long", ak::call(CK_CONSOLE_WRITE, 1000, 0, 0, 0, "x").status, CK_E_ARGUMENT},
      {"console text unmapped", ak::call(CK_CONSOLE_WRITE, 4, 0, 0, 0, nullptr).status, CK_E_POINTER},
      {"unknown query", ak::query(99).status, CK_E_ARGUMENT},
      {"page reclaim unaligned", ak::unload_page(frame + 1), CK_E_ADDRESS},
  };
  for (const Case& c : cases) {
    check_eq(static_cast<uint32_t>(c.status), static_cast<uint32_t>(c.expected), c.what);
  }
  check_registers_preserved(CK_NULL, CK_OK);
  check_registers_preserved(99, CK_E_OPERATION);
  check_eq(digest(), before, "the caches are unchanged");
  check_eq(drain().count, 0, "nothing was written back");
}

}  // namespace

int ak_main(const ck_boot_info& info) {
  g_info = &info;
  ak::set_exception_handler(&g_handler);
  static constexpr ak::Scenario kScenarios[] = {
      {"demand_paging", demand_paging},       {"forwarded_trap", forwarded_trap_then_space_unload},
      {"thread_writeback", thread_writeback}, {"pending_writes", pending_writes_on_reload},
      {"garbage_calls", garbage_calls},
  };
  return ak::run_scenario(kScenarios);
}
