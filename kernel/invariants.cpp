// The object caches' invariants, checked by walking everything (tests and the
// CK_QUERY_DIGEST call), and a digest of their contents.
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

bool ObjectCaches::consistent(Sink* report) const {
  Checker c(report);
  u32 spaces_of[kKernelCapacity] = {};
  u16 locked[kKernelCapacity][kObjectTypes] = {};
  u32 mappings_of[kSpaceCapacity] = {};
  u32 signals_of_space[kSpaceCapacity] = {};
  u32 signals_of_thread[kThreadCapacity] = {};
  u32 signal_threads_of[kSpaceCapacity] = {};
  u32 threads_of[kSpaceCapacity] = {};
  for (u32 k = 0; k < kKernelCapacity; ++k) {
    if (!kernels_.loaded(k)) continue;
    const KernelObject& ko = kernels_[k];
    c.require(ko.home == kNoSlot || (spaces_.loaded(ko.home) && spaces_[ko.home].kernel == k && spaces_[ko.home].home),
              "kernel {}: home space {} is not its loaded home\n", k, ko.home);
    c.require(ko.ring_slots >= 128 && ko.ring_head >= 1 && ko.ring_head < ko.ring_slots,
              "kernel {}: ring head {} of {} slots\n", k, ko.ring_head, ko.ring_slots);
    if (kernels_.locked(k) && srm_ != kNoSlot) locked[srm_][CK_OBJECT_KERNEL] += 1;
  }
  for (u32 s = 0; s < kSpaceCapacity; ++s) {
    if (!spaces_.loaded(s)) continue;
    const SpaceObject& so = spaces_[s];
    c.require(so.kernel < kKernelCapacity && kernels_.loaded(so.kernel), "space {}: owner {} not loaded\n", s,
              so.kernel);
    if (!c.ok()) return false;
    spaces_of[so.kernel] += 1;
    if (spaces_.locked(s)) locked[so.kernel][CK_OBJECT_SPACE] += 1;
    c.require(!so.home || kernels_[so.kernel].home == s, "space {}: a home its kernel does not name\n", s);
    u32 mapped = 0;
    VirtAddr va;
    for (u32 from = 0; arch::next_mapping(so.tables.tables, VirtAddr(from), &va);
         from = va.value() + arch::kPageBytes) {
      mapped += 1;
      if (va.value() + arch::kPageBytes == 0) break;
    }
    c.require(mapped == so.mappings, "space {}: {} pages mapped, {} mappings counted\n", s, mapped, so.mappings);
  }
  for (u32 i = 0; i < kMappingCapacity; ++i) {
    if (!physmap_.in_use(i)) continue;
    const DependencyRecord& r = physmap_.record(i);
    if (r.context >= kSpaceCapacity) {
      // A signal record: its mapping record names it, its thread is loaded.
      const u32 m = r.key >> 12;
      c.require(m < kMappingCapacity && physmap_.in_use(m) && physmap_.record(m).context < kSpaceCapacity &&
                    (physmap_.record(m).dependent & mapping_record::kSignal) != 0 && signal_record_of(m) == i,
                "signal record {}: its mapping record {} does not name it\n", i, m);
      c.require(r.dependent < kThreadCapacity && threads_.loaded(r.dependent) &&
                    threads_[r.dependent].kernel == spaces_[physmap_.record(m).context].kernel,
                "signal record {}: thread {} not loaded or not the space owner's\n", i, r.dependent);
      if (!c.ok()) return false;
      signals_of_thread[r.dependent] += 1;
      signals_of_space[physmap_.record(m).context] += 1;
      continue;
    }
    c.require(spaces_.loaded(r.context), "mapping record {}: space {} not loaded\n", i, r.context);
    if (!c.ok()) return false;
    mappings_of[r.context] += 1;
    if ((r.dependent & mapping_record::kLocked) != 0) locked[spaces_[r.context].kernel][CK_OBJECT_MAPPING] += 1;
    arch::PageState st;
    const VirtAddr va(r.dependent & ~mapping_record::kFlagMask);
    c.require(arch::lookup_page(spaces_[r.context].tables.tables, va, &st) && st.page == PhysAddr(r.key),
              "mapping record {}: {:#x} -> {:#x} is not in the page tables\n", i, va, r.key);
  }
  for (u32 t = 0; t < kThreadCapacity; ++t) {
    if (!threads_.loaded(t)) continue;
    const ThreadObject& th = threads_[t];
    c.require(th.slot == t && th.id == threads_.id_of(t).raw(), "thread {}: slot or id wrong\n", t);
    c.require(th.home_space < kSpaceCapacity && spaces_.loaded(th.home_space), "thread {}: space not loaded\n", t);
    if (!c.ok()) return false;
    c.require(th.kernel == spaces_[th.home_space].kernel, "thread {}: kernel is not its space's\n", t);
    const u32 home = kernels_[th.kernel].home;
    const arch::UserContext* own_context = th.in_signal ? &th.signal : &th.own;
    c.require(th.in_exception ? (home != kNoSlot && th.space == &spaces_[home].tables && th.context == &th.handler &&
                                 th.interrupted == own_context)
                              : (th.space == &spaces_[th.home_space].tables && th.context == own_context),
              "thread {}: runs in the wrong space or context\n", t);
    c.require(!th.waiting_signal || th.blocked, "thread {}: waits for a signal but is not blocked\n", t);
    c.require(th.signal_count <= CK_SIGNAL_QUEUE, "thread {}: {} signals queued\n", t, th.signal_count);
    c.require(signals_of_thread[t] == th.signal_mappings, "thread {}: {} signal mappings, {} counted\n", t,
              signals_of_thread[t], th.signal_mappings);
    if (th.signal_mappings != 0) signal_threads_of[th.home_space] += 1;
    c.require(th.priority <= kernels_[th.kernel].max_priority, "thread {}: priority above its kernel's maximum\n", t);
    c.require(run_queue_.contains(th) != (th.halted || th.blocked), "thread {}: queued, but halted or blocked\n", t);
    c.require(th.level == run_level(th), "thread {}: run level {} for priority {}\n", t, th.level, th.priority);
    c.require(th.wake_at == 0 || th.blocked, "thread {}: a timeout but not blocked\n", t);
    threads_of[th.home_space] += 1;
    if (threads_.locked(t)) locked[th.kernel][CK_OBJECT_THREAD] += 1;
  }
  for (u32 s = 0; s < kSpaceCapacity; ++s) {
    if (!spaces_.loaded(s)) continue;
    c.require(mappings_of[s] == spaces_[s].mappings, "space {}: {} mapping records, {} counted\n", s, mappings_of[s],
              spaces_[s].mappings);
    c.require(signals_of_space[s] == spaces_[s].signal_mappings, "space {}: {} signal mappings, {} counted\n", s,
              signals_of_space[s], spaces_[s].signal_mappings);
    c.require(signal_threads_of[s] == spaces_[s].signal_threads, "space {}: {} signal threads, {} counted\n", s,
              signal_threads_of[s], spaces_[s].signal_threads);
    c.require(threads_of[s] == spaces_[s].threads, "space {}: {} threads, {} counted\n", s, threads_of[s],
              spaces_[s].threads);
  }
  for (u32 k = 0; k < kKernelCapacity; ++k) {
    if (!kernels_.loaded(k)) continue;
    c.require(spaces_of[k] == kernels_[k].spaces, "kernel {}: {} spaces, {} counted\n", k, spaces_of[k],
              kernels_[k].spaces);
    for (u32 type = 0; type < kObjectTypes; ++type)
      c.require(locked[k][type] == kernels_[k].locked[type], "kernel {}: {} locked objects of type {}, {} counted\n", k,
                locked[k][type], type, kernels_[k].locked[type]);
  }
  c.require(run_queue_.size() <= threads_.loaded_count(), "run queue longer than the thread cache\n");
  return c.ok();
}

