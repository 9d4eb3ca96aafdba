// The call interface of the Cache Kernel (calls.cpp) on the simulated machine:
// the fast path of trap #0 (arch::CallHook) does a call in place, sends what needs the
// caller's whole context to the full entry, and reports a resume as a switch.
#include <gtest/gtest.h>

#include <cstring>

#include "calls.h"
#include "fake_machine.h"
#include "ring_reader.h"
#include "user_memory.h"

namespace ck {
namespace {

using fake_machine::kMemoryBase;

constexpr PhysAddr kRing = kMemoryBase;
constexpr PhysAddr kStackPage = kMemoryBase + 64 * KiB;
constexpr VirtAddr kStackVa(0x00700000);

class CacheKernelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fake_machine::reset();
    caches_.init();
    srm_ = caches_.create_first_kernel(FirstKernelSetup{
        .memory = PhysRange{kMemoryBase, 4 * MiB}, .ring = kRing, .ring_bytes = 4096, .handler = VirtAddr(0x1000)});
    ASSERT_EQ(caches_.load_space(srm_, ObjectId(), 1, CK_SPACE_HOME, &home_), CK_OK);
    ASSERT_EQ(caches_.load_mapping(srm_, home_, kStackVa, kStackPage, CK_MAP_WRITE), CK_OK);
    thread_ = load_thread(home_);
  }

  void TearDown() override {
    fake_machine::g_running_thread = nullptr;
    EXPECT_TRUE(caches_.consistent());
  }

  ObjectId load_thread(ObjectId space, u32 priority = 0, u32 exception_stack = kStackVa.value() + 4096) {
    ck_thread_state s{};
    s.regs.pc = 0x2000;
    s.exception_stack = exception_stack;
    ObjectId id;
    EXPECT_EQ(caches_.load_thread(srm_, space, 7, priority << CK_PRIORITY_SHIFT, s, &id), CK_OK);
    return id;
  }

  // A thread of another space (not a home) above the first kernel's thread: the one the
  // run loop runs, as it would be when it traps.
  ThreadObject& running_elsewhere(u32 exception_stack = kStackVa.value() + 4096) {
    ObjectId other;
    EXPECT_EQ(caches_.load_space(srm_, ObjectId(), 2, 0, &other), CK_OK);
    ThreadObject& t = object(load_thread(other, 3, exception_stack));
    EXPECT_EQ(caches_.run_queue().front(), &t);
    fake_machine::g_running_thread = &t;
    return t;
  }

  static constexpr UserEntry kTrap1{.kind = EntryKind::Trap, .trap = 1, .fault = {}};

  ThreadObject& object(ObjectId id) {
    u32 slot = 0;
    EXPECT_EQ(caches_.threads().find(id, &slot), LookupError::None);
    return caches_.thread(slot);
  }

  // The thread `id` executes trap #0 with these registers.
  arch::CallOutcome call(CacheKernel& ck, ObjectId id, arch::CallArguments* a) {
    fake_machine::g_running_thread = &object(id);
    return ck.fast_call(*a);
  }

  ObjectCaches caches_;
  u32 srm_ = kNoSlot;
  ObjectId home_, thread_;
};

TEST_F(CacheKernelTest, InstallsTheCallHookWhileItExists) {
  {
    CacheKernel ck(caches_);
    EXPECT_NE(fake_machine::g_call_hook.handle, nullptr);
    EXPECT_EQ(fake_machine::g_call_hook.self, &ck);
  }
  EXPECT_EQ(fake_machine::g_call_hook.handle, nullptr);
}

TEST_F(CacheKernelTest, FastPathReturnsStatusAndValueInPlace) {
  CacheKernel ck(caches_);
  arch::CallArguments a{.op = CK_QUERY, .arg = {CK_QUERY_SELF_THREAD, 0, 0, 0}, .pointer = 0};
  EXPECT_EQ(call(ck, thread_, &a), arch::CallOutcome::Return);
  EXPECT_EQ(static_cast<i32>(a.op), CK_OK);
  EXPECT_EQ(a.arg[0], thread_.raw());

  arch::CallArguments bad{.op = 99, .arg = {1, 2, 3, 4}, .pointer = 5};
  EXPECT_EQ(call(ck, thread_, &bad), arch::CallOutcome::Return);
  EXPECT_EQ(static_cast<i32>(bad.op), CK_E_OPERATION);
  EXPECT_EQ(bad.arg[1], 2u) << "only the status and value registers change";
  EXPECT_EQ(ck.counters().calls, 2u);
}

TEST_F(CacheKernelTest, TimeQueryMovesForward) {
  CacheKernel ck(caches_);
  arch::CallArguments a{.op = CK_QUERY, .arg = {CK_QUERY_TIME, 0, 0, 0}, .pointer = 0};
  ASSERT_EQ(call(ck, thread_, &a), arch::CallOutcome::Return);
  const u32 first = a.arg[0];
  a = arch::CallArguments{.op = CK_QUERY, .arg = {CK_QUERY_TIME, 0, 0, 0}, .pointer = 0};
  ASSERT_EQ(call(ck, thread_, &a), arch::CallOutcome::Return);
  EXPECT_GT(a.arg[0], first);
}

// Time is charged to a thread on switches and ticks; the thread asking about itself
// (or about whichever thread holds the processor) also sees its time since the last
// charge, or a program that has run less than a tick reads a CPU time of 0.
TEST_F(CacheKernelTest, ThreadStatsOfTheRunningThreadIncludeItsUnchargedTime) {
  CacheKernel ck(caches_);
  const ObjectId other = load_thread(home_);
  fake_machine::g_uncharged_ns = 7000;
  const auto run_ns = [&](ObjectId of) {
    arch::CallArguments a{.op = CK_THREAD_STATS, .arg = {of.raw(), 0, 0, 0}, .pointer = kStackVa.value()};
    EXPECT_EQ(call(ck, thread_, &a), arch::CallOutcome::Return);
    EXPECT_EQ(static_cast<i32>(a.op), CK_OK);
    ck_thread_stats stats;
    std::memcpy(&stats, arch::physical_memory(kStackPage), sizeof stats);
    return stats.run_ns;
  };
  EXPECT_EQ(run_ns(thread_), 7000u) << "the caller holds the processor";
  EXPECT_EQ(run_ns(other), 0u) << "a thread waiting for the processor has nothing uncharged";
  fake_machine::g_uncharged_ns = 0;
}

TEST_F(CacheKernelTest, CallsNeedingTheWholeContextTakeTheFullEntryAndChangeNothing) {
  CacheKernel ck(caches_);
  const u32 before = caches_.digest();
  const arch::CallArguments cases[] = {
      {.op = CK_UNLOAD_THREAD, .arg = {thread_.raw(), 0, 0, 0}, .pointer = 0},  // itself: written back
      {.op = CK_UNLOAD_SPACE, .arg = {home_.raw(), 0, 0, 0}, .pointer = 0},
      {.op = CK_UNLOAD_KERNEL, .arg = {caches_.kernels().id_of(srm_).raw(), 0, 0, 0}, .pointer = 0},
  };
  for (arch::CallArguments a : cases) {
    EXPECT_EQ(call(ck, thread_, &a), arch::CallOutcome::FullEntry) << "op " << cases[0].op;
  }
  fake_machine::g_running_thread = nullptr;
  arch::CallArguments null_call{};
  EXPECT_EQ(ck.fast_call(null_call), arch::CallOutcome::FullEntry) << "no thread running";
  EXPECT_EQ(caches_.digest(), before);
  EXPECT_EQ(ck.counters().calls, 0u);
}

TEST_F(CacheKernelTest, TrapZeroOutsideTheHomeSpaceIsNotACall) {
  CacheKernel ck(caches_);
  ObjectId other;
  ASSERT_EQ(caches_.load_space(srm_, ObjectId(), 2, 0, &other), CK_OK);
  const ObjectId t = load_thread(other);
  arch::CallArguments a{};
  EXPECT_EQ(call(ck, t, &a), arch::CallOutcome::FullEntry) << "forwarded by the full entry";
  EXPECT_EQ(ck.counters().calls, 0u);
}

TEST_F(CacheKernelTest, ResumeFromAHandlerSwitchesTheThreadBack) {
  CacheKernel ck(caches_);
  ObjectId other;
  ASSERT_EQ(caches_.load_space(srm_, ObjectId(), 2, 0, &other), CK_OK);
  const ObjectId id = load_thread(other);
  ThreadObject& t = object(id);
  ASSERT_TRUE(
      caches_.forward(t, ExceptionReport{.kind = CK_EXC_TRAP, .vector = 1, .address = VirtAddr(0), .access = 0}));
  ASSERT_TRUE(t.state().in_exception());
  EXPECT_EQ(t.state().running(), Running::Handler) << "the handler runs in the kernel's home space";

  arch::CallArguments a{.op = CK_RESUME, .arg = {0, 0, 0, 0}, .pointer = 0};
  EXPECT_EQ(call(ck, id, &a), arch::CallOutcome::Switched);
  EXPECT_FALSE(t.state().in_exception());
  EXPECT_EQ(t.context, &t.own);
  EXPECT_EQ(ck.call_finished(t), Disposition::Resume);

  arch::CallArguments again{.op = CK_RESUME, .arg = {0, 0, 0, 0}, .pointer = 0};
  EXPECT_EQ(call(ck, id, &again), arch::CallOutcome::FullEntry) << "back in its own space: trap #0 is forwarded";
}

