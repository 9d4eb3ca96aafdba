// Sustained random calls against the object caches (issues 14 and 15, paper §4.2, §4.3):
// three kernels at capacity 4 of each cache call every operation with identifiers that
// are valid, stale, of the wrong type, zero or forged; addresses aligned or not, inside
// and outside their page groups; every flag bit; threads faulting, blocking, signalling.
// Rings are drained at random moments, and each kernel stops reading its ring for long
// stretches (full rings: the CK_E_RETRY paths); the page-table pool runs dry now and then
// (CK_E_NO_TABLES). After every call:
//   - a refused call changed nothing (the digest and every ring header are as before);
//   - no ring was written past its reader's tail;
// and every 64 calls the invariant walk is clean. Deterministic per seed; a failure
// prints the seed and the calls that led to it. CK_FUZZ_SEED and CK_FUZZ_CALLS (in the
// environment) run other or longer campaigns (CK_FUZZ_STATUSES=1 prints how each
// operation answered). Mutations it catches: an unload that skips its ring check (a ring
// written past its tail), victims dropped before the page tables are known (a refused
// load that changed the caches).
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "caches_fixture.h"
#include "lib/rng.h"

namespace ck {
namespace {

constexpr u32 kDefaultCalls = 40000;
constexpr u32 kHistory = 24;
constexpr PhysAddr kRingC = kMemoryBase + 8 * KiB;
constexpr PhysAddr kPool(0x00180000);  // pages the kernels map: the group all hold
constexpr u32 kPoolPages = 64;

u64 env_or(const char* name, u64 fallback) {
  const char* v = std::getenv(name);
  return v != nullptr ? std::strtoull(v, nullptr, 0) : fallback;
}

class TextSink final : public Sink {
 public:
  void put(char c) override { text_.push_back(c); }
  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

class CallFuzzTest : public CachesTest {
 protected:
  // Mostly loaded objects' identifiers; also zero, forged, stale (issued before) and of
  // the wrong type.
  ObjectId any_id(ck_object_type want) {
    switch (rng_->below(12)) {
      case 0:
        return ObjectId();
      case 1:
        return ObjectId(rng_->next());
      case 2:  // the wrong type
        return loaded_id(static_cast<ck_object_type>((want + 1 + rng_->below(2)) % 3));
      case 3:
      case 4:
        return pick(issued_[want]);
      default:
        return loaded_id(want);
    }
  }
  ObjectId loaded_id(ck_object_type type) {
    std::vector<ObjectId> ids;
    for (u32 i = 0; i < kThreadCapacity; ++i) {
      if (type == CK_OBJECT_KERNEL && i < kKernelCapacity && caches_.kernels().loaded(i))
        ids.push_back(caches_.kernels().id_of(i));
      if (type == CK_OBJECT_SPACE && i < kSpaceCapacity && caches_.spaces().loaded(i))
        ids.push_back(caches_.spaces().id_of(i));
      if (type == CK_OBJECT_THREAD && caches_.threads().loaded(i)) ids.push_back(caches_.threads().id_of(i));
    }
    return pick(ids);
  }
  ObjectId pick(const std::vector<ObjectId>& from) {
    return from.empty() ? ObjectId(rng_->next()) : from[rng_->below(static_cast<u32>(from.size()))];
  }
  void issued(ck_object_type type, ck_status s, ObjectId id) {
    if (s == CK_OK && issued_[type].size() < 256) issued_[type].push_back(id);
  }
  // A loaded kernel's slot (the caller of a call is always some loaded kernel's thread),
  // the first kernel half the time.
  u32 any_caller() {
    if (rng_->one_in(2)) return srm_;
    std::vector<u32> loaded;
    for (u32 k = 0; k < kKernelCapacity; ++k)
      if (caches_.kernels().loaded(k)) loaded.push_back(k);
    return loaded[rng_->below(static_cast<u32>(loaded.size()))];
  }
  // A loaded thread that could be running now (ready), or null.
  ThreadObject* any_ready_thread() {
    std::vector<u32> ready;
    for (u32 t = 0; t < kThreadCapacity; ++t)
      if (caches_.threads().loaded(t) && caches_.tables().thread(t).state().ready()) ready.push_back(t);
    if (ready.empty()) return nullptr;
    return &caches_.thread(ready[rng_->below(static_cast<u32>(ready.size()))]);
  }
  PhysAddr any_page() {
    switch (rng_->below(8)) {
      case 0:
        return PhysAddr(rng_->next());  // anywhere, maybe unaligned
      case 1:
        return PhysAddr(rng_->next() & ~0xfffu);
      default:
        return kPool + rng_->below(kPoolPages) * 4096;
    }
  }
  VirtAddr any_va() {
    switch (rng_->below(8)) {
      case 0:
        return VirtAddr(rng_->next());
      case 1:
        return VirtAddr(rng_->next() & ~0xfffu);
      default:
        return VirtAddr(0x10000000 + rng_->below(16) * 4096);
    }
  }
  u32 any_flags(u32 usual) { return rng_->one_in(6) ? rng_->next() : (rng_->next() & usual); }

