// One-way channels on message pages (paper §2.2, §3's communication library): a
// single-producer, single-consumer ring of fixed-size messages in one page that both
// kernels map, the receiver's mapping naming its signal thread. The sender writes a
// message in place and signals its address; the receiver is woken with the message's
// address in its own space and reads it where it is. No copy through the Cache Kernel.
#pragma once

#include <stdint.h>

#include "ck_call.h"

namespace ak {

inline constexpr uint32_t kChannelPageBytes = 4096;
inline constexpr uint32_t kMessageBytes = 60;

// The page: indices first, then the slots.
struct ChannelPage {
  volatile uint32_t head;  // next slot the sender fills (only it writes this)
  volatile uint32_t tail;  // next slot the receiver reads (only it writes this)
  uint32_t reserved[14];
  struct Slot {
    uint32_t bytes;
    uint8_t data[kMessageBytes];
  } slots[(kChannelPageBytes - 64) / 64];
};
static_assert(sizeof(ChannelPage) <= kChannelPageBytes, "a channel is one page");
inline constexpr uint32_t kChannelSlots = sizeof(ChannelPage::slots) / sizeof(ChannelPage::Slot);

class ChannelSender {
 public:
  // `page`: the channel's page in the sender's space (mapped writable, message mode).
  explicit ChannelSender(uint32_t page) : page_(reinterpret_cast<ChannelPage*>(page)) {}
  // Writes one message (at most kMessageBytes) and signals it: CK_OK, or the signal's
  // error (CK_E_SIGNAL_QUEUE_FULL: the receiver has that many wake-ups pending and will
  // find this message too). False in *sent when the ring is full (nothing written).
  int32_t try_send(const void* data, uint32_t bytes, bool* sent);
  // The same, waiting a tick at a time while the ring is full, at most `ticks` ticks
  // (then CK_E_RETRY: the receiver is not reading).
  int32_t send(const void* data, uint32_t bytes, uint32_t ticks = 100);

 private:
  ChannelPage* page_;
};

class ChannelReceiver {
 public:
  // `page`: the channel's page in the receiver's space.
  explicit ChannelReceiver(uint32_t page) : page_(reinterpret_cast<ChannelPage*>(page)) {}
  // The next message, if one is there: its address in this space (0: none), copied to
  // `out` (kMessageBytes) when given.
  uint32_t try_receive(void* out, uint32_t* bytes);
  // The next message, waiting for a signal (CK_WAIT_SIGNAL) while there is none. The
  // address the last signal gave is in *signalled (0 when none was needed).
  uint32_t receive(void* out, uint32_t* bytes, uint32_t* signalled);

 private:
  ChannelPage* page_;
};

}  // namespace ak
