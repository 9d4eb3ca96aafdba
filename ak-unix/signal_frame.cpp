// The Linux/m68k signal frames (signal_frame.h).
#include "signal_frame.h"

#include <string.h>

#include "lib/endian.h"

namespace unixemu::signal_frame {

namespace {

using ck::load_be16;
using ck::load_be32;
using ck::store_be16;
using ck::store_be32;

constexpr uint32_t kSigreturn = 119, kRtSigreturn = 173;
constexpr uint32_t kFpRegBytes = 12;

// struct sigframe and its struct sigcontext (m68k aligns longs to 2 bytes).
namespace plain {
constexpr uint32_t kPretcode = 0, kSig = 4, kCode = 8, kPsc = 12, kRetcode = 16, kExtramask = 24, kSc = 28;
}  // namespace plain
namespace sc {
constexpr uint32_t kMask = 0, kUsp = 4, kD0 = 8, kD1 = 12, kA0 = 16, kA1 = 20, kSr = 24, kPc = 26, kFormatvec = 30,
                   kFpregs = 32, kFpcntl = 56, kFpstate = 68, kBytes = 284;
}  // namespace sc
static_assert(plain::kSc + sc::kBytes == kFrameBytes);

// struct rt_sigframe and its struct ucontext.
namespace rt {
constexpr uint32_t kPretcode = 0, kSig = 4, kPinfo = 8, kPuc = 12, kRetcode = 16, kInfo = 24, kUc = 152;
}  // namespace rt
namespace uc {
constexpr uint32_t kFlags = 0, kLink = 4, kStack = 8, kVersion = 20, kGregs = 24, kFpcntl = 96, kFpregs = 108,
                   kFpstate = 204, kFormatvec = 420, kSigmask = 524, kBytes = 532;
constexpr uint32_t kUsp = kGregs + 15 * 4, kPc = kGregs + 16 * 4, kSr = kGregs + 17 * 4;
}  // namespace uc
static_assert(rt::kUc + uc::kBytes == kRtFrameBytes);

void put_fpcntl(uint8_t* at, const ck_fpu_registers& f) {
  store_be32(at, f.fpcr);
  store_be32(at + 4, f.fpsr);
  store_be32(at + 8, f.fpiar);
}
void get_fpcntl(const uint8_t* at, ck_fpu_registers* f) {
  f->fpcr = load_be32(at);
  f->fpsr = load_be32(at + 4);
  f->fpiar = load_be32(at + 8);
}

// The fsave frame's first longword: null (nothing saved) or the 68040's idle frame.
void put_fsave(uint8_t* at, bool saved) { store_be32(at, saved ? static_cast<uint32_t>(kFsaveVersion) << 24 : 0); }
// 1: registers follow, 0: a null frame, -1: a frame this emulator never writes.
int fsave_kind(const uint8_t* at) {
  if (at[0] == 0) return 0;
  return at[0] == kFsaveVersion && at[1] == 0 ? 1 : -1;
}

// Clears `bytes` (a multiple of 4) at `at`. On the 68040 sixteen bytes a MOVEM, from the
// end down (a memset is a call and a loop of longword stores: `-ffreestanding` keeps GCC
// from expanding it; the plain frame's 212 bytes of fsave area were 115 instructions of
// each signal taken, now about 30).
void clear_longwords(uint8_t* at, uint32_t bytes) {
#if defined(__mc68000__)
  for (uint32_t i = 0; i < bytes % 16; i += 4) store_be32(at + i, 0);
  uint8_t* end = at + bytes;
  uint32_t blocks = bytes / 16;  // dbra counts a word: a frame's area is far below 2^15 blocks
  asm volatile(
      "moveq #0,%%d0\n\t"
      "moveq #0,%%d1\n\t"
      "movea.l %%d0,%%a0\n\t"
      "movea.l %%d0,%%a1\n\t"
      "bra.s 2f\n"
      "1:\tmovem.l %%d0-%%d1/%%a0-%%a1,-(%0)\n"
      "2:\tdbra %1,1b"
      : "+a"(end), "+d"(blocks)
      :
      : "d0", "d1", "a0", "a1", "memory");
#else
  memset(at, 0, bytes);
#endif
}
static_assert((sc::kBytes - sc::kFpstate - 4) % 4 == 0);

// A frame's retcode: 8 bytes, the trampoline's instructions and zeros.
void put_retcode(bool rt, uint8_t* at) {
  if (!rt) {
    store_be32(at, 0x70004e40u + (kSigreturn << 16));  // moveq #119,d0; trap #0
    store_be32(at + 4, 0);
    return;
  }
  // moveq #~173,d0; not.b d0; trap #0 (Linux's, so that d0's byte never sign-extends)
  store_be32(at, 0x70004600u + ((kRtSigreturn ^ 0xffu) << 16));
  store_be32(at + 4, 0x4e400000u);
}

uint16_t condition_codes(uint16_t current_sr, uint32_t frame_sr) {
  return static_cast<uint16_t>((current_sr & 0xff00) | (frame_sr & 0xff));
}

}  // namespace

void put_siginfo(const SigInfo& info, uint8_t* out) {
  memset(out, 0, kSigInfoBytes);
  store_be32(out, info.signo);
  store_be32(out + 8, static_cast<uint32_t>(info.code));
  for (uint32_t i = 0; i < 3; ++i) store_be32(out + 12 + 4 * i, info.word[i]);
}

namespace {

// The entry stubs (signal_frame.h), as the 68040 encodes them. Plain, with the stack
// pointer at the frame (sc at 28: sc_fpregs at 60, sc_fpcntl at 84):
//   fmovem.x %fp0-%fp1,60(%sp); fmovem.l %fpcr/%fpsr/%fpiar,84(%sp); jmp ([20,%sp])
// rt (uc at 152: uc_fpcntl at 248, uc_fpregs at 260, uc_extra at 576):
//   fmovem.l %fpcr/%fpsr/%fpiar,248(%sp); fmovem.x %fp0-%fp7,260(%sp); jmp ([576,%sp])
// FMOVEM.X stores the data registers from FP0 up (a control addressing mode), as the
// frames hold them; FMOVEM.L stores the control registers as Linux's save_fpu_state does,
// with the same instruction (FPCR, FPSR, FPIAR up on the 68040; QEMU stores the three the
// other way round, for Linux's frames too, and so does the Cache Kernel's context save,
// whose order the written-back path's frames keep). Neither FMOVEM nor the
// memory-indirect JMP changes an integer register or the condition codes.
constexpr uint16_t kPlainEntry[] = {0xf22f, 0xf0c0, plain::kSc + sc::kFpregs,  // 60
                                    0xf22f, 0xbc00, plain::kSc + sc::kFpcntl,  // 84
                                    0x4ef7, 0x0161, kPlainStubHandler};
constexpr uint16_t kRtEntry[] = {0xf22f, 0xbc00, rt::kUc + uc::kFpcntl,  // 248
                                 0xf22f, 0xf0ff, rt::kUc + uc::kFpregs,  // 260
                                 0x4ef7, 0x0161, kRtStubHandler};
static_assert(kPlainStubHandler == plain::kRetcode + 4);        // retcode's second longword
static_assert(kRtStubHandler == rt::kUc + uc::kFormatvec + 4);  // uc_extra, after uc_formatvec
static_assert(sizeof kPlainEntry == entry_offset(true) - entry_offset(false));
static_assert(entry_offset(true) + sizeof kRtEntry == restore_offset(kRestoreFirst));
// The restore stubs, with the stack pointer at sc_pc (frame + 54: sc_fpregs 6 above it,
// sc_fpcntl 30), for a restored stack pointer `distance` above the frame:
//   fmovem.x 6(%sp),%fp0-%fp1; fmovem.l 30(%sp),%fpcr/%fpsr/%fpiar; rtd #(distance - 58)
// (RTD: the PC from the stack, then the stack pointer 4 + the displacement higher.)
static_assert(kRestoreSp == plain::kSc + sc::kPc);
constexpr uint16_t kRestore[] = {0xf22f, 0xd0c0, plain::kSc + sc::kFpregs - kRestoreSp,  // 6
                                 0xf22f, 0x9c00, plain::kSc + sc::kFpcntl - kRestoreSp,  // 30
                                 0x4e74};
static_assert(sizeof kRestore + 2 == kRestoreStubBytes);
static_assert(restore_offset(kRestoreFirst + kRestoreStubs - 1) + kRestoreStubBytes == kTrampolinesBytes);
static_assert(restore_offset(kRestoreFirst - 1) == 0 && restore_offset(kRestoreFirst + kRestoreStubs) == 0);

void put_words(uint8_t* at, const uint16_t* words, uint32_t count) {
  for (uint32_t i = 0; i < count; ++i) store_be16(at + 2 * i, words[i]);
}

}  // namespace

void put_trampolines(uint8_t* out) {
  put_retcode(false, out + trampoline_offset(false));
  put_retcode(true, out + trampoline_offset(true));
  put_words(out + entry_offset(false), kPlainEntry, sizeof kPlainEntry / 2);
  put_words(out + entry_offset(true), kRtEntry, sizeof kRtEntry / 2);
  for (uint32_t d = kRestoreFirst; d < kRestoreFirst + kRestoreStubs; ++d) {
    uint8_t* at = out + restore_offset(d);
    put_words(at, kRestore, sizeof kRestore / 2);
    store_be16(at + sizeof kRestore, static_cast<uint16_t>(d - kRestoreSp - 4));
  }
}

uint32_t frame_address(uint32_t sp, bool rt) { return (sp - frame_bytes(rt)) & ~7u; }

void build(bool rt, uint32_t frame_va, uint32_t signal, const Context& c, const SigInfo& info, const AltStack& altstack,
           uint8_t* out) {
  const ck_registers& r = c.regs;
  if (!rt) {
    // Only the bytes the fields below leave are cleared: retcode's second longword, the
    // fsave area past its first and, with no FPU saved, its registers (clearing all 312
    // bytes first was 150 instructions of each signal taken: issue 18 item 11).
    uint8_t* s = out + plain::kSc;
    clear_longwords(s + sc::kFpstate + 4, sc::kBytes - sc::kFpstate - 4);
    // Left to the entry stub, the FPU registers' place is cleared all the same: a frame
    // built here and copied out shows none of the emulator's bytes.
    if (c.stub_handler != 0) clear_longwords(s + sc::kFpregs, sc::kFpstate - sc::kFpregs);
    if (!c.fpu_saved && c.stub_handler == 0) memset(s + sc::kFpregs, 0, sc::kFpstate - sc::kFpregs);
    store_be32(out + plain::kPretcode, c.return_to != 0 ? c.return_to : frame_va + plain::kRetcode);
    store_be32(out + plain::kSig, signal);
    store_be32(out + plain::kCode, c.formatvec & 0xfffu);
    store_be32(out + plain::kPsc, frame_va + plain::kSc);
    put_retcode(false, out + plain::kRetcode);
    store_be32(out + kPlainStubHandler, c.stub_handler);  // retcode's second longword: 0 unless a stub reads it
    store_be32(out + plain::kExtramask, static_cast<uint32_t>(c.mask >> 32));
    store_be32(s + sc::kMask, static_cast<uint32_t>(c.mask));
    store_be32(s + sc::kUsp, r.a[7]);
    store_be32(s + sc::kD0, r.d[0]);
    store_be32(s + sc::kD1, r.d[1]);
    store_be32(s + sc::kA0, r.a[0]);
    store_be32(s + sc::kA1, r.a[1]);
    store_be16(s + sc::kSr, r.sr);
    store_be32(s + sc::kPc, r.pc);
    store_be16(s + sc::kFormatvec, c.formatvec);
    put_fsave(s + sc::kFpstate, c.fpu_saved || c.stub_handler != 0);
    if (c.fpu_saved && c.stub_handler == 0) {
      __builtin_memcpy(s + sc::kFpregs, c.fpu.fp, 2 * kFpRegBytes);  // in place, not a call
      put_fpcntl(s + sc::kFpcntl, c.fpu);
    }
    return;
  }
  memset(out, 0, kRtFrameBytes);
  store_be32(out + rt::kPretcode, c.return_to != 0 ? c.return_to : frame_va + rt::kRetcode);
  store_be32(out + rt::kSig, signal);
  store_be32(out + rt::kPinfo, frame_va + rt::kInfo);
  store_be32(out + rt::kPuc, frame_va + rt::kUc);
  put_retcode(true, out + rt::kRetcode);
  put_siginfo(info, out + rt::kInfo);
  uint8_t* u = out + rt::kUc;
  store_be32(u + uc::kStack, altstack.sp);
  store_be32(u + uc::kStack + 4, altstack.flags);
  store_be32(u + uc::kStack + 8, altstack.size);
  store_be32(u + uc::kVersion, kMcontextVersion);
  for (uint32_t i = 0; i < 8; ++i) store_be32(u + uc::kGregs + 4 * i, r.d[i]);
  for (uint32_t i = 0; i < 8; ++i) store_be32(u + uc::kGregs + 32 + 4 * i, r.a[i]);
  store_be32(u + uc::kPc, r.pc);
  store_be32(u + uc::kSr, r.sr);
  store_be32(u + uc::kFormatvec, c.formatvec);
  put_fsave(u + uc::kFpstate, c.fpu_saved || c.stub_handler != 0);
  if (c.stub_handler != 0) {
    store_be32(out + kRtStubHandler, c.stub_handler);
  } else if (c.fpu_saved) {
    put_fpcntl(u + uc::kFpcntl, c.fpu);
    memcpy(u + uc::kFpregs, c.fpu.fp, 8 * kFpRegBytes);
  }
  store_be32(u + uc::kSigmask, static_cast<uint32_t>(c.mask));
  store_be32(u + uc::kSigmask + 4, static_cast<uint32_t>(c.mask >> 32));
}

bool parse_into(bool rt, const uint8_t* frame, ck_registers& regs, ck_fpu_registers& fpu, uint64_t* mask,
                AltStack* altstack) {
  // Every check before the first write: a refused frame changes nothing.
  if (!rt) {
    const uint8_t* s = frame + plain::kSc;
    if ((load_be16(s + sc::kFormatvec) >> 12) != 0) return false;
    const int fsave = fsave_kind(s + sc::kFpstate);
    if (fsave < 0) return false;
    *mask = static_cast<uint64_t>(load_be32(frame + plain::kExtramask)) << 32 | load_be32(s + sc::kMask);
    regs.a[7] = load_be32(s + sc::kUsp);
    regs.d[0] = load_be32(s + sc::kD0);
    regs.d[1] = load_be32(s + sc::kD1);
    regs.a[0] = load_be32(s + sc::kA0);
    regs.a[1] = load_be32(s + sc::kA1);
    regs.sr = condition_codes(regs.sr, load_be16(s + sc::kSr));
    regs.pc = load_be32(s + sc::kPc);
    if (fsave == 0) {
      fpu = reset_fpu();
    } else {
      __builtin_memcpy(fpu.fp, s + sc::kFpregs, 2 * kFpRegBytes);  // fp2-fp7 stay as they are
      get_fpcntl(s + sc::kFpcntl, &fpu);
    }
    return true;
  }
  const uint8_t* u = frame + rt::kUc;
  if (load_be32(u + uc::kVersion) != kMcontextVersion) return false;
  if ((load_be32(u + uc::kFormatvec) >> 12 & 0xf) != 0) return false;
  const int fsave = fsave_kind(u + uc::kFpstate);
  if (fsave < 0) return false;
  for (uint32_t i = 0; i < 8; ++i) regs.d[i] = load_be32(u + uc::kGregs + 4 * i);
  for (uint32_t i = 0; i < 8; ++i) regs.a[i] = load_be32(u + uc::kGregs + 32 + 4 * i);
  regs.pc = load_be32(u + uc::kPc);
  regs.sr = condition_codes(regs.sr, load_be32(u + uc::kSr));
  if (fsave == 0) {
    fpu = reset_fpu();
  } else {
    get_fpcntl(u + uc::kFpcntl, &fpu);
    memcpy(fpu.fp, u + uc::kFpregs, 8 * kFpRegBytes);
  }
  *mask = static_cast<uint64_t>(load_be32(u + uc::kSigmask + 4)) << 32 | load_be32(u + uc::kSigmask);
  *altstack = AltStack{
      .sp = load_be32(u + uc::kStack), .flags = load_be32(u + uc::kStack + 4), .size = load_be32(u + uc::kStack + 8)};
  return true;
}

bool plain_frame_keeps_fpu(const uint8_t* frame, const ck_fpu_registers& fpu) {
  const uint8_t* s = frame + plain::kSc;
  if (fsave_kind(s + sc::kFpstate) != 1) return false;
  if (load_be32(s + sc::kFpcntl) != fpu.fpcr || load_be32(s + sc::kFpcntl + 4) != fpu.fpsr ||
      load_be32(s + sc::kFpcntl + 8) != fpu.fpiar)
    return false;
  // FP0-FP1: 24 bytes, compared a longword at a time (the frame's are 2-byte aligned).
  const uint8_t* regs = s + sc::kFpregs;
  for (uint32_t i = 0; i < 2 * kFpRegBytes; i += 4)
    if (load_be32(regs + i) != load_be32(&fpu.fp[0][0] + i)) return false;
  return true;
}

bool plain_frame_saves_fpu(const uint8_t* frame) { return fsave_kind(frame + plain::kSc + sc::kFpstate) == 1; }

bool same_plain_fpu(const ck_fpu_registers& a, const ck_fpu_registers& b) {
  return a.fpcr == b.fpcr && a.fpsr == b.fpsr && a.fpiar == b.fpiar &&
         __builtin_memcmp(a.fp, b.fp, 2 * kFpRegBytes) == 0;
}

bool parse(bool rt, const uint8_t* frame, const ck_registers& current, const ck_fpu_registers& current_fpu,
           Restored* out) {
  Restored r{.regs = current, .fpu = current_fpu, .mask = 0, .altstack = {}};
  if (!parse_into(rt, frame, r.regs, r.fpu, &r.mask, &r.altstack)) return false;
  *out = r;
  return true;
}

ck_fpu_registers reset_fpu() {
  ck_fpu_registers f{};
  for (auto& reg : f.fp) {
    memset(reg, 0xff, sizeof reg);
    reg[0] = 0x7f;  // exponent all ones, mantissa all ones: a quiet NaN
    reg[2] = reg[3] = 0;
  }
  return f;
}

}  // namespace unixemu::signal_frame