TEST_F(CacheKernelTest, AForwardedTrapEntersTheHandlerAndResumeTheThreadStraightFromTheKernel) {
  CacheKernel ck(caches_);
  ThreadObject& t = running_elsewhere();
  AddressSpace* own = t.space;
  ASSERT_EQ(fake_machine::g_entry_hook.self, &ck);
  EXPECT_EQ(fake_machine::g_entry_hook.handle(&ck, kTrap1), arch::EntryOutcome::Enter);
  EXPECT_EQ(t.state().running(), Running::Handler);
  EXPECT_EQ(fake_machine::g_continued.context, t.context) << "the handler's context";
  EXPECT_NE(t.context, &t.own);
  u32 home_slot = 0;
  ASSERT_EQ(caches_.spaces().find(home_, &home_slot), LookupError::None);
  EXPECT_EQ(fake_machine::g_continued.root, caches_.tables().space(home_slot).tables.tables);
  EXPECT_TRUE(fake_machine::g_continued.calls) << "trap #0 is a call in the kernel's home space";
  EXPECT_EQ(ck.counters().forwarded, 1u);

  arch::CallArguments a{.op = CK_RESUME, .arg = {0, 0, 0, 0}, .pointer = 0};
  EXPECT_EQ(ck.fast_call(a), arch::CallOutcome::Enter);
  EXPECT_EQ(fake_machine::g_continued.context, &t.own);
  EXPECT_EQ(fake_machine::g_continued.root, own->tables);
  EXPECT_FALSE(fake_machine::g_continued.calls) << "in its own space trap #0 is a trap";
}

TEST_F(CacheKernelTest, APlainResumeIsTakenBeforeTheCallHookOnlyFromAHandler) {
  CacheKernel ck(caches_);
  ASSERT_EQ(fake_machine::g_resume_hook.self, &ck);
  fake_machine::g_running_thread = &object(thread_);
  const u32 before = caches_.digest();
  EXPECT_EQ(fake_machine::g_resume_hook.handle(&ck, 0, 0), arch::ResumeOutcome::Declined)
      << "not in an exception: the call hook answers CK_E_NOT_IN_EXCEPTION";
  EXPECT_EQ(caches_.digest(), before);
  EXPECT_EQ(ck.counters().calls, 0u);

  ThreadObject& t = running_elsewhere();
  ASSERT_EQ(fake_machine::g_entry_hook.handle(&ck, kTrap1), arch::EntryOutcome::Enter);
  EXPECT_EQ(fake_machine::g_resume_hook.handle(&ck, 0, 0), arch::ResumeOutcome::Enter);
  EXPECT_EQ(t.context, &t.own);
  EXPECT_EQ(fake_machine::g_continued.context, &t.own);
  EXPECT_EQ(ck.counters().calls, 1u);

  ASSERT_EQ(fake_machine::g_entry_hook.handle(&ck, kTrap1), arch::EntryOutcome::Enter);
  fake_machine::g_enter_directly = false;
  EXPECT_EQ(fake_machine::g_resume_hook.handle(&ck, 0, 0), arch::ResumeOutcome::Switched)
      << "resumed; the run loop enters";
  EXPECT_EQ(t.context, &t.own);
}

// CK_LOAD_MAPPING_RESUME's own hook (arch::LoadResumeHook, asked before the call hook):
// trap #0 outside a home space is not a call; a refusal is answered as the call hook
// answers it, having changed nothing; once loaded and resumed, the entry path is to
// enter the thread's own context.
TEST_F(CacheKernelTest, ALoadMappingResumeHasItsOwnHookThatRefusesAsTheCallHook) {
  CacheKernel ck(caches_);
  ASSERT_EQ(fake_machine::g_load_resume_hook.self, &ck);
  ThreadObject& t = running_elsewhere();
  const arch::CallArguments good{.op = CK_LOAD_MAPPING_RESUME,
                                 .arg = {0, 0x00400000, (kMemoryBase + 128 * KiB).value(), CK_MAP_WRITE},
                                 .pointer = 0};
  arch::CallArguments a = good;
  EXPECT_EQ(fake_machine::g_load_resume_hook.handle(&ck, a), arch::LoadResume::Declined)
      << "outside a home space trap #0 is not a call";
  ASSERT_EQ(fake_machine::g_entry_hook.handle(&ck, kTrap1), arch::EntryOutcome::Enter);
  const u32 before = caches_.digest();
  arch::CallArguments unaligned = good;
  unaligned.arg[1] += 2;
  a = unaligned;
  EXPECT_EQ(fake_machine::g_load_resume_hook.handle(&ck, a), static_cast<u32>(arch::CallOutcome::Return));
  EXPECT_EQ(static_cast<i32>(a.op), CK_E_ADDRESS);
  EXPECT_EQ(caches_.digest(), before);
  EXPECT_NE(t.context, &t.own) << "still in its handler";
  a = unaligned;
  EXPECT_EQ(ck.fast_call(a), arch::CallOutcome::Return) << "the call hook answers the same";
  EXPECT_EQ(static_cast<i32>(a.op), CK_E_ADDRESS);
  EXPECT_EQ(caches_.digest(), before);

  a = good;
  EXPECT_EQ(fake_machine::g_load_resume_hook.handle(&ck, a), arch::LoadResume::Continue);
  EXPECT_EQ(t.context, &t.own);
  EXPECT_FALSE(t.state().in_exception());
  EXPECT_EQ(ck.counters().calls, 3u);
  a = good;
  ASSERT_EQ(fake_machine::g_entry_hook.handle(&ck, kTrap1), arch::EntryOutcome::Enter);
  EXPECT_EQ(fake_machine::g_load_resume_hook.handle(&ck, a), static_cast<u32>(arch::CallOutcome::Return));
  EXPECT_EQ(static_cast<i32>(a.op), CK_E_ALREADY_MAPPED) << "loaded the first time";
}

// CK_LOAD_MAPPING through the same hook (the 68040's call_entry sends it there): answered
// as the call hook answers it, a refusal changing nothing; outside a home space not a call.
TEST_F(CacheKernelTest, ALoadMappingThroughTheLoadResumeHookIsAnsweredAsByTheCallHook) {
  CacheKernel ck(caches_);
  running_elsewhere();
  const arch::CallArguments good{.op = CK_LOAD_MAPPING,
                                 .arg = {home_.raw(), 0x00400000, (kMemoryBase + 128 * KiB).value(), CK_MAP_WRITE},
                                 .pointer = 0};
  arch::CallArguments a = good;
  EXPECT_EQ(fake_machine::g_load_resume_hook.handle(&ck, a), static_cast<u32>(arch::CallOutcome::FullEntry))
      << "outside a home space trap #0 is not a call";
  ASSERT_EQ(fake_machine::g_entry_hook.handle(&ck, kTrap1), arch::EntryOutcome::Enter);
  const u32 before = caches_.digest();
  for (const u32 flags : {0x80000000u, static_cast<u32>(CK_MAP_MODIFIED)}) {
    arch::CallArguments bad = good, same = good;
    bad.arg[3] = same.arg[3] = flags;
    EXPECT_EQ(fake_machine::g_load_resume_hook.handle(&ck, bad), static_cast<u32>(arch::CallOutcome::Return));
    EXPECT_EQ(ck.fast_call(same), arch::CallOutcome::Return);
    EXPECT_EQ(static_cast<i32>(bad.op), CK_E_ARGUMENT);
    EXPECT_EQ(bad.op, same.op);
    EXPECT_EQ(caches_.digest(), before);
  }
  arch::CallArguments unaligned = good;
  unaligned.arg[2] += 2;
  EXPECT_EQ(fake_machine::g_load_resume_hook.handle(&ck, unaligned), static_cast<u32>(arch::CallOutcome::Return));
  EXPECT_EQ(static_cast<i32>(unaligned.op), CK_E_ADDRESS);
  EXPECT_EQ(caches_.digest(), before);
  const u64 calls = ck.counters().calls;
  a = good;
  EXPECT_EQ(fake_machine::g_load_resume_hook.handle(&ck, a), static_cast<u32>(arch::CallOutcome::Return));
  EXPECT_EQ(static_cast<i32>(a.op), CK_OK);
  EXPECT_EQ(a.arg[0], 0u);
  EXPECT_NE(caches_.digest(), before);
  EXPECT_EQ(ck.counters().calls, calls + 1);
  a = good;
  EXPECT_EQ(ck.fast_call(a), arch::CallOutcome::Return);
  EXPECT_EQ(static_cast<i32>(a.op), CK_E_ALREADY_MAPPED) << "loaded the first time";
}

