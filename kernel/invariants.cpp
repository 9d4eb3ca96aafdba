// The object caches' invariants, checked by walking everything (tests and the
// CK_QUERY_DIGEST call), and a digest of their contents. The checker reads every part's
// state (it is a friend of each); it changes nothing.
#include "object_caches.h"

namespace ck {

namespace {

// Reports the first violation; later ones add nothing.
class Checker {
 public:
  explicit Checker(Sink* out) : out_(out) {}
  template <typename... Args>
  void require(bool ok, StrView what, const Args&... args) {
    if (ok || !ok_) return;
    ok_ = false;
    if (out_ != nullptr) format(*out_, what, args...);
  }
  bool ok() const { return ok_; }

 private:
  Sink* out_;
  bool ok_ = true;
};

// FNV-1a over 32-bit words.
class Digest {
 public:
  void add(u32 word) {
    for (u32 i = 0; i < 4; ++i) hash_ = (hash_ ^ ((word >> (8 * i)) & 0xff)) * 16777619u;
  }
  u32 value() const { return hash_; }

 private:
  u32 hash_ = 2166136261u;
};

}  // namespace

class Invariants {
 public:
  static bool check(const ObjectCaches& c, Sink* report);
  static u32 digest(const ObjectCaches& c);

 private:
  // The counts the parts keep, recounted from what is loaded.
  struct Counts {
    u32 spaces_of[kKernelCapacity] = {};
    u16 locked[kKernelCapacity][kObjectTypes] = {};
    u32 mappings_of[kSpaceCapacity] = {};
    u32 signals_of_space[kSpaceCapacity] = {};
    u32 signals_of_thread[kThreadCapacity] = {};
    u32 signal_threads_of[kSpaceCapacity] = {};
    u32 threads_of[kSpaceCapacity] = {};
    u32 threads_of_kernel[kKernelCapacity] = {};
  };
  static void kernels(const ObjectCaches& c, Checker& k, Counts& n);
  static void spaces(const ObjectCaches& c, Checker& k, Counts& n);
  static void mappings(const ObjectCaches& c, Checker& k, Counts& n);
  static void threads(const ObjectCaches& c, Checker& k, Counts& n);
  static void totals(const ObjectCaches& c, Checker& k, const Counts& n);
};

void Invariants::kernels(const ObjectCaches& c, Checker& k, Counts& n) {
  const ObjectTables& t = c.tables_;
  for (u32 i = 0; i < kKernelCapacity; ++i) {
    if (!t.kernels_.loaded(i)) continue;
    const KernelObject& ko = t.kernels_[i];
    k.require(
        ko.home == kNoSlot || (t.spaces_.loaded(ko.home) && t.spaces_[ko.home].kernel == i && t.spaces_[ko.home].home),
        "kernel {}: home space {} is not its loaded home\n", i, ko.home);
    k.require(t.home_roots_[i] == (ko.home == kNoSlot ? PhysAddr(0) : t.spaces_[ko.home].tables.tables),
              "kernel {}: its home root is not its home space's\n", i);
    k.require(t.home_spaces_[i] == (ko.home == kNoSlot ? nullptr : &t.spaces_[ko.home].tables),
              "kernel {}: its home space link is not its home space\n", i);
    const Writeback::Ring& ring = c.writeback_.rings_[i];
    k.require(ring.slots >= 128 && ring.head >= 1 && ring.head < ring.slots, "kernel {}: ring head {} of {} slots\n", i,
              ring.head, ring.slots);
    if (t.kernels_.locked(i) && t.srm_ != kNoSlot) n.locked[t.srm_][CK_OBJECT_KERNEL] += 1;
  }
}

void Invariants::spaces(const ObjectCaches& c, Checker& k, Counts& n) {
  const ObjectTables& t = c.tables_;
  for (u32 s = 0; s < kSpaceCapacity; ++s) {
    if (!t.spaces_.loaded(s)) continue;
    const SpaceObject& so = t.spaces_[s];
    k.require(so.kernel < kKernelCapacity && t.kernels_.loaded(so.kernel), "space {}: owner {} not loaded\n", s,
              so.kernel);
    if (!k.ok()) return;
    n.spaces_of[so.kernel] += 1;
    if (t.spaces_.locked(s)) n.locked[so.kernel][CK_OBJECT_SPACE] += 1;
    k.require(!so.home || t.kernels_[so.kernel].home == s, "space {}: a home its kernel does not name\n", s);
    k.require(so.tables.calls == so.home, "space {}: trap #0 is a call there only if it is a home\n", s);
    u32 mapped = 0;
    VirtAddr va;
    for (u32 from = 0; arch::next_mapping(so.tables.tables, VirtAddr(from), &va);
         from = va.value() + arch::kPageBytes) {
      mapped += 1;
      if (va.value() + arch::kPageBytes == 0) break;
    }
    k.require(mapped == c.map_.spaces_[s].mappings, "space {}: {} pages mapped, {} mappings counted\n", s, mapped,
              c.map_.spaces_[s].mappings);
  }
}

void Invariants::mappings(const ObjectCaches& c, Checker& k, Counts& n) {
  const ObjectTables& t = c.tables_;
  const MemoryMap& map = c.map_;
  const PhysMap& pm = map.physmap_;
  const char* fault = pm.fault();
  k.require(fault == nullptr, "physical memory map: {}\n", fault == nullptr ? "" : fault);
  if (!k.ok()) return;
  u32 signal_records = 0;
  for (u32 i = 0; i < pm.capacity(); ++i) {
    if (!pm.in_use(i)) continue;
    const DependencyRecord& r = pm.record(i);
    if (r.context >= kSpaceCapacity) {
      // A signal record: its mapping record names it, its thread is loaded.
      const u32 m = MemoryMap::mapping_of_key(r.key);
      k.require(MemoryMap::is_signal_context(r.context) && m < pm.capacity() && pm.in_use(m) &&
                    pm.record(m).context < kSpaceCapacity && (pm.record(m).dependent & mapping_flag::kSignal) != 0 &&
                    map.signal_record_of(m) == i,
                "signal record {}: its mapping record {} does not name it\n", i, m);
      if (!k.ok()) return;
      k.require(r.dependent < kThreadCapacity && t.threads_.loaded(r.dependent) &&
                    t.threads_[r.dependent].kernel() == t.spaces_[pm.record(m).context].kernel,
                "signal record {}: thread {} not loaded or not the space owner's\n", i, r.dependent);
      if (!k.ok()) return;
      signal_records += 1;
      n.signals_of_thread[r.dependent] += 1;
      n.signals_of_space[pm.record(m).context] += 1;
      continue;
    }
    k.require(t.spaces_.loaded(r.context), "mapping record {}: space {} not loaded\n", i, r.context);
    if (!k.ok()) return;
    n.mappings_of[r.context] += 1;
    if ((r.dependent & mapping_flag::kLocked) != 0) n.locked[t.spaces_[r.context].kernel][CK_OBJECT_MAPPING] += 1;
    arch::PageState st;
    const VirtAddr va(r.dependent & ~mapping_flag::kMask);
    k.require(r.key == MemoryMap::page_key(PhysAddr(r.key & ~MemoryMap::kClassMask), MemoryMap::class_of(r.dependent)),
              "mapping record {}: key {:#x} is not of its class\n", i, r.key);
    k.require(arch::lookup_page(t.spaces_[r.context].tables.tables, va, &st) &&
                  st.page == PhysAddr(r.key & ~MemoryMap::kClassMask),
              "mapping record {}: {:#x} -> {:#x} is not in the page tables\n", i, va, r.key);
    k.require(st.tag == i, "mapping record {}: its translation names record {}\n", i, st.tag);
  }
  k.require(signal_records == map.signal_records_, "{} signal records, {} counted\n", signal_records,
            map.signal_records_);
}

void Invariants::threads(const ObjectCaches& c, Checker& k, Counts& n) {
  const ObjectTables& tab = c.tables_;
  const Scheduler& sched = c.scheduler_;
  for (u32 i = 0; i < kThreadCapacity; ++i) {
    // Switches' time waits to be settled only on a loaded thread, and only marked so.
    const bool marked = (sched.unsettled_[i >> 5] >> (i & 31) & 1) != 0;
    k.require(!marked || tab.threads_.loaded(i), "thread slot {}: unsettled time but not loaded\n", i);
    k.require(marked || (sched.threads_[i].unsettled_ns == 0 && sched.threads_[i].unsettled_dispatches == 0),
              "thread slot {}: unsettled time not marked\n", i);
    if (!tab.threads_.loaded(i)) continue;
    const ThreadObject& th = tab.threads_[i];
    k.require(th.slot() == i && th.id == tab.threads_.id_of(i).raw(), "thread {}: slot or id wrong\n", i);
    k.require(th.home_space() < kSpaceCapacity && tab.spaces_.loaded(th.home_space()), "thread {}: space not loaded\n",
              i);
    if (!k.ok()) return;
    k.require(th.kernel() == tab.spaces_[th.home_space()].kernel, "thread {}: kernel is not its space's\n", i);
    const ThreadState& st = th.state();
    // Its context and space follow from its state (thread_state.h).
    const u32 home = tab.kernels_[th.kernel()].home;
    const arch::UserContext* own_context = st.in_signal() ? &th.signal_ : &th.own;
    k.require(st.in_exception() ? (home != kNoSlot && th.space == &tab.spaces_[home].tables &&
                                   th.context == &th.handler_ && th.interrupted_ == own_context)
                                : (th.space == &tab.spaces_[th.home_space()].tables && th.context == own_context),
              "thread {}: runs in the wrong space or context for its state\n", i);
    // Its card says what its objects do, and only its own context carries it.
    const arch::ExceptionCard& card = th.card_;
    const arch::ExceptionCard want = tab.card_of(th);
    k.require(card.handler == want.handler && card.frame == want.frame && card.thread == want.thread &&
                  card.thread_cookie == want.thread_cookie && card.space == want.space &&
                  card.space_cookie == want.space_cookie && card.home_root == want.home_root &&
                  card.owner == want.owner && card.home_space == want.home_space && card.own_space == want.own_space &&
                  card.keep_fpu == want.keep_fpu,
              "thread {}: its card is not what its objects say\n", i);
    k.require(arch::attached_card(th.own) == &card && arch::attached_card(th.signal_) == nullptr &&
                  arch::attached_card(th.handler_) == nullptr,
              "thread {}: a card on the wrong context\n", i);
    // The run queue holds exactly the Ready threads, each at its level.
    k.require(sched.run_queue_.contains(th) == st.ready(), "thread {}: queued {} but activity {}\n", i,
              sched.run_queue_.contains(th), static_cast<u32>(st.activity()));
    k.require(th.level == sched.run_level(th), "thread {}: run level {} for priority {}\n", i, th.level,
              sched.threads_[i].priority);
    k.require(sched.threads_[i].wake_at == 0 || st.blocked(), "thread {}: a timeout but not blocked\n", i);
    k.require(sched.threads_[i].priority <= sched.kernels_[th.kernel()].max_priority,
              "thread {}: priority above its kernel's maximum\n", i);
    k.require(c.messaging_.threads_[i].count <= CK_SIGNAL_QUEUE, "thread {}: {} signals queued\n", i,
              c.messaging_.threads_[i].count);
    k.require(n.signals_of_thread[i] == c.map_.thread_signal_mappings_[i],
              "thread {}: {} signal mappings, {} counted\n", i, n.signals_of_thread[i],
              c.map_.thread_signal_mappings_[i]);
    // Its list of signal records (bounded: a cycle is a broken list, not a hang).
    u32 listed = 0;
    for (u32 r = c.map_.signal_head_[i]; r != MemoryMap::kNone && listed <= kMappingCapacity; ++listed)
      r = MemoryMap::next_signal(c.map_.physmap_.record(r));
    k.require(listed == c.map_.thread_signal_mappings_[i], "thread {}: {} signal records on its list, {} counted\n", i,
              listed, c.map_.thread_signal_mappings_[i]);
    if (c.map_.thread_signal_mappings_[i] != 0) n.signal_threads_of[th.home_space()] += 1;
    n.threads_of[th.home_space()] += 1;
    n.threads_of_kernel[th.kernel()] += 1;
    if (tab.threads_.locked(i)) n.locked[th.kernel()][CK_OBJECT_THREAD] += 1;
  }
  // The timed blocks are a list of blocked threads, soonest first, that ends.
  u64 last = 0;
  u32 steps = 0;
  for (u32 s = sched.sleepers_; s != kNoSlot && k.ok(); s = sched.threads_[s].sleep_next) {
    k.require(s < kThreadCapacity && tab.threads_.loaded(s) && ++steps <= kThreadCapacity &&
                  sched.threads_[s].wake_at >= last && sched.threads_[s].wake_at != 0,
              "timed block {}: not a loaded thread in order\n", s);
    if (k.ok()) last = sched.threads_[s].wake_at;
  }
}

void Invariants::totals(const ObjectCaches& c, Checker& k, const Counts& n) {
  const ObjectTables& t = c.tables_;
  for (u32 s = 0; s < kSpaceCapacity; ++s) {
    if (!t.spaces_.loaded(s)) continue;
    const MemoryMap::SpaceCounts& m = c.map_.spaces_[s];
    k.require(n.mappings_of[s] == m.mappings, "space {}: {} mapping records, {} counted\n", s, n.mappings_of[s],
              m.mappings);
    k.require(n.signals_of_space[s] == m.signal_mappings, "space {}: {} signal mappings, {} counted\n", s,
              n.signals_of_space[s], m.signal_mappings);
    k.require(n.signal_threads_of[s] == m.signal_threads, "space {}: {} signal threads, {} counted\n", s,
              n.signal_threads_of[s], m.signal_threads);
    k.require(n.threads_of[s] == t.spaces_[s].threads, "space {}: {} threads, {} counted\n", s, n.threads_of[s],
              t.spaces_[s].threads);
  }
  for (u32 i = 0; i < kKernelCapacity; ++i) {
    if (!t.kernels_.loaded(i)) continue;
    k.require(n.spaces_of[i] == t.kernels_[i].spaces, "kernel {}: {} spaces, {} counted\n", i, n.spaces_of[i],
              t.kernels_[i].spaces);
    k.require(n.threads_of_kernel[i] == t.kernels_[i].threads, "kernel {}: {} threads, {} counted\n", i,
              n.threads_of_kernel[i], t.kernels_[i].threads);
    for (u32 type = 0; type < kObjectTypes; ++type)
      k.require(n.locked[i][type] == c.resources_.locked_[i][type],
                "kernel {}: {} locked objects of type {}, {} counted\n", i, n.locked[i][type], type,
                c.resources_.locked_[i][type]);
  }
  k.require(c.scheduler_.run_queue_.size() <= t.threads_.loaded_count(), "run queue longer than the thread cache\n");
  k.require(c.scheduler_.run_queue_.front_ == c.scheduler_.run_queue_.find_front(),
            "run queue: the front kept is not the first of the highest level\n");
}

bool Invariants::check(const ObjectCaches& c, Sink* report) {
  Checker k(report);
  Counts n;
  kernels(c, k, n);
  if (k.ok()) spaces(c, k, n);
  if (k.ok()) mappings(c, k, n);
  if (k.ok()) threads(c, k, n);
  if (k.ok()) totals(c, k, n);
  return k.ok();
}

u32 Invariants::digest(const ObjectCaches& c) {
  const ObjectTables& t = c.tables_;
  Digest d;
  for (u32 k = 0; k < kKernelCapacity; ++k) {
    if (!t.kernels_.loaded(k)) continue;
    const KernelObject& ko = t.kernels_[k];
    d.add(t.kernels_.id_of(k).raw());
    d.add(t.kernels_.locked(k));
    d.add(ko.cookie);
    d.add(ko.handler.value());
    d.add(c.writeback_.ring(k).value());
    d.add(ko.home);
    d.add(c.scheduler_.kernels_[k].cpu_percent << 8 | c.scheduler_.kernels_[k].max_priority);
    for (u32 type = 0; type < kObjectTypes; ++type)
      d.add(u32{c.resources_.quota_[k][type]} << 16 | c.resources_.locked_[k][type]);
    d.add(static_cast<u32>(c.resources_.rights_[k].bytes_with(Rights::Read)));
    d.add(static_cast<u32>(c.resources_.rights_[k].bytes_with(Rights::ReadWrite)));
  }
  for (u32 s = 0; s < kSpaceCapacity; ++s) {
    if (!t.spaces_.loaded(s)) continue;
    d.add(t.spaces_.id_of(s).raw());
    d.add(t.spaces_.locked(s));
    d.add(t.spaces_[s].kernel);
    d.add(t.spaces_[s].cookie);
    d.add(c.map_.spaces_[s].mappings);
  }
  for (u32 i = 0; i < kThreadCapacity; ++i) {
    if (!t.threads_.loaded(i)) continue;
    d.add(t.threads_.id_of(i).raw());
    d.add(t.threads_.locked(i));
    d.add(t.threads_[i].cookie());
    d.add(c.scheduler_.threads_[i].priority);
    d.add(t.threads_[i].home_space());
  }
  const PhysMap& pm = c.map_.physmap_;
  for (u32 i = 0; i < pm.capacity(); ++i) {
    if (!pm.in_use(i)) continue;
    const DependencyRecord& r = pm.record(i);
    d.add(r.key);
    d.add(r.dependent);
    d.add(r.context);
  }
  return d.value();
}

bool ObjectCaches::consistent(Sink* report) const { return Invariants::check(*this, report); }
u32 ObjectCaches::digest() const { return Invariants::digest(*this); }

}  // namespace ck
