// Hostile instruction streams (streams.h; issue 15). The encodings are the 68040's
// (M68000 Family Programmer's Reference Manual); each template is a short sequence that
// sets up and performs one kind of hostile instruction.
#include "streams.h"

#include "ak_layout.h"
#include "libak.h"
#include "world.h"

namespace fuzz {

namespace {

constexpr uint32_t kStormLimit = 48;  // exceptions of one thread before its handler unloads it
constexpr uint32_t kExceptionStackBytes = 4096;
constexpr uint16_t kIllegal = 0x4afc;

// Words QEMU 7.2 cannot take from user mode: it crashes (a guest cannot crash a real
// 68040 so, so these are QEMU's bugs, left out of the streams and written down in the
// README). Found by this fuzzer:
//   BKPT #n (0x4848-0x484f) ends QEMU itself (known before).
//   FScc, FDBcc, FTRAPcc (0xf240-0xf27f; predicate in the next word) with a predicate
//   above 0x1f: the translator leaves its condition unset and QEMU crashes in
//   tcg_optimize (f24b d8e9 9c60: an FDBcc with predicate 0x29). FBcc (0xf280-0xf2ff)
//   goes too: its displacement may make the program counter odd (below).
//   CHK2.B (0x00c0-0x00f7, 0x00fc-0x00ff, with bit 11 of the next word set: CHK2, not
//   CMP2) aborts QEMU in translation (tcg_temp_free_internal): its chk2 frees the address
//   gen_lea gives it, and for these modes that is a TCG global, not a temporary: the
//   address register itself for (An), and for (d8,An,Xn) in the full format with the
//   index suppressed and no displacement (00f0 4800 0150); NULL_QREG for Dn, An, (An)+,
//   -(An), #imm and the modes that do not exist (00c0 0ffe; 00d0 4ec6 and 00ff ffff,
//   seeds 6 and 7 at 10 million calls, in pool pages a stream ran). (d16,An), absolute
//   and PC-relative addresses are temporaries and go through, and so do the word and
//   long forms (0x02c0-0x02ff, 0x04c0-0x04ff), which QEMU 7.2 decodes as illegal.
//   MOVEM to or from (An) (0x4890-0x4897, 0x48d0-0x48d7, 0x4c90-0x4c97, 0x4cd0-0x4cd7)
//   aborts QEMU in translation (tcg_temp_free_internal: it frees the address register
//   itself); MOVEM with d16(An) aborted it too now and then, so the streams have none.
//   An instruction at an odd address that crosses a page boundary aborts QEMU in
//   translation (tcg_temp_free_internal; a 68040 raises an address error at any odd
//   program counter, QEMU runs there). So nothing in a stream sends the program counter
//   to an odd address inside its code: no branch with an odd, 16- or 32-bit displacement,
//   no DBcc, no PC-relative JMP/JSR; odd program counters point at unmapped memory only.
//   FPU arithmetic (0xf200-0xf23f: the EA in the low bits, the operation in the next
//   word) with a data register and an extended, double or packed source aborts QEMU in
//   translation (gen_ea_mode_fp: "code should not be reached"); emit_fpu's own, known
//   FPU instructions are written past the filter (Emitter::own_word).
// And words that would run memory no filter has seen: JMP and JSR through a register or
// an absolute address, RTS, RTR and RTD (their targets are random registers or stack
// words, which may point into a data or stack page holding whatever a stream stored
// there: seed 4 at 10 million calls aborted QEMU on a CHK2.B so). The pieces' own jumps
// go to unmapped pages only (hostile_target) and are written past the filter.
constexpr bool jumps_anywhere(uint32_t w) {
  w &= 0xffff;
  if ((w & 0xff80) == 0x4e80 && (w & 0x38) >= 0x10) return true;  // JSR, JMP <ea>
  return w == 0x4e74 || w == 0x4e75 || w == 0x4e77;               // RTD, RTS, RTR
}
constexpr bool crashes_qemu(uint32_t w) {
  w &= 0xffff;
  if ((w & 0xfff8) == 0x4848) return true;                                                   // BKPT
  if ((w & 0xffc0) == 0xf200) return true;                                                   // FPU arithmetic
  if (w >= 0xf240 && w <= 0xf2ff) return true;                                               // FScc .. FBcc
  if ((w & 0xf000) == 0x6000) return (w & 0xff) == 0 || (w & 0xff) == 0xff || (w & 1) != 0;  // Bcc
  if ((w & 0xf0f8) == 0x50c8) return true;                                                   // DBcc
  if ((w & 0xfb80) == 0x4880 && (w & 0x38) >= 0x10) return true;                             // MOVEM to or from memory
  if ((w & 0xffc0) == 0x00c0 && (w & 0x38) != 0x28 && (w & 0x3c) != 0x38) return true;       // CHK2.B
  return w == 0x4efa || w == 0x4efb || w == 0x4eba || w == 0x4ebb;                           // JMP, JSR (d, pc)
}

alignas(4) uint8_t g_exception_stacks[kMaxThreads][kExceptionStackBytes];
StreamCounts g_counts;
Rng g_handler_rng(1);

uint32_t exception_stack_top(uint32_t slot) {
  return reinterpret_cast<uint32_t>(g_exception_stacks[slot] + kExceptionStackBytes);
}

// ---- Code generation -------------------------------------------------------------

class Emitter {
 public:
  Emitter(uint16_t* at, uint32_t words) : at_(at), left_(words) {}
  bool room(uint32_t words) const { return words <= left_; }
  void word(uint32_t w) {
    if (left_ == 0) return;  // a piece longer than kLongestPiece is cut, never written past the page
    if (crashes_qemu(w) || jumps_anywhere(w)) w = kIllegal;
    *at_++ = static_cast<uint16_t>(w);
    --left_;
  }
  void longword(uint32_t v) {
    word(v >> 16);
    word(v & 0xffff);
  }
  // One of the pieces' own known words the filter refuses (emit_fpu's 0xf2xx, a jump to
  // an unmapped page).
  void own_word(uint32_t w) {
    if (left_ == 0) return;
    *at_++ = static_cast<uint16_t>(w);
    --left_;
  }

