// The victim of the fuzz suite (issue 15; paper §4.3: one kernel's misbehaviour must not
// reach another's memory, objects or processor share). Beside hostile kernels it does
// ordinary work: 64 KiB of its memory in a known pattern, checked every round; pages of
// its own loaded, written, checked, unloaded and loaded again (loads that must succeed
// within a bound: a load starved by another kernel, CK_E_RETRY or CK_E_NO_TABLES for
// longer than that, fails it); every writeback record matched to the mapping it wrote
// back (frame, modified bit, once). It shows its progress to the SRM in its check
// mailbox and runs until the SRM tells it that no hostile kernel is left.
//
// Arguments: kernel=K, rounds=N (at least this many), max=M (at most; 0: no limit).
#include <stdint.h>

#include "ak_layout.h"
#include "check_mailbox.h"
#include "lib/cmdline.h"
#include "libak.h"

namespace {

namespace mb = ck::check_mailbox;

constexpr uint32_t kPage = 4096;
constexpr uint32_t kWords = 16 * 1024;  // 64 KiB
constexpr uint32_t kStep = 0x9e3779b9;
constexpr uint32_t kScratch = 0x20000000;
constexpr uint32_t kScratchPages = 16;
constexpr uint32_t kLoadTries = 400;  // ticks a load may be starved before the victim fails
// A page mapped for a moment far from the others, read-only: a load that needs new page
// tables (a hostile kernel that exhausts the page-table pool starves it).
constexpr uint32_t kProbe = 0x30000000;
constexpr uint32_t kProbeStride = 0x00400000;

uint32_t g_data[kWords];

struct ScratchPage {
  uint32_t frame;
  uint32_t tag;  // what every word holds (tag ^ index)
  bool mapped, written_since_load;
};
ScratchPage g_pages[kScratchPages];

struct Counts {
  uint32_t loads, writebacks, reclaimed, faults, retries, failures, probes;
};
uint32_t g_probe_va;  // the probe mapping loaded now, or 0
Counts g_counts;
uint32_t g_kernel;

mb::Mailbox& mailbox() { return *reinterpret_cast<mb::Mailbox*>(ck::ak_layout::kBootInfo + mb::kMailboxOffset); }

void fail(ck::StrView what, uint32_t detail) {
  g_counts.failures += 1;
  ak::print("victim#{}: {} ({:#x})\n", g_kernel, what, detail);
}

// ---- Its writeback ring: every record is a scratch mapping it had loaded ---------------

void drain() {
  ak::WritebackReader reader(ak::boot_info().ring);
  ck_writeback r;
  while (reader.next(&r)) {
    if (r.kind == CK_WB_MAPPING && g_probe_va != 0 && r.va == g_probe_va) {
      if (r.pa != g_pages[0].frame || (r.flags & CK_WB_MODIFIED) != 0) fail("A WRONG PROBE WRITEBACK: pa", r.pa);
      g_probe_va = 0;
      g_counts.writebacks += 1;
      continue;
    }
    const uint32_t index = (r.va - kScratch) / kPage;
    if (r.kind != CK_WB_MAPPING || r.va < kScratch || index >= kScratchPages) {
      fail("A WRITEBACK IT NEVER CAUSED: kind, va", r.kind << 24 ^ r.va);
      continue;
    }
    ScratchPage& p = g_pages[index];
    if (!p.mapped) fail("A MAPPING WRITTEN BACK TWICE (or never loaded): va", r.va);
    if (r.pa != p.frame) fail("A WRITEBACK WITH ANOTHER FRAME: pa", r.pa);
    if (((r.flags & CK_WB_MODIFIED) != 0) != p.written_since_load) fail("A WRONG MODIFIED BIT: va", r.va);
    if ((r.flags & CK_WB_RECLAIMED) != 0) g_counts.reclaimed += 1;
    p.mapped = false;
    g_counts.writebacks += 1;
  }
}

// A load of its own page into its own space must succeed; a ring or table pool another
// kernel keeps full may delay it, but only for a bounded time.
bool load(uint32_t index, bool resume) {
  ScratchPage& p = g_pages[index];
  const uint32_t tick = ak::query(CK_QUERY_TICK_NS).value;
  int32_t s = CK_E_RETRY;
  for (uint32_t tries = 0; tries < kLoadTries; ++tries) {
    drain();
    p.written_since_load = false;
    const uint32_t va = kScratch + index * kPage;
    s = resume ? ak::load_mapping_resume(va, p.frame, CK_MAP_WRITE)
               : ak::load_mapping(ak::boot_info().space, va, p.frame, CK_MAP_WRITE);
    if (s == CK_OK) {
      p.mapped = true;
      g_counts.loads += 1;
      return true;
    }
    if (s != CK_E_RETRY && s != CK_E_NO_TABLES && s != CK_E_NO_DESCRIPTOR) break;
    g_counts.retries += 1;
    ak::block_self(tick);
  }
  fail("A LOAD THAT MUST SUCCEED DID NOT: status", static_cast<uint32_t>(s));
  return false;
}

// Loads a far page (read-only, its first scratch frame), reads it, unloads it.
void probe(uint32_t round) {
  const uint32_t va = kProbe + (round % 64) * kProbeStride;
  const uint32_t tick = ak::query(CK_QUERY_TICK_NS).value;
  int32_t s = CK_E_RETRY;
  for (uint32_t tries = 0; tries < kLoadTries && s != CK_OK; ++tries) {
    drain();
    s = ak::load_mapping(ak::boot_info().space, va, g_pages[0].frame, 0);
    if (s == CK_OK) break;
    if (s != CK_E_RETRY && s != CK_E_NO_TABLES && s != CK_E_NO_DESCRIPTOR) break;
    g_counts.retries += 1;
    ak::block_self(tick);
  }
  if (s != CK_OK) return fail("A FAR LOAD THAT MUST SUCCEED DID NOT: status", static_cast<uint32_t>(s));
  g_probe_va = va;
  g_counts.loads += 1;
  g_counts.probes += 1;
  if (*reinterpret_cast<volatile uint32_t*>(va) != (g_pages[0].tag ^ 0)) fail("THE PROBE PAGE READS WRONG: va", va);
  const int32_t u = ak::unload_mapping(ak::boot_info().space, va);
  if (u != CK_OK) fail("ITS PROBE COULD NOT BE UNLOADED: status", static_cast<uint32_t>(u));
  drain();
}

// A scratch mapping reclaimed (written back RECLAIMED) faults when touched: loaded again.
class Handler final : public ak::ExceptionHandler {
 public:
  void exception(ck_exception& e) override {
    const uint32_t index = (e.address - kScratch) / kPage;
    if (e.kind != CK_EXC_MAPPING || e.address < kScratch || index >= kScratchPages) return;  // not its to take
    g_counts.faults += 1;
    drain();
    if (g_pages[index].mapped) fail("A FAULT ON A PAGE IT HAS MAPPED: va", e.address);
    g_pages[index].mapped = false;
    load(index, true);  // comes back only when the load failed
  }
};
Handler g_handler;

volatile uint32_t* word_of(uint32_t index, uint32_t i) {
  return reinterpret_cast<volatile uint32_t*>(kScratch + index * kPage) + i;
}

// The page still holds what it was last given, then takes a new tag.
void use_page(uint32_t index, uint32_t tag) {
  ScratchPage& p = g_pages[index];
  if (!p.mapped && !load(index, false)) return;
  for (uint32_t i = 0; i < kPage / 4; ++i)
    if (*word_of(index, i) != (p.tag ^ i)) {
      fail("SCRATCH PAGE CHANGED UNDER IT: va", kScratch + index * kPage + 4 * i);
      break;
    }
  for (uint32_t i = 0; i < kPage / 4; ++i) *word_of(index, i) = tag ^ i;
  p.tag = tag;
  p.written_since_load = true;
}

void unload_page(uint32_t index) {
  drain();
  if (!g_pages[index].mapped) return;
  const int32_t s = ak::unload_mapping(ak::boot_info().space, kScratch + index * kPage);
  if (s != CK_OK) fail("ITS OWN MAPPING COULD NOT BE UNLOADED: status", static_cast<uint32_t>(s));
  drain();
}

uint32_t next_seed(uint32_t x) { return x * 1664525u + 1013904223u; }

bool check_and_step(uint32_t seed, uint32_t round) {
  uint32_t x = seed;
  bool ok = true;
  for (uint32_t i = 0; i < kWords; ++i) {
    x = next_seed(x);
    const uint32_t want = x + round * kStep;
    ok = ok && g_data[i] == want;
    g_data[i] = want + kStep;
  }
  return ok;
}

}  // namespace

