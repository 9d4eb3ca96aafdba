// The UNIX emulator's Linux/m68k signal frames (ak-unix/signal_frame.h): the offsets
// Linux 6.1 uses (arch/m68k/kernel/signal.c), the trampolines, what sigreturn takes back
// and the frames it refuses.
#include <gtest/gtest.h>
#include <string.h>

#include "lib/endian.h"
#include "signal_frame.h"

namespace unixemu::signal_frame {
namespace {

using ck::load_be16;
using ck::load_be32;

// A thread's state at a signal: Context refers to its registers and FPU.
struct Sample {
  ck_registers regs{};
  ck_fpu_registers fpu{};
  bool fpu_saved = false;
  uint16_t formatvec = 0;
  uint64_t mask = 0;
  Context context() const {
    return Context{.regs = regs, .fpu = fpu, .fpu_saved = fpu_saved, .formatvec = formatvec, .mask = mask};
  }
};

Sample sample_context() {
  Sample c;
  for (uint32_t i = 0; i < 8; ++i) {
    c.regs.d[i] = 0xd0d00000u + i;
    c.regs.a[i] = 0xa0a00000u + i;
  }
  c.regs.a[7] = 0xeffff000u;
  c.regs.pc = 0x80001234u;
  c.regs.sr = 0x0015;  // X, Z, C
  c.fpu.fpcr = 0x10;
  c.fpu.fpsr = 0x08000000;
  c.fpu.fpiar = 0x80004444u;
  for (uint32_t i = 0; i < 8; ++i) memset(c.fpu.fp[i], static_cast<int>(0x30 + i), 12);
  c.fpu_saved = true;
  c.formatvec = 0x0080;  // format 0, trap #0
  c.mask = 0x8000000100000002ull;
  return c;
}

TEST(UnixSignalFrame, FrameAddressIsAlignedBelowTheStack) {
  EXPECT_EQ(frame_address(0xeffff000u, false), (0xeffff000u - 312) & ~7u);
  EXPECT_EQ(frame_address(0xeffff003u, true), (0xeffff003u - 684) & ~7u);
  EXPECT_EQ(frame_address(0xeffff000u, true) % 8, 0u);
}

TEST(UnixSignalFrame, PlainFrameHasLinuxsLayout) {
  const Sample c = sample_context();
  uint8_t f[kFrameBytes];
  const uint32_t va = 0xefffe000u;
  build(false, va, 10, c.context(), SigInfo{}, AltStack{}, f);
  EXPECT_EQ(load_be32(f + 0), va + 16);       // pretcode -> retcode
  EXPECT_EQ(load_be32(f + 4), 10u);           // sig
  EXPECT_EQ(load_be32(f + 8), 0x80u);         // code: the vector offset
  EXPECT_EQ(load_be32(f + 12), va + 28);      // psc
  EXPECT_EQ(load_be32(f + 16), 0x70774e40u);  // moveq #119,d0; trap #0
  EXPECT_EQ(load_be32(f + 24), 0x80000001u);  // extramask: signals 33-64
  const uint8_t* s = f + 28;
  EXPECT_EQ(load_be32(s + 0), 2u);  // sc_mask: signals 1-32
  EXPECT_EQ(load_be32(s + 4), 0xeffff000u);
  EXPECT_EQ(load_be32(s + 8), 0xd0d00000u);
  EXPECT_EQ(load_be32(s + 12), 0xd0d00001u);
  EXPECT_EQ(load_be32(s + 16), 0xa0a00000u);
  EXPECT_EQ(load_be32(s + 20), 0xa0a00001u);
  EXPECT_EQ(load_be16(s + 24), 0x0015u);
  EXPECT_EQ(load_be32(s + 26), 0x80001234u);  // sc_pc at 26: longs are 2-byte aligned
  EXPECT_EQ(load_be16(s + 30), 0x0080u);
  EXPECT_EQ(s[32], 0x30);                     // fp0
  EXPECT_EQ(s[44], 0x31);                     // fp1
  EXPECT_EQ(load_be32(s + 56), 0x10u);        // fpcr
  EXPECT_EQ(load_be32(s + 64), 0x80004444u);  // fpiar
  EXPECT_EQ(s[68], 0x41);                     // fsave: the 68040's idle frame
  EXPECT_EQ(s[69], 0x00);
}

// build writes every byte of a plain frame (it clears only the bytes its fields leave):
// a frame built over any bytes is the one built over zeros, the unused bytes zero, with
// the FPU saved or not.
TEST(UnixSignalFrame, PlainFrameWritesEveryByte) {
  for (const bool saved : {true, false}) {
    Sample c = sample_context();
    c.fpu_saved = saved;
    uint8_t over_zeros[kFrameBytes], over_junk[kFrameBytes];
    memset(over_zeros, 0, sizeof over_zeros);
    memset(over_junk, 0xa5, sizeof over_junk);
    build(false, 0xefffe000u, 10, c.context(), SigInfo{}, AltStack{}, over_zeros);
    build(false, 0xefffe000u, 10, c.context(), SigInfo{}, AltStack{}, over_junk);
    EXPECT_EQ(memcmp(over_zeros, over_junk, kFrameBytes), 0) << "fpu_saved " << saved;
    EXPECT_EQ(load_be32(over_junk + 20), 0u);  // retcode's second longword
    const uint8_t* s = over_junk + 28;
    for (uint32_t i = 72; i < 284; ++i) {
      EXPECT_EQ(s[i], 0) << "fsave area byte " << i;
    }
    if (!saved) {
      for (uint32_t i = 32; i < 72; ++i) {
        EXPECT_EQ(s[i], 0) << "no FPU saved: byte " << i;
      }
    }
  }
}

// With a return address given (the trampolines' page, sigreturn_page.h) only pretcode
// differs: retcode still holds the trampoline, every other byte is Linux's frame. The
// page's trampolines are the retcode bytes of each kind.
TEST(UnixSignalFrame, PretcodeGoesWhereTheContextSays) {
  uint8_t page[kTrampolinesBytes];
  put_trampolines(page);
  for (const bool rt : {false, true}) {
    const Sample c = sample_context();
    Context linux = c.context();
    Context own = c.context();
    own.return_to = 0xf0000000u + trampoline_offset(rt);
    uint8_t a[kRtFrameBytes], b[kRtFrameBytes];
    const uint32_t va = 0xefffd000u;
    build(rt, va, 10, linux, SigInfo{.signo = 10}, AltStack{}, a);
    build(rt, va, 10, own, SigInfo{.signo = 10}, AltStack{}, b);
    EXPECT_EQ(load_be32(a), va + 16) << "rt " << rt;
    EXPECT_EQ(load_be32(b), own.return_to) << "rt " << rt;
    EXPECT_EQ(memcmp(a + 4, b + 4, frame_bytes(rt) - 4), 0) << "rt " << rt;
    EXPECT_EQ(memcmp(page + trampoline_offset(rt), a + 16, 8), 0) << "rt " << rt;
  }
  EXPECT_EQ(load_be32(page), 0x70774e40u);  // moveq #119,d0; trap #0
  EXPECT_EQ(load_be32(page + 4), 0u);
  EXPECT_EQ(load_be32(page + 8), 0x70524600u);   // moveq #~173,d0; not.b d0
  EXPECT_EQ(load_be32(page + 12), 0x4e400000u);  // trap #0
}

// The entry stubs (a handler entered with its frame's FPU registers left to user code):
// each FMOVEM stores where build puts the FPU it is given (decoded from the page's words:
// the opcode, the register list, the displacement from the frame), and the JMP reads the
// word build writes the handler's address into. A frame built for a stub is the frame
// built with the FPU given but for those bytes (zero until the stub stores them, so a
// frame copied out shows nothing of the emulator's) and that word.
TEST(UnixSignalFrame, EntryStubsStoreTheFpuWhereTheFrameHoldsIt) {
  uint8_t page[kTrampolinesBytes];
  put_trampolines(page);
  for (const bool rt : {false, true}) {
    const Sample c = sample_context();
    const uint32_t handler = 0x80005678u;
    Context given = c.context();
    given.return_to = 0xf0000000u + trampoline_offset(rt);
    Context stub = given;
    stub.stub_handler = handler;
    uint8_t a[kRtFrameBytes], b[kRtFrameBytes];
    memset(b, 0xa5, sizeof b);
    const uint32_t va = 0xefffd000u;
    build(rt, va, 10, given, SigInfo{.signo = 10}, AltStack{}, a);
    build(rt, va, 10, stub, SigInfo{.signo = 10}, AltStack{}, b);
    const uint8_t* e = page + entry_offset(rt);
    // Plain: FMOVEM.X FP0-FP1 then FMOVEM.L FPCR/FPSR/FPIAR; rt the other way, FP0-FP7.
    const uint32_t data = rt ? 6 : 0, control = rt ? 0 : 6;
    EXPECT_EQ(load_be16(e + data), 0xf22fu);
    EXPECT_EQ(load_be16(e + data + 2), rt ? 0xf0ffu : 0xf0c0u);
    EXPECT_EQ(load_be16(e + control), 0xf22fu);
    EXPECT_EQ(load_be16(e + control + 2), 0xbc00u);
    EXPECT_EQ(load_be16(e + 12), 0x4ef7u);  // jmp ([d16,%sp])
    EXPECT_EQ(load_be16(e + 14), 0x0161u);
    const uint32_t fp_at = load_be16(e + data + 4), control_at = load_be16(e + control + 4);
    const uint32_t handler_at = load_be16(e + 16);
    const uint32_t registers = rt ? 8 : 2;
    for (uint32_t i = 0; i < registers; ++i) {
      EXPECT_EQ(memcmp(a + fp_at + 12 * i, c.fpu.fp[i], 12), 0) << "rt " << rt << " fp" << i;
    }
    EXPECT_EQ(load_be32(a + control_at), c.fpu.fpcr) << "rt " << rt;
    EXPECT_EQ(load_be32(a + control_at + 4), c.fpu.fpsr) << "rt " << rt;
    EXPECT_EQ(load_be32(a + control_at + 8), c.fpu.fpiar) << "rt " << rt;
    EXPECT_EQ(load_be32(b + handler_at), handler) << "rt " << rt;
    EXPECT_EQ(load_be32(a + handler_at), 0u) << "rt " << rt;
    for (uint32_t i = 0; i < frame_bytes(rt); ++i) {
      const bool fp = i >= fp_at && i < fp_at + 12 * registers;
      const bool ctl = i >= control_at && i < control_at + 12;
      const bool word = i >= handler_at && i < handler_at + 4;
      if (fp || ctl) {
        EXPECT_EQ(b[i], 0) << "rt " << rt << " byte " << i;
      } else if (!word) {
        EXPECT_EQ(a[i], b[i]) << "rt " << rt << " byte " << i;
      }
    }
  }
}

// The restore stubs (a plain sigreturn's FPU registers loaded in user mode): entered with
// the stack pointer at kRestoreSp, each loads FP0-FP1 and the control registers from
// where build put them and returns by RTD, which pops the frame's sc_pc and leaves the
// stack pointer `distance` above the frame: one stub for each distance frame_address
// gives, none for any other.
TEST(UnixSignalFrame, RestoreStubsLoadTheFpuAndReturnToTheRestoredStack) {
  uint8_t page[kTrampolinesBytes];
  put_trampolines(page);
  const Sample c = sample_context();
  uint8_t f[kFrameBytes];
  build(false, 0xefffe000u, 10, c.context(), SigInfo{}, AltStack{}, f);
  EXPECT_EQ(load_be32(f + kRestoreSp), c.regs.pc);  // what RTD pops
  for (uint32_t sp = 0xeffff000u; sp < 0xeffff008u; ++sp) {
    const uint32_t distance = sp - frame_address(sp, false);
    ASSERT_NE(restore_offset(distance), 0u) << "sp " << sp;
    const uint8_t* r = page + restore_offset(distance);
    EXPECT_EQ(load_be16(r), 0xf22fu);  // fmovem.x d16(%sp),%fp0-%fp1
    EXPECT_EQ(load_be16(r + 2), 0xd0c0u);
    EXPECT_EQ(memcmp(f + kRestoreSp + load_be16(r + 4), c.fpu.fp[0], 24), 0);
    EXPECT_EQ(load_be16(r + 6), 0xf22fu);  // fmovem.l d16(%sp),%fpcr/%fpsr/%fpiar
    EXPECT_EQ(load_be16(r + 8), 0x9c00u);
    const uint32_t control = kRestoreSp + load_be16(r + 10);
    EXPECT_EQ(load_be32(f + control), c.fpu.fpcr);
    EXPECT_EQ(load_be32(f + control + 4), c.fpu.fpsr);
    EXPECT_EQ(load_be32(f + control + 8), c.fpu.fpiar);
    EXPECT_EQ(load_be16(r + 12), 0x4e74u);  // rtd #d16
    EXPECT_EQ(kRestoreSp + 4 + load_be16(r + 14), distance) << "sp " << sp;
  }
  EXPECT_EQ(restore_offset(kRestoreFirst - 1), 0u);
  EXPECT_EQ(restore_offset(kRestoreFirst + kRestoreStubs), 0u);
  EXPECT_EQ(restore_offset(0), 0u);
}

TEST(UnixSignalFrame, RtFrameHasLinuxsLayout) {
  const Sample c = sample_context();
  uint8_t f[kRtFrameBytes];
  const uint32_t va = 0xefffd000u;
  const SigInfo info{.signo = 11, .code = 1, .word = {0xdead0000u, 0, 0}};
  build(true, va, 11, c.context(), info, AltStack{.sp = 0x1000, .flags = 2, .size = 0}, f);
  EXPECT_EQ(load_be32(f + 0), va + 16);
  EXPECT_EQ(load_be32(f + 4), 11u);
  EXPECT_EQ(load_be32(f + 8), va + 24);       // pinfo
  EXPECT_EQ(load_be32(f + 12), va + 152);     // puc
  EXPECT_EQ(load_be32(f + 16), 0x70524600u);  // moveq #0x52,d0; not.b d0 (173)
  EXPECT_EQ(load_be16(f + 20), 0x4e40u);      // trap #0
  EXPECT_EQ(load_be32(f + 24), 11u);          // si_signo
  EXPECT_EQ(load_be32(f + 32), 1u);           // si_code
  EXPECT_EQ(load_be32(f + 36), 0xdead0000u);  // si_addr
  const uint8_t* u = f + 152;
  EXPECT_EQ(load_be32(u + 0), 0u);  // uc_flags
  EXPECT_EQ(load_be32(u + 4), 0u);  // uc_link
  EXPECT_EQ(load_be32(u + 8), 0x1000u);
  EXPECT_EQ(load_be32(u + 12), 2u);
  EXPECT_EQ(load_be32(u + 20), 2u);                    // MCONTEXT_VERSION
  EXPECT_EQ(load_be32(u + 24), 0xd0d00000u);           // gregs[0]: d0
  EXPECT_EQ(load_be32(u + 24 + 7 * 4), 0xd0d00007u);   // d7
  EXPECT_EQ(load_be32(u + 24 + 14 * 4), 0xa0a00006u);  // a6
  EXPECT_EQ(load_be32(u + 24 + 15 * 4), 0xeffff000u);  // usp
  EXPECT_EQ(load_be32(u + 24 + 16 * 4), 0x80001234u);  // pc
  EXPECT_EQ(load_be32(u + 24 + 17 * 4), 0x15u);        // sr
  EXPECT_EQ(load_be32(u + 96), 0x10u);                 // f_fpcntl[0]
  EXPECT_EQ(u[108], 0x30);                             // fp0
  EXPECT_EQ(u[108 + 7 * 12], 0x37);                    // fp7
  EXPECT_EQ(u[204], 0x41);                             // uc_fpstate
  EXPECT_EQ(load_be32(u + 420), 0x80u);                // uc_formatvec
  EXPECT_EQ(load_be32(u + 524), 2u);                   // uc_sigmask
  EXPECT_EQ(load_be32(u + 528), 0x80000001u);
}

TEST(UnixSignalFrame, RtRoundTripRestoresEverything) {
  const Sample c = sample_context();
  uint8_t f[kRtFrameBytes];
  build(true, 0xefffd000u, 12, c.context(), SigInfo{}, AltStack{}, f);
  ck_registers now{};
  now.sr = 0x0000;
  Restored r;
  ASSERT_TRUE(parse(true, f, now, ck_fpu_registers{}, &r));
  EXPECT_EQ(memcmp(&r.regs, &c.regs, sizeof r.regs), 0);
  EXPECT_EQ(memcmp(&r.fpu, &c.fpu, sizeof r.fpu), 0);
  EXPECT_EQ(r.mask, c.mask);
}

TEST(UnixSignalFrame, PlainRoundTripKeepsWhatTheHandlerPreserved) {
  const Sample c = sample_context();
  uint8_t f[kFrameBytes];
  build(false, 0xefffe000u, 10, c.context(), SigInfo{}, AltStack{}, f);
  ck_registers now{};
  for (uint32_t i = 0; i < 8; ++i) now.d[i] = now.a[i] = 0x11110000u + i;
  ck_fpu_registers now_fpu{};
  memset(now_fpu.fp, 0x77, sizeof now_fpu.fp);
  Restored r;
  ASSERT_TRUE(parse(false, f, now, now_fpu, &r));
  EXPECT_EQ(r.regs.d[0], c.regs.d[0]);
  EXPECT_EQ(r.regs.d[1], c.regs.d[1]);
  EXPECT_EQ(r.regs.a[0], c.regs.a[0]);
  EXPECT_EQ(r.regs.a[1], c.regs.a[1]);
  EXPECT_EQ(r.regs.d[2], 0x11110002u);  // not in the plain frame: the current value
  EXPECT_EQ(r.regs.a[6], 0x11110006u);
  EXPECT_EQ(r.regs.a[7], c.regs.a[7]);
  EXPECT_EQ(r.regs.pc, c.regs.pc);
  EXPECT_EQ(r.regs.sr, c.regs.sr);
  EXPECT_EQ(r.mask, c.mask);
  EXPECT_EQ(r.fpu.fp[0][0], 0x30);
  EXPECT_EQ(r.fpu.fp[1][0], 0x31);
  EXPECT_EQ(r.fpu.fp[2][0], 0x77);  // fp2-fp7: the current ones
  EXPECT_EQ(r.fpu.fpiar, c.fpu.fpiar);
}

// plain_frame_keeps_fpu says true only when the plain frame's sigreturn would leave the
// FPU as it is (the emulator then does not set it again): FP2-FP7 are not in the frame, a
// difference in FP0-FP1 (any byte) or a control register is a change, and a null fsave
// frame resets the FPU.
TEST(UnixSignalFrame, PlainFrameKeepsTheFpuOnlyWhenItsRestoreChangesNothing) {
  const Sample c = sample_context();
  uint8_t f[kFrameBytes];
  build(false, 0xefffe000u, 10, c.context(), SigInfo{}, AltStack{}, f);
  const auto restored_same = [&](const ck_fpu_registers& now) {
    ck_registers regs{};
    ck_fpu_registers fpu = now;
    uint64_t mask;
    AltStack altstack;
    EXPECT_TRUE(parse_into(false, f, regs, fpu, &mask, &altstack));
    return memcmp(&fpu, &now, sizeof fpu) == 0;
  };
  EXPECT_TRUE(plain_frame_keeps_fpu(f, c.fpu));
  EXPECT_TRUE(restored_same(c.fpu));
  ck_fpu_registers other = c.fpu;
  other.fp[2][5] ^= 1;  // fp2: not restored from a plain frame
  EXPECT_TRUE(plain_frame_keeps_fpu(f, other));
  EXPECT_TRUE(restored_same(other));
  for (uint32_t reg = 0; reg < 2; ++reg) {
    for (uint32_t byte = 0; byte < 12; ++byte) {
      other = c.fpu;
      other.fp[reg][byte] ^= 0x80;
      EXPECT_FALSE(plain_frame_keeps_fpu(f, other)) << "fp" << reg << " byte " << byte;
      EXPECT_FALSE(restored_same(other));
    }
  }
  for (uint32_t* control : {&other.fpcr, &other.fpsr, &other.fpiar}) {
    other = c.fpu;
    *control ^= 0x100;
    EXPECT_FALSE(plain_frame_keeps_fpu(f, other));
    EXPECT_FALSE(restored_same(other));
  }
  Sample null_fpu = sample_context();
  null_fpu.fpu_saved = false;
  build(false, 0xefffe000u, 10, null_fpu.context(), SigInfo{}, AltStack{}, f);
  EXPECT_FALSE(plain_frame_keeps_fpu(f, reset_fpu()));  // a null frame: always set
}

TEST(UnixSignalFrame, SupervisorBitsNeverComeFromTheFrame) {
  Sample c = sample_context();
  c.regs.sr = 0x2700;  // a forged frame: supervisor, interrupts masked
  for (bool rt : {false, true}) {
    uint8_t f[kRtFrameBytes];
    build(rt, 0xefffd000u, 10, c.context(), SigInfo{}, AltStack{}, f);
    ck_registers now{};
    now.sr = 0x0000;
    Restored r;
    ASSERT_TRUE(parse(rt, f, now, ck_fpu_registers{}, &r));
    EXPECT_EQ(r.regs.sr, 0x0000) << rt;
  }
  c.regs.sr = 0xa71f;  // trace, supervisor, mask 7 and every condition code
  uint8_t f[kRtFrameBytes];
  build(true, 0xefffd000u, 10, c.context(), SigInfo{}, AltStack{}, f);
  Restored r;
  ck_registers now{};
  ASSERT_TRUE(parse(true, f, now, ck_fpu_registers{}, &r));
  EXPECT_EQ(r.regs.sr, 0x001f);
}

TEST(UnixSignalFrame, RefusesWhatLinuxRefuses) {
  const Sample c = sample_context();
  uint8_t f[kRtFrameBytes];
  Restored r;
  const ck_registers now{};
  build(true, 0xefffd000u, 10, c.context(), SigInfo{}, AltStack{}, f);
  f[152 + 23] = 3;  // mcontext version 3
  EXPECT_FALSE(parse(true, f, now, ck_fpu_registers{}, &r));
  build(true, 0xefffd000u, 10, c.context(), SigInfo{}, AltStack{}, f);
  f[152 + 422] = 0x70;  // uc_formatvec: format 7 (an access error frame with extra words)
  EXPECT_FALSE(parse(true, f, now, ck_fpu_registers{}, &r));
  build(true, 0xefffd000u, 10, c.context(), SigInfo{}, AltStack{}, f);
  f[152 + 205] = 0x60;  // an fsave busy frame
  EXPECT_FALSE(parse(true, f, now, ck_fpu_registers{}, &r));
  uint8_t p[kFrameBytes];
  build(false, 0xefffe000u, 10, c.context(), SigInfo{}, AltStack{}, p);
  p[28 + 30] = 0x20;  // sc_formatvec: format 2
  EXPECT_FALSE(parse(false, p, now, ck_fpu_registers{}, &r));
}

// parse_into works on the thread's own registers and FPU (the emulator's sigreturn in
// place): a frame it refuses leaves them as they were; one it takes changes them as parse
// does.
TEST(UnixSignalFrame, ParseIntoChangesNothingForARefusedFrame) {
  const Sample c = sample_context();
  uint8_t f[kRtFrameBytes];
  build(true, 0xefffd000u, 10, c.context(), SigInfo{}, AltStack{}, f);
  f[152 + 205] = 0x60;  // an fsave busy frame
  ck_registers regs{};
  regs.d[3] = 0x33u;
  ck_fpu_registers fpu{};
  fpu.fpcr = 0x20;
  uint64_t mask = 7;
  AltStack altstack{.sp = 1, .flags = 2, .size = 3};
  EXPECT_FALSE(parse_into(true, f, regs, fpu, &mask, &altstack));
  EXPECT_EQ(regs.d[3], 0x33u);
  EXPECT_EQ(regs.pc, 0u);
  EXPECT_EQ(fpu.fpcr, 0x20u);
  EXPECT_EQ(mask, 7u);
  EXPECT_EQ(altstack.size, 3u);
  build(true, 0xefffd000u, 10, c.context(), SigInfo{.signo = 10}, AltStack{.sp = 0x5000, .flags = 0, .size = 0x4000},
        f);
  ASSERT_TRUE(parse_into(true, f, regs, fpu, &mask, &altstack));
  EXPECT_EQ(memcmp(&regs, &c.regs, sizeof regs), 0);
  EXPECT_EQ(memcmp(&fpu, &c.fpu, sizeof fpu), 0);
  EXPECT_EQ(mask, c.mask);
  EXPECT_EQ(altstack.sp, 0x5000u);
  EXPECT_EQ(altstack.size, 0x4000u);
}

TEST(UnixSignalFrame, NullFpuFrameResetsTheFpu) {
  Sample c = sample_context();
  c.fpu_saved = false;
  uint8_t f[kRtFrameBytes];
  build(true, 0xefffd000u, 10, c.context(), SigInfo{}, AltStack{}, f);
  EXPECT_EQ(f[152 + 204], 0);
  EXPECT_EQ(f[152 + 108], 0);  // no registers written
  ck_fpu_registers now{};
  now.fpcr = 0x30;
  Restored r;
  ASSERT_TRUE(parse(true, f, ck_registers{}, now, &r));
  EXPECT_EQ(r.fpu.fpcr, 0u);
  EXPECT_EQ(r.fpu.fp[3][0], 0x7f);
  EXPECT_EQ(r.fpu.fp[3][1], 0xff);
  EXPECT_EQ(r.fpu.fp[3][4], 0xff);
}

}  // namespace
}  // namespace unixemu::signal_frame
