// Time arguments of system calls (time_args.h).
#include "time_args.h"

#include "emulator.h"
#include "lib/endian.h"
#include "linux_abi.h"
#include "user_memory.h"

namespace unixemu {

namespace abi = linux_abi;

uint64_t realtime_ns() { return static_cast<uint64_t>(boot_seconds()) * 1000000000u + uptime_ns(); }

int32_t timespec_in(Process& p, uint32_t va, bool wide, uint64_t* ns) {
  uint8_t raw[16];
  if (const int32_t s = copy_in(p, va, raw, wide ? 16 : 8); s != 0) return s;
  const int64_t seconds =
      wide ? static_cast<int64_t>(static_cast<uint64_t>(ck::load_be32(raw)) << 32 | ck::load_be32(raw + 4))
           : static_cast<int32_t>(ck::load_be32(raw));
  const int32_t nanoseconds = static_cast<int32_t>(ck::load_be32(raw + (wide ? 12 : 4)));
  if (seconds < 0 || nanoseconds < 0 || nanoseconds >= 1000000000) return -abi::kEINVAL;
  constexpr int64_t kLongest = 0x7fffffffll * 4;  // past anyone's patience (no overflow below)
  const uint64_t whole = static_cast<uint64_t>(seconds < kLongest ? seconds : kLongest);
  *ns = whole * 1000000000u + static_cast<uint32_t>(nanoseconds);
  return 0;
}

uint64_t sleep_deadline(bool realtime, bool absolute, uint64_t ns) {
  const uint64_t now = uptime_ns();
  if (!absolute) return now + ns;
  const uint64_t offset = realtime ? realtime_ns() - now : 0;
  if (ns <= offset) return 0;
  const uint64_t deadline = ns - offset;
  return deadline > now ? deadline : 0;
}

}  // namespace unixemu
