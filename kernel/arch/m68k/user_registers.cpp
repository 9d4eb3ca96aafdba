// A thread's registers between the 68040 save area (user_context.h) and the call ABI
// (ck/abi.h): call arguments and results, registers loaded and written
// back, an exception handler's starting state (paper §2.1, §2.3). Pure; host-tested.
#include <cstring>

#include "arch/arch.h"
#include "arch/m68k/user_entry.h"

namespace ck::arch {

namespace {
// FSAVE's idle frame on the 68040 (version $41, size 0): the FPU registers are valid.
constexpr u32 kIdleFrame = 0x41000000;

// Longword moves written out, for the fixed sizes a thread load copies and clears (the
// FP registers, the frame's extra words): one instruction a longword, where memcpy's
// and memset's calls, loops and tails cost two to four times that (issue 16).
using Word [[gnu::aligned(1), gnu::may_alias]] = u32;
template <usize Bytes>
inline void copy_words(void* to, const void* from) {
  static_assert(Bytes % 4 == 0);
  Word* d = static_cast<Word*>(to);
  const Word* s = static_cast<const Word*>(from);
#pragma GCC unroll 32
  for (usize i = 0; i < Bytes / 4; ++i) d[i] = s[i];
}
template <usize Bytes>
inline void clear_words(void* to) {
  static_assert(Bytes % 4 == 0);
  Word* d = static_cast<Word*>(to);
#pragma GCC unroll 32
  for (usize i = 0; i < Bytes / 4; ++i) d[i] = 0;
}

// Keeps `w` among the context's carried writes, after those already there. There is
// always room: the thread runs only once its carried writes are done, and only running
// makes a frame with pending writes (2 at most).
void carry(UserContext& c, const m68k::PendingWrite& w) {
  for (m68k::PendingWrite& slot : c.carried) {
    if (slot.size != 0) continue;
    slot = m68k::PendingWrite{.slot = 0, .address = w.address, .data = w.data, .size = w.size};
    return;
  }
}

// The frame's pending writes become carried ones: its restart state is about to go.
void carry_frame_writes(UserContext& c) {
  m68k::PendingWrite writes[2];
  const usize n = m68k::pending_writes(c.frame, writes);
  for (usize i = 0; i < n; ++i) carry(c, writes[i]);
}

bool valid_write(const ck_pending_write& w) {
  switch (w.size) {
    case 0:
      return w.address == 0 && w.data == 0;
    case 1:
      return w.data <= 0xff;
    case 2:
      return w.data <= 0xffff;
    case 4:
      return true;
    default:
      return false;
  }
}
}  // namespace

CallArguments call_arguments(const UserContext& c) {
  return CallArguments{.op = c.d[0], .arg = {c.d[1], c.d[2], c.d[3], c.d[4]}, .pointer = c.a[0]};
}

void set_call_result(UserContext& c, i32 status, u32 value) {
  c.d[0] = static_cast<u32>(status);
  c.d[1] = value;
}

void set_return_value(UserContext& c, u32 value) { c.d[0] = value; }

bool stopped_writing(const UserContext& c, VirtAddr page) {
  return m68k::write_fault_on_page(c.frame, page.value(), kPageBytes);
}

// Unrolled: every forwarded exception copies them.
void get_registers(const UserContext& c, ck_registers* out) {
#pragma GCC unroll 8
  for (u32 i = 0; i < 8; ++i) out->d[i] = c.d[i];
#pragma GCC unroll 7
  for (u32 i = 0; i < 7; ++i) out->a[i] = c.a[i];
  out->a[7] = c.usp;
  out->pc = c.pc();
  out->sr = c.sr() & UserContext::kCcrMask;
  out->reserved = 0;
}

void set_registers(UserContext& c, const ck_registers& in) {
  for (u32 i = 0; i < 8; ++i) c.d[i] = in.d[i];
  for (u32 i = 0; i < 7; ++i) c.a[i] = in.a[i];
  c.usp = in.a[7];
  if (in.pc != c.pc()) {
    carry_frame_writes(c);
    c.set_start(in.pc, static_cast<u8>(in.sr));
  } else {
    c.set_ccr(static_cast<u8>(in.sr));
  }
}

void get_pending_writes(const UserContext& c, ck_pending_write (&out)[CK_PENDING_WRITES]) {
  static_assert(CK_PENDING_WRITES == 2, "a 68040 frame and a context hold 2");
  for (ck_pending_write& w : out) w = ck_pending_write{};
  usize n = 0;
  for (const m68k::PendingWrite& w : c.carried)
    if (w.size != 0) out[n++] = ck_pending_write{.address = w.address, .data = w.data, .size = w.size};
  if (c.format() != 7) return;
  m68k::PendingWrite frame_writes[2];
  const usize in_frame = m68k::pending_writes(c.frame, frame_writes);
  for (usize i = 0; i < in_frame && n < CK_PENDING_WRITES; ++i)
    out[n++] = ck_pending_write{
        .address = frame_writes[i].address, .data = frame_writes[i].data, .size = frame_writes[i].size};
}

namespace {
// No write pending, every field 0 (a thread loaded fresh, the common case): one test of
// all six words, where each write's checks and copy take a dozen instructions or more.
bool no_pending_writes(const ck_pending_write (&in)[CK_PENDING_WRITES]) {
  u32 any = 0;
  for (const ck_pending_write& w : in) any |= w.address | w.data | w.size;
  return any == 0;
}
}  // namespace

bool valid_pending_writes(const ck_pending_write (&in)[CK_PENDING_WRITES]) {
  if (no_pending_writes(in)) return true;
  for (const ck_pending_write& w : in)
    if (!valid_write(w)) return false;
  return true;
}

void set_pending_writes(UserContext& c, const ck_pending_write (&in)[CK_PENDING_WRITES]) {
  for (m68k::PendingWrite& w : c.carried) w = m68k::PendingWrite{};
  if (no_pending_writes(in)) return;
  for (const ck_pending_write& w : in)
    if (w.size != 0)
      carry(c, m68k::PendingWrite{.slot = 0, .address = w.address, .data = w.data, .size = static_cast<u8>(w.size)});
}

void get_fpu_registers(const UserContext& c, ck_fpu_registers* out) {
  if (c.fpu.internal[0] == 0) {
    // Never used since reset: what FRESTORE of a null frame leaves.
    *out = ck_fpu_registers{};
    std::memset(out->fp, 0xff, sizeof out->fp);
    return;
  }
  out->fpcr = c.fpu.control[0];
  out->fpsr = c.fpu.control[1];
  out->fpiar = c.fpu.control[2];
  copy_words<sizeof out->fp>(out->fp, c.fpu.registers);
}

// An idle FSAVE frame is its 4-byte header alone (size 0): FRESTORE reads nothing
// after it, so the rest of the save area is left as it is.
namespace {
void set_idle_frame(UserContext& c) { store_be32(c.fpu.internal, kIdleFrame); }
}  // namespace

void set_fpu_registers(UserContext& c, const ck_fpu_registers& in) {
  set_idle_frame(c);
  c.fpu.control[0] = in.fpcr;
  c.fpu.control[1] = in.fpsr;
  c.fpu.control[2] = in.fpiar;
  copy_words<sizeof c.fpu.registers>(c.fpu.registers, in.fp);
}

void load_user_context(UserContext& c, const ck_thread_state& state) {
  const ck_registers& r = state.regs;
  // Unrolled: a loop costs three instructions a register.
#pragma GCC unroll 8
  for (u32 i = 0; i < 8; ++i) c.d[i] = r.d[i];
#pragma GCC unroll 7
  for (u32 i = 0; i < 7; ++i) c.a[i] = r.a[i];
  c.usp = r.a[7];
  c.set_start(r.pc, static_cast<u8>(r.sr & UserContext::kCcrMask));
  clear_words<sizeof c.frame - 8>(c.frame + 8);
  set_idle_frame(c);
  c.fpu.control[0] = state.fpu.fpcr;
  c.fpu.control[1] = state.fpu.fpsr;
  c.fpu.control[2] = state.fpu.fpiar;
  static_assert(sizeof c.fpu.registers == sizeof state.fpu.fp);
  copy_words<sizeof c.fpu.registers>(c.fpu.registers, state.fpu.fp);
  set_pending_writes(c, state.pending);
  c.value_call = state.value_call;
  c.value = state.value;
}

void set_thread_value(UserContext& c, u32 call, u32 value) {
  c.value_call = call;
  c.value = value;
}

void get_thread_value(const UserContext& c, u32* call, u32* value) {
  *call = c.value_call;
  *value = c.value;
}

void attach_card(UserContext& c, const ExceptionCard* card) {
  c.card = card;
  // A new card (a thread loaded): forward_card walks to its handler's stack afresh.
  c.walk_root = 0;
  c.walk_generation = 0;
  c.walk_entry = nullptr;
}
const ExceptionCard* attached_card(const UserContext& c) { return c.card; }

void prepare_handler_context(UserContext& c) {
  for (m68k::PendingWrite& w : c.carried) w = m68k::PendingWrite{};
  c.fpu.internal[0] = 0;  // null frame: FRESTORE resets the FPU
}

void enter_handler(UserContext& c, VirtAddr pc, VirtAddr sp, u32 a0) {
  // Unrolled: every forwarded exception clears them.
#pragma GCC unroll 8
  for (u32& d : c.d) d = 0;
#pragma GCC unroll 7
  for (u32& a : c.a) a = 0;
  c.a[0] = a0;
  c.usp = sp.value();
  c.set_start(pc.value(), 0);
  prepare_handler_context(c);
}

}  // namespace ck::arch
