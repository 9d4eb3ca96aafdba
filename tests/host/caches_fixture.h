// The Cache Kernel's object caches on the simulated machine, booted with a first kernel
// and its home space, for the host tests of scheduling and messaging; capacities of 4
// (tests/host/CMakeLists.txt).
#pragma once

#include <gtest/gtest.h>

#include "calls.h"
#include "fake_machine.h"

namespace ck {

using fake_machine::kMemoryBase;

constexpr PhysAddr kSrmRing = kMemoryBase;
constexpr PhysAddr kRingB = kMemoryBase + 4096;
constexpr VirtAddr kStackVa(0x00700000);

// Leaves `free_slots` free in a ring, as if its kernel had not read what came before
// (its tail moved back: the Cache Kernel never reads the slots it skips).
inline void leave_room(PhysAddr ring, u32 free_slots) {
  auto* h = static_cast<ck_ring_header*>(arch::physical_memory(ring));
  const u32 usable = h->slots - 1;
  const u32 used = usable - 1 - free_slots;
  h->tail = 1 + (h->head - 1 + usable - used) % usable;
}

class CachesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fake_machine::reset();
    boot();
  }

  // Empty caches (and a new share window from the clock's time), the first kernel and
  // its home space.
  void boot() {
    caches_.init();
    srm_ = caches_.create_first_kernel(FirstKernelSetup{
        .memory = PhysRange{kMemoryBase, 4 * MiB}, .ring = kSrmRing, .ring_bytes = 4096, .handler = VirtAddr(0x1000)});
    ASSERT_EQ(caches_.load_space(srm_, ObjectId(), 1, CK_SPACE_HOME, &home_), CK_OK);
  }

  void TearDown() override {
    fake_machine::g_running_thread = nullptr;
    EXPECT_TRUE(caches_.consistent());
  }

  ObjectId thread(ObjectId space, u32 priority, u32 caller = kNoSlot, u32 signal_function = 0) {
    ck_thread_state s{};
    s.regs.pc = 0x2000;
    s.regs.a[7] = 0x00800000;
    s.signal_function = signal_function;
    s.exception_stack = kStackVa.value() + 4096;
    ObjectId id;
    EXPECT_EQ(caches_.load_thread(caller == kNoSlot ? srm_ : caller, space, 7, priority << CK_PRIORITY_SHIFT, s, &id),
              CK_OK);
    return id;
  }

  // A second kernel with `percent` of the processor and priorities up to `max`, and a
  // space of its own.
  u32 kernel_b(u32 percent, u32 max, ObjectId* space) {
    ck_kernel_desc d{.handler = 0x3000, .writeback_ring = kRingB.value(), .ring_bytes = 4096, .cookie = 2, .flags = 0};
    EXPECT_EQ(caches_.load_kernel(srm_, d, &b_), CK_OK);
    EXPECT_EQ(caches_.set_cpu(srm_, b_, percent, max), CK_OK);
    const u32 slot = b_.slot(ObjectCaches::Kernels::kSlotBits);
    EXPECT_EQ(caches_.load_space(slot, ObjectId(), 3, 0, space), CK_OK);
    return slot;
  }

  ThreadObject& object(ObjectId id) {
    u32 slot = 0;
    EXPECT_EQ(caches_.threads().find(id, &slot), LookupError::None);
    return caches_.thread(slot);
  }
  Thread* front() { return caches_.run_queue().front(); }

  ObjectCaches caches_;
  u32 srm_ = kNoSlot;
  ObjectId home_, b_;
};

}  // namespace ck
