/* Byte offsets into the portable kernel's objects that entry.S's own forward and resume
 * (arch::FastPathLinks) read and change, which assembly cannot take from the C++ types.
 * The portable kernel checks every one against its types (fast_path_layout.cpp, when
 * kAssemblyFastPaths: only in the 68040 build, where pointers are 4 bytes and longwords
 * 2-byte aligned); the arch's own structures are checked in user_mode.cpp. */
#pragma once

/* ThreadObject (objects.h), its Thread base first. */
#define T_OWN 0            /* Thread::own, the own context (its card at CTX_CARD) */
#define T_CONTEXT 380      /* Thread::context: the context that runs */
#define T_SPACE 384        /* Thread::space: the AddressSpace it runs in */
#define T_HANDLER 402      /* ThreadObject::handler_: its handler context */
#define T_INTERRUPTED 1162 /* ThreadObject::interrupted_: what the handler resumes */
#define T_RUNNING 1167     /* ThreadObject::state_'s Running (thread_state.h) */
#define T_SLOT 1168        /* ThreadObject::slot_ */
#define T_EXC_FRAME 1188   /* ThreadObject::exception_frame_ */
/* Running: Own 0, Signal 1, Handler 2, SignalHandler 3 (entering the handler adds 2). */
#define RUNNING_HANDLER 2
/* AddressSpace (thread.h): the root table, then whether trap #0 is a call there. */
#define AS_TABLES 0
#define AS_CALLS 4

#ifdef __cplusplus
#include "lib/types.h"

namespace ck::arch {

// The offsets above hold (and entry.S forwards and resumes on its own) only in the
// 68040 build: a host build of the portable kernel has 8-byte pointers.
inline constexpr bool kAssemblyFastPaths = sizeof(void*) == 4;

struct ThreadLayout {
  usize own, context, space, handler, interrupted, running, slot, exception_frame;
  u32 running_handler;
  usize space_tables, space_calls;
};
inline constexpr ThreadLayout kThreadLayout{.own = T_OWN,
                                            .context = T_CONTEXT,
                                            .space = T_SPACE,
                                            .handler = T_HANDLER,
                                            .interrupted = T_INTERRUPTED,
                                            .running = T_RUNNING,
                                            .slot = T_SLOT,
                                            .exception_frame = T_EXC_FRAME,
                                            .running_handler = RUNNING_HANDLER,
                                            .space_tables = AS_TABLES,
                                            .space_calls = AS_CALLS};

}  // namespace ck::arch
#endif