  struct RingState {
    u32 head, tail, used;
  };
  RingState ring_state(u32 k) {
    const auto* h = static_cast<const ck_ring_header*>(arch::physical_memory(caches_.ring(k)));
    const u32 usable = h->slots - 1;
    return RingState{h->head, h->tail, (h->head + usable - h->tail) % usable};
  }
  // Reads a ring as its kernel would, checking every record's form.
  void drain(u32 k) {
    auto* h = static_cast<ck_ring_header*>(arch::physical_memory(caches_.ring(k)));
    const auto* base = static_cast<const u8*>(arch::physical_memory(caches_.ring(k)));
    u32 guard = 0;
    while (h->tail != h->head && ++guard < 4096) {
      ck_writeback r;
      std::memcpy(&r, base + h->tail * CK_RING_SLOT_BYTES, sizeof r);
      const u32 want = r.kind == CK_WB_THREAD ? CK_WB_THREAD_SLOTS : r.kind == CK_WB_PAD ? h->slots - h->tail : 1;
      ASSERT_LE(r.kind, static_cast<u8>(CK_WB_FAULT)) << trail();
      ASSERT_EQ(r.slots, want) << "kernel " << k << ": a record of kind " << int{r.kind} << " malformed\n" << trail();
      u32 next = h->tail + r.slots;
      if (next == h->slots) next = 1;
      h->tail = next;
    }
  }
  std::string trail() const {
    std::ostringstream out;
    out << "seed " << seed_ << ", call " << count_ << "; the calls before:\n";
    for (const std::string& c : history_) out << "  " << c << "\n";
    return out.str();
  }
  void note(const std::string& call) {
    history_.push_back(call);
    if (history_.size() > kHistory) history_.pop_front();
  }

  // One random call; its status, and whether a non-OK status is a refusal (changes
  // nothing) or a report of work done.
  ck_status one_call(bool* refusal);
  void run_campaign(u64 seed, u32 calls);

