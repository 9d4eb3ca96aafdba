// Devices through memory-based messaging (issue 6, paper §2.2) on the simulated
// machine: console output by a signal on the transmit page, console input into the
// receive ring with a signal to its reader, the clock page and its tick signals.
#include <cstring>
#include <optional>

#include "caches_fixture.h"
#include "devices.h"

namespace ck {
namespace {

constexpr PhysAddr kTx = kMemoryBase + 128 * KiB;
constexpr PhysAddr kRx = kTx + 4096;
constexpr PhysAddr kClock = kRx + 4096;
constexpr PhysAddr kDiskRequest = kClock + 4096, kDiskData = kDiskRequest + 4096;
constexpr VirtAddr kTxVa(0x40000000), kRxVa(0x40001000), kClockVa(0x40002000);

class DevicesTest : public CachesTest {
 protected:
  void SetUp() override {
    CachesTest::SetUp();  // a fresh machine: the device pages are set up in it
    devices_.emplace(caches_, DevicePages{kTx, kRx, kClock, kDiskRequest, kDiskData}, arch::console(), 10000000);
    ASSERT_EQ(caches_.load_space(srm_, ObjectId(), 10, 0, &space_), CK_OK);
    thread_ = thread(space_, 1);
  }
  ObjectId space_, thread_;
  std::optional<Devices> devices_;
};

TEST_F(DevicesTest, TextSignalledOnTheTransmitPageIsWrittenOut) {
  ASSERT_EQ(caches_.load_mapping(srm_, space_, kTxVa, kTx, CK_MAP_WRITE | CK_MAP_MESSAGE), CK_OK);
  u8* page = static_cast<u8*>(arch::physical_memory(kTx));
  const u32 bytes = 6;
  std::memcpy(page + 64, &bytes, 4);
  std::memcpy(page + 68, "hello\n", 6);
  u32 delivered = 0;
  ASSERT_EQ(caches_.signal(object(thread_), kTxVa + 64, &delivered), CK_OK);
  EXPECT_EQ(delivered, 1u) << "the driver took it";
  EXPECT_EQ(fake_machine::console_output(), "hello\n");
  // A count past the page's end is cut at the end; an unaligned address is ignored.
  const u32 huge = 0xffffffff;
  std::memcpy(page + 4088, &huge, 4);
  std::memcpy(page + 4092, "abcd", 4);
  ASSERT_EQ(caches_.signal(object(thread_), kTxVa + 4088, &delivered), CK_OK);
  EXPECT_EQ(fake_machine::console_output(), "hello\nabcd");
  ASSERT_EQ(caches_.signal(object(thread_), kTxVa + 65, &delivered), CK_OK);
  EXPECT_EQ(fake_machine::console_output(), "hello\nabcd");
}

TEST_F(DevicesTest, InputGoesToTheReceiveRingAndItsReaderIsSignalled) {
  ASSERT_EQ(caches_.load_mapping(srm_, space_, kRxVa, kRx, CK_MAP_WRITE | CK_MAP_MESSAGE, thread_), CK_OK);
  ThreadObject& reader = object(thread_);
  u32 value = 0;
  ASSERT_EQ(caches_.wait_signal(reader, &value), CK_OK);
  fake_machine::type("hi");
  devices_->input(arch::console_poll);
  const auto* rx = static_cast<const ck_console_rx*>(arch::physical_memory(kRx));
  EXPECT_EQ(rx->head, 2u);
  EXPECT_EQ(rx->data[0], 'h');
  EXPECT_EQ(rx->data[1], 'i');
  EXPECT_FALSE(reader.state().blocked());
  EXPECT_EQ(arch::call_arguments(reader.own).arg[0], kRxVa.value() + offsetof(ck_console_rx, data))
      << "the first new byte, at the reader's address";
  // A ring the reader does not empty fills; what does not fit is counted.
  fake_machine::type(std::string(CK_CONSOLE_RX_BYTES + 10, 'x'));
  devices_->input(arch::console_poll);
  EXPECT_EQ(rx->head, CK_CONSOLE_RX_BYTES - 1);
  EXPECT_EQ(rx->dropped, 13u) << "2 + 4090 bytes into a ring that holds 4079";
}

TEST_F(DevicesTest, TheClockPageIsUpdatedAndSignalledEveryTick) {
  ASSERT_EQ(caches_.load_mapping(srm_, space_, kClockVa, kClock, CK_MAP_MESSAGE, thread_), CK_OK);
  devices_->tick(7, 0x123456789ull);
  const auto* c = static_cast<const ck_clock*>(arch::physical_memory(kClock));
  EXPECT_EQ(c->ticks_low, 7u);
  EXPECT_EQ(c->ns_high, 1u);
  EXPECT_EQ(c->ns_low, 0x23456789u);
  EXPECT_EQ(c->tick_ns, 10000000u);
  EXPECT_EQ(c->sequence % 2, 0u) << "even between updates";
  EXPECT_EQ(caches_.messaging().queued(object(thread_).slot()), 1u) << "a timer signal queued for the thread";
}

TEST_F(DevicesTest, DiskRequestsMoveSectorsAndAreAnsweredBySignal) {
  constexpr VirtAddr kRequestVa(0x40003000);
  ASSERT_EQ(caches_.load_mapping(srm_, space_, kRequestVa, kDiskRequest, CK_MAP_WRITE | CK_MAP_MESSAGE, thread_),
            CK_OK);
  u8* data = static_cast<u8*>(arch::physical_memory(kDiskData));
  auto* request = static_cast<ck_disk_request*>(arch::physical_memory(kDiskRequest));
  std::memset(data, 0x5a, 1024);
  *request = ck_disk_request{.op = CK_DISK_WRITE, .status = 1, .sector = 3, .count = 2, .data_offset = 0};
  u32 delivered = 0;
  ASSERT_EQ(caches_.signal(object(thread_), kRequestVa, &delivered), CK_OK);
  EXPECT_EQ(request->status, 1) << "not answered while the transfer runs";
  EXPECT_EQ(caches_.messaging().queued(object(thread_).slot()), 0u);
  // A second request meanwhile is answered at once: one at a time.
  constexpr u32 kSecond = 64;
  auto* second = static_cast<ck_disk_request*>(arch::physical_memory(kDiskRequest + kSecond));
  *second = ck_disk_request{.op = CK_DISK_READ, .status = 1, .sector = 0, .count = 1, .data_offset = 0};
  ASSERT_EQ(caches_.signal(object(thread_), kRequestVa + kSecond, &delivered), CK_OK);
  EXPECT_EQ(second->status, CK_E_BUSY);
  EXPECT_EQ(caches_.messaging().queued(object(thread_).slot()), 1u) << "the refusal, signalled";
  devices_->disk_ended();
  EXPECT_EQ(request->status, 1) << "its end has not come";
  fake_machine::end_disk_transfer();
  devices_->disk_ended();
  EXPECT_EQ(request->status, CK_OK);
  EXPECT_EQ(caches_.messaging().queued(object(thread_).slot()), 2u)
      << "the completion, to the request page's signal thread";
  std::memset(data, 0, 4096);
  *request = ck_disk_request{.op = CK_DISK_READ, .status = 1, .sector = 4, .count = 1, .data_offset = 512};
  ASSERT_EQ(caches_.signal(object(thread_), kRequestVa, &delivered), CK_OK);
  fake_machine::end_disk_transfer();
  devices_->disk_ended();
  EXPECT_EQ(request->status, CK_OK);
  EXPECT_EQ(data[512], 0x5a);
  EXPECT_EQ(data[1023], 0x5a);
  EXPECT_EQ(data[0], 0) << "only the sector asked for";
  const ck_disk_request bad[] = {
      {.op = 7, .status = 1, .sector = 0, .count = 1, .data_offset = 0},
      {.op = CK_DISK_READ, .status = 1, .sector = 0, .count = 0, .data_offset = 0},
      {.op = CK_DISK_READ, .status = 1, .sector = 0, .count = 2, .data_offset = 3584},
      {.op = CK_DISK_READ, .status = 1, .sector = 0, .count = 1, .data_offset = 100},
      {.op = CK_DISK_READ, .status = 1, .sector = 64, .count = 1, .data_offset = 0},
  };
  const i32 expected[] = {CK_E_ARGUMENT, CK_E_ARGUMENT, CK_E_ARGUMENT, CK_E_ARGUMENT, CK_E_ADDRESS};
  for (u32 i = 0; i < 5; ++i) {
    *request = bad[i];
    ASSERT_EQ(caches_.signal(object(thread_), kRequestVa, &delivered), CK_OK);
    EXPECT_EQ(request->status, expected[i]) << "bad request " << i;
  }
}

}  // namespace
}  // namespace ck