// CK_LOAD_MAPPING's common case on its own hook (arch::PlainLoadHook, which the 68040's
// call_entry asks first): answered as the call hook answers, counted; what it declines
// (outside a home space, a lock, message or modified flag, a signal thread) it leaves
// having changed nothing, and the load-resume hook answers it.
TEST_F(CacheKernelTest, APlainMappingLoadIsAnsweredOnItsOwnHookAsByTheCallHook) {
  CacheKernel ck(caches_);
  ASSERT_EQ(fake_machine::g_plain_load_hook.self, &ck);
  running_elsewhere();
  const arch::CallArguments good{.op = CK_LOAD_MAPPING,
                                 .arg = {home_.raw(), 0x00400000, (kMemoryBase + 128 * KiB).value(), CK_MAP_WRITE},
                                 .pointer = 0};
  arch::CallArguments a = good;
  EXPECT_FALSE(fake_machine::g_plain_load_hook.handle(&ck, a)) << "outside a home space trap #0 is not a call";
  EXPECT_EQ(a.op, good.op);
  ASSERT_EQ(fake_machine::g_entry_hook.handle(&ck, kTrap1), arch::EntryOutcome::Enter);
  const u32 before = caches_.digest();
  const u64 calls = ck.counters().calls;
  for (const u32 flags : {static_cast<u32>(CK_MAP_LOCK), static_cast<u32>(CK_MAP_MESSAGE),
                          static_cast<u32>(CK_MAP_MODIFIED | CK_MAP_WRITE), 0x80000000u}) {
    a = good;
    a.arg[3] = flags;
    EXPECT_FALSE(fake_machine::g_plain_load_hook.handle(&ck, a)) << flags;
    EXPECT_EQ(a.op, good.op);
    EXPECT_EQ(caches_.digest(), before);
  }
  a = good;
  a.pointer = 0x1234;
  EXPECT_FALSE(fake_machine::g_plain_load_hook.handle(&ck, a)) << "a signal thread";
  EXPECT_EQ(caches_.digest(), before);
  EXPECT_EQ(ck.counters().calls, calls) << "declined calls are not counted";
  a = good;
  a.arg[2] += 2;
  EXPECT_TRUE(fake_machine::g_plain_load_hook.handle(&ck, a));
  EXPECT_EQ(static_cast<i32>(a.op), CK_E_ADDRESS);
  EXPECT_EQ(caches_.digest(), before);
  a = good;
  EXPECT_TRUE(fake_machine::g_plain_load_hook.handle(&ck, a));
  EXPECT_EQ(static_cast<i32>(a.op), CK_OK);
  EXPECT_EQ(a.arg[0], 0u);
  EXPECT_NE(caches_.digest(), before);
  EXPECT_EQ(ck.counters().calls, calls + 2);
  a = good;
  EXPECT_TRUE(fake_machine::g_plain_load_hook.handle(&ck, a));
  EXPECT_EQ(static_cast<i32>(a.op), CK_E_ALREADY_MAPPED) << "loaded the first time";
  a = good;
  EXPECT_EQ(ck.fast_call(a), arch::CallOutcome::Return);
  EXPECT_EQ(static_cast<i32>(a.op), CK_E_ALREADY_MAPPED) << "the call hook answers the same";
}

// CK_LOAD_SPACE's common case on the plain-call hook (arch::PlainCallHook, which the
// 68040's call_entry asks first): with a space slot free, every call answered as the call
// hook answers it (bad arguments their errors, changing nothing) and counted; declined,
// having changed nothing and counted nothing, outside a home space, for other calls and
// when a load would need a victim (the call hook's).
TEST_F(CacheKernelTest, ASpaceLoadWithASlotFreeIsAnsweredOnThePlainCallHookAsByTheCallHook) {
  CacheKernel ck(caches_);
  ASSERT_EQ(fake_machine::g_plain_call_hook.self, &ck);
  const auto plain = [&](arch::CallArguments& a) { return fake_machine::g_plain_call_hook.handle(&ck, a); };
  constexpr u32 kReturn = static_cast<u32>(arch::CallOutcome::Return);
  running_elsewhere();
  const arch::CallArguments good{.op = CK_LOAD_SPACE, .arg = {0, 5, 0, 0}, .pointer = 0};
  arch::CallArguments a = good;
  EXPECT_EQ(plain(a), arch::PlainCall::Declined) << "outside a home space trap #0 is not a call";
  EXPECT_EQ(a.op, good.op);
  ASSERT_EQ(fake_machine::g_entry_hook.handle(&ck, kTrap1), arch::EntryOutcome::Enter);
  u32 before = caches_.digest();
  u64 calls = ck.counters().calls;
  a = good;
  a.op = CK_UNLOAD_SPACE;
  EXPECT_EQ(plain(a), arch::PlainCall::Declined) << "not a space load";
  EXPECT_EQ(a.op, static_cast<u32>(CK_UNLOAD_SPACE));
  EXPECT_EQ(ck.counters().calls, calls);
  const arch::CallArguments bad[] = {
      {.op = CK_LOAD_SPACE, .arg = {0, 5, 0x100, 0}, .pointer = 0},                 // a flag beyond lock and home
      {.op = CK_LOAD_SPACE, .arg = {0, 5, CK_SPACE_HOME, 0}, .pointer = 0},         // a second home
      {.op = CK_LOAD_SPACE, .arg = {home_.raw(), 5, 0, 0}, .pointer = 0},           // a space, not a kernel
      {.op = CK_LOAD_SPACE, .arg = {(1u << 30) | 0x3fff0, 5, 0, 0}, .pointer = 0},  // no such kernel
  };
  for (const arch::CallArguments& b : bad) {
    a = b;
    arch::CallArguments same = b;
    EXPECT_EQ(plain(a), kReturn);
    EXPECT_NE(static_cast<i32>(a.op), CK_OK) << b.arg[0] << " " << b.arg[2];
    EXPECT_EQ(caches_.digest(), before);
    EXPECT_EQ(ck.fast_call(same), arch::CallOutcome::Return);
    EXPECT_EQ(a.op, same.op);
    EXPECT_EQ(a.arg[0], same.arg[0]);
  }
  calls = ck.counters().calls;
  a = good;
  EXPECT_EQ(plain(a), kReturn);
  ASSERT_EQ(static_cast<i32>(a.op), CK_OK);
  u32 slot = 0;
  ASSERT_EQ(caches_.tables().find_space(ObjectId(a.arg[0]), &slot), CK_OK);
  EXPECT_EQ(caches_.tables().space(slot).cookie, 5u);
  EXPECT_EQ(caches_.tables().space(slot).kernel, srm_);
  EXPECT_EQ(ck.counters().calls, calls + 1);
  EXPECT_NE(caches_.digest(), before);

  // Full: the load needs a victim, which only the call hook takes.
  for (ObjectId id; caches_.tables().has_free_space();)
    ASSERT_EQ(caches_.load_space(srm_, ObjectId(), 9, 0, &id), CK_OK);
  before = caches_.digest();
  calls = ck.counters().calls;
  a = good;
  EXPECT_EQ(plain(a), arch::PlainCall::Declined);
  EXPECT_EQ(a.op, good.op);
  EXPECT_EQ(caches_.digest(), before);
  EXPECT_EQ(ck.counters().calls, calls);
}