int ak_main(const ck_boot_info& info) {
  uint32_t rounds = 100, max = 0;
  const ck::CommandLine args(reinterpret_cast<const char*>(info.arguments));
  ck::StrView v;
  if (args.lookup("kernel", &v)) ck::parse_u32(v, &g_kernel);
  if (args.lookup("rounds", &v)) ck::parse_u32(v, &rounds);
  if (args.lookup("max", &v)) ck::parse_u32(v, &max);
  ak::set_exception_handler(&g_handler);
  const uint32_t first = (info.memory_base + kPage - 1) & ~(kPage - 1);
  for (uint32_t i = 0; i < kScratchPages; ++i) g_pages[i] = ScratchPage{first + i * kPage, 0, false, false};
  // Each page starts with tag 0: word i holds i.
  for (uint32_t i = 0; i < kScratchPages; ++i) {
    if (!load(i, false)) break;
    for (uint32_t w = 0; w < kPage / 4; ++w) *word_of(i, w) = w;
    g_pages[i].written_since_load = true;
  }
  mb::Mailbox& box = mailbox();
  box.role = mb::Role::Victim;
  box.magic = mb::kMagic;
  const uint32_t seed = 0x71c7000u + g_kernel;
  uint32_t x = seed;
  for (uint32_t i = 0; i < kWords; ++i) g_data[i] = x = next_seed(x);
  uint32_t round = 0;
  for (; (round < rounds || box.stop == 0) && (max == 0 || round < max) && g_counts.failures == 0; ++round) {
    if (!check_and_step(seed, round)) fail("MEMORY CHANGED UNDER IT in round", round);
    use_page(round % kScratchPages, round * 0x01000193u);
    if (round % 3 == 0) unload_page(round * 7 % kScratchPages);
    if (round % 4 == 0) probe(round / 4);
    drain();
    box.progress = round + 1;
  }
  // Every load is written back exactly once.
  for (uint32_t i = 0; i < kScratchPages; ++i) unload_page(i);
  drain();
  if (g_counts.loads != g_counts.writebacks) fail("LOADS NOT WRITTEN BACK ONCE EACH: loads", g_counts.loads);
  ak::print("victim#{}: {} rounds, {} loads ({} far), {} writebacks ({} reclaimed), {} faults, {} starved load "
            "tries\n",
            g_kernel, round, g_counts.loads, g_counts.probes, g_counts.writebacks, g_counts.reclaimed, g_counts.faults,
            g_counts.retries);
  if (g_counts.failures != 0) {
    ak::print("victim#{}: done: FAILED ({} failures)\n", g_kernel, g_counts.failures);
    return 1;
  }
  ak::print("victim#{}: done: every word as expected, every writeback accounted for\n", g_kernel);
  return 0;
}