u32 ObjectCaches::digest() const {
  Digest d;
  for (u32 k = 0; k < kKernelCapacity; ++k) {
    if (!kernels_.loaded(k)) continue;
    const KernelObject& ko = kernels_[k];
    d.add(kernels_.id_of(k).raw());
    d.add(kernels_.locked(k));
    d.add(ko.cookie);
    d.add(ko.handler.value());
    d.add(ko.ring.value());
    d.add(ko.home);
    d.add(ko.cpu_percent << 8 | ko.max_priority);
    for (u32 type = 0; type < kObjectTypes; ++type) d.add(u32{ko.lock_quota[type]} << 16 | ko.locked[type]);
    d.add(static_cast<u32>(ko.rights.bytes_with(Rights::Read)));
    d.add(static_cast<u32>(ko.rights.bytes_with(Rights::ReadWrite)));
  }
  for (u32 s = 0; s < kSpaceCapacity; ++s) {
    if (!spaces_.loaded(s)) continue;
    d.add(spaces_.id_of(s).raw());
    d.add(spaces_.locked(s));
    d.add(spaces_[s].kernel);
    d.add(spaces_[s].cookie);
    d.add(spaces_[s].mappings);
  }
  for (u32 t = 0; t < kThreadCapacity; ++t) {
    if (!threads_.loaded(t)) continue;
    d.add(threads_.id_of(t).raw());
    d.add(threads_.locked(t));
    d.add(threads_[t].cookie);
    d.add(threads_[t].priority);
    d.add(threads_[t].home_space);
  }
  for (u32 i = 0; i < kMappingCapacity; ++i) {
    if (!physmap_.in_use(i)) continue;
    const DependencyRecord& r = physmap_.record(i);
    d.add(r.key);
    d.add(r.dependent);
    d.add(r.context);
  }
  return d.value();
}

}  // namespace ck
