// Orphaned process groups (orphaned_groups.h).
#include "orphaned_groups.h"

#include "linux_abi_process.h"
#include "linux_abi_signal.h"
#include "process_end.h"
#include "signal_post.h"

namespace unixemu {

namespace abi = linux_abi;

namespace {

static_assert(ProcessTable::kMax <= 64, "hang_up_orphaned's children are a bit per slot");

bool has_stopped_member(uint32_t pgid) {
  for (uint32_t i = 0; i < ProcessTable::kMax; ++i) {
    const Process& t = processes().slot(i);
    if (t.state == ProcessState::Running && t.group().pgid == pgid && t.sig.stopped) return true;
  }
  return false;
}

void signal_group(uint32_t pgid, uint32_t signal) {
  processes().for_each_used([&](Process& q) {
    if (q.state == ProcessState::Running && q.is_leader() && q.pgid == pgid) post_signal(q, signal, abi::kSI_KERNEL);
  });
}

// Linux's kill_orphaned_pgrp: `member`'s group, linked outside through `parent` until now.
void hang_up_if_orphaned(const Process& member, const Process& parent, const Process* ignored) {
  const uint32_t pgid = member.pgid;
  if (parent.pgid == pgid || parent.sid != member.sid) return;  // it was no link outside
  if (!group_orphaned(pgid, ignored) || !has_stopped_member(pgid)) return;
  signal_group(pgid, abi::kSIGHUP);
  signal_group(pgid, abi::kSIGCONT);
}

}  // namespace

bool group_orphaned(uint32_t pgid, const Process* ignored) {
  for (uint32_t i = 0; i < ProcessTable::kMax; ++i) {
    const Process& q = processes().slot(i);
    if (q.state != ProcessState::Running || !q.is_leader() || q.pgid != pgid || &q == ignored) continue;
    if (q.ppid == kInitPid) continue;
    const Process* parent = processes().by_pid(q.ppid);
    if (parent != nullptr && parent->pgid != pgid && parent->sid == q.sid) return false;
  }
  return true;
}

void hang_up_orphaned(Process& p, uint64_t children) {
  // Only the children's slots, a 32-bit half at a time (a test of each of the 64 slots
  // with a 64-bit shift was some 1,300 instructions of every exit: issue 18 item 11).
  for (uint32_t half = 0; half < 2; ++half) {
    for (auto bits = static_cast<uint32_t>(children >> (32 * half)); bits != 0; bits &= bits - 1) {
      const Process& child = processes().slot(32 * half + static_cast<uint32_t>(__builtin_ctz(bits)));
      if (child.state == ProcessState::Running) hang_up_if_orphaned(child, p, nullptr);
    }
  }
  const Process* parent = processes().by_pid(p.ppid);
  if (parent != nullptr) hang_up_if_orphaned(p, *parent, &p);
}

}  // namespace unixemu
