// The forward fast path's card (arch::ExceptionCard, calls.cpp's card hook) on the
// simulated machine: what a loaded thread's card says, the state change its hook makes
// for the entry path, and what it declines having changed nothing.
#include <gtest/gtest.h>

#include <memory>

#include "calls.h"
#include "fake_machine.h"

namespace ck {
namespace {

using fake_machine::kMemoryBase;

constexpr PhysAddr kRing = kMemoryBase;
constexpr PhysAddr kStackPage = kMemoryBase + 64 * KiB;
constexpr VirtAddr kStackVa(0x00700000);

// The first kernel with its home space (the exception stack page mapped there) and a
// thread in it.
class CardTest : public ::testing::Test {
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

  ThreadObject& object(ObjectId id) {
    u32 slot = 0;
    EXPECT_EQ(caches_.threads().find(id, &slot), LookupError::None);
    return caches_.thread(slot);
  }

  ObjectCaches caches_;
  u32 srm_ = kNoSlot;
  ObjectId home_, thread_;
};

// CK_KERNEL_HANDLER_NO_FPU: the cards of a kernel that declares it tell the entry path to
// leave the FPU alone on their forwards; every other kernel's still say to reset it. The
// first kernel declares it through its setup (its image's kAkHandlerNoFpu). A flag beyond
// the known ones is still refused, the kernel not loaded.
TEST_F(CardTest, AKernelWhoseHandlerDoesNotUseTheFpuSaysSoOnItsThreadsCards) {
  EXPECT_EQ(object(thread_).card().keep_fpu, 0u) << "the first kernel declared nothing";
  const PhysAddr ring = kMemoryBase + 128 * KiB;
  ck_kernel_desc d{.handler = 0x3000,
                   .writeback_ring = ring.value(),
                   .ring_bytes = 4096,
                   .cookie = 2,
                   .flags = CK_KERNEL_HANDLER_NO_FPU | 0x20};
  ObjectId k;
  const u32 kernels = caches_.kernels().loaded_count();
  EXPECT_EQ(caches_.load_kernel(srm_, d, &k), CK_E_ARGUMENT) << "an unknown flag beside it";
  EXPECT_EQ(caches_.kernels().loaded_count(), kernels);
  d.flags = CK_KERNEL_HANDLER_NO_FPU;
  ASSERT_EQ(caches_.load_kernel(srm_, d, &k), CK_OK);
  const u32 slot = k.slot(ObjectCaches::Kernels::kSlotBits);
  ObjectId home, space;
  ASSERT_EQ(caches_.load_space(slot, ObjectId(), 3, CK_SPACE_HOME, &home), CK_OK);
  ASSERT_EQ(caches_.load_space(slot, ObjectId(), 4, 0, &space), CK_OK);
  ck_thread_state s{};
  s.regs.pc = 0x2000;
  s.exception_stack = kStackVa.value() + 4096;
  ObjectId id;
  ASSERT_EQ(caches_.load_thread(slot, space, 8, 0, s, &id), CK_OK);
  EXPECT_EQ(object(id).card().keep_fpu, 1u);
  EXPECT_TRUE(caches_.consistent());
}

TEST(CardFirstKernel, AFirstKernelWhoseHandlerDoesNotUseTheFpuSaysSoOnItsThreadsCards) {
  fake_machine::reset();
  auto first = std::make_unique<ObjectCaches>();
  first->init();
  const u32 srm = first->create_first_kernel(FirstKernelSetup{.memory = PhysRange{kMemoryBase, 4 * MiB},
                                                              .ring = kRing,
                                                              .ring_bytes = 4096,
                                                              .handler = VirtAddr(0x1000),
                                                              .handler_no_fpu = true});
  ObjectId home, id;
  ASSERT_EQ(first->load_space(srm, ObjectId(), 1, CK_SPACE_HOME, &home), CK_OK);
  ck_thread_state s{};
  s.regs.pc = 0x2000;
  s.exception_stack = kStackVa.value() + 4096;
  ASSERT_EQ(first->load_thread(srm, home, 7, 0, s, &id), CK_OK);
  u32 t = 0;
  ASSERT_EQ(first->threads().find(id, &t), LookupError::None);
  EXPECT_EQ(first->thread(t).card().keep_fpu, 1u);
  EXPECT_TRUE(first->consistent());
}

TEST_F(CardTest, TheCardSaysWhatTheForwardHookWouldWriteAndItsHookEntersTheHandlerAlike) {
  CacheKernel ck(caches_);
  ThreadObject& t = running_elsewhere();
  const arch::ExceptionCard& card = t.card();
  ASSERT_EQ(arch::attached_card(t.own), &card) << "on its own context";
  ASSERT_EQ(fake_machine::g_card_hook.self, &ck);
  EXPECT_EQ(card.handler, 0x1000u);
  EXPECT_EQ(card.frame, (kStackVa.value() + 4096 - sizeof(ck_exception)) & ~3u);
  EXPECT_EQ(card.thread, t.id);
  EXPECT_EQ(card.space, caches_.spaces().id_of(t.home_space()).raw());
  u32 home_slot = 0;
  ASSERT_EQ(caches_.spaces().find(home_, &home_slot), LookupError::None);
  EXPECT_EQ(*card.home_root, caches_.tables().space(home_slot).tables.tables);
  EXPECT_TRUE(caches_.consistent());

  const Fault f{.kind = FaultKind::Mapping,
                .vector = 2,
                .pc = VirtAddr(0x2000),
                .address = VirtAddr(0x9004),
                .access = Access::Write,
                .size = 2};
  arch::ExceptionWords report;
  arch::UserContext* handler = fake_machine::g_card_hook.handle(&ck, card, 0, &f, &report);
  ASSERT_NE(handler, nullptr);
  EXPECT_EQ(handler, t.context);
  EXPECT_EQ(t.state().running(), Running::Handler);
  EXPECT_EQ(t.exception_frame().value(), card.frame);
  EXPECT_EQ(t.space, &caches_.tables().space(home_slot).tables);
  EXPECT_EQ(report.kind, static_cast<u32>(CK_EXC_MAPPING));
  EXPECT_EQ(report.vector, 2u);
  EXPECT_EQ(report.address, 0x9004u);
  EXPECT_EQ(report.access, CK_ACCESS_WRITE | 2u << 8);
  EXPECT_EQ(ck.counters().forwarded, 1u);
  EXPECT_TRUE(caches_.consistent());
  arch::CallArguments a{.op = CK_RESUME, .arg = {0, 0, 0, 0}, .pointer = 0};
  EXPECT_EQ(ck.fast_call(a), arch::CallOutcome::Enter);
  EXPECT_EQ(t.context, &t.own);
  // A trap reports its number.
  ASSERT_NE(fake_machine::g_card_hook.handle(&ck, card, 5, nullptr, &report), nullptr);
  EXPECT_EQ(report.kind, static_cast<u32>(CK_EXC_TRAP));
  EXPECT_EQ(report.vector, 5u);
  EXPECT_EQ(report.address, 0u);
}

TEST_F(CardTest, TheCardHookDeclinesWhatTheGeneralPathDecidesAndChangesNothing) {
  CacheKernel ck(caches_);
  arch::ExceptionWords report;
  // The first kernel's own thread in its home space: trap #0 there is a call.
  ThreadObject& srm_thread = object(thread_);
  fake_machine::g_running_thread = &srm_thread;
  const u32 before = caches_.digest();
  EXPECT_EQ(fake_machine::g_card_hook.handle(&ck, srm_thread.card(), 0, nullptr, &report), nullptr);
  EXPECT_EQ(caches_.digest(), before);
  // Not the running thread's card.
  ThreadObject& t = running_elsewhere();
  EXPECT_EQ(fake_machine::g_card_hook.handle(&ck, srm_thread.card(), 1, nullptr, &report), nullptr);
  EXPECT_EQ(srm_thread.state().running(), Running::Own);
  // Already in its handler: a fault there is the general path's (the thread fails).
  ASSERT_NE(fake_machine::g_card_hook.handle(&ck, t.card(), 1, nullptr, &report), nullptr);
  const u32 in_handler = caches_.digest();
  EXPECT_EQ(fake_machine::g_card_hook.handle(&ck, t.card(), 1, nullptr, &report), nullptr);
  EXPECT_EQ(caches_.digest(), in_handler);
  EXPECT_EQ(ck.counters().forwarded, 1u);
  // A stack whose frame would straddle a page: no card path (frame 0), and the hook
  // refuses it too.
  ASSERT_EQ(caches_.unload_thread(srm_, caches_.threads().id_of(t.slot())), CK_OK);
  ThreadObject& u = running_elsewhere(kStackVa.value() + 64);
  EXPECT_EQ(u.card().frame, 0u);
  EXPECT_EQ(fake_machine::g_card_hook.handle(&ck, u.card(), 1, nullptr, &report), nullptr);
  EXPECT_EQ(u.state().running(), Running::Own);
  EXPECT_TRUE(caches_.consistent());
}

}  // namespace
}  // namespace ck