// CK_LOAD_THREAD's common case on the same hook: with a thread slot free, answered as
// the call hook answers it (bad arguments and pointers their errors, changing nothing;
// the state read in place, or copied when it is not longword-aligned), counted; a thread
// above the caller takes over as with the call hook; declined, having changed nothing,
// when a load would need a victim.
TEST_F(CacheKernelTest, AThreadLoadWithASlotFreeIsAnsweredOnThePlainCallHookAsByTheCallHook) {
  CacheKernel ck(caches_);
  const auto plain = [&](arch::CallArguments& a) { return fake_machine::g_plain_call_hook.handle(&ck, a); };
  constexpr u32 kReturn = static_cast<u32>(arch::CallOutcome::Return);
  ThreadObject& t = running_elsewhere();
  ASSERT_EQ(fake_machine::g_entry_hook.handle(&ck, kTrap1), arch::EntryOutcome::Enter);
  ck_thread_state state{};
  state.regs.pc = 0x2000;
  state.regs.d[3] = 0x33;
  state.exception_stack = kStackVa.value() + 4096;
  const VirtAddr in = kStackVa + 256;    // in the handler's space (the kernel's home)
  const VirtAddr odd = kStackVa + 1026;  // not longword-aligned: copied
  ASSERT_TRUE(copy_to_user(t.space->tables, in, &state, sizeof state));
  ASSERT_TRUE(copy_to_user(t.space->tables, odd, &state, sizeof state));
  const arch::CallArguments good{.op = CK_LOAD_THREAD, .arg = {home_.raw(), 8, 0, 0}, .pointer = in.value()};
  const u32 before = caches_.digest();
  const arch::CallArguments bad[] = {
      {.op = CK_LOAD_THREAD, .arg = {home_.raw(), 8, 0x10000, 0}, .pointer = in.value()},      // a flag
      {.op = CK_LOAD_THREAD, .arg = {thread_.raw(), 8, 0, 0}, .pointer = in.value()},          // a thread, not a space
      {.op = CK_LOAD_THREAD, .arg = {home_.raw(), 8, 0, 0}, .pointer = 0x0f000000},            // unmapped
      {.op = CK_LOAD_THREAD, .arg = {home_.raw(), 8, 0, 0}, .pointer = kStackVa.value() - 8},  // across
  };
  for (const arch::CallArguments& b : bad) {
    arch::CallArguments a = b;
    arch::CallArguments same = b;
    EXPECT_EQ(plain(a), kReturn);
    EXPECT_NE(static_cast<i32>(a.op), CK_OK) << b.arg[0] << " " << b.arg[2] << " " << b.pointer;
    EXPECT_EQ(caches_.digest(), before);
    EXPECT_EQ(ck.fast_call(same), arch::CallOutcome::Return);
    EXPECT_EQ(a.op, same.op);
    EXPECT_EQ(a.arg[0], same.arg[0]);
  }
  u64 calls = ck.counters().calls;
  arch::CallArguments a = good;
  EXPECT_EQ(plain(a), kReturn) << "below the caller: it goes on";
  ASSERT_EQ(static_cast<i32>(a.op), CK_OK);
  EXPECT_EQ(object(ObjectId(a.arg[0])).own.d[3], 0x33u) << "read in place";
  EXPECT_EQ(ck.counters().calls, calls + 1);
  EXPECT_EQ(caches_.run_queue().front(), &t);
  a = good;
  a.pointer = odd.value();
  EXPECT_EQ(plain(a), kReturn);
  ASSERT_EQ(static_cast<i32>(a.op), CK_OK);
  const ObjectId copied(a.arg[0]);
  EXPECT_EQ(object(copied).own.d[3], 0x33u) << "copied";

  // Full: the load needs a victim, which only the call hook takes.
  ASSERT_FALSE(caches_.tables().has_free_thread());
  const u32 full = caches_.digest();
  calls = ck.counters().calls;
  a = good;
  EXPECT_EQ(plain(a), arch::PlainCall::Declined);
  EXPECT_EQ(a.op, good.op);
  EXPECT_EQ(caches_.digest(), full);
  EXPECT_EQ(ck.counters().calls, calls);

  // A thread above the caller is first in line at once: the caller gives way.
  ASSERT_EQ(caches_.unload_thread(srm_, copied), CK_OK);
  a = good;
  a.arg[2] = 5u << CK_PRIORITY_SHIFT;
  const u32 outcome = plain(a);
  EXPECT_NE(outcome, kReturn);
  EXPECT_NE(outcome, arch::PlainCall::Declined);
  EXPECT_EQ(static_cast<i32>(a.op), CK_OK);
  EXPECT_EQ(caches_.run_queue().front(), &object(ObjectId(a.arg[0])));
}

// CK_UNLOAD_MAPPING and CK_UNLOAD_THREAD of another thread on the plain-call hook:
// answered as the call hook answers them (errors with nothing changed, the unload done
// and counted); the caller's own unload declined (the call hook saves its whole context).
TEST_F(CacheKernelTest, UnloadsOnThePlainCallHookAreAnsweredAsByTheCallHook) {
  CacheKernel ck(caches_);
  const auto plain = [&](arch::CallArguments& a) { return fake_machine::g_plain_call_hook.handle(&ck, a); };
  constexpr u32 kReturn = static_cast<u32>(arch::CallOutcome::Return);
  ThreadObject& t = running_elsewhere();
  ASSERT_EQ(fake_machine::g_entry_hook.handle(&ck, kTrap1), arch::EntryOutcome::Enter);
  const VirtAddr va(0x00800000);
  ASSERT_EQ(caches_.load_mapping(srm_, home_, va, kMemoryBase + 256 * KiB, CK_MAP_WRITE), CK_OK);
  const ObjectId other = load_thread(home_);
  const u32 before = caches_.digest();
  const arch::CallArguments bad[] = {
      {.op = CK_UNLOAD_MAPPING, .arg = {home_.raw(), va.value() + 4096, 0, 0}, .pointer = 0},  // not mapped
      {.op = CK_UNLOAD_MAPPING, .arg = {thread_.raw(), va.value(), 0, 0}, .pointer = 0},       // not a space
      {.op = CK_UNLOAD_THREAD, .arg = {home_.raw(), 0, 0, 0}, .pointer = 0},                   // not a thread
  };
  for (const arch::CallArguments& b : bad) {
    arch::CallArguments a = b;
    arch::CallArguments same = b;
    EXPECT_EQ(plain(a), kReturn) << b.op;
    EXPECT_NE(static_cast<i32>(a.op), CK_OK) << b.op;
    EXPECT_EQ(caches_.digest(), before);
    EXPECT_EQ(ck.fast_call(same), arch::CallOutcome::Return);
    EXPECT_EQ(a.op, same.op);
  }
  arch::CallArguments self{.op = CK_UNLOAD_THREAD, .arg = {t.id, 0, 0, 0}, .pointer = 0};
  EXPECT_EQ(plain(self), arch::PlainCall::Declined) << "the caller itself";
  EXPECT_EQ(self.op, static_cast<u32>(CK_UNLOAD_THREAD));
  EXPECT_EQ(caches_.digest(), before);
  const u64 calls = ck.counters().calls;
  arch::CallArguments a{.op = CK_UNLOAD_MAPPING, .arg = {home_.raw(), va.value(), 0, 0}, .pointer = 0};
  EXPECT_EQ(plain(a), kReturn);
  EXPECT_EQ(static_cast<i32>(a.op), CK_OK);
  a = arch::CallArguments{.op = CK_UNLOAD_MAPPING, .arg = {home_.raw(), va.value(), 0, 0}, .pointer = 0};
  EXPECT_EQ(ck.fast_call(a), arch::CallOutcome::Return);
  EXPECT_NE(static_cast<i32>(a.op), CK_OK) << "unloaded the first time";
  a = arch::CallArguments{.op = CK_UNLOAD_THREAD, .arg = {other.raw(), 0, 0, 0}, .pointer = 0};
  EXPECT_EQ(plain(a), kReturn);
  EXPECT_EQ(static_cast<i32>(a.op), CK_OK);
  u32 slot = 0;
  EXPECT_NE(caches_.tables().find_thread(other, &slot), CK_OK) << "unloaded";
  EXPECT_EQ(ck.counters().calls, calls + 3);
}

TEST_F(CacheKernelTest, AResumeWithAResultChangesOnlyTheResumedD0) {
  CacheKernel ck(caches_);
  ThreadObject& t = running_elsewhere();
  ASSERT_EQ(fake_machine::g_entry_hook.handle(&ck, kTrap1), arch::EntryOutcome::Enter);
  for (u32 i = 0; i < 8; ++i) t.own.d[i] = 0x100 + i;
  const u32 before = caches_.digest();
  EXPECT_EQ(fake_machine::g_resume_hook.handle(&ck, CK_RESUME_RESULT | CK_RESUME_REGISTERS, 7),
            arch::ResumeOutcome::Declined)
      << "with another flag: the call hook answers CK_E_ARGUMENT";
  EXPECT_EQ(fake_machine::g_resume_hook.handle(&ck, 0x8, 7), arch::ResumeOutcome::Declined);
  EXPECT_EQ(caches_.digest(), before);
  EXPECT_NE(t.context, &t.own) << "still in its handler";

  EXPECT_EQ(fake_machine::g_resume_hook.handle(&ck, CK_RESUME_RESULT, 0xfffffff2u), arch::ResumeOutcome::Enter);
  EXPECT_EQ(t.context, &t.own);
  EXPECT_EQ(t.own.d[0], 0xfffffff2u);
  for (u32 i = 1; i < 8; ++i) EXPECT_EQ(t.own.d[i], 0x100 + i) << "d" << i;

  // The general path (the call hook) does the same and refuses the same.
  ASSERT_EQ(fake_machine::g_entry_hook.handle(&ck, kTrap1), arch::EntryOutcome::Enter);
  EXPECT_EQ(caches_.resume(t, CK_RESUME_RESULT | CK_RESUME_UNHANDLED, t.exception_frame(), 9), CK_E_ARGUMENT);
  EXPECT_EQ(t.own.d[0], 0xfffffff2u) << "a refused resume changed nothing";
  arch::CallArguments a{.op = CK_RESUME, .arg = {CK_RESUME_RESULT, 42, 0, 0}, .pointer = 0};
  EXPECT_EQ(ck.fast_call(a), arch::CallOutcome::Enter);
  EXPECT_EQ(t.own.d[0], 42u);
  EXPECT_EQ(t.own.d[1], 0x101u);
}

