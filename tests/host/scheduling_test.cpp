// Scheduling by the object caches (issue 5, paper §2.3, §4.3) on the simulated machine:
// priorities order the run queue and are bounded by the kernel's maximum, threads block
// (with timeouts) and wake without losing a wake-up, a kernel over its CPU share drops
// below every other kernel and comes back, statistics, and the call fast path giving
// way to a thread it made ready.
#include <gtest/gtest.h>

#include <cstring>

#include "caches_fixture.h"

namespace ck {
namespace {

using SchedulingTest = CachesTest;

TEST_F(SchedulingTest, TheHighestPriorityReadyThreadRunsFirst) {
  const ObjectId low = thread(home_, 2);
  EXPECT_EQ(front(), &object(low));
  const ObjectId high = thread(home_, 20);
  EXPECT_EQ(front(), &object(high)) << "a new thread of higher priority goes first";
  const ObjectId same = thread(home_, 20);
  EXPECT_EQ(front(), &object(high)) << "one of equal priority waits its turn";
  caches_.run_queue().rotate();
  EXPECT_EQ(front(), &object(same));
  ASSERT_EQ(caches_.set_priority(srm_, same, 1), CK_OK);
  ASSERT_EQ(caches_.set_priority(srm_, high, 0), CK_OK);
  EXPECT_EQ(front(), &object(low)) << "re-prioritized threads move at once";
  EXPECT_EQ(caches_.set_priority(srm_, low, kMaxPriority + 1), CK_E_ARGUMENT);
  EXPECT_EQ(caches_.scheduler().priority(object(low).slot()), 2u);
}

TEST_F(SchedulingTest, BlockedThreadsLeaveTheQueueAndWakeIntoIt) {
  const ObjectId caller = thread(home_, 1);
  const ObjectId other = thread(home_, 5);
  ThreadObject& self = object(caller);
  u32 value = 0;
  ASSERT_EQ(caches_.block_thread(srm_, other, 0, self, &value), CK_OK);
  EXPECT_TRUE(object(other).state().blocked());
  EXPECT_FALSE(caches_.run_queue().contains(object(other)));
  EXPECT_EQ(front(), &self);
  EXPECT_FALSE(caches_.has_timed_blocks()) << "no timeout given";
  ASSERT_EQ(caches_.wake_thread(srm_, other), CK_OK);
  EXPECT_FALSE(object(other).state().blocked());
  EXPECT_EQ(front(), &object(other));
}

TEST_F(SchedulingTest, AThreadBlockingItselfIsToldWhenItWasWoken) {
  const ObjectId id = thread(home_, 3);
  ThreadObject& t = object(id);
  u32 value = 99;
  fake_machine::set_time(5000, 0);
  ASSERT_EQ(caches_.block_thread(srm_, ObjectId(), 0, t, &value), CK_OK);
  EXPECT_TRUE(t.state().blocked());
  EXPECT_EQ(value, 99u) << "its call does not return yet";
  fake_machine::set_time(8000, 0);
  ASSERT_EQ(caches_.wake_thread(srm_, id), CK_OK);
  const arch::CallArguments result = arch::call_arguments(t.own);
  EXPECT_EQ(static_cast<i32>(result.op), CK_OK);
  EXPECT_EQ(result.arg[0], 8000u) << "d1: when it was made ready";
}

TEST_F(SchedulingTest, AWakeUpBeforeTheBlockIsNotLost) {
  const ObjectId id = thread(home_, 3);
  ThreadObject& t = object(id);
  ASSERT_EQ(caches_.wake_thread(srm_, id), CK_OK);
  EXPECT_FALSE(t.state().blocked());
  u32 value = 0;
  fake_machine::set_time(4000, 0);
  ASSERT_EQ(caches_.block_thread(srm_, ObjectId(), 0, t, &value), CK_OK);
  EXPECT_FALSE(t.state().blocked()) << "the pending wake-up is consumed instead";
  EXPECT_EQ(value, 4000u);
  ASSERT_EQ(caches_.block_thread(srm_, ObjectId(), 0, t, &value), CK_OK);
  EXPECT_TRUE(t.state().blocked()) << "only one wake-up was pending";
}

TEST_F(SchedulingTest, TimedBlocksEndOnTheTickAfterTheirTimeout) {
  const ObjectId a = thread(home_, 3);
  const ObjectId b = thread(home_, 3);
  u32 value = 0;
  fake_machine::set_time(10000, 0);
  ASSERT_EQ(caches_.block_thread(srm_, ObjectId(), 5000, object(a), &value), CK_OK);
  ASSERT_EQ(caches_.block_thread(srm_, ObjectId(), 2000, object(b), &value), CK_OK);
  EXPECT_TRUE(caches_.has_timed_blocks());
  caches_.tick(1, 11999);
  EXPECT_TRUE(object(b).state().blocked()) << "not yet";
  caches_.tick(2, 12000);
  EXPECT_FALSE(object(b).state().blocked());
  EXPECT_EQ(arch::call_arguments(object(b).own).arg[0], 12000u);
  EXPECT_TRUE(object(a).state().blocked());
  caches_.tick(3, 20000);
  EXPECT_FALSE(object(a).state().blocked());
  EXPECT_FALSE(caches_.has_timed_blocks());
}

TEST_F(SchedulingTest, UnloadingASleepingThreadWritesItBackAsBlocked) {
  const ObjectId id = thread(home_, 3);
  u32 value = 0;
  ASSERT_EQ(caches_.block_thread(srm_, ObjectId(), 100000, object(id), &value), CK_OK);
  ASSERT_EQ(caches_.unload_thread(srm_, id), CK_OK);
  EXPECT_FALSE(caches_.has_timed_blocks()) << "its timeout left with it";
  const auto* h = static_cast<const ck_ring_header*>(arch::physical_memory(kSrmRing));
  ck_writeback r;
  std::memcpy(&r, static_cast<const u8*>(arch::physical_memory(kSrmRing)) + h->tail * CK_RING_SLOT_BYTES, sizeof r);
  EXPECT_EQ(r.kind, CK_WB_THREAD);
  EXPECT_NE(r.flags & CK_WB_BLOCKED, 0u);
  caches_.tick(1, 1000000000);
}

TEST_F(SchedulingTest, BadArgumentsToBlockAndWakeChangeNothing) {
  const ObjectId id = thread(home_, 3);
  ObjectId space_b;
  const u32 kb = kernel_b(50, 10, &space_b);
  const u32 before = caches_.digest();
  u32 value = 0;
  EXPECT_EQ(caches_.block_thread(srm_, ObjectId(0x12345), 0, object(id), &value), CK_E_INVALID_ID);
  EXPECT_EQ(caches_.wake_thread(srm_, ObjectId(0x12345)), CK_E_INVALID_ID);
  EXPECT_EQ(caches_.wake_thread(srm_, home_), CK_E_INVALID_ID) << "a space is not a thread";
  EXPECT_EQ(caches_.block_thread(kb, id, 0, object(id), &value), CK_E_NOT_OWNER);
  EXPECT_EQ(caches_.wake_thread(kb, id), CK_E_NOT_OWNER);
  EXPECT_FALSE(object(id).state().blocked());
  EXPECT_FALSE(caches_.scheduler().wake_pending(object(id).slot()));
  EXPECT_EQ(caches_.digest(), before);
}

TEST_F(SchedulingTest, AKernelOverItsShareRunsOnlyWhenNothingElseIs) {
  fake_machine::set_time(0, 0);
  boot();  // the share window starts at time 0
  ObjectId space_b;
  const u32 kb2 = kernel_b(20, 10, &space_b);
  ThreadObject& h = object(thread(space_b, 10, kb2));
  ThreadObject& s = object(thread(home_, 0));
  EXPECT_EQ(front(), &h) << "priority 10 within its share beats priority 0";

  // By 1 ms the hog has used all of it (charged at 26/32).
  caches_.charge(h, 1000000);
  caches_.tick(1, 1000000);
  EXPECT_TRUE(caches_.scheduler().kernel_stats(kb2).throttled);
  EXPECT_EQ(front(), &s) << "the throttled kernel's thread is now below priority 0";
  EXPECT_EQ(h.level, 10) << "its bare priority, in the lower band";

  // Nothing more is charged: once the window has moved past its burst, it is back.
  u64 now = 1000000;
  u32 ticks = 1;
  while (caches_.scheduler().kernel_stats(kb2).throttled && ticks < 1000) {
    now += 1000000;
    caches_.tick(++ticks, now);
  }
  EXPECT_FALSE(caches_.scheduler().kernel_stats(kb2).throttled);
  EXPECT_EQ(front(), &h);
  EXPECT_EQ(h.level, CK_PRIORITY_COUNT + 10);
}

TEST_F(SchedulingTest, TheWholeProcessorIsNeverThrottledAndGrantsApplyAtOnce) {
  fake_machine::set_time(0, 0);
  boot();  // a fresh share window at time 0
  ThreadObject& top = object(thread(home_, kMaxPriority));
  caches_.charge(top, 1000000);
  caches_.tick(1, 1000000);
  EXPECT_FALSE(caches_.scheduler().kernel_stats(srm_).throttled) << "charged 147% of a 100% grant, yet never held back";

  ObjectId space_b;
  const u32 kb = kernel_b(100, 10, &space_b);
  ThreadObject& b = object(thread(space_b, 10, kb));
  caches_.charge(b, 500000);
  caches_.tick(2, 1000000);
  EXPECT_FALSE(caches_.scheduler().kernel_stats(kb).throttled);
  // The SRM cuts the grant to 10% and the ceiling to 4: both apply to the loaded thread.
  fake_machine::set_time(1000000, 0);
  ASSERT_EQ(caches_.set_cpu(srm_, b_, 10, 4), CK_OK);
  EXPECT_TRUE(caches_.scheduler().kernel_stats(kb).throttled);
  EXPECT_EQ(caches_.scheduler().priority(b.slot()), 4u);
  EXPECT_EQ(b.level, 4);
}

TEST_F(SchedulingTest, StatisticsReportTimeShareAndState) {
  fake_machine::set_time(0, 0);
  boot();  // a fresh share window at time 0
  ObjectId space_b;
  const u32 kb = kernel_b(30, 8, &space_b);
  const ObjectId id = thread(space_b, 8, kb);
  ThreadObject& t = object(id);
  caches_.charge(t, 64000);
  caches_.charge(t, 64000);
  fake_machine::set_time(1000000, 0);

  ck_thread_stats ts{};
  ASSERT_EQ(caches_.thread_stats(kb, id, t, &ts), CK_OK);
  EXPECT_EQ(ts.run_ns, 128000u);
  EXPECT_EQ(ts.charged_ns, 96000u) << "priority 8: 24/32";
  EXPECT_EQ(ts.dispatches, 2u);
  EXPECT_EQ(ts.priority, 8u);
  EXPECT_EQ(ts.state, u32{CK_THREAD_READY});

  ck_kernel_stats ks{};
  ASSERT_EQ(caches_.kernel_stats(kb, ObjectId(), kb, &ks), CK_OK);
  EXPECT_EQ(ks.run_ns, 128000u);
  EXPECT_EQ(ks.charged_ns, 96000u);
  EXPECT_EQ(ks.window_ns, 1000000u);
  EXPECT_EQ(ks.share_permille, 96u);
  EXPECT_EQ(ks.cpu_percent, 30u);
  EXPECT_EQ(ks.max_priority, 8u);
  EXPECT_EQ(ks.threads, 1u);

  EXPECT_EQ(caches_.kernel_stats(kb, caches_.kernels().id_of(srm_), kb, &ks), CK_E_NOT_OWNER)
      << "only the SRM sees other kernels";
  EXPECT_EQ(caches_.kernel_stats(srm_, b_, srm_, &ks), CK_OK);
  EXPECT_EQ(caches_.kernel_stats(srm_, home_, srm_, &ks), CK_E_INVALID_ID) << "a space is not a kernel";
  EXPECT_EQ(caches_.thread_stats(kb, home_, t, &ts), CK_E_INVALID_ID);
}

// A switch's time is kept on its thread (Scheduler::charge_switch) and settled into the
// totals and the share window at the next tick, or before anything that reads or
// changes what they depend on: every figure reads as if it had been charged at once.
TEST_F(SchedulingTest, ASwitchsTimeSettledLaterReadsAsIfChargedAtOnce) {
  fake_machine::set_time(0, 0);
  boot();
  ObjectId space_b;
  const u32 kb = kernel_b(30, 8, &space_b);
  const ObjectId id = thread(space_b, 8, kb);
  const ObjectId other = thread(space_b, 8, kb);
  ThreadObject& t = object(id);
  caches_.charge_switch(t, 64000);
  caches_.charge_switch(t, 64000);
  fake_machine::set_time(1000000, 0);
  EXPECT_TRUE(caches_.consistent());
  ck_thread_stats ts{};
  ASSERT_EQ(caches_.thread_stats(kb, id, t, &ts), CK_OK);
  EXPECT_EQ(ts.run_ns, 128000u);
  EXPECT_EQ(ts.charged_ns, 96000u) << "priority 8: 24/32";
  EXPECT_EQ(ts.dispatches, 2u);
  ck_kernel_stats ks{};
  ASSERT_EQ(caches_.kernel_stats(kb, ObjectId(), kb, &ks), CK_OK);
  EXPECT_EQ(ks.run_ns, 128000u);
  EXPECT_EQ(ks.charged_ns, 96000u);
  EXPECT_EQ(ks.share_permille, 96u);

  // A new priority applies from now on: what ran before is charged at the old one.
  ASSERT_EQ(caches_.set_priority(kb, id, 4), CK_OK);
  caches_.charge_switch(t, 32000);
  ASSERT_EQ(caches_.thread_stats(kb, id, t, &ts), CK_OK);
  EXPECT_EQ(ts.charged_ns, 96000u + 20000u) << "then priority 4: 20/32";
  caches_.tick(1, 1000000);
  ck_thread_stats settled{};
  ASSERT_EQ(caches_.thread_stats(kb, id, t, &settled), CK_OK);
  EXPECT_EQ(settled.run_ns, 160000u);
  EXPECT_EQ(settled.charged_ns, 116000u);
  EXPECT_EQ(settled.dispatches, 3u);

  // An unloaded thread's time stays its kernel's.
  caches_.charge_switch(object(other), 8000);
  ASSERT_EQ(caches_.unload_thread(kb, other), CK_OK);
  ASSERT_EQ(caches_.kernel_stats(kb, ObjectId(), kb, &ks), CK_OK);
  EXPECT_EQ(ks.run_ns, 168000u);
  EXPECT_EQ(ks.charged_ns, 116000u + 6000u);
  EXPECT_TRUE(caches_.consistent());
}

// The share window: a burst charged at a switch throttles its kernel at the next tick and
// is forgotten as many ticks later as the same burst charged at once.
TEST_F(SchedulingTest, ASwitchsTimeCountsInTheShareWindowsBucketItWasUsedIn) {
  const auto ticks_throttled = [&](bool at_switch) {
    fake_machine::set_time(0, 0);
    boot();
    ObjectId space_b;
    const u32 kb = kernel_b(20, 10, &space_b);
    ThreadObject& h = object(thread(space_b, 10, kb));
    if (at_switch)
      caches_.charge_switch(h, 1000000);
    else
      caches_.charge(h, 1000000);
    u64 now = 1000000;
    u32 ticks = 1;
    caches_.tick(ticks, now);
    EXPECT_TRUE(caches_.scheduler().kernel_stats(kb).throttled) << "throttled at the tick after its burst";
    while (caches_.scheduler().kernel_stats(kb).throttled && ticks < 1000) {
      now += 1000000;
      caches_.tick(++ticks, now);
    }
    return ticks;
  };
  const u32 at_once = ticks_throttled(false);
  EXPECT_GT(at_once, 1u);
  EXPECT_EQ(ticks_throttled(true), at_once);
}

TEST_F(SchedulingTest, AFastCallThatReadiesAHigherPriorityThreadGivesWay) {
  CacheKernel ck(caches_);
  const ObjectId caller = thread(home_, 1);
  const ObjectId waiter = thread(home_, 9);
  u32 value = 0;
  ASSERT_EQ(caches_.block_thread(srm_, waiter, 0, object(caller), &value), CK_OK);
  fake_machine::g_running_thread = &object(caller);
  arch::CallArguments a{.op = CK_WAKE, .arg = {waiter.raw(), 0, 0, 0}, .pointer = 0};
  EXPECT_EQ(ck.fast_call(a), arch::CallOutcome::SwitchTo) << "the woken thread runs straight from the call";
  EXPECT_EQ(static_cast<i32>(a.op), CK_OK) << "the result is in place for when it runs again";
  EXPECT_EQ(front(), &object(waiter));
  EXPECT_EQ(fake_machine::g_running_thread, &object(waiter));
  EXPECT_EQ(fake_machine::g_continued.context, object(waiter).context);

  arch::CallArguments null_call{};
  EXPECT_EQ(ck.fast_call(null_call), arch::CallOutcome::Return);
  arch::CallArguments block_self{.op = CK_BLOCK, .arg = {0, 0, 0, 0}, .pointer = 0};
  EXPECT_EQ(ck.fast_call(block_self), arch::CallOutcome::SwitchTo) << "blocked: its state is saved after the call";
  EXPECT_EQ(static_cast<i32>(block_self.op), CK_OK);
  EXPECT_TRUE(object(waiter).state().blocked());
  EXPECT_EQ(fake_machine::g_running_thread, &object(caller)) << "back to the caller";
  EXPECT_EQ(fake_machine::g_continued.context, object(caller).context);
  EXPECT_EQ(ck.call_finished(object(waiter)), Disposition::Remove);

  // A context that cannot be entered at once (writes still to do): the run loop switches.
  ASSERT_EQ(caches_.wake_thread(srm_, waiter), CK_OK);
  ASSERT_EQ(front(), &object(waiter));
  ASSERT_EQ(caches_.block_thread(srm_, waiter, 0, object(caller), &value), CK_OK);
  fake_machine::g_enter_directly = false;
  a = arch::CallArguments{.op = CK_WAKE, .arg = {waiter.raw(), 0, 0, 0}, .pointer = 0};
  EXPECT_EQ(ck.fast_call(a), arch::CallOutcome::Preempt);
  EXPECT_EQ(fake_machine::g_running_thread, &object(caller));
}

// CK_WAKE and CK_BLOCK on the plain-call hook (arch::PlainCallHook, which the 68040's
// call_entry asks first for them and for CK_SIGNAL and CK_WAIT_SIGNAL): the same
// outcomes as through the call hook above, errors answered the same with nothing
// changed, and declined outside a home space.
TEST_F(SchedulingTest, WakeAndBlockOnThePlainCallHookAreAnsweredAsByTheCallHook) {
  CacheKernel ck(caches_);
  const auto plain = [&](arch::CallArguments& a) { return fake_machine::g_plain_call_hook.handle(&ck, a); };
  const ObjectId caller = thread(home_, 1);
  const ObjectId waiter = thread(home_, 9);
  u32 value = 0;
  ASSERT_EQ(caches_.block_thread(srm_, waiter, 0, object(caller), &value), CK_OK);
  fake_machine::g_running_thread = &object(caller);
  const u32 before = caches_.digest();
  const u64 calls = ck.counters().calls;
  for (const arch::CallArguments& bad :
       {arch::CallArguments{.op = CK_WAKE, .arg = {home_.raw(), 0, 0, 0}, .pointer = 0},
        arch::CallArguments{.op = CK_BLOCK, .arg = {home_.raw(), 0, 0, 0}, .pointer = 0},
        arch::CallArguments{.op = CK_SIGNAL, .arg = {0x0f000000, 0, 0, 0}, .pointer = 0}}) {
    arch::CallArguments a = bad;
    arch::CallArguments same = bad;
    EXPECT_EQ(plain(a), static_cast<u32>(arch::CallOutcome::Return)) << bad.op;
    EXPECT_NE(static_cast<i32>(a.op), CK_OK) << bad.op;
    EXPECT_EQ(caches_.digest(), before);
    EXPECT_EQ(ck.fast_call(same), arch::CallOutcome::Return);
    EXPECT_EQ(a.op, same.op);
    EXPECT_EQ(a.arg[0], same.arg[0]);
  }
  EXPECT_EQ(ck.counters().calls, calls + 6);

  arch::CallArguments a{.op = CK_WAKE, .arg = {waiter.raw(), 0, 0, 0}, .pointer = 0};
  EXPECT_EQ(plain(a), static_cast<u32>(arch::CallOutcome::SwitchTo)) << "the woken thread runs straight from the call";
  EXPECT_EQ(static_cast<i32>(a.op), CK_OK);
  EXPECT_EQ(front(), &object(waiter));
  EXPECT_EQ(fake_machine::g_running_thread, &object(waiter));
  EXPECT_EQ(fake_machine::g_continued.context, object(waiter).context);
  EXPECT_EQ(ck.counters().calls, calls + 7);

  arch::CallArguments block_self{.op = CK_BLOCK, .arg = {0, 0, 0, 0}, .pointer = 0};
  EXPECT_EQ(plain(block_self), static_cast<u32>(arch::CallOutcome::SwitchTo));
  EXPECT_EQ(static_cast<i32>(block_self.op), CK_OK);
  EXPECT_TRUE(object(waiter).state().blocked());
  EXPECT_EQ(fake_machine::g_running_thread, &object(caller)) << "back to the caller";
  EXPECT_EQ(fake_machine::g_continued.context, object(caller).context);

  // A context that cannot be entered at once: the run loop switches.
  fake_machine::g_enter_directly = false;
  a = arch::CallArguments{.op = CK_WAKE, .arg = {waiter.raw(), 0, 0, 0}, .pointer = 0};
  EXPECT_EQ(plain(a), static_cast<u32>(arch::CallOutcome::Preempt));
  EXPECT_EQ(fake_machine::g_running_thread, &object(caller));
  fake_machine::g_enter_directly = true;

  // Outside a home space trap #0 is not a call: declined, nothing done.
  ObjectId other;
  ASSERT_EQ(caches_.load_space(srm_, ObjectId(), 2, 0, &other), CK_OK);
  const ObjectId elsewhere = thread(other, 1);
  fake_machine::g_running_thread = &object(elsewhere);
  const u32 now = caches_.digest();
  a = arch::CallArguments{.op = CK_BLOCK, .arg = {0, 0, 0, 0}, .pointer = 0};
  EXPECT_EQ(plain(a), arch::PlainCall::Declined);
  EXPECT_EQ(a.op, static_cast<u32>(CK_BLOCK));
  EXPECT_EQ(caches_.digest(), now);
}

}  // namespace
}  // namespace ck