 private:
  uint16_t* at_;
  uint32_t left_;
};

// Where a stream may jump (world.h: nothing is ever mapped on those pages in a stream
// space), odd or even; never a mapped data or stack page (their contents are whatever
// the streams stored there, which may hold words that crash QEMU).
uint32_t hostile_target(Rng& rng) { return rng.pick(kJumpTargets) | rng.below(2); }

// An address worth pointing a register at: odd, unmapped, the kernel's, the table
// window, the I/O page, wrapping, straddling the stack page's end.
uint32_t hostile_address(Rng& rng) {
  static const uint32_t kAddresses[] = {0x00000001,
                                        0x00000000,
                                        0x00001000,
                                        0x00002001,
                                        0xf0000000,
                                        0xff008000,
                                        0xfffffffe,
                                        0xfffffff8,
                                        kStreamStack + kPage - 2,
                                        kStreamStack + kPage - 1,
                                        kStreamStack + kPage,
                                        0x00900000,
                                        kStreamData + kPage - 2};
  return rng.one_in(4) ? rng.next() : rng.pick(kAddresses);
}

void emit_privileged(Rng& rng, Emitter& e) {
  switch (rng.below(12)) {
    case 0:
      e.word(0x46fc), e.word(rng.next());  // move #imm, sr
      break;
    case 1:
      e.word(0x4e72), e.word(rng.next());  // stop #imm
      break;
    case 2:
      e.word(0x4e70);  // reset
      break;
    case 3:
      e.word(0x4e73);  // rte
      break;
    case 4:
      e.word(0x4e7a), e.word(0x0801);  // movec vbr, d0
      break;
    case 5:
      e.word(0x4e7b), e.word(0x0002);  // movec d0, cacr
      break;
    case 6:
      e.word(0x207c), e.longword(hostile_address(rng));         // movea.l #a, a0
      e.word(0x0e90), e.word(rng.one_in(2) ? 0x0000 : 0x0800);  // moves.l (a0), d0 / d0, (a0)
      break;
    case 7:
      e.word(0x40c0);  // move sr, d0
      break;
    case 8:
      e.word(0x4e60);  // move a0, usp
      break;
    case 9:
      e.word(0x007c), e.word(0x2700);  // ori #0x2700, sr
      break;
    case 10:
      e.word(0xf518);  // pflusha
      break;
    default:
      e.word(0xf4f8);  // cpusha bc
      break;
  }
}

void emit_arithmetic_trap(Rng& rng, Emitter& e) {
  switch (rng.below(5)) {
    case 0:
      e.word(0x44fc), e.word(0x0002), e.word(0x4e76);  // move #V, ccr; trapv
      break;
    case 1:
      e.word(0x70ff), e.word(0x4181);  // moveq #-1, d0; chk.w d1, d0
      break;
    case 2:
      e.word(0x7200), e.word(0x80c1);  // moveq #0, d1; divu.w d1, d0
      break;
    case 3:
      e.word(0x7200), e.word(0x4c41), e.word(0x0800);  // moveq #0, d1; divs.l d1, d0
      break;
    default:
      e.word(0x4e40 | rng.below(16));  // trap #n (trap #0 from here is forwarded too)
      break;
  }
}

// FPU exceptions enabled in FPCR, then a divide by zero, an operand error, an overflow.
// QEMU 7.2 does not raise enabled FPU exceptions: the stream runs on.
void emit_fpu(Rng& rng, Emitter& e) {
  e.own_word(0xf23c), e.word(0x9000), e.longword(rng.one_in(2) ? 0x0000ff00u : rng.next());  // fmove.l #, fpcr
  e.own_word(0xf200), e.word(0x4000);                                                        // fmove.l d0, fp0
  e.word(0x7200);                                                                            // moveq #0, d1
  e.own_word(0xf200), e.word(0x4080);                                                        // fmove.l d1, fp1
  switch (rng.below(3)) {
    case 0:
      e.own_word(0xf200), e.word(0x0420);  // fdiv.x fp1, fp0
      break;
    case 1:
      e.word(0x70ff), e.own_word(0xf200), e.word(0x4000), e.own_word(0xf200), e.word(0x0004);  // fsqrt of -1
      break;
    default:
      e.own_word(0xf200), e.word(0x0023 | rng.below(8) << 10);  // fmul.x fpN, fp0
      break;
  }
}

constexpr uint32_t kLongestPiece = 16;  // words: emit_fpu's longest

void emit_stream_piece(Rng& rng, Emitter& e) {
  if (!e.room(kLongestPiece)) return;
  switch (rng.below(14)) {
    case 0:
    case 1:
      for (uint32_t n = 1 + rng.below(4); n != 0; --n) e.word(rng.next());
      break;
    case 2:
      emit_privileged(rng, e);
      break;
    case 3:
      emit_arithmetic_trap(rng, e);
      break;
    case 4:
      e.word(0xa000 | rng.below(0x1000));  // line A
      break;
    case 5:
      e.word(0xf000 | rng.below(0x1000));  // line F: FPU, MMU, MOVE16, CINV ...
      if (rng.one_in(2)) e.word(rng.next());
      break;
    case 6:
      e.word(0x207c), e.longword(hostile_target(rng) | 1), e.own_word(0x4ed0);  // jmp (a0), a0 odd
      break;
    case 7:
      // An odd, unmapped or kernel-pointing user stack pointer, then a trap.
      e.word(0x2e7c), e.longword(hostile_address(rng)), e.word(0x4e40 | rng.below(16));
      break;
    case 8:
      emit_fpu(rng, e);
      break;
    case 9:
      // CAS across the stack page's end into the unmapped page after it.
      e.word(0x207c), e.longword(kStreamStack + kPage - (rng.one_in(2) ? 2 : 1));
      e.word(rng.one_in(2) ? 0x0ed0 : 0x0cd0), e.word(0x0040);  // cas.l / cas.w d0, d1, (a0)
      break;
    case 10:
      for (uint32_t n = 1 + rng.below(6); n != 0; --n) e.word(kIllegal);  // a storm
      break;
    case 11:
      e.word(0x207c), e.longword(hostile_address(rng));
      e.word(rng.one_in(2) ? 0x2080 : 0x2010);  // move.l d0, (a0) / (a0), d0
      break;
    case 12:
      e.word(0x60fe);  // bra.s .: runs until its slice ends
      break;
    default:
      e.word(0x2039), e.longword(hostile_address(rng));  // move.l (abs).l, d0
      break;
  }
}

// ---- Hostile register states ---------------------------------------------------------

uint32_t stream_pc(Rng& rng) {
  switch (rng.below(10)) {
    case 0:
      return hostile_target(rng);  // maybe odd (never inside its code: see crashes_qemu)
    case 1:
      return code_va(rng.below(kCodePages)) + kPage - 2;  // its last word, then unmapped
    default:
      return code_va(rng.below(kCodePages)) + (rng.below(kPage) & ~1u);
  }
}

uint32_t stream_sp(Rng& rng) { return rng.one_in(3) ? hostile_address(rng) : kStreamStack + kPage - 4 * rng.below(64); }

void hostile_registers(Rng& rng, ck_registers& r) {
  for (uint32_t& d : r.d) d = rng.one_in(2) ? rng.next() : hostile_address(rng);
  for (uint32_t& a : r.a) a = rng.one_in(2) ? rng.next() : hostile_address(rng);
  r.a[7] = stream_sp(rng);
  r.pc = stream_pc(rng);
  // Supervisor, trace and interrupt-mask bits: only the condition codes may be taken.
  r.sr = static_cast<uint16_t>(rng.next());
  r.reserved = static_cast<uint16_t>(rng.next());
}

// ---- The exception handler -----------------------------------------------------------

int slot_of(ck_id thread) {
  for (uint32_t i = 0; i < kMaxThreads; ++i)
    if (world().threads[i].id == thread) return static_cast<int>(i);
  return -1;
}

// Unloads the current thread from its own handler (or gives up on it). Neither may come
// back: a thread whose record does not fit its kernel's full ring halts, loaded, until
// its kernel unloads it. So the handler never marks its slot free or its identifier
// stale; reap_threads does, once the thread has really left. When both calls are
// refused, it goes on elsewhere in its code.
[[noreturn]] void leave(ck_exception& e) {
  g_counts.unloaded_by_handler += 1;
  ak::unload_thread(e.thread);
  ak::give_up(&e);
  e.regs.pc = code_va(0);
  ak::resume(&e);
  for (;;) ak::block_self(1000000);  // not even that: the kernel's thread unloads it
}

// The kernel's own thread faulted: its verdicts cannot be trusted any more. The exit
// code tells the SRM, which ends it.
[[noreturn]] void own_fault(const ck_exception& e) {
  g_counts.own_faults += 1;
  ak::print("fuzz: ITS OWN THREAD FAULTED: {} at pc {:#010x}, address {:#010x}\n",
            ck::StrView(ak::exception_kind_name(e.kind)), e.regs.pc, e.address);
  const_cast<ck_boot_info*>(world().info)->exit_code = 3;
  ak::give_up(&e);
  for (;;) {
  }
}

// A fault on fetching an instruction (or its extension words), or any fault on a page
// streams run in (a data fault there: the code window once a code mapping was unloaded or
// reclaimed, a jump target): a pool page mapped there would be run, and its words are
// whatever was stored in it, unfiltered (QEMU 7.2 aborted in translation on them:
// tcg_temp_free_internal, seeds 2, 3, 6 and 7 at 10 million calls).
bool runs_there(const ck_exception& e) {
  return (e.access & 0xff) == CK_ACCESS_EXECUTE || e.address - e.regs.pc < 32 || streams_run_in(e.address);
}

class StreamHandler final : public ak::ExceptionHandler {
 public:
  void exception(ck_exception& e) override {
    if (e.space == world().home) own_fault(e);
    Rng& rng = g_handler_rng;
    g_counts.exceptions += 1;
    g_counts.by_kind[e.kind <= CK_EXC_UNKNOWN ? e.kind : uint32_t{CK_EXC_UNKNOWN}] += 1;
    const int slot = slot_of(e.thread);
    if (slot < 0) leave(e);
    StreamThread& t = world().threads[slot];
    t.exceptions = t.exceptions + 1;
    if (t.exceptions > kStormLimit || rng.one_in(24)) leave(e);
    const uint32_t r = rng.below(12);
    if (r < 3) {
      g_counts.resumes += 1;
      ak::resume();  // unchanged: the same exception again (a storm)
    } else if (r < 5 && e.kind == CK_EXC_MAPPING && !runs_there(e)) {
      g_counts.mapped += 1;
      ak::load_mapping_resume(e.address & ~(kPage - 1), world().pool_page(rng), rng.below(16));
    } else if (r == 5) {
      // Resume with stray flags or registers it cannot read: refused, or done; or with a
      // result (CK_RESUME_RESULT, alone or beside stray flags).
      const uint32_t flags = rng.below(2) == 0 ? CK_RESUME_RESULT | (rng.below(2) == 0 ? 0 : rng.next()) : rng.next();
      ak::call(CK_RESUME, flags, rng.next(), 0, 0, reinterpret_cast<const void*>(hostile_address(rng)));
    } else if (r == 7) {
      ak::wait_signal();  // until a signal, or the kernel's thread wakes it
    } else if (r == 6) {
      ak::give_up(&e);  // unloaded as faulted, the SRM told (faults=keep counts it)
    }
    hostile_registers(rng, e.regs);
    g_counts.resumes += 1;
    ak::resume(&e);
    leave(e);  // the resume was refused
  }
};
StreamHandler g_handler;

}  // namespace

void init_streams(uint64_t seed) {
  World& w = world();
  g_handler_rng = Rng(seed ^ 0x5714ea4d);
  for (uint32_t p = 0; p < kCodePages; ++p)
    ak::load_mapping(w.home, kCodeWindow + p * kPage, w.code_frames + p * kPage, CK_MAP_WRITE | CK_MAP_LOCK);
  Rng rng(seed ^ 0xc0de);
  for (uint32_t p = 0; p < kCodePages; ++p) regenerate_code(rng);
  ak::set_exception_handler(&g_handler);
}

void regenerate_code(Rng& rng) {
  static uint32_t next_page;
  const uint32_t page = next_page++ % kCodePages;
  auto* code = reinterpret_cast<uint16_t*>(kCodeWindow + page * kPage);
  Emitter e(code, kPage / 2);
  while (e.room(kLongestPiece)) emit_stream_piece(rng, e);
  while (e.room(1)) e.word(kIllegal);
}

void furnish_space(ck_id space, Rng& rng) {
  const World& w = world();
  for (uint32_t p = 0; p < kCodePages; ++p) ak::load_mapping(space, code_va(p), w.code_frames + p * kPage, 0);
  ak::load_mapping(space, kStreamStack, w.stack_frame, CK_MAP_WRITE);
  ak::load_mapping(space, kStreamData, w.pool_page(rng), CK_MAP_WRITE);
}

void hostile_state(Rng& rng, uint32_t slot, ck_thread_state* state) {
  hostile_registers(rng, state->regs);
  state->fpu.fpcr = rng.next();
  state->fpu.fpsr = rng.next();
  state->fpu.fpiar = rng.next();
  for (auto& fp : state->fpu.fp)
    for (uint8_t& b : fp) b = static_cast<uint8_t>(rng.next());
  // Now and then an exception stack it cannot use: its first exception has nowhere to go.
  state->exception_stack = rng.one_in(16) ? hostile_address(rng) : exception_stack_top(slot);
  state->signal_function = rng.below(4) != 0 ? 0 : stream_pc(rng);
}

void keep_streams_running(Rng& rng) {
  World& w = world();
  int space = w.any_space(rng);
  if (space < 0) {
    const ak::CallResult s = ak::load_space(0, rng.next(), 0);
    if (!s.ok()) return;
    w.spaces[0] = s.value;
    furnish_space(s.value, rng);
    space = 0;
  }
  for (uint32_t slot = 0; slot < kMaxThreads; ++slot) {
    if (w.threads[slot].id != 0) continue;
    ck_thread_state state{};
    hostile_state(rng, slot, &state);
    const uint32_t priority = rng.below(w.max_priority);  // below the kernel's own thread
    const ak::CallResult t = ak::load_thread(w.spaces[space], rng.next(), priority << CK_PRIORITY_SHIFT, state);
    if (!t.ok()) return;
    w.threads[slot].space = static_cast<uint32_t>(space);
    w.threads[slot].exceptions = 0;
    w.threads[slot].id = t.value;
    g_counts.threads_loaded += 1;
    return;
  }
}

void reap_threads() {
  World& w = world();
  for (StreamThread& t : w.threads) {
    const ck_id id = t.id;
    if (id == 0) continue;
    ck_thread_stats stats;
    const int32_t s = ak::thread_stats(id, &stats);
    if (s == CK_E_STALE_ID || s == CK_E_INVALID_ID) {
      t.id = 0;
      w.gone(id);
    }
  }
}

const StreamCounts& stream_counts() { return g_counts; }

}  // namespace fuzz