// CK_EXCEPTION_FPU: a handler reads the FPU registers of what it interrupted (it runs on
// a reset FPU itself; an emulated fork copies them to the child). Outside a handler it is
// refused; a pointer it cannot write is refused, and nothing changes either way.
TEST_F(CacheKernelTest, AHandlerReadsTheInterruptedFpu) {
  CacheKernel ck(caches_);
  ThreadObject& t = running_elsewhere();
  ck_fpu_registers program{};
  program.fpcr = 0x10;  // round toward zero
  program.fpsr = 0x08000000;
  program.fpiar = 0x2004;
  u8* bytes = &program.fp[0][0];
  for (u32 i = 0; i < sizeof program.fp; ++i) bytes[i] = static_cast<u8>(i * 7 + 1);
  arch::set_fpu_registers(t.own, program);
  const VirtAddr out = kStackVa + 256;

  arch::CallArguments early{.op = CK_EXCEPTION_FPU, .arg = {0, 0, 0, 0}, .pointer = out.value()};
  EXPECT_EQ(call(ck, thread_, &early), arch::CallOutcome::Return);
  EXPECT_EQ(static_cast<i32>(early.op), CK_E_NOT_IN_EXCEPTION) << "a thread of its home space, in no handler";
  fake_machine::g_running_thread = &t;

  ASSERT_EQ(fake_machine::g_entry_hook.handle(&ck, kTrap1), arch::EntryOutcome::Enter);
  const u32 before = caches_.digest();
  arch::CallArguments bad{.op = CK_EXCEPTION_FPU, .arg = {0, 0, 0, 0}, .pointer = 0x0f000000};
  EXPECT_EQ(ck.fast_call(bad), arch::CallOutcome::Return);
  EXPECT_EQ(static_cast<i32>(bad.op), CK_E_POINTER);
  EXPECT_EQ(caches_.digest(), before);

  arch::CallArguments a{.op = CK_EXCEPTION_FPU, .arg = {0, 0, 0, 0}, .pointer = out.value()};
  EXPECT_EQ(ck.fast_call(a), arch::CallOutcome::Return);
  ASSERT_EQ(static_cast<i32>(a.op), CK_OK);
  ck_fpu_registers got{};
  ASSERT_TRUE(copy_from_user(t.space->tables, out, &got, sizeof got));
  EXPECT_EQ(got.fpcr, program.fpcr);
  EXPECT_EQ(got.fpsr, program.fpsr);
  EXPECT_EQ(got.fpiar, program.fpiar);
  EXPECT_EQ(std::memcmp(got.fp, program.fp, sizeof got.fp), 0);
  EXPECT_NE(t.context, &t.own) << "still in its handler";
}

// CK_EXCEPTION_FPU_SET: a handler gives what it interrupted new FPU registers (an emulated
// sigreturn restores them from the signal frame), taken when it resumes. Outside a handler,
// with a pointer it cannot read, or with an unknown d1 it is refused and nothing changes.
TEST_F(CacheKernelTest, AHandlerSetsTheInterruptedFpu) {
  CacheKernel ck(caches_);
  ThreadObject& t = running_elsewhere();
  ck_fpu_registers program{};
  program.fpcr = 0x10;
  arch::set_fpu_registers(t.own, program);
  ck_fpu_registers wanted{};
  wanted.fpcr = 0x30;  // round toward plus infinity
  wanted.fpsr = 0x0f000008;
  wanted.fpiar = 0x3008;
  u8* bytes = &wanted.fp[0][0];
  for (u32 i = 0; i < sizeof wanted.fp; ++i) bytes[i] = static_cast<u8>(i * 5 + 3);
  const VirtAddr in = kStackVa + 256;  // in the handler's space (the kernel's home)

  arch::CallArguments early{.op = CK_EXCEPTION_FPU, .arg = {CK_EXCEPTION_FPU_SET, 0, 0, 0}, .pointer = in.value()};
  EXPECT_EQ(call(ck, thread_, &early), arch::CallOutcome::Return);
  EXPECT_EQ(static_cast<i32>(early.op), CK_E_NOT_IN_EXCEPTION) << "a thread of its home space, in no handler";
  fake_machine::g_running_thread = &t;

  ASSERT_EQ(fake_machine::g_entry_hook.handle(&ck, kTrap1), arch::EntryOutcome::Enter);
  ASSERT_TRUE(copy_to_user(t.space->tables, in, &wanted, sizeof wanted));
  const u32 before = caches_.digest();
  arch::CallArguments bad{.op = CK_EXCEPTION_FPU, .arg = {CK_EXCEPTION_FPU_SET, 0, 0, 0}, .pointer = 0x0f000000};
  EXPECT_EQ(ck.fast_call(bad), arch::CallOutcome::Return);
  EXPECT_EQ(static_cast<i32>(bad.op), CK_E_POINTER);
  arch::CallArguments unknown{.op = CK_EXCEPTION_FPU, .arg = {2, 0, 0, 0}, .pointer = in.value()};
  EXPECT_EQ(ck.fast_call(unknown), arch::CallOutcome::Return);
  EXPECT_EQ(static_cast<i32>(unknown.op), CK_E_ARGUMENT);
  EXPECT_EQ(caches_.digest(), before);
  ck_fpu_registers unchanged{};
  arch::get_fpu_registers(t.interrupted(), &unchanged);
  EXPECT_EQ(unchanged.fpcr, program.fpcr) << "refusals leave the FPU as it was";

  arch::CallArguments a{.op = CK_EXCEPTION_FPU, .arg = {CK_EXCEPTION_FPU_SET, 0, 0, 0}, .pointer = in.value()};
  EXPECT_EQ(ck.fast_call(a), arch::CallOutcome::Return);
  ASSERT_EQ(static_cast<i32>(a.op), CK_OK);
  EXPECT_NE(t.context, &t.own) << "still in its handler";
  // Read back as the handler sees it, then as the thread resumes with it.
  const VirtAddr out = kStackVa + 512;
  arch::CallArguments read{.op = CK_EXCEPTION_FPU, .arg = {0, 0, 0, 0}, .pointer = out.value()};
  EXPECT_EQ(ck.fast_call(read), arch::CallOutcome::Return);
  ASSERT_EQ(static_cast<i32>(read.op), CK_OK);
  ck_fpu_registers got{};
  ASSERT_TRUE(copy_from_user(t.space->tables, out, &got, sizeof got));
  EXPECT_EQ(std::memcmp(&got, &wanted, sizeof got), 0);
  arch::CallArguments resume{.op = CK_RESUME, .arg = {0, 0, 0, 0}, .pointer = 0};
  EXPECT_EQ(ck.fast_call(resume), arch::CallOutcome::Enter);
  EXPECT_EQ(t.context, &t.own) << "resumed";
  arch::get_fpu_registers(t.own, &got);
  EXPECT_EQ(got.fpcr, wanted.fpcr);
  EXPECT_EQ(got.fpsr, wanted.fpsr);
  EXPECT_EQ(got.fpiar, wanted.fpiar);
  EXPECT_EQ(std::memcmp(got.fp, wanted.fp, sizeof got.fp), 0);
}

// CK_RESUME_YIELD (an emulated sched_yield): the thread resumes with its result but behind
// the other ready thread of its priority, which runs first; refused with any flag but
// CK_RESUME_RESULT, changing nothing.
TEST_F(CacheKernelTest, AResumeThatYieldsGoesBehindTheOthersOfItsPriority) {
  CacheKernel ck(caches_);
  ObjectId other;
  ASSERT_EQ(caches_.load_space(srm_, ObjectId(), 2, 0, &other), CK_OK);
  ThreadObject& t = object(load_thread(other, 3));
  ThreadObject& peer = object(load_thread(other, 3));
  ASSERT_EQ(caches_.run_queue().front(), &t);
  fake_machine::g_running_thread = &t;
  ASSERT_EQ(fake_machine::g_entry_hook.handle(&ck, kTrap1), arch::EntryOutcome::Enter);
  const u32 before = caches_.digest();
  EXPECT_EQ(caches_.resume(t, CK_RESUME_YIELD | CK_RESUME_REGISTERS, t.exception_frame()), CK_E_ARGUMENT);
  EXPECT_EQ(caches_.resume(t, CK_RESUME_YIELD | CK_RESUME_UNHANDLED, t.exception_frame()), CK_E_ARGUMENT);
  EXPECT_EQ(fake_machine::g_resume_hook.handle(&ck, CK_RESUME_YIELD | CK_RESUME_RESULT, 5),
            arch::ResumeOutcome::Declined)
      << "not the resume fast path's case";
  EXPECT_EQ(caches_.digest(), before);
  EXPECT_EQ(caches_.run_queue().front(), &t);

  arch::CallArguments a{.op = CK_RESUME, .arg = {CK_RESUME_YIELD | CK_RESUME_RESULT, 42, 0, 0}, .pointer = 0};
  EXPECT_EQ(ck.fast_call(a), arch::CallOutcome::Switched) << "the peer runs first";
  EXPECT_EQ(caches_.run_queue().front(), &peer);
  EXPECT_EQ(t.context, &t.own) << "out of its handler";
  EXPECT_EQ(t.own.d[0], 42u);
}

