// Channels on message pages (channel.h).
#include "channel.h"

#include <string.h>

namespace ak {

int32_t ChannelSender::try_send(const void* data, uint32_t bytes, bool* sent) {
  const uint32_t head = page_->head;
  const uint32_t next = (head + 1) % kChannelSlots;
  *sent = false;
  if (next == page_->tail || bytes > kMessageBytes) return CK_OK;
  ChannelPage::Slot& slot = page_->slots[head];
  memcpy(slot.data, data, bytes);
  slot.bytes = bytes;
  page_->head = next;  // the message is complete before the index moves
  *sent = true;
  return call(CK_SIGNAL, reinterpret_cast<uint32_t>(&slot)).status;
}

int32_t ChannelSender::send(const void* data, uint32_t bytes, uint32_t ticks) {
  if (bytes > kMessageBytes) return CK_E_ARGUMENT;
  const uint32_t tick_ns = query(CK_QUERY_TICK_NS).value;
  for (uint32_t waited = 0;; ++waited) {
    bool sent = false;
    const int32_t status = try_send(data, bytes, &sent);
    if (sent) return status;
    if (waited == ticks) return CK_E_RETRY;
    block_self(tick_ns / 2);  // full: the receiver has work; come back next tick
  }
}

uint32_t ChannelReceiver::try_receive(void* out, uint32_t* bytes) {
  const uint32_t tail = page_->tail;
  if (tail == page_->head) return 0;
  const ChannelPage::Slot& slot = page_->slots[tail];
  *bytes = slot.bytes;
  if (out != nullptr) memcpy(out, slot.data, slot.bytes);
  page_->tail = (tail + 1) % kChannelSlots;
  return reinterpret_cast<uint32_t>(&slot);
}

uint32_t ChannelReceiver::receive(void* out, uint32_t* bytes, uint32_t* signalled) {
  *signalled = 0;
  for (;;) {
    if (const uint32_t at = try_receive(out, bytes); at != 0) return at;
    *signalled = call(CK_WAIT_SIGNAL).value;
  }
}

}  // namespace ak
