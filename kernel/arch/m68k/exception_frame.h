// 68040 exception stack frames (MC68040 User's Manual §8.4): format word, frame sizes,
// vector names, and the access-error (format $7) special status word.
// Pure code over big-endian bytes, host-tested (tests/host/exception_frame_test.cpp).
#pragma once

#include "lib/str.h"
#include "lib/types.h"

namespace ck::m68k {

// Registers saved by the assembly entry (vectors.S) below the hardware frame, lowest
// address first: USP, D0-D7, A0-A6.
struct SavedRegisters {
  u32 usp;
  u32 d[8];
  u32 a[7];
};
static_assert(sizeof(SavedRegisters) == 64, "vectors.S pushes exactly 16 longwords");

enum class FrameFormat : u8 {
  Normal = 0x0,         // 4 words: SR, PC, format/vector
  Throwaway = 0x1,      // 4 words, on the interrupt stack switch
  Instruction = 0x2,    // 6 words: + address (CHK, TRAPcc, zero divide, trace, ...)
  FloatingPost = 0x3,   // 6 words: + effective address
  Unimplemented = 0x4,  // 8 words: + effective address, PC of faulted instruction
  AccessError = 0x7,    // 30 words: the bus/MMU fault frame
};

// The access-error special status word (SSW) of a format $7 frame.
struct AccessStatus {
  enum class Size : u8 { Long = 0, Byte = 1, Word = 2, Line = 3 };
  bool write;        // RW bit clear
  bool instruction;  // transfer modifier says code, not data
  bool user;         // transfer modifier says user, not supervisor
  bool atc_fault;    // the MMU refused the access (vs. a bus error)
  bool misaligned;   // MA: the fault hit the second part of a misaligned access
  Size size;
  u8 transfer_modifier;  // TM field, raw

  u32 size_bytes() const;
};

// Everything the kernel needs from one frame, decoded.
struct ExceptionFrame {
  u16 sr = 0;
  u32 pc = 0;
  u8 format = 0;
  u16 vector = 0;
  u32 size_bytes = 0;  // 0 when the format is not one the 68040 produces

  bool has_address = false;  // formats $2, $3, $4: the instruction or effective address
  u32 address = 0;

  bool is_access_error = false;  // format $7
  u32 fault_address = 0;
  u32 effective_address = 0;
  u16 ssw = 0;

  bool from_user() const { return (sr & 0x2000) == 0; }
};

// Frame size in bytes for a format, or 0 for one the 68040 never produces.
u32 frame_size(u8 format);

// Decodes the frame whose first byte (SR) is at `frame`.
ExceptionFrame decode_frame(const u8* frame);

AccessStatus decode_access_status(u16 ssw);

// A write the 68040 left pending in an access-error frame (MC68040 UM §8.4.6): a data
// write whose bus cycle faulted sits in writeback buffer 2 or 3, and RTE does not redo
// it; the handler performs it once the fault is resolved. (Buffer 1 holds cache-push
// data, never a user write.) QEMU re-executes the instruction instead and leaves the
// buffers invalid; a real 68040 does not.
struct PendingWrite {
  u8 slot = 0;  // 2 or 3
  u32 address = 0;
  u32 data = 0;
  u8 size = 0;  // bytes: 1, 2 or 4
};

// The valid, ordinary (not MOVE16) writebacks of the format $7 frame at `frame`, in the
// order they must happen (2, then 3). Returns how many were written to `out`.
usize pending_writes(const u8* frame, PendingWrite (&out)[2]);
// Whether the format $7 frame at `frame` may have any: a writeback's valid bit (the low
// byte of its status word, WB2S at 16 and WB3S at 14) is set. Inline: every resumed
// access error asks.
inline bool may_have_pending_writes(const u8* frame) { return ((frame[15] | frame[17]) & 0x80) != 0; }
// Marks writeback `slot` done, so that restoring the frame does not report it again.
void clear_pending_write(u8* frame, u8 slot);

// "Access error", "TRAP #3", "Autovector 6", ... for vectors 0..255.
StrView vector_name(u16 vector);

}  // namespace ck::m68k