// The 68040's access-error frame (format $7) of a user data access at `address`:
// a write when `write`, else a read (SSW: ATC fault, TM user data, byte size).
void set_access_error(arch::UserContext& c, u32 address, bool write) {
  const u16 ssw = write ? 0x0421 : 0x0521;
  const u8 head[] = {0, 0, 0, 0, 0x20, 0, 0x70, 0x08};  // SR, PC 0x2000, format 7 vector 2
  std::memset(c.frame, 0, sizeof c.frame);
  std::memcpy(c.frame, head, sizeof head);
  const u8 rest[] = {static_cast<u8>(address >> 24), static_cast<u8>(address >> 16), static_cast<u8>(address >> 8),
                     static_cast<u8>(address),       static_cast<u8>(ssw >> 8),      static_cast<u8>(ssw)};
  std::memcpy(c.frame + 8, rest, sizeof rest);
  std::memcpy(c.frame + 20, rest, 4);  // the fault address again
}

TEST_F(CacheKernelTest, AMappingLoadedForAFaultedWriteGoesInModified) {
  CacheKernel ck(caches_);
  for (const bool write : {true, false}) {
    ThreadObject& t = running_elsewhere();
    set_access_error(t.own, 0x00500003, write);
    ASSERT_TRUE(
        caches_.forward(t, ExceptionReport{.kind = CK_EXC_MAPPING,
                                           .vector = 2,
                                           .address = VirtAddr(0x00500003),
                                           .access = static_cast<u32>(write ? CK_ACCESS_WRITE : CK_ACCESS_READ)}));
    const PhysAddr frame = kMemoryBase + (write ? 128 : 132) * KiB;
    arch::CallArguments a{
        .op = CK_LOAD_MAPPING_RESUME, .arg = {0, 0x00500000, frame.value(), CK_MAP_WRITE}, .pointer = 0};
    const arch::CallOutcome outcome = ck.fast_call(a);
    ASSERT_TRUE(outcome == arch::CallOutcome::Enter || outcome == arch::CallOutcome::Switched)
        << static_cast<u32>(outcome);
    EXPECT_FALSE(t.state().in_exception()) << "resumed";
    arch::PageState page;
    ASSERT_TRUE(arch::lookup_page(caches_.tables().space(t.home_space()).tables.tables, VirtAddr(0x00500000), &page));
    EXPECT_EQ(page.modified, write) << (write ? "the retried write would only fault to set M"
                                              : "a read leaves it unmodified: its first write still records M");
    EXPECT_TRUE(page.writable);
    ASSERT_EQ(caches_.unload_thread(srm_, caches_.threads().id_of(t.slot())), CK_OK);  // the next one runs first
  }
}

TEST_F(CacheKernelTest, CkMapModifiedLoadsAWritablePageModifiedAndNeedsCkMapWrite) {
  const VirtAddr va(0x00500000);
  const PhysAddr frame = kMemoryBase + 136 * KiB;
  const u32 before = caches_.digest();
  EXPECT_EQ(caches_.load_mapping(srm_, home_, va, frame, CK_MAP_MODIFIED), CK_E_ARGUMENT) << "read-only";
  EXPECT_EQ(caches_.load_mapping(srm_, home_, va, frame, CK_MAP_MODIFIED | CK_MAP_LOCK), CK_E_ARGUMENT);
  EXPECT_EQ(caches_.digest(), before) << "refused: nothing changed";
  u32 home_slot = 0;
  ASSERT_EQ(caches_.tables().find_space(home_, &home_slot), CK_OK);
  const PhysAddr root = caches_.tables().space(home_slot).tables.tables;
  ASSERT_EQ(caches_.load_mapping(srm_, home_, va, frame, CK_MAP_WRITE | CK_MAP_MODIFIED), CK_OK);
  arch::PageState page;
  ASSERT_TRUE(arch::lookup_page(root, va, &page));
  EXPECT_TRUE(page.modified);
  EXPECT_TRUE(page.writable);
  ASSERT_EQ(caches_.load_mapping(srm_, home_, va + 4096, frame + 4096, CK_MAP_WRITE), CK_OK);
  ASSERT_TRUE(arch::lookup_page(root, va + 4096, &page));
  EXPECT_FALSE(page.modified) << "without the flag its first write records it";
}

TEST_F(CacheKernelTest, TheRunLoopDecidesWhenTheNewContextCannotBeEnteredAtOnce) {
  CacheKernel ck(caches_);
  ThreadObject& t = running_elsewhere();
  fake_machine::g_enter_directly = false;  // e.g. writes the context must still do
  EXPECT_EQ(fake_machine::g_entry_hook.handle(&ck, kTrap1), arch::EntryOutcome::Done);
  EXPECT_EQ(t.state().running(), Running::Handler) << "forwarded all the same";
  arch::CallArguments a{.op = CK_RESUME, .arg = {0, 0, 0, 0}, .pointer = 0};
  EXPECT_EQ(ck.fast_call(a), arch::CallOutcome::Switched);
  EXPECT_EQ(t.context, &t.own);
  EXPECT_EQ(ck.call_finished(t), Disposition::Resume);

  // Another thread is to run first: the run loop switches to it.
  fake_machine::g_enter_directly = true;
  ASSERT_EQ(caches_.set_priority(srm_, caches_.threads().id_of(t.slot()), 0), CK_OK);
  ASSERT_NE(caches_.run_queue().front(), &t);
  EXPECT_EQ(fake_machine::g_entry_hook.handle(&ck, kTrap1), arch::EntryOutcome::Done);
  EXPECT_EQ(t.state().running(), Running::Handler);
}

TEST_F(CacheKernelTest, AnExceptionWithNowhereToGoUnloadsTheThreadAndReturnsToTheRunLoop) {
  CacheKernel ck(caches_);
  ThreadObject& t = running_elsewhere(0x00800000);  // no stack mapped there
  const ObjectId id = caches_.threads().id_of(t.slot());
  const Fault f{.kind = FaultKind::Mapping,
                .vector = 2,
                .pc = VirtAddr(0x2000),
                .address = VirtAddr(0x9000),
                .access = Access::Read,
                .size = 4};
  EXPECT_EQ(fake_machine::g_entry_hook.handle(&ck, UserEntry{.kind = EntryKind::Fault, .trap = 0, .fault = f}),
            arch::EntryOutcome::Done);
  u32 slot;
  EXPECT_EQ(caches_.threads().find(id, &slot), LookupError::Stale) << "written back as faulted";
  EXPECT_EQ(ck.counters().failed_exceptions, 1u);
  EXPECT_EQ(fake_machine::g_continued.context, nullptr) << "nothing entered";
}

TEST_F(CacheKernelTest, TheForwardFastPathWritesTheFrameButTheRegistersAndEntersTheHandler) {
  CacheKernel ck(caches_);
  ThreadObject& t = running_elsewhere();
  ASSERT_EQ(fake_machine::g_forward_hook.self, &ck);
  const Fault f{.kind = FaultKind::Mapping,
                .vector = 2,
                .pc = VirtAddr(0x2000),
                .address = VirtAddr(0x9004),
                .access = Access::Write,
                .size = 2};
  arch::HandlerEntry e;
  ASSERT_TRUE(fake_machine::g_forward_hook.handle(&ck, UserEntry{.kind = EntryKind::Fault, .trap = 0, .fault = f}, &e));
  EXPECT_EQ(t.state().running(), Running::Handler);
  EXPECT_EQ(e.context, t.context);
  EXPECT_EQ(e.pc, 0x1000u) << "the kernel's handler";
  EXPECT_EQ(e.frame, t.exception_frame().value());
  EXPECT_EQ(e.sp, e.frame - 8);
  u32 home_slot = 0;
  ASSERT_EQ(caches_.spaces().find(home_, &home_slot), LookupError::None);
  EXPECT_EQ(e.root, caches_.tables().space(home_slot).tables.tables);
  // The frame on the handler's stack, in the page mapped there, as forward() writes it.
  const u32 offset = e.sp - kStackVa.value();
  const u8* stack = static_cast<u8*>(arch::physical_memory(kStackPage)) + offset;
  u32 head[2];
  std::memcpy(head, stack, sizeof head);
  EXPECT_EQ(head[0], 0u) << "no return address";
  EXPECT_EQ(head[1], e.frame);
  ck_exception frame;
  std::memcpy(&frame, stack + 8, sizeof frame);
  EXPECT_EQ(frame.kind, static_cast<u32>(CK_EXC_MAPPING));
  EXPECT_EQ(frame.address, 0x9004u);
  EXPECT_EQ(frame.access, CK_ACCESS_WRITE | 2u << 8);
  EXPECT_EQ(frame.thread, t.id);
  EXPECT_EQ(reinterpret_cast<const u8*>(e.registers), stack + 8 + offsetof(ck_exception, regs))
      << "the registers' place, for the entry path";
  EXPECT_EQ(ck.counters().forwarded, 1u);
  arch::CallArguments a{.op = CK_RESUME, .arg = {0, 0, 0, 0}, .pointer = 0};
  EXPECT_EQ(ck.fast_call(a), arch::CallOutcome::Enter);
  EXPECT_EQ(t.context, &t.own);
}

