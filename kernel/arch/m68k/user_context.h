// The complete state of a user thread while it is not running (paper §2.3): every
// integer register, the USP, the 68040 exception frame exactly as the processor stacked
// it (so a format $7 access error restarts as the hardware expects), and the FPU state.
// entry.S saves into and restores from it; see context_layout.h for the offsets.
#pragma once

#include <cstddef>

#include "arch/m68k/context_layout.h"
#include "arch/m68k/exception_frame.h"
#include "lib/endian.h"
#include "lib/types.h"

namespace ck::arch {
struct ExceptionCard;
}

namespace ck::m68k {

// FSAVE writes at most a busy frame (4-byte header + 96 bytes) on the 68040.
inline constexpr u32 kFsaveBytes = 100;

struct FpuState {
  u8 internal[kFsaveBytes];  // FSAVE frame; a null frame means nothing else is valid
  u32 control[3];            // FPCR, FPSR, FPIAR
  u8 registers[8][12];       // FP0-FP7, extended precision
};

struct UserContext {
  u32 d[8];
  u32 a[7];  // A0-A6
  u32 usp;   // A7 in user mode
  u8 frame[CTX_FRAME_BYTES];
  FpuState fpu;
  // Writes the thread did that memory has not seen, outside the frame: taken from a
  // loaded state (ck_pending_write) or from a frame whose restart state was abandoned.
  // Performed, in order, before the frame's own, before the thread runs (user_mode.cpp).
  // Packed from the front: carried[0].size == 0 means none.
  PendingWrite carried[2];
  // CK_SET_THREAD_VALUE's: call_entry answers a trap #0 outside the home space whose d0
  // is value_call with value, the thread's kernel not involved (0: no value call).
  u32 value_call = 0;
  u32 value = 0;
  // A thread's own context: its card (arch::attach_card), which entry.S forwards its
  // traps and faults from; nullptr for every other context.
  const arch::ExceptionCard* card = nullptr;
  // A context with a card: forward_card's last walk to its handler's stack page, kept
  // while the home root and the table pool's generation (any table released or the
  // window moved) stay what they were then: the page descriptor's place, as the kernel
  // reaches it (re-read and re-checked at each use).
  u32 walk_root = 0;
  u32 walk_generation = 0;
  u32* walk_entry = nullptr;

  bool carries_writes() const { return carried[0].size != 0; }
  // The first carried write was done.
  void drop_first_carried() {
    carried[0] = carried[1];
    carried[1] = PendingWrite{};
  }

  u16 sr() const { return load_be16(frame); }
  u32 pc() const { return load_be32(frame + 2); }
  u8 format() const { return frame[6] >> 4; }
  u16 vector() const { return static_cast<u16>((load_be16(frame + 6) & 0x0fff) >> 2); }

  // Makes the next entry to user mode start at `pc` with condition codes `ccr` and a
  // plain format $0 frame (any pending access-error state is discarded).
  void set_start(u32 pc, u8 ccr) {
    store_be16(frame, ccr);
    store_be32(frame + 2, pc);
    store_be16(frame + 6, 0);
  }
  // Moves the PC of the stacked frame, keeping its format.
  void set_pc(u32 pc) { store_be32(frame + 2, pc); }
  // User code may change the condition codes only: never S, M, T or the interrupt mask.
  void set_ccr(u8 ccr) { store_be16(frame, ccr & kCcrMask); }

  // Makes the frame safe to return to user mode with, whatever wrote it: an SR with
  // only condition codes (RTE with S set would hand the thread supervisor mode) and a
  // format the 68040 can return from (anything else becomes a plain format $0).
  void sanitize() {
    store_be16(frame, load_be16(frame) & kCcrMask);
    const u8 f = format();
    if (f != 0 && f != 2 && f != 3 && f != 4 && f != 7) store_be16(frame + 6, 0);
  }

  static constexpr u16 kCcrMask = 0x001f;
};

static_assert(offsetof(UserContext, d) == CTX_D0);
static_assert(offsetof(UserContext, a) == CTX_A0);
static_assert(offsetof(UserContext, a) + 4 == CTX_A1);
static_assert(offsetof(UserContext, usp) == CTX_USP);
static_assert(offsetof(UserContext, frame) == CTX_FRAME);

}  // namespace ck::m68k