  Rng* rng_ = nullptr;
  u64 seed_ = 0;
  u32 count_ = 0;
  std::vector<ObjectId> issued_[3];
  std::deque<std::string> history_;
  std::map<std::string, u32> accepted_, refused_, statuses_;
};

ck_status CallFuzzTest::one_call(bool* refusal) {
  *refusal = true;
  const u32 caller = any_caller();
  ThreadObject* self = any_ready_thread();
  caches_.set_current(self);
  ObjectId id;
  ck_status s = CK_OK;
  std::ostringstream c;
  c << "caller " << caller << ": ";
  switch (rng_->below(22)) {
    case 0: {
      const PhysAddr ring = rng_->one_in(4) ? any_page() : (rng_->one_in(2) ? kRingC : kRingB);
      ck_kernel_desc d{.handler = 0x3000,
                       .writeback_ring = ring.value(),
                       .ring_bytes = rng_->one_in(5) ? rng_->next() : 4096,
                       .cookie = rng_->next(),
                       .flags = any_flags(CK_LOCK | CK_KERNEL_KEEP_RING)};
      c << "load_kernel ring " << ring.value() << " bytes " << d.ring_bytes << " flags " << d.flags;
      s = caches_.load_kernel(caller, d, &id);
      *refusal = s != CK_E_PARTIAL;  // part of a large victim reclaimed, the load not done
      issued(CK_OBJECT_KERNEL, s, id);
      if (s == CK_OK) {
        caches_.set_memory_access(srm_, id, PhysAddr(0x00180000), 512 * KiB, CK_RIGHTS_READ_WRITE);
        caches_.set_cpu(srm_, id, 1 + rng_->below(100), rng_->below(CK_PRIORITY_COUNT));
        caches_.set_lock_quota(srm_, id, rng_->below(4), rng_->below(4));
      }
      break;
    }
    case 1:
      id = any_id(CK_OBJECT_KERNEL);
      c << "unload_kernel " << id.raw();
      s = caches_.unload_kernel(caller, id);
      *refusal = s != CK_E_PARTIAL;
      break;
    case 2:
    case 3: {
      const ObjectId owner = rng_->one_in(2) ? ObjectId() : any_id(CK_OBJECT_KERNEL);
      const u32 flags = any_flags(CK_LOCK | CK_SPACE_HOME);
      c << "load_space owner " << owner.raw() << " flags " << flags;
      s = caches_.load_space(caller, owner, rng_->next(), flags, &id);
      *refusal = s != CK_E_PARTIAL;  // part of a large victim reclaimed, the load not done
      issued(CK_OBJECT_SPACE, s, id);
      break;
    }
    case 4:
      id = any_id(CK_OBJECT_SPACE);
      c << "unload_space " << id.raw();
      s = caches_.unload_space(caller, id);
      *refusal = s != CK_E_PARTIAL;
      break;
    case 5:
    case 6: {
      ck_thread_state st{};
      st.regs.pc = rng_->next();
      st.regs.a[7] = rng_->next();
      st.regs.sr = static_cast<u16>(rng_->next());
      st.exception_stack = rng_->one_in(2) ? kStackVa.value() + 4096 : rng_->next();
      st.signal_function = rng_->one_in(2) ? 0x5000 : 0;
      const ObjectId space = any_id(CK_OBJECT_SPACE);
      const u32 flags = any_flags(CK_LOCK | 0x1fu << CK_PRIORITY_SHIFT);
      c << "load_thread space " << space.raw() << " flags " << flags;
      s = caches_.load_thread(caller, space, rng_->next(), flags, st, &id);
      issued(CK_OBJECT_THREAD, s, id);
      break;
    }
    case 7:
      id = any_id(CK_OBJECT_THREAD);
      c << "unload_thread " << id.raw();
      s = caches_.unload_thread(caller, id);
      break;
    case 8:
    case 9:
    case 10: {
      const ObjectId space = any_id(CK_OBJECT_SPACE);
      const VirtAddr va = any_va();
      const u32 flags = any_flags(CK_MAP_WRITE | CK_MAP_LOCK | CK_MAP_NOCACHE | CK_MAP_MESSAGE | CK_MAP_MODIFIED);
      // Message pages are few and shared: senders and receivers meet on them.
      const PhysAddr pa =
          (flags & CK_MAP_MESSAGE) != 0 && !rng_->one_in(4) ? kPool + rng_->below(2) * 4096 : any_page();
      const ObjectId signal = (flags & CK_MAP_MESSAGE) != 0 && !rng_->one_in(3) ? any_id(CK_OBJECT_THREAD) : ObjectId();
      c << "load_mapping space " << space.raw() << " va " << va.value() << " pa " << pa.value() << " flags " << flags
        << " signal " << signal.raw();
      s = caches_.load_mapping(caller, space, va, pa, flags, signal);
      break;
    }
    case 11: {
      id = any_id(CK_OBJECT_SPACE);
      VirtAddr va = any_va();
      // Mostly a mapping that is loaded.
      std::vector<u32> records;
      for (u32 r = 0; r < caches_.memory_map().capacity(); ++r)
        if (caches_.memory_map().is_mapping(r)) records.push_back(r);
      if (!records.empty() && !rng_->one_in(3)) {
        const Mapping m = caches_.memory_map().mapping(records[rng_->below(static_cast<u32>(records.size()))]);
        id = caches_.spaces().id_of(m.space);
        va = m.va;
      }
      c << "unload_mapping " << id.raw() << " va " << va.value();
      s = caches_.unload_mapping(caller, id, va);
      break;
    }
    case 12: {
      const PhysAddr pa = any_page();
      c << "unload_page " << pa.value();
      s = caches_.unload_page(caller, pa);
      *refusal = s != CK_E_PARTIAL;
      break;
    }
    case 13: {
      id = any_id(CK_OBJECT_KERNEL);
      const PhysAddr base(rng_->one_in(2) ? 0x00180000 : rng_->next() & ~0x7ffffu);
      const u32 bytes = rng_->one_in(4) ? rng_->next() : 512 * KiB;
      const u32 rights = rng_->below(5);
      c << "set_memory_access " << id.raw() << " " << base.value() << " " << bytes << " " << rights;
      s = caches_.set_memory_access(caller, id, base, bytes, rights);
      break;
    }
    case 14:
      id = any_id(CK_OBJECT_KERNEL);
      c << "set_cpu/quota " << id.raw();
      s = rng_->one_in(2) ? caches_.set_cpu(caller, id, rng_->below(120), rng_->below(40))
                          : caches_.set_lock_quota(caller, id, rng_->below(6), rng_->below(5));
      break;
    case 15:
      id = any_id(CK_OBJECT_THREAD);
      c << "set_priority " << id.raw();
      s = caches_.set_priority(caller, id, rng_->below(40));
      break;
    case 16: {
      if (self == nullptr) return CK_OK;
      id = rng_->one_in(2) ? ObjectId() : any_id(CK_OBJECT_THREAD);
      u32 value = 0;
      c << "block " << id.raw() << " by thread " << self->slot();
      s = caches_.block_thread(self->kernel(), id, rng_->one_in(2) ? rng_->below(1000000) : 0, *self, &value);
      break;
    }
    case 17:
      id = any_id(CK_OBJECT_THREAD);
      c << "wake " << id.raw();
      s = caches_.wake_thread(caller, id);
      break;
    case 18: {
      if (self == nullptr) return CK_OK;
      u32 delivered = 0;
      VirtAddr va = any_va();
      // Mostly an address in one of the sender's own message pages.
      const u32 space =
          self->state().in_exception() ? caches_.tables().kernel(self->kernel()).home : self->home_space();
      std::vector<VirtAddr> message_pages;
      for (u32 r = 0; r < caches_.memory_map().capacity(); ++r) {
        if (!caches_.memory_map().is_mapping(r)) continue;
        const Mapping m = caches_.memory_map().mapping(r);
        if (m.space == space && m.has(mapping_flag::kMessage)) message_pages.push_back(m.va);
      }
      if (!message_pages.empty() && !rng_->one_in(4))
        va = message_pages[rng_->below(static_cast<u32>(message_pages.size()))] + rng_->below(4096);
      c << "signal " << va.value() << " by thread " << self->slot();
      s = caches_.signal(*self, va, &delivered);
      break;
    }
    case 19: {
      if (self == nullptr) return CK_OK;
      u32 value = 0;
      c << "wait_signal/signal_return by thread " << self->slot();
      s = rng_->one_in(2) ? caches_.wait_signal(*self, &value) : caches_.signal_return(*self);
      break;
    }
    case 20: {
      if (self == nullptr) return CK_OK;
      c << "forward/resume by thread " << self->slot();
      if (rng_->one_in(2)) {
        *refusal = false;  // not a call: the thread enters its handler, or is unloaded as faulted
        caches_.forward(*self, ExceptionReport{.kind = rng_->below(20),
                                               .vector = rng_->below(256),
                                               .address = VirtAddr(rng_->next()),
                                               .access = rng_->next()});
        s = CK_OK;
      } else {
        s = caches_.resume(*self,
                           any_flags(CK_RESUME_REGISTERS | CK_RESUME_UNHANDLED | CK_RESUME_RESULT | CK_RESUME_YIELD),
                           any_va(), rng_->next());
      }
      break;
    }
    default: {
      *refusal = false;
      const u64 now = arch::clock_ns() + rng_->below(2000000);
      fake_machine::set_time(now, 0);
      c << "tick";
      caches_.tick(now / 1000000, now);
      s = CK_OK;
      break;
    }
  }
  c << " -> " << s;
  note(c.str());
  const std::string text = c.str();
  const std::string op = text.substr(text.find(": ") + 2, text.find(' ', text.find(": ") + 2) - text.find(": ") - 2);
  (s == CK_OK ? accepted_ : refused_)[op] += 1;
  statuses_[op + " " + std::to_string(s)] += 1;
  return s;
}

void CallFuzzTest::run_campaign(u64 seed, u32 calls) {
  Rng rng(seed);
  rng_ = &rng;
  seed_ = seed;
  // Kernels B and C beside the first kernel; their rings and a page group each.
  ObjectId space;
  kernel_b(50, 20, &space);
  issued_[CK_OBJECT_KERNEL].push_back(b_);
  issued_[CK_OBJECT_SPACE] = {home_, space};
  ASSERT_EQ(caches_.set_memory_access(srm_, b_, PhysAddr(0x00180000), 512 * KiB, CK_RIGHTS_READ_WRITE), CK_OK);
  bool reading[kKernelCapacity];
  for (bool& r : reading) r = true;
  std::vector<PhysAddr> tables_taken;
  for (count_ = 0; count_ < calls; ++count_) {
    // The kernels read their rings at random moments; each stops reading for long
    // stretches now and then (its ring fills: the CK_E_RETRY paths).
    if (rng.one_in(150)) reading[rng.below(kKernelCapacity)] ^= true;
    const bool drain_now = rng.one_in(3);
    for (u32 k = 0; drain_now && k < kKernelCapacity; ++k)
      if (caches_.kernels().loaded(k) && reading[k]) drain(k);
    if (::testing::Test::HasFatalFailure()) return;
    // Now and then the page-table pool runs dry (the CK_E_NO_TABLES paths), and later
    // comes back.
    if (rng.one_in(256)) {
      if (tables_taken.empty()) {
        for (PhysAddr t = arch::create_page_tables(); t.value() != 0; t = arch::create_page_tables())
          tables_taken.push_back(t);
      } else {
        for (const PhysAddr t : tables_taken) arch::destroy_page_tables(t);
        tables_taken.clear();
      }
    }
    RingState before[kKernelCapacity];
    u32 kernel_ids[kKernelCapacity] = {};
    for (u32 k = 0; k < kKernelCapacity; ++k) {
      if (!caches_.kernels().loaded(k)) continue;
      before[k] = ring_state(k);
      kernel_ids[k] = caches_.kernels().id_of(k).raw();
    }
    // The same kernel, in slot k before and after the call (a victim's slot is reused).
    auto same = [&](u32 k) { return caches_.kernels().loaded(k) && caches_.kernels().id_of(k).raw() == kernel_ids[k]; };
    const u32 digest = caches_.digest();
    bool refusal = false;
    const ck_status s = one_call(&refusal);
    if (s != CK_OK && refusal) {
      ASSERT_EQ(caches_.digest(), digest) << "refused with " << s << " but changed the caches\n" << trail();
      for (u32 k = 0; k < kKernelCapacity; ++k) {
        if (same(k)) {
          ASSERT_EQ(ring_state(k).head, before[k].head) << "refused, yet wrote to kernel " << k << "\n" << trail();
        }
      }
    }
    for (u32 k = 0; k < kKernelCapacity; ++k) {
      if (same(k) && ring_state(k).head != before[k].head && ring_state(k).tail == before[k].tail) {
        ASSERT_GE(ring_state(k).used, before[k].used) << "kernel " << k << "'s ring written past its tail\n" << trail();
      }
    }
    if (std::getenv("CK_FUZZ_RINGS") != nullptr && count_ % 2000 == 0) {
      for (u32 k = 0; k < kKernelCapacity; ++k)
        if (caches_.kernels().loaded(k)) std::printf("k%u %s used %u; ", k, reading[k] ? "r" : "-", ring_state(k).used);
      std::printf("\n");
    }
    if (count_ % 64 == 0) {
      TextSink why;
      ASSERT_TRUE(caches_.consistent(&why)) << why.text() << trail();
    }
  }
  caches_.set_current(nullptr);
  for (const PhysAddr t : tables_taken) arch::destroy_page_tables(t);
  EXPECT_TRUE(caches_.consistent()) << trail();
  std::ostringstream summary;
  summary << "seed " << seed << ", " << calls << " calls (accepted/refused):";
  for (const auto& [op, n] : accepted_) summary << " " << op << " " << n << "/" << refused_[op];
  std::printf("%s\n", summary.str().c_str());
  if (std::getenv("CK_FUZZ_STATUSES") != nullptr)
    for (const auto& [key, n] : statuses_) std::printf("  %s: %u\n", key.c_str(), n);
}

TEST_F(CallFuzzTest, RandomCallsChangeNothingWhenRefusedAndKeepEveryInvariant) {
  const u64 seed = env_or("CK_FUZZ_SEED", 1);
  run_campaign(seed, static_cast<u32>(env_or("CK_FUZZ_CALLS", kDefaultCalls)));
}

TEST_F(CallFuzzTest, ASecondSeed) { run_campaign(env_or("CK_FUZZ_SEED", 1) + 1, kDefaultCalls / 2); }

}  // namespace
}  // namespace ck