TEST_F(CacheKernelTest, TheForwardFastPathDeclinesWhatTheGeneralPathDecidesAndChangesNothing) {
  CacheKernel ck(caches_);
  const UserEntry trap1{.kind = EntryKind::Trap, .trap = 1, .fault = {}};
  arch::HandlerEntry e;
  // The first kernel's own thread in its home space: trap #0 there is a call.
  fake_machine::g_running_thread = &object(thread_);
  const u32 before = caches_.digest();
  EXPECT_FALSE(
      fake_machine::g_forward_hook.handle(&ck, UserEntry{.kind = EntryKind::Trap, .trap = 0, .fault = {}}, &e));
  // No stack mapped where the frame goes: forward() fails the thread instead.
  ThreadObject& t = running_elsewhere(0x00800000);
  const u32 loaded = caches_.digest();
  EXPECT_NE(loaded, before);
  EXPECT_FALSE(fake_machine::g_forward_hook.handle(&ck, trap1, &e));
  EXPECT_EQ(caches_.digest(), loaded);
  EXPECT_EQ(t.state().running(), Running::Own);
  EXPECT_EQ(ck.counters().forwarded, 0u);
  // Already in its handler: a fault there is the general path's (the thread fails).
  ASSERT_EQ(caches_.unload_thread(srm_, caches_.threads().id_of(t.slot())), CK_OK);
  ThreadObject& u = running_elsewhere();
  ASSERT_TRUE(fake_machine::g_forward_hook.handle(&ck, trap1, &e));
  EXPECT_FALSE(fake_machine::g_forward_hook.handle(&ck, trap1, &e));
  EXPECT_EQ(u.state().running(), Running::Handler);
  EXPECT_EQ(ck.counters().forwarded, 1u);
}

TEST_F(CacheKernelTest, AHandlerThatGivesUpUnloadsTheThreadAsFaulted) {
  CacheKernel ck(caches_);
  ObjectId other;
  ASSERT_EQ(caches_.load_space(srm_, ObjectId(), 2, 0, &other), CK_OK);
  const ObjectId id = load_thread(other);
  ThreadObject& t = object(id);
  ASSERT_TRUE(caches_.forward(
      t, ExceptionReport{.kind = CK_EXC_MAPPING, .vector = 2, .address = VirtAddr(0x44), .access = CK_ACCESS_WRITE}));
  arch::CallArguments a{.op = CK_RESUME, .arg = {CK_RESUME_UNHANDLED, 0, 0, 0}, .pointer = 0};
  EXPECT_EQ(call(ck, id, &a), arch::CallOutcome::FullEntry) << "it unloads the caller";
  EXPECT_EQ(caches_.resume(t, CK_RESUME_UNHANDLED | 0x10, t.exception_frame()), CK_E_ARGUMENT);
  ASSERT_EQ(caches_.resume(t, CK_RESUME_UNHANDLED, t.exception_frame()), CK_OK);
  u32 slot;
  EXPECT_EQ(caches_.threads().find(id, &slot), LookupError::Stale);
  auto* h = static_cast<ck_ring_header*>(arch::physical_memory(kRing));
  ASSERT_NE(h->head, h->tail);
  ck_writeback r;
  std::memcpy(&r, static_cast<u8*>(arch::physical_memory(kRing)) + h->tail * CK_RING_SLOT_BYTES, sizeof r);
  EXPECT_EQ(r.kind, CK_WB_THREAD);
  EXPECT_EQ(r.flags & (CK_WB_FAULTED | CK_WB_IN_EXCEPTION), CK_WB_FAULTED | CK_WB_IN_EXCEPTION);
  EXPECT_EQ(r.exception, CK_EXC_MAPPING | 2u << 8) << "the exception of the handler's frame";
  EXPECT_EQ(r.address, 0x44u);
}

}  // namespace
}  // namespace ck

namespace ck {
namespace {

// A query only the first kernel may make: another kernel's thread is refused, the first
// kernel's gets `expected()` (asked after the other kernel is loaded).
class FirstKernelQueryTest : public CacheKernelTest {
 protected:
  template <typename Expected>
  void expect_first_kernels_alone(u32 query, Expected&& expected) {
    CacheKernel ck(caches_);
    ck_kernel_desc d{.handler = 0x3000,
                     .writeback_ring = (kMemoryBase + 8 * KiB).value(),
                     .ring_bytes = 4096,
                     .cookie = 2,
                     .flags = 0};
    ObjectId b, b_home;
    ASSERT_EQ(caches_.load_kernel(srm_, d, &b), CK_OK);
    ASSERT_EQ(caches_.load_space(srm_, b, 3, CK_SPACE_HOME, &b_home), CK_OK);
    const ObjectId b_thread = load_thread(b_home);
    arch::CallArguments a{.op = CK_QUERY, .arg = {query, 0, 0, 0}, .pointer = 0};
    call(ck, b_thread, &a);
    EXPECT_EQ(static_cast<i32>(a.op), CK_E_NOT_SRM);
    a = arch::CallArguments{.op = CK_QUERY, .arg = {query, 0, 0, 0}, .pointer = 0};
    call(ck, thread_, &a);
    EXPECT_EQ(static_cast<i32>(a.op), CK_OK);
    EXPECT_EQ(a.arg[0], expected());
  }
};

// The invariant walk runs with interrupts masked over every cache: only the first
// kernel may ask for it (issue 15).
TEST_F(FirstKernelQueryTest, TheDigestIsTheFirstKernelsAlone) {
  expect_first_kernels_alone(CK_QUERY_DIGEST, [&] { return caches_.digest(); });
}

// The kernel stack's high-water mark (issue 15) is the first kernel's to watch.
TEST_F(FirstKernelQueryTest, TheStackHighWaterIsTheFirstKernelsAlone) {
  expect_first_kernels_alone(CK_QUERY_STACK_HIGH_WATER, [] { return arch::kernel_stack_usage().high_water; });
}

// The calendar at boot (issue 17: a UNIX program's CLOCK_REALTIME) is anyone's to read;
// an unknown query is refused.
TEST_F(CacheKernelTest, BootSecondsAreTheCalendarWhenTheClockStarted) {
  CacheKernel ck(caches_);
  arch::CallArguments a{.op = CK_QUERY, .arg = {CK_QUERY_BOOT_SECONDS, 0, 0, 0}, .pointer = 0};
  call(ck, thread_, &a);
  EXPECT_EQ(static_cast<i32>(a.op), CK_OK);
  EXPECT_EQ(a.arg[0], static_cast<u32>(arch::clock_epoch_ns() / 1000000000u));
  a = arch::CallArguments{.op = CK_QUERY, .arg = {CK_QUERY_BOOT_SECONDS + 1, 0, 0, 0}, .pointer = 0};
  call(ck, thread_, &a);
  EXPECT_EQ(static_cast<i32>(a.op), CK_E_ARGUMENT);
}

// CK_SYNC_CODE is a call like any other (its checks: code_sync_test.cpp).
TEST_F(CacheKernelTest, SyncCodeIsDecodedAndItsRefusalsReturned) {
  CacheKernel ck(caches_);
  arch::CallArguments a{.op = CK_SYNC_CODE, .arg = {0x10000000, CK_SYNC_CODE_MAX + 1, 0, 0}, .pointer = 0};
  EXPECT_EQ(call(ck, thread_, &a), arch::CallOutcome::Return);
  EXPECT_EQ(static_cast<i32>(a.op), CK_E_ARGUMENT);
  a = arch::CallArguments{.op = CK_SYNC_CODE, .arg = {0x7fff0000, 4, 0, 0}, .pointer = 0};
  EXPECT_EQ(call(ck, thread_, &a), arch::CallOutcome::Return);
  EXPECT_EQ(static_cast<i32>(a.op), CK_E_NOT_MAPPED);
  EXPECT_TRUE(fake_machine::synced_code_pages().empty());
}

}  // namespace
}  // namespace ck

namespace ck {
namespace {

// Issue 17: a thread running its exception handler is its kernel at work (a UNIX system
// call half done); a thread load reclaims another thread first, and one in its handler
// only when no other can go.
TEST_F(CacheKernelTest, AThreadInItsHandlerIsReclaimedLast) {
  ObjectId other;
  ASSERT_EQ(caches_.load_space(srm_, ObjectId(), 2, 0, &other), CK_OK);
  // The cache holds 4 threads: the fixture's and three more; all but the last loaded are
  // in their handler (the clock meets them first).
  ObjectId ids[3];
  for (ObjectId& id : ids) id = load_thread(other);
  for (const ObjectId id : {thread_, ids[0], ids[1]})
    ASSERT_TRUE(caches_.forward(
        object(id), ExceptionReport{.kind = CK_EXC_TRAP, .vector = 0, .address = VirtAddr(0), .access = 0}));
  ck_thread_state s{};
  s.regs.pc = 0x2000;
  s.exception_stack = kStackVa.value() + 4096;
  ObjectId fresh;
  ASSERT_EQ(caches_.load_thread(srm_, other, 9, 0, s, &fresh), CK_OK);
  u32 slot;
  for (const ObjectId id : {thread_, ids[0], ids[1]})
    EXPECT_EQ(caches_.threads().find(id, &slot), LookupError::None) << "in its handler: kept";
  EXPECT_NE(caches_.threads().find(ids[2], &slot), LookupError::None) << "out of its handler: reclaimed";
  // With every other thread in its handler, one of those goes after all.
  ASSERT_TRUE(caches_.forward(object(fresh),
                              ExceptionReport{.kind = CK_EXC_TRAP, .vector = 0, .address = VirtAddr(0), .access = 0}));
  ObjectId last;
  EXPECT_EQ(caches_.load_thread(srm_, other, 10, 0, s, &last), CK_OK);
}

}  // namespace
}  // namespace ck

