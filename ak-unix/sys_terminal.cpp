// The console as a controlling terminal (terminal_control.h), with Linux's rules from
// drivers/tty/tty_jobctrl.c and tty_io.c.
#include "console.h"
#include "lib/endian.h"
#include "linux_abi.h"
#include "linux_abi_process.h"
#include "linux_abi_signal.h"
#include "signal_post.h"
#include "syscalls.h"
#include "terminal.h"
#include "terminal_control.h"
#include "user_memory.h"

namespace unixemu {

namespace abi = linux_abi;

namespace {

// ioctl requests of asm-generic/ioctls.h not in linux_abi.h's file set.
constexpr uint32_t kTCFLSH = 0x540b, kTIOCSCTTY = 0x540e, kTIOCSPGRP = 0x5410, kTIOCNOTTY = 0x5422, kTIOCGSID = 0x5429;
constexpr uint32_t kTCIFLUSH = 0, kTCOFLUSH = 1, kTCIOFLUSH = 2;

uint32_t g_session = 0;     // the session whose controlling terminal it is (0: none)
uint32_t g_foreground = 0;  // its foreground process group
uint16_t g_rows = 24, g_columns = 80, g_x_pixels = 0, g_y_pixels = 0;

bool group_in_session(uint32_t pgid, uint32_t sid, bool* exists) {
  *exists = false;
  for (uint32_t i = 0; i < ProcessTable::kMax; ++i) {
    const Process& q = processes().slot(i);
    if (q.state == ProcessState::Free || q.state == ProcessState::Zombie || q.group().pgid != pgid) continue;
    *exists = true;
    if (q.group().sid == sid) return true;
  }
  return false;
}

uint32_t put32(Process& p, uint32_t va, uint32_t value) {
  uint8_t bytes[4];
  ck::store_be32(bytes, value);
  const int32_t s = copy_out(p, va, bytes, sizeof bytes);
  return s != 0 ? error(-s) : 0;
}

void signal_group(uint32_t pgid, uint32_t signal) {
  for (uint32_t i = 0; i < ProcessTable::kMax; ++i) {
    Process& q = processes().slot(i);
    if (q.state == ProcessState::Running && q.is_leader() && q.pgid == pgid)
      post_signal(q, signal, abi::kSI_KERNEL);  // Linux's kill_pgrp from the tty: SI_KERNEL
  }
}

uint32_t set_foreground(Process& p, uint32_t va) {
  if (g_session == 0 || p.group().sid != g_session) return error(abi::kENOTTY);  // not its terminal
  uint8_t bytes[4];
  if (const int32_t s = copy_in(p, va, bytes, sizeof bytes); s != 0) return error(-s);
  const int32_t pgid = static_cast<int32_t>(ck::load_be32(bytes));
  if (pgid < 0) return error(abi::kEINVAL);
  bool exists;
  if (!group_in_session(static_cast<uint32_t>(pgid), p.group().sid, &exists))
    return error(exists ? abi::kEPERM : abi::kESRCH);
  g_foreground = static_cast<uint32_t>(pgid);
  return 0;
}

uint32_t set_window(Process& p, uint32_t va) {
  uint8_t w[abi::kWinsizeBytes];
  if (const int32_t s = copy_in(p, va, w, sizeof w); s != 0) return error(-s);
  const uint16_t rows = ck::load_be16(w), columns = ck::load_be16(w + 2);
  const bool changed = rows != g_rows || columns != g_columns;
  g_rows = rows;
  g_columns = columns;
  g_x_pixels = ck::load_be16(w + 4);
  g_y_pixels = ck::load_be16(w + 6);
  if (changed && g_foreground != 0) signal_group(g_foreground, abi::kSIGWINCH);
  return 0;
}

}  // namespace

void terminal_attach(const Process& p) {
  g_session = p.group().sid;
  g_foreground = p.group().pgid;
}

void signal_foreground(uint32_t raised) {
  if (g_foreground == 0 || raised == 0) return;
  for (uint32_t signal = 1; signal < 32; ++signal)
    if ((raised & (1u << signal)) != 0) signal_group(g_foreground, signal);
}

uint32_t terminal_ioctl(Process& p, uint32_t request, uint32_t arg) {
  LineDiscipline& line = console_line();
  switch (request) {
    case abi::kTCGETS: {
      uint8_t t[abi::kTermiosBytes];
      termios_to_bytes(line.termios(), t);
      const int32_t s = copy_out(p, arg, t, sizeof t);
      return s != 0 ? error(-s) : 0;
    }
    case abi::kTCSETS:
    case abi::kTCSETSW:  // output is written at once: there is nothing to drain
    case abi::kTCSETSF: {
      uint8_t t[abi::kTermiosBytes];
      if (const int32_t s = copy_in(p, arg, t, sizeof t); s != 0) return error(-s);
      if (request == abi::kTCSETSF) line.flush_input();
      line.set_termios(termios_from_bytes(t));
      return 0;
    }
    case kTCFLSH:
      if (arg > kTCIOFLUSH) return error(abi::kEINVAL);
      if (arg == kTCIFLUSH || arg == kTCIOFLUSH) line.flush_input();
      (void)kTCOFLUSH;  // output is never held back
      return 0;
    case abi::kTIOCGPGRP:
      if (g_session == 0 || p.group().sid != g_session) return error(abi::kENOTTY);
      return put32(p, arg, g_foreground);
    case kTIOCSPGRP:
      return set_foreground(p, arg);
    case kTIOCGSID:
      if (g_session == 0 || p.group().sid != g_session) return error(abi::kENOTTY);
      return put32(p, arg, g_session);
    case kTIOCSCTTY:
      // A session leader without a terminal takes it (root may steal it: arg 1).
      if (p.group().sid != p.tgid()) return error(abi::kEPERM);
      if (g_session == p.group().sid) return 0;
      if (g_session != 0 && arg != 1) return error(abi::kEPERM);
      g_session = p.group().sid;
      g_foreground = p.group().pgid;
      return 0;
    case kTIOCNOTTY:
      if (g_session == 0 || p.group().sid != g_session) return error(abi::kENOTTY);
      if (p.group().sid == p.tgid()) {  // the session leader lets it go: its group hears SIGHUP
        signal_group(g_foreground, abi::kSIGHUP);
        signal_group(g_foreground, abi::kSIGCONT);
        g_session = g_foreground = 0;
      }
      return 0;
    case abi::kTIOCGWINSZ: {
      uint8_t w[abi::kWinsizeBytes];
      ck::store_be16(w, g_rows);
      ck::store_be16(w + 2, g_columns);
      ck::store_be16(w + 4, g_x_pixels);
      ck::store_be16(w + 6, g_y_pixels);
      const int32_t s = copy_out(p, arg, w, sizeof w);
      return s != 0 ? error(-s) : 0;
    }
    case abi::kTIOCSWINSZ:
      return set_window(p, arg);
    case abi::kFIONREAD:
      return put32(p, arg, line.available());
    default:
      return error(abi::kENOTTY);
  }
}

}  // namespace unixemu
