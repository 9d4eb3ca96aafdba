// Futexes (futex.h).
#include "futex.h"

#include "blocking.h"
#include "emulator.h"
#include "interruption.h"
#include "lib/endian.h"
#include "linux_abi.h"
#include "linux_abi_process.h"
#include "linux_abi_signal.h"
#include "regions.h"
#include "syscalls.h"
#include "time_args.h"
#include "user_memory.h"

namespace unixemu {

namespace abi = linux_abi;

namespace {

uint32_t g_next_ticket = 0;  // the order waits began in

// What names a futex (Linux's futex_key): a process and an address, or, for a shared
// futex in MAP_SHARED memory, the frame and offset of its word (owner 0), the same in
// every process that maps it. A shared futex in private memory is not the PRIVATE one at
// the same address (Linux marks its key FUT_OFF_MMSHARED): kShared in its owner.
struct FutexKey {
  static constexpr uint32_t kShared = 0x80000000u;
  uint32_t owner = 0;  // the leader's slot + 1 (| kShared), or 0
  uint32_t word = 0;   // the address, or the frame + the offset in it
};

bool waits_on(const Process& q, const FutexKey& key) {
  return q.state == ProcessState::Running && q.wait.kind == WaitKind::Futex && q.futex_owner == key.owner &&
         q.futex_address == key.word;
}

// The key of the futex at `address`: 0, -EINVAL (misaligned) or -EFAULT (a shared
// futex's word unmapped: Linux's get_futex_key looks its page up; a private one's not).
int32_t key_of(Process& p, uint32_t address, bool shared, FutexKey* key) {
  if ((address & 3) != 0) return -abi::kEINVAL;
  *key = FutexKey{.owner = processes().index_of(p.group()) + 1, .word = address};
  if (!shared) return 0;
  key->owner |= FutexKey::kShared;
  uint8_t raw[4];
  if (copy_in(p, address, raw, sizeof raw) != 0) return -abi::kEFAULT;
  const Region* r = p.group().regions.find(page_down(address));
  uint32_t frame;
  if (r != nullptr && r->shared && resident_frame(p, address, Touch::Read, &frame) == 0)
    *key = FutexKey{.owner = 0, .word = frame + (address & (kPageBytes - 1))};
  return 0;
}

// The oldest waiter on `key` whose bitset meets `bitset`, or nullptr.
Process* oldest_waiter(const FutexKey& key, uint32_t bitset) {
  Process* found = nullptr;
  for (uint32_t i = 0; i < ProcessTable::kMax; ++i) {
    Process& q = processes().slot(i);
    if (!waits_on(q, key) || q.futex_pi || (q.futex_bitset & bitset) == 0) continue;
    if (found == nullptr || q.futex_ticket - found->futex_ticket > 0x80000000u) found = &q;
  }
  return found;
}

void wake_waiter(Process& q) {
  q.futex_woken = true;
  wake_process(q);
}

// The futex word at `address`: 0, -EINVAL (misaligned) or -EFAULT.
int32_t read_word(Process& p, uint32_t address, uint32_t* value) {
  if ((address & 3) != 0) return -abi::kEINVAL;
  uint8_t raw[4];
  if (copy_in(p, address, raw, sizeof raw) != 0) return -abi::kEFAULT;
  *value = ck::load_be32(raw);
  return 0;
}

// Wakes up to `count` waiters on `key` whose bitset meets `bitset`, oldest first (count
// <= 0 wakes one, as Linux's loop does): how many.
uint32_t wake_key(const FutexKey& key, int32_t count, uint32_t bitset) {
  int32_t woken = 0;
  for (;;) {
    Process* q = oldest_waiter(key, bitset);
    if (q == nullptr) break;
    wake_waiter(*q);
    if (++woken >= count) break;
  }
  return static_cast<uint32_t>(woken);
}

// A wait made again: woken (0; a FUTEX_LOCK_PI wait: the lock handed to it), timed out,
// ended by a signal, or waiting on.
uint32_t wait_again(Process& p) {
  if (p.futex_woken) {
    p.futex_woken = p.futex_pi = false;
    end_call(p);
    return 0;
  }
  if (take_timed_out(p) || (p.call_deadline != 0 && uptime_ns() >= p.call_deadline)) {
    end_call(p);
    p.futex_pi = false;
    return error(abi::kETIMEDOUT);
  }
  if (signal_ends_wait(p)) {
    // Linux: ERESTARTSYS without a timeout (SA_RESTART makes it again), else
    // ERESTART_RESTARTBLOCK, which a handler turns into EINTR; a FUTEX_LOCK_PI wait is
    // made again after the handler whatever its flags (ERESTARTNOINTR).
    const bool timed = p.call_deadline != 0;
    const bool pi = p.futex_pi;
    end_call(p);
    p.futex_pi = false;
    if (pi) return error(abi::kERESTARTNOINTR);
    return error(timed ? abi::kERESTARTNOHAND : abi::kERESTARTSYS);
  }
  block_process(p, WaitKind::Futex, p.futex_address, p.call_deadline);
}

// The wait itself (made again until a wake, its deadline or a signal ends it: wait_again):
// on `key`, for wakes meeting `bitset`, or (`pi`) for a FUTEX_UNLOCK_PI's hand-over.
[[noreturn]] void wait_on(Process& p, const FutexKey& key, uint32_t bitset, bool pi, uint64_t deadline) {
  p.futex_owner = key.owner;
  p.futex_address = key.word;
  p.futex_bitset = bitset;
  p.futex_pi = pi;
  p.futex_ticket = g_next_ticket++;
  p.futex_woken = false;
  p.call_again = true;
  p.call_deadline = deadline;
  block_process(p, WaitKind::Futex, key.word, deadline);
}

uint32_t futex_wait(Process& p, uint32_t address, uint32_t expected, uint64_t deadline, bool timed, uint32_t bitset,
                    bool shared) {
  if (bitset == 0) return error(abi::kEINVAL);
  uint32_t value;
  if (const int32_t s = read_word(p, address, &value); s != 0) return error(-s);
  if (value != expected) return error(abi::kEAGAIN);
  if (timed && (deadline == 0 || deadline <= uptime_ns())) return error(abi::kETIMEDOUT);
  if (signal_ends_wait(p)) return error(timed ? abi::kERESTARTNOHAND : abi::kERESTARTSYS);
  FutexKey key;
  if (const int32_t s = key_of(p, address, shared, &key); s != 0) return error(-s);
  wait_on(p, key, bitset, false, timed ? deadline : 0);
}

uint32_t do_wake(Process& p, uint32_t address, int32_t count, uint32_t bitset, bool shared) {
  if (bitset == 0) return error(abi::kEINVAL);
  FutexKey key;
  if (const int32_t s = key_of(p, address, shared, &key); s != 0) return error(-s);
  return wake_key(key, count, bitset);
}

// REQUEUE and CMP_REQUEUE (with `compare`): wakes up to nr_wake waiters on `from` and
// moves up to nr_requeue more to `to`; how many were woken or moved (Linux's task_count).
uint32_t do_requeue(Process& p, uint32_t from, uint32_t to, int32_t nr_wake, int32_t nr_requeue, bool shared,
                    const uint32_t* compare) {
  if (nr_wake < 0 || nr_requeue < 0) return error(abi::kEINVAL);
  FutexKey from_key, to_key;
  if (const int32_t s = key_of(p, from, shared, &from_key); s != 0) return error(-s);
  if (const int32_t s = key_of(p, to, shared, &to_key); s != 0) return error(-s);
  if (compare != nullptr) {
    uint32_t value;
    if (const int32_t s = read_word(p, from, &value); s != 0) return error(-s);
    if (value != *compare) return error(abi::kEAGAIN);
  }
  // The waiters on `from` as they are now, oldest first (one moved to `to` == `from` is
  // not met again).
  Process* waiters[ProcessTable::kMax];
  uint32_t n = 0;
  for (Process* q = oldest_waiter(from_key, abi::kFUTEX_BITSET_MATCH_ANY); q != nullptr;
       q = oldest_waiter(from_key, abi::kFUTEX_BITSET_MATCH_ANY)) {
    waiters[n++] = q;
    q->wait.kind = WaitKind::None;  // hidden from the search meanwhile
  }
  for (uint32_t i = 0; i < n; ++i) waiters[i]->wait.kind = WaitKind::Futex;
  int32_t count = 0;
  for (uint32_t i = 0; i < n; ++i) {
    if (count - nr_wake >= nr_requeue) break;
    Process& q = *waiters[i];
    if (++count <= nr_wake) {
      wake_waiter(q);
      continue;
    }
    // Moved: it waits on `to` now, behind the waiters there.
    q.futex_owner = to_key.owner;
    q.futex_address = to_key.word;
    q.wait.what = to_key.word;
    q.futex_ticket = g_next_ticket++;
  }
  return static_cast<uint32_t>(count);
}

// FUTEX_WAKE_OP's operation on the word at uaddr2 (Linux's futex_atomic_op_inuser, done
// under the emulator's lock): the word's old value, or -ENOSYS (an unknown operation, or
// an unknown comparison, which Linux reports after the operation is done) or -EFAULT.
int32_t wake_op_on_word(Process& p, uint32_t address, uint32_t encoded, bool* compare_true) {
  const uint32_t op = encoded >> 28 & 7, cmp = encoded >> 24 & 15;
  int32_t oparg = static_cast<int32_t>(encoded << 8) >> 20;  // 12 bits, sign-extended
  const int32_t cmparg = static_cast<int32_t>(encoded << 20) >> 20;
  if ((encoded >> 31) != 0) oparg = static_cast<int32_t>(1u << (oparg & 31));  // FUTEX_OP_OPARG_SHIFT
  uint32_t old;
  if (const int32_t s = read_word(p, address, &old); s != 0) return s;
  uint32_t now;
  switch (op) {
    case 0:
      now = static_cast<uint32_t>(oparg);
      break;  // SET
    case 1:
      now = old + static_cast<uint32_t>(oparg);
      break;  // ADD
    case 2:
      now = old | static_cast<uint32_t>(oparg);
      break;  // OR
    case 3:
      now = old & ~static_cast<uint32_t>(oparg);
      break;  // ANDN
    case 4:
      now = old ^ static_cast<uint32_t>(oparg);
      break;  // XOR
    default:
      return -abi::kENOSYS;
  }
  uint8_t raw[4];
  ck::store_be32(raw, now);
  if (copy_out(p, address, raw, sizeof raw) != 0) return -abi::kEFAULT;
  const int32_t o = static_cast<int32_t>(old);
  switch (cmp) {
    case 0:
      *compare_true = o == cmparg;
      break;
    case 1:
      *compare_true = o != cmparg;
      break;
    case 2:
      *compare_true = o < cmparg;
      break;
    case 3:
      *compare_true = o <= cmparg;
      break;
    case 4:
      *compare_true = o > cmparg;
      break;
    case 5:
      *compare_true = o >= cmparg;
      break;
    default:
      return -abi::kENOSYS;
  }
  return 0;
}

// FUTEX_WAKE_OP (glibc's condition variables before 2.25): the operation on the word at
// `address2`, then up to nr_wake waiters on `address` woken, and up to nr_wake2 on
// `address2` if the comparison with its old value held: how many in all.
uint32_t do_wake_op(Process& p, uint32_t address, uint32_t address2, int32_t nr_wake, int32_t nr_wake2,
                    uint32_t encoded, bool shared) {
  FutexKey key, key2;
  if (const int32_t s = key_of(p, address, shared, &key); s != 0) return error(-s);
  if (const int32_t s = key_of(p, address2, shared, &key2); s != 0) return error(-s);
  bool compare_true = false;
  if (const int32_t s = wake_op_on_word(p, address2, encoded, &compare_true); s != 0) return error(-s);
  uint32_t woken = wake_key(key, nr_wake, abi::kFUTEX_BITSET_MATCH_ANY);
  if (compare_true) woken += wake_key(key2, nr_wake2, abi::kFUTEX_BITSET_MATCH_ANY);
  return woken;
}

// ---- Priority inheritance (Linux's kernel/futex/pi.c) ----
//
// A PI futex's word holds its owner's tid, FUTEX_WAITERS while a locker waits here and
// FUTEX_OWNER_DIED. Taking a free lock and releasing one nobody waits for are the
// program's own atomics on the word; a locker that finds it owned comes to FUTEX_LOCK_PI,
// sets FUTEX_WAITERS and waits, and the owner's unlock, seeing the bit, comes to
// FUTEX_UNLOCK_PI, which hands the lock to the oldest waiter (its tid written into the
// word) and wakes it. The word is changed with compare-and-swap: the process's other
// threads change it with their own at any time. Deviations: the owner's priority is not
// raised to its waiters' (the emulator's scheduler, scheduler.h, knows no boosting), and an
// owner that ends while holding the lock leaves its waiters waiting (Linux marks the word
// FUTEX_OWNER_DIED and hands it on).

// The oldest FUTEX_LOCK_PI waiter on `key`, or nullptr.
Process* oldest_pi_waiter(const FutexKey& key) {
  Process* found = nullptr;
  for (uint32_t i = 0; i < ProcessTable::kMax; ++i) {
    Process& q = processes().slot(i);
    if (!waits_on(q, key) || !q.futex_pi) continue;
    if (found == nullptr || q.futex_ticket - found->futex_ticket > 0x80000000u) found = &q;
  }
  return found;
}

enum class Attempt : uint8_t { Taken, Owned };

// One try at the lock (Linux's futex_lock_pi_atomic): Taken (the word now names the
// caller), Owned (by a live thread; FUTEX_WAITERS set, a trylock's too, as Linux does),
// or an error: -EDEADLK (the caller owns it), -ESRCH (the owner named is
// no thread), -EFAULT, -EINVAL.
int32_t try_lock_pi(Process& p, uint32_t address, const FutexKey& key, Attempt* attempt) {
  for (int round = 0; round < 64; ++round) {  // the word moved under us: read it again
    uint32_t value;
    if (const int32_t s = read_word(p, address, &value); s != 0) return s;
    if ((value & abi::kFUTEX_TID_MASK) == p.pid) return -abi::kEDEADLK;
    uint32_t now;
    if ((value & abi::kFUTEX_TID_MASK) == 0) {
      // Free with the waiters or owner-died bit set (else the program had taken it
      // itself): taken, the owner-died bit kept, the waiters bit if others still wait.
      const uint32_t taken =
          (value & abi::kFUTEX_OWNER_DIED) | p.pid | (oldest_pi_waiter(key) != nullptr ? abi::kFUTEX_WAITERS : 0);
      if (const int32_t s = cas_user_word(p, address, value, taken, &now); s != 0) return s;
      if (now != value) continue;
      *attempt = Attempt::Taken;
      return 0;
    }
    // Owned: FUTEX_WAITERS first (its owner's unlock comes here), then the owner is
    // looked for, as Linux does (the bit stays when there is none).
    if ((value & abi::kFUTEX_WAITERS) == 0) {
      if (const int32_t s = cas_user_word(p, address, value, value | abi::kFUTEX_WAITERS, &now); s != 0) return s;
      if (now != value) continue;
    }
    const Process* owner = processes().by_tid(value & abi::kFUTEX_TID_MASK);
    if (owner == nullptr || owner->state != ProcessState::Running) return -abi::kESRCH;
    *attempt = Attempt::Owned;
    return 0;
  }
  return -abi::kEAGAIN;  // the program keeps changing the word: let it come again
}

// FUTEX_LOCK_PI, FUTEX_LOCK_PI2 and (`trying`) FUTEX_TRYLOCK_PI: 0 with the lock, or
// -EAGAIN (trying, owned), -ETIMEDOUT, -EDEADLK, -ESRCH, -EFAULT; a wait is made again
// until an unlock hands it the lock.
uint32_t lock_pi(Process& p, uint32_t address, uint64_t deadline, bool timed, bool trying, bool shared) {
  FutexKey key;
  if (const int32_t s = key_of(p, address, shared, &key); s != 0) return error(-s);
  Attempt attempt;
  if (const int32_t s = try_lock_pi(p, address, key, &attempt); s != 0) return error(-s);
  if (attempt == Attempt::Taken) return 0;
  if (trying) return error(abi::kEAGAIN);
  if (timed && (deadline == 0 || deadline <= uptime_ns())) return error(abi::kETIMEDOUT);
  if (signal_ends_wait(p)) return error(abi::kERESTARTNOINTR);
  wait_on(p, key, 0, true, timed ? deadline : 0);
}

// FUTEX_UNLOCK_PI: 0, -EPERM (the caller does not own it), -EFAULT, -EINVAL. The oldest
// waiter gets the lock (the word: its tid and FUTEX_WAITERS, as Linux's wake_futex_pi
// writes it), else the word is 0.
uint32_t unlock_pi(Process& p, uint32_t address, bool shared) {
  FutexKey key;
  if (const int32_t s = key_of(p, address, shared, &key); s != 0) return error(-s);
  for (int round = 0; round < 64; ++round) {
    uint32_t value;
    if (const int32_t s = read_word(p, address, &value); s != 0) return error(-s);
    if ((value & abi::kFUTEX_TID_MASK) != p.pid) return error(abi::kEPERM);
    Process* next = oldest_pi_waiter(key);
    const uint32_t handed = next != nullptr ? next->pid | abi::kFUTEX_WAITERS : 0;
    uint32_t now;
    if (const int32_t s = cas_user_word(p, address, value, handed, &now); s != 0) return error(-s);
    if (now != value) continue;
    if (next != nullptr) {
      next->futex_pi = false;
      wake_waiter(*next);
    }
    return 0;
  }
  return error(abi::kEAGAIN);
}

bool takes_timeout(uint32_t command) {
  return command == abi::kFUTEX_WAIT || command == abi::kFUTEX_WAIT_BITSET || command == abi::kFUTEX_LOCK_PI ||
         command == abi::kFUTEX_LOCK_PI2;
}

// futex(uaddr, op, val, timeout or val2, uaddr2, val3) (d1-d5, a0).
uint32_t futex_with(Process& p, const SyscallArgs& a, bool wide) {
  // A wait made again after it blocked: its arguments were checked the first time.
  if (p.call_again) return wait_again(p);
  const uint32_t address = a[0], op = a[1], value = a[2], timeout_va = a[3], address2 = a[4], value3 = a[5];
  const uint32_t command = op & ~(abi::kFUTEX_PRIVATE_FLAG | abi::kFUTEX_CLOCK_REALTIME);
  const bool shared = (op & abi::kFUTEX_PRIVATE_FLAG) == 0;
  const bool realtime = (op & abi::kFUTEX_CLOCK_REALTIME) != 0;
  // The timeout is read first (Linux's sys_futex, before do_futex looks at the command).
  uint64_t deadline = 0;
  const bool timed = timeout_va != 0 && takes_timeout(command);
  if (timed) {
    uint64_t ns;
    if (const int32_t s = timespec_in(p, timeout_va, wide, &ns); s != 0) return error(-s);
    // WAIT's is relative (CLOCK_MONOTONIC); the others' absolute, LOCK_PI's on
    // CLOCK_REALTIME whatever the flag says.
    deadline = sleep_deadline(realtime || command == abi::kFUTEX_LOCK_PI, command != abi::kFUTEX_WAIT, ns);
  }
  if (realtime && command != abi::kFUTEX_WAIT_BITSET && command != abi::kFUTEX_LOCK_PI2) return error(abi::kENOSYS);
  switch (command) {
    case abi::kFUTEX_WAIT:
      return futex_wait(p, address, value, deadline, timed, abi::kFUTEX_BITSET_MATCH_ANY, shared);
    case abi::kFUTEX_WAIT_BITSET:
      return futex_wait(p, address, value, deadline, timed, value3, shared);
    case abi::kFUTEX_WAKE:
      return do_wake(p, address, static_cast<int32_t>(value), abi::kFUTEX_BITSET_MATCH_ANY, shared);
    case abi::kFUTEX_WAKE_BITSET:
      return do_wake(p, address, static_cast<int32_t>(value), value3, shared);
    case abi::kFUTEX_REQUEUE:
      return do_requeue(p, address, address2, static_cast<int32_t>(value), static_cast<int32_t>(timeout_va), shared,
                        nullptr);
    case abi::kFUTEX_CMP_REQUEUE:
      return do_requeue(p, address, address2, static_cast<int32_t>(value), static_cast<int32_t>(timeout_va), shared,
                        &value3);
    case abi::kFUTEX_WAKE_OP:
      return do_wake_op(p, address, address2, static_cast<int32_t>(value), static_cast<int32_t>(timeout_va), value3,
                        shared);
    case abi::kFUTEX_LOCK_PI:
    case abi::kFUTEX_LOCK_PI2:
      return lock_pi(p, address, deadline, timed, false, shared);
    case abi::kFUTEX_TRYLOCK_PI:
      return lock_pi(p, address, 0, false, true, shared);
    case abi::kFUTEX_UNLOCK_PI:
      return unlock_pi(p, address, shared);
    default:
      return error(abi::kENOSYS);  // the requeue-to-PI calls are not here
  }
}

uint32_t sys_futex(Process& p, const SyscallArgs& a) { return futex_with(p, a, false); }
uint32_t sys_futex_time64(Process& p, const SyscallArgs& a) { return futex_with(p, a, true); }

constexpr SyscallEntry kEntries[] = {
    {abi::kFutex, sys_futex},
    {abi::kFutexTime64, sys_futex_time64},
};

}  // namespace

uint32_t futex_wake(Process& p, uint32_t address, int32_t count, uint32_t bitset) {
  FutexKey key;
  return key_of(p, address, true, &key) == 0 ? wake_key(key, count, bitset) : 0;
}

namespace {

// Linux's handle_futex_death: the futex word at `va` of a lock thread `t` holds (its tid)
// gets FUTEX_OWNER_DIED, its waiters bit kept, and one waiter is woken; a pending
// operation's word with no owner wakes one waiter (the unlock it did not finish). False
// when the word cannot be read (the walk stops).
bool futex_death(Process& t, uint32_t va, bool pi, bool pending) {
  if (va % 4 != 0) return false;
  for (int attempt = 0; attempt < 16; ++attempt) {
    uint8_t raw[4];
    if (copy_in(t, va, raw, sizeof raw) != 0) return false;
    const uint32_t value = ck::load_be32(raw);
    const uint32_t owner = value & abi::kFUTEX_TID_MASK;
    if (pending && !pi && owner == 0) {
      futex_wake(t, va, 1, abi::kFUTEX_BITSET_MATCH_ANY);
      return true;
    }
    if (owner != t.pid) return true;
    const uint32_t died = (value & abi::kFUTEX_WAITERS) | abi::kFUTEX_OWNER_DIED;
    uint32_t now = 0;
    if (cas_user_word(t, va, value, died, &now) != 0) return false;
    if (now != value) continue;  // changed under it: read again
    // A priority-inheritance futex's waiters are woken too: the emulator keeps no owner
    // state for them (Linux's exit_pi_state), so a woken LOCK_PI reads the word again.
    if ((value & abi::kFUTEX_WAITERS) != 0) futex_wake(t, va, 1, abi::kFUTEX_BITSET_MATCH_ANY);
    return true;
  }
  return true;
}

// A robust list entry: its address, its low bit the PI flag (Linux's fetch_robust_entry).
bool robust_entry(Process& t, uint32_t va, uint32_t* entry, bool* pi) {
  uint8_t raw[4];
  if (copy_in(t, va, raw, sizeof raw) != 0) return false;
  const uint32_t value = ck::load_be32(raw);
  *entry = value & ~1u;
  *pi = (value & 1u) != 0;
  return true;
}

}  // namespace

void release_robust_futexes(Process& t) {
  const uint32_t head = t.robust_list;
  t.robust_list = 0;
  if (head == 0) return;
  // struct robust_list_head: list.next, futex_offset, list_op_pending.
  uint32_t entry = 0, pending = 0;
  bool pi = false, pending_pi = false;
  uint8_t raw[4];
  if (!robust_entry(t, head, &entry, &pi) || copy_in(t, head + 4, raw, sizeof raw) != 0 ||
      !robust_entry(t, head + 8, &pending, &pending_pi))
    return;
  const uint32_t offset = ck::load_be32(raw);  // signed in Linux: the sum wraps alike
  for (uint32_t limit = kRobustListLimit; entry != head && limit != 0; --limit) {
    uint32_t next = 0;
    bool next_pi = false;
    const bool more = robust_entry(t, entry, &next, &next_pi);
    // A pending lock may be on the list already: it is handled once, below.
    if (entry != pending && !futex_death(t, entry + offset, pi, false)) return;
    if (!more) return;
    entry = next;
    pi = next_pi;
  }
  if (pending != 0) futex_death(t, pending + offset, pending_pi, true);
}

SyscallGroup futex_syscalls() { return {kEntries, sizeof kEntries / sizeof kEntries[0]}; }

}  // namespace unixemu