namespace ck {
namespace {

// CK_SET_THREAD_VALUE (issue 17): a thread's value call and value are set by its kernel
// (the caller itself with 0), loaded and written back with it; other kernels' threads and
// bad identifiers are refused having changed nothing.
TEST_F(CacheKernelTest, AThreadValueIsSetLoadedAndWrittenBack) {
  CacheKernel ck(caches_);
  ObjectId other;
  ASSERT_EQ(caches_.load_space(srm_, ObjectId(), 2, 0, &other), CK_OK);
  ck_thread_state s{};
  s.regs.pc = 0x2000;
  s.exception_stack = kStackVa.value() + 4096;
  s.value_call = 333;
  s.value = 0x80071234;
  ObjectId id;
  ASSERT_EQ(caches_.load_thread(srm_, other, 5, 0, s, &id), CK_OK);
  u32 number = 0, value = 0;
  arch::get_thread_value(object(id).own, &number, &value);
  EXPECT_EQ(number, 333u);
  EXPECT_EQ(value, 0x80071234u);

  // Set by a call of another of the kernel's threads, naming it.
  arch::CallArguments a{.op = CK_SET_THREAD_VALUE, .arg = {id.raw(), 333, 0x80075678, 0}, .pointer = 0};
  call(ck, thread_, &a);
  EXPECT_EQ(static_cast<i32>(a.op), CK_OK);
  arch::get_thread_value(object(id).own, &number, &value);
  EXPECT_EQ(value, 0x80075678u);
  // 0: the caller itself.
  a = arch::CallArguments{.op = CK_SET_THREAD_VALUE, .arg = {0, 7, 8, 0}, .pointer = 0};
  call(ck, thread_, &a);
  EXPECT_EQ(static_cast<i32>(a.op), CK_OK);
  arch::get_thread_value(object(thread_).own, &number, &value);
  EXPECT_EQ(number, 7u);
  EXPECT_EQ(value, 8u);

  // Refused, nothing changed: a made-up identifier, another kernel's thread.
  const u32 before = caches_.digest();
  a = arch::CallArguments{.op = CK_SET_THREAD_VALUE, .arg = {0x40000001, 1, 2, 0}, .pointer = 0};
  call(ck, thread_, &a);
  EXPECT_EQ(static_cast<i32>(a.op), CK_E_INVALID_ID);
  ck_kernel_desc d{.handler = 0x3000,
                   .writeback_ring = (kMemoryBase + 8 * KiB).value(),
                   .ring_bytes = 4096,
                   .cookie = 2,
                   .flags = 0};
  ObjectId b, b_home;
  ASSERT_EQ(caches_.load_kernel(srm_, d, &b), CK_OK);
  ASSERT_EQ(caches_.load_space(srm_, b, 3, CK_SPACE_HOME, &b_home), CK_OK);
  const ObjectId b_thread = load_thread(b_home);
  a = arch::CallArguments{.op = CK_SET_THREAD_VALUE, .arg = {id.raw(), 1, 2, 0}, .pointer = 0};
  call(ck, b_thread, &a);
  EXPECT_EQ(static_cast<i32>(a.op), CK_E_NOT_OWNER);
  arch::get_thread_value(object(id).own, &number, &value);
  EXPECT_EQ(value, 0x80075678u) << "unchanged";

  // Written back with the thread.
  (void)before;
  ASSERT_EQ(caches_.unload_thread(srm_, id), CK_OK);
  bool found = false;
  for (const RingRecord& r : drain(kRing))
    if (r.header.kind == CK_WB_THREAD && r.header.id == id.raw()) {
      found = true;
      EXPECT_EQ(r.state.value_call, 333u);
      EXPECT_EQ(r.state.value, 0x80075678u);
    }
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace ck

namespace ck {
namespace {

// The cache's 4 threads all in their handlers: the fixture's and one more of the SRM's
// (in another space), and two of kernel B's (loaded by the SRM for it, in B's home space,
// whose exception stack page is mapped there).
class HandlersTest : public CacheKernelTest {
 protected:
  void SetUp() override {
    CacheKernelTest::SetUp();
    ASSERT_EQ(caches_.load_kernel(srm_, desc(8 * KiB), &b_), CK_OK);
    b_slot_ = b_.slot(ObjectCaches::Kernels::kSlotBits);
    ASSERT_EQ(caches_.set_cpu(srm_, b_, 50, 8), CK_OK);
    ASSERT_EQ(caches_.load_space(srm_, b_, 3, CK_SPACE_HOME, &b_space_), CK_OK);
    ASSERT_EQ(caches_.set_memory_access(srm_, b_, kMemoryBase + 2 * MiB, 512 * KiB, CK_RIGHTS_READ_WRITE), CK_OK);
    ASSERT_EQ(caches_.load_mapping(b_slot_, b_space_, kStackVa, kMemoryBase + 2 * MiB, CK_MAP_WRITE), CK_OK);
    ASSERT_EQ(caches_.load_space(srm_, ObjectId(), 4, 0, &srm_space_), CK_OK);
    srm_other_ = load_thread(srm_space_);
    b1_ = load_thread(b_space_);
    b2_ = load_thread(b_space_);
    for (const ObjectId id : {thread_, srm_other_, b1_, b2_}) ASSERT_TRUE(enter_handler(id));
  }
  static ck_kernel_desc desc(u32 ring_offset) {
    return ck_kernel_desc{.handler = 0x3000,
                          .writeback_ring = (kMemoryBase + ring_offset).value(),
                          .ring_bytes = 4096,
                          .cookie = 2,
                          .flags = 0};
  }
  bool enter_handler(ObjectId id) {
    return caches_.forward(object(id),
                           ExceptionReport{.kind = CK_EXC_TRAP, .vector = 0, .address = VirtAddr(0), .access = 0});
  }
  static ck_thread_state fresh_state() {
    ck_thread_state s{};
    s.regs.pc = 0x2000;
    s.exception_stack = kStackVa.value() + 4096;
    return s;
  }
  bool loaded(ObjectId id) {
    u32 slot;
    return caches_.threads().find(id, &slot) == LookupError::None;
  }

  ObjectId b_, b_space_, srm_space_, srm_other_, b1_, b2_;
  u32 b_slot_ = 0;
};

// When every thread is in its handler, a load takes one of the loading kernel's own
// before another kernel's (a hostile kernel's loads do not put another's system calls at
// risk while it has threads of its own to give up).
TEST_F(HandlersTest, InHandlerTheLoadersOwnThreadGoesFirst) {
  ObjectId fresh;
  ASSERT_EQ(caches_.load_thread(b_slot_, b_space_, 9, 0, fresh_state(), &fresh), CK_OK);
  EXPECT_TRUE(loaded(thread_)) << "another kernel's: kept";
  EXPECT_TRUE(loaded(srm_other_)) << "another kernel's: kept";
  EXPECT_TRUE(loaded(b1_) != loaded(b2_)) << "one of the loader's own went";
}

// Another kernel's threads in their handlers are held like locked ones, up to that
// kernel's quota of locked threads: beyond it they may go; within it they stay.
TEST_F(HandlersTest, OthersThreadsInHandlersAreHeldUpToTheirLockQuota) {
  ObjectId c, c_space;
  ASSERT_EQ(caches_.load_kernel(srm_, desc(12 * KiB), &c), CK_OK);
  const u32 c_slot = c.slot(ObjectCaches::Kernels::kSlotBits);
  ASSERT_EQ(caches_.set_cpu(srm_, c, 30, 8), CK_OK);
  ASSERT_EQ(caches_.load_space(srm_, c, 5, CK_SPACE_HOME, &c_space), CK_OK);
  // B may lock no thread: its two in their handlers are beyond its quota; one goes.
  ObjectId fresh;
  ASSERT_EQ(caches_.load_thread(c_slot, c_space, 9, 0, fresh_state(), &fresh), CK_OK);
  const bool b1_gone = !loaded(b1_);
  EXPECT_TRUE(b1_gone != !loaded(b2_)) << "one of B's went";
  EXPECT_TRUE(loaded(thread_)) << "the first kernel's: within its quota";
  // Within its quota, B's other thread in its handler is held like a locked one.
  ASSERT_EQ(caches_.set_lock_quota(srm_, b_, CK_OBJECT_THREAD, 4), CK_OK);
  ObjectId again;
  ASSERT_EQ(caches_.load_thread(c_slot, c_space, 10, 0, fresh_state(), &again), CK_OK);
  EXPECT_TRUE(loaded(b1_gone ? b2_ : b1_)) << "B's, within its quota: kept";
  EXPECT_FALSE(loaded(fresh)) << "C's own, out of its handler, went";
}

}  // namespace
}  // namespace ck
