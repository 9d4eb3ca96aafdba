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

/* What load_fast (CK_LOAD_MAPPING's common case) reads and changes beside the thread:
 * the thread's kernel (ThreadObject::kernel_); a space's slot metadata (the space
 * cache's Meta: generation, loaded) and its descriptor (SpaceObject: the root table, its
 * kernel); a kernel's page groups (PageGroups, 2 bits a 512 KiB group from bits_);
 * the physical memory map (PhysMap: its arrays, bucket bits, free list and count;
 * DependencyRecord's link, GroupLinks); a space's counts (MemoryMap::SpaceCounts). */
#define T_KERNEL 1172
#define T_HOME_SPACE 1176 /* ThreadObject::home_space_: its own space's slot */
#define META_STRIDE 8
#define META_GEN 0
#define META_LOADED 4
#define SO_STRIDE 20
#define SO_TABLES 0 /* its AddressSpace (ObjectTables::tables_of) */
#define SO_ROOT 0
#define SO_KERNEL 6
#define PG_STRIDE 2052
#define PM_RECORDS 0
#define PM_LINKS 4
#define PM_BUCKETS 8
#define PM_FREE 24
#define PM_USED 28
#define DR_LINK 12
#define GL_NEXT 0
#define GL_PREV 2
#define GL_OTHERS 4
#define SC_MAPPINGS 0
#define SC_LOW 12
/* Writeback::Ring: its header's address, slots, the writer's head, whether it overflows
 * (to the first kernel); the header's tail (ck_ring_header). */
#define WB_RING_STRIDE 22
#define WB_BASE 0
#define WB_SLOTS 4
#define WB_HEAD 8
#define WB_OVERFLOW 20
#define RH_TAIL 4
/* arch::PlainLoadLinks (m68k_plain_load_links), checked in user_mode.cpp. */
#define LL_SPACE_META 0
#define LL_SPACES 4
#define LL_SPACE_MASK 8
#define LL_SPACE_BITS 12
#define LL_RIGHTS 16
#define LL_PHYSMAP 20
#define LL_TAGGED 24
#define LL_COUNTS 28
#define LL_WB_FIRST 32
#define LL_WB_RINGS 36
#define LL_HASH_SHIFT 40

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
