// A process's signal state beyond its actions, mask and pending set (issue 18 item 3;
// process.h holds those, and each pending signal's siginfo): the alternate signal
// stack, and what the signal path carries from a system call or fault to the moment its
// thread is loaded again (signal_delivery.h). Zero-initialized (the process table lies in
// .bss).
#pragma once

#include <stdint.h>

#include "ck/abi.h"

namespace unixemu {

// siginfo's code and the three words of its union the emulator fills (si_pid or si_addr,
// si_uid, si_status or si_value), per pending signal: the first instance of each (a
// real-time signal's later ones wait in signal_queue.h).
struct PendingInfo {
  int32_t code = 0;
  uint32_t word[3] = {};
};

struct SignalState {
  // sigaltstack: on when size != 0; autodisarm is SS_AUTODISARM.
  uint32_t altstack_sp = 0, altstack_size = 0;
  bool altstack_autodisarm = false;
  // Its thread is to leave the Cache Kernel so that its signals are acted on before it is
  // loaded again (the first thread unloads it: signal_delivery.h).
  bool interrupt = false;
  // A sigreturn (1) or rt_sigreturn (2) to do on the written-back state: its frame is
  // read with every register and the FPU known (the handler's context has not them).
  uint8_t sigreturn = 0;
  // A call that ended with ERESTARTSYS/ERESTARTNOHAND: its number, made again or ended
  // with -EINTR when the signals are acted on.
  uint32_t restart = 0;  // 0, or linux_abi::kERESTARTSYS / kERESTARTNOHAND
  uint32_t restart_number = 0;
  // sigsuspend's (and ppoll's) mask while it waits: the one to restore is saved_mask.
  bool mask_saved = false;
  uint64_t saved_mask = 0;
  // The exception's frame format and vector offset for the next frame (0x0080: trap #0).
  uint16_t formatvec = 0;
  // The writes a 68040 access error left pending in the interrupted state (ck/abi.h's
  // ck_pending_write): held back from the handler and done at the sigreturn of the frame
  // at held_frame, as Linux's sigreturn completes a format 7 frame's writebacks (a
  // handler that makes a faulted write possible has it done after it returns).
  uint32_t held_frame = 0;  // 0: none held
  ck_pending_write held[CK_PENDING_WRITES] = {};
  // A short sleep that waits in its handler (it is woken, not unloaded, by a signal).
  bool pausing = false;
  // Stopped by a stop signal's default action (its thread stays out of the Cache Kernel
  // until SIGCONT); what its parent's wait4 (WUNTRACED, WCONTINUED) has yet to hear.
  bool stopped = false;
  uint8_t stop_signal = 0;
  bool report_stop = false, report_continue = false;
};

}  // namespace unixemu
