// The check mailbox (issue 15, the fuzz suite; paper §3's SRM as the one kernel that may
// inspect the Cache Kernel): a few words in a kernel's boot-info page through which a
// hostile (fuzz) kernel asks the SRM, after each batch of calls, to run the Cache Kernel's
// invariant walk (CK_QUERY_DIGEST is the first kernel's alone), and a victim kernel shows
// that it makes progress. The SRM reads and answers it through its window on the
// kernel's memory; the kernel sees it at ak_layout::kBootInfo + kMailboxOffset. Shared by
// the SRM and the kernels of ak-fuzz/ and ak-victim/.
#pragma once

#include "lib/types.h"

namespace ck::check_mailbox {

inline constexpr u32 kMailboxOffset = 2048;  // in the boot-info page, after the arguments
inline constexpr u32 kMagic = 0x46555a5a;    // 'FUZZ': the kernel uses the mailbox

enum class Role : u32 { None = 0, Fuzzer = 1, Victim = 2 };

struct Mailbox {
  u32 magic;
  Role role;
  // Fuzzer -> SRM: a new request number asks for one invariant walk.
  volatile u32 request;
  // SRM -> fuzzer: `done` = the request answered; the walk's status and digest; the
  // victims' summed progress and how many are running, at that moment.
  volatile u32 done;
  volatile i32 status;
  volatile u32 digest;
  volatile u32 victim_progress;
  volatile u32 victims;
  // Victim -> SRM: rounds completed; SRM -> victim: stop once no fuzzer runs.
  volatile u32 progress;
  volatile u32 stop;
};

}  // namespace ck::check_mailbox
