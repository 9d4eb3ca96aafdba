// Hostile Cache Kernel calls (hostile_calls.h; issue 15). The argument choices follow
// tests/host/call_fuzz_test.cpp: identifiers valid, stale, forged, of the wrong type and
// 0; addresses aligned or not, inside and outside the kernel's page groups; stray flags.
#include "hostile_calls.h"

#include <string.h>

#include "libak.h"
#include "streams.h"
#include "world.h"

namespace fuzz {

namespace {

constexpr uint32_t kHistory = 16;
constexpr uint32_t kGroupBytes = 512 * 1024;

Call g_history[kHistory];
uint32_t g_history_next;
CallCounts g_counts;

ck_thread_state g_state;                                      // what thread loads read (garbage or hostile)
alignas(4) uint8_t g_odd_state[sizeof(ck_thread_state) + 1];  // g_state one byte on
ck_kernel_desc g_desc;                                        // what a (refused) kernel load reads
ck_thread_stats g_stats;                                      // where statistics are written
const uint32_t kReadOnly[4] = {1, 2, 3, 4};                   // in the read-only text segment

struct Id {
  ck_id id;
  bool valid;  // names a loaded object of the right type that the kernel may use
};

// An identifier that cannot be valid for `type`: 0, forged, stale, or another type's.
ck_id invalid_id(Rng& rng, ck_object_type type) {
  const World& w = world();
  switch (rng.below(6)) {
    case 0:
      return 0;
    case 1:
      return rng.next() | 1u << 31 | 1u << 30;  // type bits of no object
    case 2:
      if (const ck_id s = w.any_stale(rng); s != 0) return s;
      return 0;
    case 3:
      return type == CK_OBJECT_SPACE ? w.self : w.home;  // the wrong type
    case 4:
      return type == CK_OBJECT_KERNEL ? w.home : w.kernel;  // the wrong type
    default: {
      // A loaded object's slot with another generation (a forged one).
      const ck_id base = type == CK_OBJECT_THREAD ? w.self : type == CK_OBJECT_SPACE ? w.home : w.kernel;
      return base ^ ((1 + rng.below(255)) << 16);
    }
  }
}

Id space_id(Rng& rng, bool home_allowed) {
  const World& w = world();
  const uint32_t r = rng.below(8);
  if (r < 4) {
    const int s = w.any_space(rng);
    if (s >= 0) return Id{w.spaces[s], true};
  }
  if (r == 4 && home_allowed) return Id{w.home, true};
  return Id{invalid_id(rng, CK_OBJECT_SPACE), false};
}

Id thread_id(Rng& rng) {
  const World& w = world();
  if (rng.below(3) != 0) {
    const int t = w.any_thread(rng);
    if (t >= 0) return Id{w.threads[t].id, true};
  }
  return Id{invalid_id(rng, CK_OBJECT_THREAD), false};
}

// A pointer the Cache Kernel must refuse: null, kernel memory, the table window, the I/O
// page, wrapping past 4 GiB, straddling into an unmapped page, never mapped.
uint32_t bad_pointer(Rng& rng) {
  static const uint32_t kBad[] = {0,
                                  1,
                                  0x00001000,
                                  0x00002000,
                                  0xf0000000,
                                  0xf0001000,
                                  0xff008000,
                                  0xfffffff0,
                                  0xfffffffe,
                                  kNeverMapped,
                                  kWindow + kPage - 8,  // straddles into window page 1, never mapped
                                  kWindow + kPage};
  return rng.pick(kBad);
}

// A pointer to memory the caller may read: good, or not (then *bad).
uint32_t read_pointer(Rng& rng, const void* good, bool* bad) {
  *bad = rng.below(3) == 0;
  if (*bad) return bad_pointer(rng);
  if (rng.one_in(8)) return kWindow;                                  // window page 0, always mapped
  return reinterpret_cast<uint32_t>(good) + (rng.one_in(8) ? 1 : 0);  // odd is allowed
}

// The same for memory the Cache Kernel writes: read-only text is bad too.
uint32_t write_pointer(Rng& rng, bool* bad) {
  if (rng.one_in(6)) {
    *bad = true;
    return reinterpret_cast<uint32_t>(&kReadOnly[0]);
  }
  return read_pointer(rng, &g_stats, bad);
}

// A physical page its calls may map (the pool), or one outside its grant (refused).
uint32_t physical_page(Rng& rng, bool* outside, bool* unaligned) {
  const World& w = world();
  *outside = *unaligned = false;
  switch (rng.below(10)) {
    case 0:
      *outside = true;
      return rng.pick({0x00000000u, 0x00002000u, 0x00100000u, 0xff000000u, 0xff008000u, 0x40000000u,
                       0xfffff000u});  // vectors, kernel, I/O, absent RAM
    case 1:
      *outside = true;
      return (w.info->ring_physical & ~(kGroupBytes - 1)) - kPage;  // the group below its grant
    case 2:
      *outside = true;
      return w.info->memory_end;  // the group above
    case 3: {
      uint32_t pa = rng.next();
      // Its own image, stacks and ring are never handed to its calls: a pool page then.
      if (w.own_memory(pa)) pa = w.pool_page(rng) | (pa & (kPage - 1));
      *outside = !w.own_memory(pa);
      *unaligned = (pa & (kPage - 1)) != 0;
      return pa;
    }
    case 4:
      *unaligned = true;
      return w.pool_page(rng) + 2 + rng.below(kPage - 2);
    default:
      return w.pool_page(rng);
  }
}

// A virtual page for a mapping in a stream space: code, stack and data, far pages, or
// the kernel's own layout seen from another space.
uint32_t stream_va(Rng& rng, bool* unaligned) {
  *unaligned = false;
  switch (rng.below(8)) {
    case 0:
      return rng.pick(
          {0x00000000u, 0x10000000u, 0x70200000u, 0x7ffff000u, 0xeffff000u, 0xf0000000u, 0xff000000u, 0xfffff000u});
    case 1:
      *unaligned = true;
      return kStreamData + 1 + rng.below(kPage - 1);
    case 2:
      return code_va(rng.below(kCodePages));
    case 3:
      return kStreamStack;
    default:
      return kStreamData + rng.below(16) * kPage;
  }
}

// A page of its home window that may come and go (pages 0 and 1 never change).
uint32_t window_va(Rng& rng) { return kWindow + (2 + rng.below(kWindowPages - 2)) * kPage; }

uint32_t priority_flags(Rng& rng, bool* bad) {
  const World& w = world();
  *bad = false;
  switch (rng.below(6)) {
    case 0:
      *bad = true;
      return (w.max_priority + 1 + rng.below(CK_PRIORITY_COUNT - w.max_priority - 1)) << CK_PRIORITY_SHIFT;
    case 1:
      *bad = true;
      return rng.next() | 0x10000;  // stray bits
    default:
      return rng.below(w.max_priority + 1) << CK_PRIORITY_SHIFT | (rng.one_in(4) ? CK_LOCK : 0);
  }
}

void record(const Call& c) { g_history[g_history_next++ % kHistory] = c; }

void print_call(const Call& c, bool made = true) {
  ak::print("    op {} d1={:#x} d2={:#x} d3={:#x} d4={:#x} a0={:#x}", c.op, c.d1, c.d2, c.d3, c.d4, c.a0);
  if (made) ak::print(" -> status {} value {:#x}", c.status, c.value);
  ak::print("{}\n", ck::StrView(c.must_fail ? " (must fail)" : ""));
}

// ---- Generators, one per operation: arguments and whether the call must fail --------

void gen_space_load(Rng& rng, Call& c) {
  const World& w = world();
  const uint32_t r = rng.below(6);
  c.d1 = r < 3 ? 0 : r == 3 ? w.kernel : invalid_id(rng, CK_OBJECT_KERNEL);
  const bool owner_bad = r > 3 && c.d1 != 0;
  c.d2 = rng.next();
  const uint32_t f = rng.below(8);
  c.d3 = f < 5 ? 0 : f == 5 ? CK_LOCK : f == 6 ? CK_SPACE_HOME : rng.next();
  // Its one locked space is its home (the SRM's quota); it has a home already.
  c.must_fail = owner_bad || c.d3 != 0;
}

void gen_thread_load(Rng& rng, Call& c, int* slot) {
  World& w = world();
  const Id space = space_id(rng, true);
  bool bad_flags, bad_pointer_arg;
  c.d1 = space.id;
  c.d2 = rng.next();
  c.d3 = priority_flags(rng, &bad_flags);
  c.a0 = read_pointer(rng, &g_state, &bad_pointer_arg);
  *slot = -1;
  for (uint32_t i = 0; i < kMaxThreads; ++i)
    if (w.threads[i].id == 0) *slot = static_cast<int>(i);
  const bool home = space.id == w.home;
  const bool may_run = space.valid && !home && *slot >= 0 && !bad_flags && !bad_pointer_arg;
  if (may_run) {
    hostile_state(rng, static_cast<uint32_t>(*slot), &g_state);
    // A thread that runs starts from that state. Read from window page 0, or from g_state
    // one byte off, its program counter would be whatever was stored there (the stream
    // stack page, say), into words no filter saw (QEMU 7.2 aborted translating a CHK2
    // there; streams.cpp). So g_state itself, or a copy of it at an odd address.
    if (c.a0 == kWindow) {
      c.a0 = reinterpret_cast<uint32_t>(&g_state);
    } else if (c.a0 != reinterpret_cast<uint32_t>(&g_state)) {
      memcpy(g_odd_state + 1, &g_state, sizeof g_state);
      c.a0 = reinterpret_cast<uint32_t>(g_odd_state + 1);
    }
    int index = -1;
    for (uint32_t i = 0; i < kMaxSpaces; ++i)
      if (w.spaces[i] == space.id) index = static_cast<int>(i);
    w.threads[*slot].space = static_cast<uint32_t>(index);
  } else if (!bad_flags && !bad_pointer_arg && space.valid) {
    // A thread that may not run (at home, or no slot for it): refused by its priority.
    c.d3 = (w.max_priority + 1) << CK_PRIORITY_SHIFT;
    bad_flags = true;
  }
  c.must_fail = !space.valid || bad_flags || bad_pointer_arg;
}

void gen_mapping_load(Rng& rng, Call& c) {
  const World& w = world();
  const Id space = space_id(rng, true);
  bool outside, unaligned_pa, unaligned_va = false;
  c.d1 = space.id;
  c.d2 = space.id == w.home ? window_va(rng) : stream_va(rng, &unaligned_va);
  if (space.id == w.home && rng.one_in(10)) {
    c.d2 += 1 + rng.below(kPage - 1);
    unaligned_va = true;
  }
  c.d3 = physical_page(rng, &outside, &unaligned_pa);
  const uint32_t f = rng.below(10);
  c.d4 = f == 0 ? rng.next() : rng.below(32);
  // Never a pool page where a stream runs (world.h): its words are whatever was stored
  // in it, unfiltered, and QEMU 7.2 aborted translating them (a CHK2: seeds 6 and 7 at 10
  // million calls; streams.cpp). In the code window the code page's own frame instead,
  // as furnish_space maps it: read-only and cached, never a message page (dropping one
  // writes back the page's other mappings, its writable one at home among them). For a
  // jump target's page (page 0, the table window, the top page), a data page.
  if (space.id != w.home && in_code_window(c.d2) && !outside && !unaligned_pa) {
    c.d3 = w.code_frames + (c.d2 - kStreamCode) / (2 * kPage) * kPage;
    c.d4 &= ~uint32_t{CK_MAP_WRITE | CK_MAP_NOCACHE | CK_MAP_MESSAGE | CK_MAP_MODIFIED};
  } else if (space.id != w.home && streams_run_in(c.d2)) {
    c.d2 = kStreamData + (c.d2 & (kPage - 1)) + rng.below(16) * kPage;
  }
  const bool bad_flags = (c.d4 & ~0x1fu) != 0 || (c.d4 & (CK_MAP_MODIFIED | CK_MAP_WRITE)) == CK_MAP_MODIFIED;
  bool bad_signal = false;
  const uint32_t s = rng.below(6);
  if (s == 0) {
    c.a0 = invalid_id(rng, CK_OBJECT_THREAD);
    bad_signal = c.a0 != 0;
  } else if (s == 1) {
    const Id t = thread_id(rng);
    c.a0 = t.id;
    bad_signal = !t.valid && t.id != 0;
  } else if (s == 2) {
    c.a0 = w.self;
  }
  const bool message = (c.d4 & CK_MAP_MESSAGE) != 0;
  c.must_fail =
      !space.valid || outside || unaligned_pa || unaligned_va || bad_flags || bad_signal || (c.a0 != 0 && !message);
}

void gen_mapping_unload(Rng& rng, Call& c) {
  const World& w = world();
  const Id space = space_id(rng, true);
  bool unaligned = false;
  c.d1 = space.id;
  c.d2 = space.id == w.home ? window_va(rng) : stream_va(rng, &unaligned);
  c.must_fail = !space.valid || unaligned;
}

void gen_page_unload(Rng& rng, Call& c) {
  bool outside, unaligned;
  c.d1 = physical_page(rng, &outside, &unaligned);
  c.must_fail = unaligned;  // outside its grant: it owns no mapping of it (nothing to do)
}

// The first kernel's calls: refused to any other (CK_E_NOT_SRM), whatever the arguments.
void gen_srm_only(Rng& rng, Call& c) {
  const World& w = world();
  bool ignored;
  c.d1 = rng.one_in(2) ? w.kernel : rng.next();
  c.d2 = rng.one_in(2) ? w.info->ring_physical : rng.next();
  c.d3 = rng.one_in(2) ? 100 : rng.next();
  c.d4 = rng.below(4);
  g_desc = ck_kernel_desc{rng.next(), w.pool_page(rng), kPage, rng.next(), rng.next()};
  c.a0 = read_pointer(rng, &g_desc, &ignored);
  c.must_fail = true;
}

void gen_priority(Rng& rng, Call& c) {
  const World& w = world();
  const Id t = thread_id(rng);
  c.d1 = t.id;
  c.d2 = rng.one_in(4) ? w.max_priority + 1 + rng.below(1000) : rng.below(w.max_priority + 1);
  if (rng.one_in(8)) c.d2 = rng.next();
  c.must_fail = !t.valid || c.d2 > w.max_priority;
}

// A thread value (CK_SET_THREAD_VALUE): any call number and value for itself (0) or one
// of its threads; another kernel's thread, or a stale or made-up one, is refused.
void gen_thread_value(Rng& rng, Call& c) {
  const Id t = thread_id(rng);
  c.d1 = rng.one_in(4) ? 0 : t.id;
  c.d2 = rng.one_in(2) ? rng.below(512) : rng.next();
  c.d3 = rng.next();
  c.must_fail = c.d1 != 0 && !t.valid;
}

// Resume, resume with a mapping, signal return: only a thread in its handler (or its
// signal function) may; the kernel's own thread is in neither.
void gen_not_in_exception(Rng& rng, Call& c) {
  bool ignored;
  c.d1 = rng.below(4);
  c.d2 = kStreamData;
  c.d3 = world().pool_page(rng);
  c.d4 = rng.below(16);
  c.a0 = read_pointer(rng, &g_state, &ignored);
  c.must_fail = true;
}

void gen_console(Rng& rng, Call& c) {
  // Only refusals: too long, or text it cannot read.
  if (rng.one_in(2)) {
    c.d1 = 257 + rng.below(1u << 20);
    if (rng.one_in(4)) c.d1 = 0x80000000u | rng.next();  // negative as a count
    c.a0 = kWindow;
  } else {
    c.d1 = 16 + rng.below(200);
    c.a0 = bad_pointer(rng);
    if (c.a0 == kWindow + kPage - 8 && c.d1 <= 8) c.d1 = 9;
  }
  c.must_fail = true;
}

void gen_query(Rng& rng, Call& c) {
  c.d1 = rng.below(CK_QUERY_BOOT_SECONDS + 2);  // every query and the first that is none
  if (rng.one_in(8)) c.d1 = rng.next();
  c.d2 = c.d1 == CK_QUERY_LOADED && rng.one_in(2) ? rng.next() : rng.below(4);
  // The digest and the stack's high-water mark are the first kernel's alone.
  c.must_fail = c.d1 == CK_QUERY_DIGEST || c.d1 == CK_QUERY_STACK_HIGH_WATER || c.d1 > CK_QUERY_BOOT_SECONDS ||
                (c.d1 == CK_QUERY_LOADED && c.d2 > 3);
}

// CK_SYNC_CODE: within its always-mapped window page (or nothing), or too much, a range
// wrapping past 4 GiB, or one reaching a page it has not mapped.
void gen_sync_code(Rng& rng, Call& c) {
  switch (rng.below(4)) {
    case 0:
      c.d1 = kWindow + rng.below(kPage / 2);
      c.d2 = rng.below(kPage / 2);
      break;
    case 1:
      c.d1 = rng.next();
      c.d2 = CK_SYNC_CODE_MAX + 1 + rng.below(1u << 20);
      c.must_fail = true;
      break;
    case 2:
      c.d1 = 0xfffff000 + rng.below(kPage);
      c.d2 = 2 * kPage + rng.below(kPage);
      c.must_fail = true;
      break;
    default:
      c.d1 = bad_pointer(rng);
      c.d2 = 16 + rng.below(kPage);
      c.must_fail = true;
      break;
  }
}

void gen_block_or_wake(Rng& rng, Call& c) {
  const World& w = world();
  Id t = thread_id(rng);
  if (t.id == 0) t.id = 0x80000000u;  // 0 would be the caller
  c.d1 = t.id;
  const uint32_t r = rng.below(4);
  c.d2 = r == 0 ? 0 : r == 1 ? 0xffffffffu : rng.below(5000000);
  if (c.op == CK_BLOCK && rng.one_in(50)) {
    c.d1 = w.self;  // blocks itself for about a tick
    c.d2 = 1000000;
    t.valid = true;
  }
  c.must_fail = !t.valid;
}

void gen_stats(Rng& rng, Call& c) {
  const World& w = world();
  bool bad_ptr;
  c.a0 = write_pointer(rng, &bad_ptr);
  if (c.op == CK_THREAD_STATS) {
    const Id t = rng.one_in(4) ? Id{rng.one_in(2) ? 0 : w.self, true} : thread_id(rng);
    c.d1 = t.id;
    c.must_fail = (!t.valid && t.id != 0) || bad_ptr;  // 0: the caller
  } else {
    const uint32_t r = rng.below(4);
    c.d1 = r == 0 ? 0 : r == 1 ? w.kernel : invalid_id(rng, CK_OBJECT_KERNEL);
    // Another kernel's statistics are the SRM's to read.
    c.must_fail = (r > 1 && c.d1 != 0) || bad_ptr;
  }
}

void gen_signal(Rng& rng, Call& c) {
  switch (rng.below(4)) {
    case 0:
      c.d1 = kWindow + rng.below(kPage);  // mapped, not in message mode
      c.must_fail = true;
      break;
    case 1:
      c.d1 = bad_pointer(rng);  // unmapped, or window page 0 (not in message mode)
      c.must_fail = true;
      break;
    default:
      c.d1 = window_va(rng) + rng.below(kPage);  // maybe a message page
      break;
  }
}

// Makes the call `c` describes.
void issue(Call& c) {
  const ak::CallResult r = ak::call(c.op, c.d1, c.d2, c.d3, c.d4, reinterpret_cast<const void*>(c.a0));
  c.status = r.status;
  c.value = r.value;
}

// What a call that succeeded loaded: the kernel keeps track of it (or unloads what
// it never meant to keep).
void took_effect(const Call& c, int slot) {
  World& w = world();
  if (c.status != CK_OK) return;
  switch (c.op) {
    case CK_LOAD_SPACE:
      for (uint32_t i = 0; i < kMaxSpaces; ++i)
        if (w.spaces[i] == 0) {
          w.spaces[i] = c.value;
          return;
        }
      discard(CK_UNLOAD_SPACE, c.value);
      return;
    case CK_UNLOAD_SPACE:
      for (uint32_t i = 0; i < kMaxSpaces; ++i)
        if (w.spaces[i] == c.d1) {
          w.spaces[i] = 0;
          for (StreamThread& t : w.threads)
            if (t.id != 0 && t.space == i) {
              w.gone(t.id);
              t.id = 0;
            }
        }
      w.gone(c.d1);
      return;
    case CK_LOAD_THREAD:
      if (slot >= 0 && !c.must_fail) {
        w.threads[slot].exceptions = 0;
        w.threads[slot].id = c.value;
      } else {
        discard(CK_UNLOAD_THREAD, c.value);
      }
      return;
    case CK_UNLOAD_THREAD:
      for (StreamThread& t : w.threads)
        if (t.id == c.d1) t.id = 0;
      w.gone(c.d1);
      return;
    default:
      return;
  }
}

void judge(const Call& c) {
  g_counts.calls += 1;
  g_counts.by_op[c.op < CK_OP_COUNT ? c.op : uint32_t{CK_OP_COUNT}] += 1;
  if (c.status == CK_OK)
    g_counts.accepted += 1;
  else
    g_counts.refused += 1;
  if (c.status > 0 || c.status < CK_E_SHARED) {
    g_counts.bad_statuses += 1;
    ak::print("fuzz: NO SUCH STATUS from call {}:\n", g_counts.calls);
    print_call(c);
  }
  if (c.must_fail && c.status == CK_OK) {
    g_counts.wrong_acceptances += 1;
    ak::print("fuzz: WRONG ACCEPTANCE at call {}:\n", g_counts.calls);
    print_history(8);
  }
  const bool must_succeed = c.op == CK_NULL || (c.op == CK_QUERY && c.d1 == CK_QUERY_SELF_THREAD);
  if (must_succeed && (c.status != CK_OK || (c.op == CK_QUERY && c.value != world().self))) {
    g_counts.bad_statuses += 1;
    ak::print("fuzz: a call that cannot fail failed at call {}:\n", g_counts.calls);
    print_call(c);
  }
}

}  // namespace

void discard(uint32_t op, ck_id id) {
  for (uint32_t tries = 0; tries < 4096; ++tries) {  // a large space leaves in parts
    const int32_t s = ak::call(op, id).status;
    if (s == CK_OK || s == CK_E_STALE_ID) {
      world().gone(id);
      return;
    }
    if (s != CK_E_RETRY && s != CK_E_PARTIAL) return;
    drain_ring();
  }
}

void hostile_call(Rng& rng, uint32_t trace_from) {
  World& w = world();
  Call c{};
  int slot = -1;
  const uint32_t pick = rng.below(CK_OP_COUNT + 2);
  c.op = pick < CK_OP_COUNT ? pick : CK_OP_COUNT + rng.below(pick == CK_OP_COUNT ? 8 : 0xfffff000u);
  switch (c.op) {
    case CK_NULL:
      break;
    case CK_LOAD_KERNEL:
    case CK_UNLOAD_KERNEL:
    case CK_SET_MEMORY_ACCESS:
    case CK_SET_CPU:
    case CK_SET_LOCK_QUOTA:
      gen_srm_only(rng, c);
      break;
    case CK_LOAD_SPACE:
      gen_space_load(rng, c);
      break;
    case CK_UNLOAD_SPACE: {
      const Id s = space_id(rng, false);
      c.d1 = s.id;
      c.must_fail = !s.valid;
      break;
    }
    case CK_LOAD_THREAD:
      gen_thread_load(rng, c, &slot);
      break;
    case CK_UNLOAD_THREAD: {
      const Id t = thread_id(rng);
      c.d1 = t.id == w.self ? 0 : t.id;
      c.must_fail = !t.valid || c.d1 == 0;
      break;
    }
    case CK_LOAD_MAPPING:
      gen_mapping_load(rng, c);
      break;
    case CK_UNLOAD_MAPPING:
      gen_mapping_unload(rng, c);
      break;
    case CK_UNLOAD_PAGE:
      gen_page_unload(rng, c);
      break;
    case CK_SET_PRIORITY:
      gen_priority(rng, c);
      break;
    case CK_RESUME:
    case CK_LOAD_MAPPING_RESUME:
    case CK_SIGNAL_RETURN:
      gen_not_in_exception(rng, c);
      break;
    case CK_CONSOLE_WRITE:
      gen_console(rng, c);
      break;
    case CK_QUERY:
      gen_query(rng, c);
      break;
    case CK_BLOCK:
    case CK_WAKE:
      gen_block_or_wake(rng, c);
      break;
    case CK_THREAD_STATS:
    case CK_KERNEL_STATS:
      gen_stats(rng, c);
      break;
    case CK_SIGNAL:
      gen_signal(rng, c);
      break;
    case CK_SYNC_CODE:
      gen_sync_code(rng, c);
      break;
    case CK_SET_THREAD_VALUE:
      gen_thread_value(rng, c);
      break;
    case CK_EXCEPTION_FPU:
      // Its own thread is never in an exception here: refused, whatever the pointer.
      c.must_fail = true;
      c.a0 = rng.below(2) == 0 ? bad_pointer(rng) : rng.next();
      break;
    case CK_WAIT_SIGNAL:
      // Nothing would end the wait of its own thread (a CK_WAKE that comes first counts
      // for CK_BLOCK only): its streams' handlers wait instead (streams.cpp).
      c.op = CK_NULL;
      break;
    default:
      c.must_fail = true;  // no such operation
      c.d1 = rng.next();
      c.a0 = bad_pointer(rng);
      break;
  }
  if (trace_from != 0 && g_counts.calls + 1 >= trace_from) {
    ak::print("fuzz: call {}:\n", g_counts.calls + 1);
    print_call(c, false);
  }
  issue(c);
  record(c);
  judge(c);
  took_effect(c, slot);
  if (c.op == CK_LOAD_SPACE && c.status == CK_OK) furnish_space(c.value, rng);
}

const CallCounts& call_counts() { return g_counts; }

void print_history(uint32_t calls) {
  const uint32_t n = calls < kHistory ? calls : kHistory;
  const uint32_t made = g_history_next < n ? g_history_next : n;
  for (uint32_t i = g_history_next - made; i != g_history_next; ++i) print_call(g_history[i % kHistory]);
}

}  // namespace fuzz
