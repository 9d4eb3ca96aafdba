// 68040 exception stack frames (see exception_frame.h).
#include "arch/m68k/exception_frame.h"

#include "lib/endian.h"

namespace ck::m68k {

u32 AccessStatus::size_bytes() const {
  switch (size) {
    case Size::Byte:
      return 1;
    case Size::Word:
      return 2;
    case Size::Long:
      return 4;
    case Size::Line:
      return 16;
  }
  return 0;
}

u32 frame_size(u8 format) {
  switch (static_cast<FrameFormat>(format)) {
    case FrameFormat::Normal:
    case FrameFormat::Throwaway:
      return 8;
    case FrameFormat::Instruction:
    case FrameFormat::FloatingPost:
      return 12;
    case FrameFormat::Unimplemented:
      return 16;
    case FrameFormat::AccessError:
      return 60;
  }
  return 0;
}

ExceptionFrame decode_frame(const u8* frame) {
  ExceptionFrame f;
  f.sr = load_be16(frame);
  f.pc = load_be32(frame + 2);
  const u16 format_vector = load_be16(frame + 6);
  f.format = static_cast<u8>(format_vector >> 12);
  f.vector = static_cast<u16>((format_vector & 0x0fff) >> 2);
  f.size_bytes = frame_size(f.format);

  switch (static_cast<FrameFormat>(f.format)) {
    case FrameFormat::Instruction:
    case FrameFormat::FloatingPost:
    case FrameFormat::Unimplemented:
      f.has_address = true;
      f.address = load_be32(frame + 8);
      break;
    case FrameFormat::AccessError:
      f.is_access_error = true;
      f.effective_address = load_be32(frame + 8);
      f.ssw = load_be16(frame + 12);
      f.fault_address = load_be32(frame + 20);
      break;
    default:
      break;
  }
  return f;
}

namespace {

// Offsets in the format $7 frame of each writeback's status, address and data.
struct WritebackSlot {
  u8 slot;
  u8 status, address, data;
};
constexpr WritebackSlot kWritebacks[] = {{2, 16, 32, 36}, {3, 14, 24, 28}};

constexpr u16 kWritebackValid = 0x80;         // may_have_pending_writes reads it too
constexpr u16 kWritebackTransferType = 0x18;  // 00: a normal access

}  // namespace

usize pending_writes(const u8* frame, PendingWrite (&out)[2]) {
  if (frame_size(frame[6] >> 4) != frame_size(static_cast<u8>(FrameFormat::AccessError))) return 0;
  usize n = 0;
  for (const WritebackSlot& w : kWritebacks) {
    const u16 status = load_be16(frame + w.status);
    if ((status & kWritebackValid) == 0 || (status & kWritebackTransferType) != 0) continue;
    const auto size = static_cast<AccessStatus::Size>((status >> 5) & 3);
    const u32 data = load_be32(frame + w.data);
    out[n++] = PendingWrite{
        .slot = w.slot,
        .address = load_be32(frame + w.address),
        .data = size == AccessStatus::Size::Byte   ? data & 0xff
                : size == AccessStatus::Size::Word ? data & 0xffff
                                                   : data,
        .size = static_cast<u8>(size == AccessStatus::Size::Byte   ? 1
                                : size == AccessStatus::Size::Word ? 2
                                                                   : 4),
    };
  }
  return n;
}

void clear_pending_write(u8* frame, u8 slot) {
  for (const WritebackSlot& w : kWritebacks)
    if (w.slot == slot) store_be16(frame + w.status, 0);
}

AccessStatus decode_access_status(u16 ssw) {
  const u8 tm = ssw & 0x7;
  AccessStatus s{};
  s.write = (ssw & 0x0100) == 0;
  s.atc_fault = (ssw & 0x0400) != 0;
  s.misaligned = (ssw & 0x0800) != 0;
  s.size = static_cast<AccessStatus::Size>((ssw >> 5) & 0x3);
  s.transfer_modifier = tm;
  // TM: 1 user data, 2 user code, 5 supervisor data, 6 supervisor code (others: cache
  // push, table search).
  s.instruction = tm == 2 || tm == 6 || tm == 4;
  s.user = tm == 1 || tm == 2;
  return s;
}

StrView vector_name(u16 vector) {
  static constexpr StrView kLow[] = {
      "Reset SSP",           "Reset PC",
      "Access error",        "Address error",
      "Illegal instruction", "Zero divide",
      "CHK instruction",     "TRAPcc/TRAPV",
      "Privilege violation", "Trace",
      "Line 1010 emulator",  "Line 1111 emulator",
      "Unassigned (12)",     "Coprocessor protocol violation",
      "Format error",        "Uninitialized interrupt",
  };
  static constexpr StrView kAuto[] = {"Spurious interrupt", "Autovector 1", "Autovector 2", "Autovector 3",
                                      "Autovector 4",       "Autovector 5", "Autovector 6", "Autovector 7 (NMI)"};
  static constexpr StrView kTraps[] = {"TRAP #0",  "TRAP #1",  "TRAP #2",  "TRAP #3", "TRAP #4",  "TRAP #5",
                                       "TRAP #6",  "TRAP #7",  "TRAP #8",  "TRAP #9", "TRAP #10", "TRAP #11",
                                       "TRAP #12", "TRAP #13", "TRAP #14", "TRAP #15"};
  static constexpr StrView kFloat[] = {"FP branch on unordered", "FP inexact result",         "FP divide by zero",
                                       "FP underflow",           "FP operand error",          "FP overflow",
                                       "FP signaling NaN",       "FP unimplemented data type"};
  if (vector < 16) return kLow[vector];
  if (vector < 24) return "Unassigned";
  if (vector < 32) return kAuto[vector - 24];
  if (vector < 48) return kTraps[vector - 32];
  if (vector < 56) return kFloat[vector - 48];
  if (vector < 64) return vector == 56 ? StrView("MMU configuration error") : StrView("Unassigned");
  if (vector < 256) return "User interrupt vector";
  return "Invalid vector";
}

}  // namespace ck::m68k
