/* The Cache Kernel's call interface (paper §2, §4.3, §7; DESIGN.md §3): what an
 * application kernel puts in registers to load, unload and modify cached objects, the
 * frame its exception handler receives, and the writeback ring it reads. C-compatible:
 * libak and any other application kernel include this header and nothing else.
 *
 * A call is `trap #0` from a thread running in its own kernel's home address space:
 *   d0 = operation (ck_op), d1..d4 and a0 = arguments as listed per operation,
 *   returns d0 = status (CK_OK or a negative ck_status), d1 = result value.
 * All other registers are preserved. The same `trap #0` from any other address space,
 * and any other trap, is forwarded to the thread's kernel as an exception (§2.3). */
#ifndef CACHE_KERNEL_H
#define CACHE_KERNEL_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Object identifiers: [31:30] type, then generation and slot. A new identifier is
 * issued on every load; after the object leaves the cache its identifier is stale. */
typedef uint32_t ck_id;

enum ck_op {
  CK_NULL = 0,                 /* nothing: the cost of a call */
  CK_LOAD_KERNEL = 1,          /* SRM only. a0 = const ck_kernel_desc*          -> d1 = kernel id */
  CK_UNLOAD_KERNEL = 2,        /* SRM only. d1 = kernel id */
  CK_LOAD_SPACE = 3,           /* d1 = owner kernel (0: caller), d2 = cookie, d3 = CK_LOCK|CK_SPACE_HOME
                                                                                -> d1 = space id */
  CK_UNLOAD_SPACE = 4,         /* d1 = space id */
  CK_LOAD_THREAD = 5,          /* d1 = space id, d2 = cookie, d3 = CK_LOCK | priority << 8,
                                  a0 = const ck_thread_state*                   -> d1 = thread id */
  CK_UNLOAD_THREAD = 6,        /* d1 = thread id (may be the caller itself) */
  CK_LOAD_MAPPING = 7,         /* d1 = space id, d2 = virtual page, d3 = physical page, d4 = ck_map_flags,
                                  a0 = signal thread id (0: none; needs CK_MAP_MESSAGE) */
  CK_UNLOAD_MAPPING = 8,       /* d1 = space id, d2 = virtual page */
  CK_UNLOAD_PAGE = 9,          /* d1 = physical page: every mapping of it the caller owns (SRM: all) */
  CK_SET_MEMORY_ACCESS = 10,   /* SRM only. d1 = kernel id, d2 = physical base, d3 = bytes, d4 = ck_rights
                                  (whole 512 KiB page groups; rights only within the memory the
                                  first kernel was given at boot, else CK_E_NO_RIGHTS) */
  CK_SET_CPU = 11,             /* SRM only. d1 = kernel id, d2 = percent (1..100), d3 = maximum priority */
  CK_SET_LOCK_QUOTA = 12,      /* SRM only. d1 = kernel id, d2 = ck_object_type, d3 = locked objects allowed;
                                  or d2 = CK_QUOTA_PAGE_TABLES, d3 = bytes of page tables its spaces may
                                  hold (a load that needs more: CK_E_NO_TABLES, to it alone) */
  CK_SET_PRIORITY = 13,        /* d1 = thread id, d2 = priority (<= the kernel's maximum) */
  CK_RESUME = 14,              /* from an exception handler: d1 = 0, or CK_RESUME_REGISTERS with
                                  a0 = the handler's ck_exception holding the registers to resume with,
                                  or CK_RESUME_RESULT with d2 = the thread's new d0 */
  CK_LOAD_MAPPING_RESUME = 15, /* CK_LOAD_MAPPING for the faulting thread's space, then CK_RESUME:
                                d2 = virtual page, d3 = physical page, d4 = ck_map_flags */
  CK_CONSOLE_WRITE = 16,       /* a0 = text, d1 = bytes (<= 256). Debug output until the console
                                  is reached through memory-based messaging (issue 6). */
  CK_QUERY = 17,               /* d1 = ck_query                                -> d1 = value */
  CK_BLOCK = 18,               /* d1 = thread id (0: the caller), d2 = timeout in ns (0: none).
                                  The thread stops running until CK_WAKE or the timeout. The caller
                                  blocking itself returns when woken, d1 = when it was made ready
                                  (the CK_QUERY_TIME clock); a CK_WAKE that came first makes it
                                  return at once. Blocking a blocked thread sets its new timeout. */
  CK_WAKE = 19,                /* d1 = thread id: a blocked thread is ready again; one that is not
                                  blocked will not block on its next CK_BLOCK of itself */
  CK_THREAD_STATS = 20,        /* d1 = thread id (0: the caller), a0 = ck_thread_stats* to fill */
  CK_KERNEL_STATS = 21,        /* d1 = kernel id (0: the caller's; others: SRM only),
                                  a0 = ck_kernel_stats* to fill */
  CK_SIGNAL = 22,              /* d1 = virtual address in the caller's space, on a message page: every
                                  other mapping of the page with a signal thread gets the address
                                  translated to its own space (paper §2.2)     -> d1 = threads signalled */
  CK_SIGNAL_RETURN = 23,       /* from a signal function: the next queued signal, or back to what the
                                  thread was doing */
  CK_WAIT_SIGNAL = 24,         /* blocks the caller until a signal for it arrives -> d1 = its address
                                  (0 when a CK_WAKE ended the wait instead) */
  CK_SYNC_CODE = 25,           /* d1 = virtual address, d2 = bytes (<= CK_SYNC_CODE_MAX), in the
                                  caller's space: after writing instructions there (loading an image,
                                  program text), makes instruction fetches see them (the 68040's data
                                  cache is pushed and its instruction cache, which does not snoop,
                                  invalidated for each page). Every page of the range must be mapped
                                  for the caller (else CK_E_NOT_MAPPED, CK_E_ADDRESS for a range
                                  that wraps; nothing done). 0 bytes: nothing to do */
  CK_SET_THREAD_VALUE = 26,    /* d1 = thread id (0: the caller), d2 = value call, d3 = value: a
                                  `trap #0` of the thread with d0 == the value call, in any of its
                                  kernel's spaces but the home one (where trap #0 is a call),
                                  returns d0 = the value at once, its kernel not involved (a value
                                  call of 0: none). A per-thread value its kernel keeps current
                                  (the UNIX emulator: glibc's thread pointer, which m68k programs
                                  read with the get_thread_area call); loaded and written back
                                  with the thread (ck_thread_state) */
  CK_EXCEPTION_FPU = 27,       /* from an exception handler: d1 = 0, a0 = ck_fpu_registers* to fill
                                 with the FPU registers of what the handler interrupted (the handler
                                 itself runs on a reset FPU, so it cannot read the thread's: an
                                 emulated fork copies them to the child); d1 = CK_EXCEPTION_FPU_SET,
                                 a0 = ck_fpu_registers* that the interrupted context resumes with
                                 (an emulated sigreturn); any other d1: CK_E_ARGUMENT */
  CK_OP_COUNT = 28
};

enum ck_status {
  CK_OK = 0,
  CK_E_OPERATION = -1,          /* no such operation */
  CK_E_INVALID_ID = -2,         /* not an identifier of the expected type */
  CK_E_STALE_ID = -3,           /* the object it named has left the cache */
  CK_E_NOT_OWNER = -4,          /* the object belongs to another kernel */
  CK_E_NOT_SRM = -5,            /* only the first kernel may do this */
  CK_E_NO_RIGHTS = -6,          /* the physical page is outside the kernel's page groups */
  CK_E_ADDRESS = -7,            /* an address is unaligned or outside the allowed range */
  CK_E_ALREADY_MAPPED = -8,     /* the virtual page has a mapping: unload it first */
  CK_E_NOT_MAPPED = -9,         /* the virtual page has no mapping */
  CK_E_RETRY = -10,             /* a writeback ring has no room: d1 = the kernel whose ring it is (the
                                   caller's own: drain it and call again; the first kernel's: wait) */
  CK_E_NO_DESCRIPTOR = -11,     /* the cache is full and nothing in it may be reclaimed (mappings: none
                                   in the 2,048 records one search looks at; the next goes on) */
  CK_E_QUOTA = -12,             /* the kernel's quota of locked objects is used up */
  CK_E_PRIORITY = -13,          /* above the kernel's maximum priority */
  CK_E_ARGUMENT = -14,          /* a flag, count or enumeration value is out of range */
  CK_E_NO_TABLES = -15,         /* the page-table pool is exhausted, or the space owner's table quota */
  CK_E_POINTER = -16,           /* a pointer argument is not readable (or writable) memory */
  CK_E_NOT_IN_EXCEPTION = -17,  /* resume from a thread that is not handling an exception */
  CK_E_HOME_EXISTS = -18,       /* the kernel already has a home address space */
  CK_E_NO_HOME = -19,           /* the kernel has no home address space (yet) */
  CK_E_BUSY = -20,              /* the object is in use in a way that forbids this (e.g. the SRM itself) */
  CK_E_NOT_MESSAGE = -21,       /* the page is not mapped in message mode */
  CK_E_SIGNAL_QUEUE_FULL = -22, /* a receiver had CK_SIGNAL_QUEUE signals pending: no receiver got
                                   this one (a signal goes to all of a page's receivers or none) */
  CK_E_NOT_IN_SIGNAL = -23,     /* signal return from a thread that is not in its signal function */
  CK_E_IO = -24,                /* the device reported an error, or there is no such device */
  CK_E_PARTIAL = -25,           /* an unload of a space, kernel or page did part of its work (whole
                                   objects unloaded and written back) and stopped: after 4 objects
                                   (a call is short), or when a ring filled (drain it). Call again
                                   to go on. CK_E_RETRY instead means nothing changed. A space or
                                   kernel load whose victim holds more than 4 objects: 4 of them
                                   reclaimed and written back, the load not done; call again */
  CK_E_SHARED = -26             /* the physical page has CK_PAGE_MAPPINGS_MAX mappings, or it is a
                                   message page with CK_MESSAGE_PAGE_MAPPINGS_MAX receiving and
                                   writable ones: unload one first */
};

/* How many mappings one physical page may have at once, and a page with a signal thread
 * (a receiver) how many receiving and writable ones together: the Cache Kernel walks a
 * page's mappings with interrupts masked (unloading its receiver flushes its writable
 * mappings, a signal visits its receivers), so their number is bounded. */
#define CK_PAGE_MAPPINGS_MAX 256u
#define CK_MESSAGE_PAGE_MAPPINGS_MAX 16u

/* The largest range one CK_SYNC_CODE takes (the kernel's work per call is bounded);
 * larger ones are refused with CK_E_ARGUMENT: call once per part. */
#define CK_SYNC_CODE_MAX (256u * 1024u)

enum ck_object_type { CK_OBJECT_KERNEL = 0, CK_OBJECT_SPACE = 1, CK_OBJECT_THREAD = 2, CK_OBJECT_MAPPING = 3 };
/* CK_SET_LOCK_QUOTA's other quota: the page tables a kernel's address spaces hold (root,
 * pointer and page tables, charged to the space's owner). Default: an even share of the
 * page-table pool among CK_KERNELS kernels; the first kernel's is unlimited. */
#define CK_QUOTA_PAGE_TABLES 4u

/* Load flags. */
#define CK_LOCK 0x1u       /* protect from reclamation (paper §4.2), counted against the lock quota */
#define CK_SPACE_HOME 0x2u /* the owner's home space: its handlers run here, its traps are calls */
#define CK_PRIORITY_SHIFT 8
#define CK_PRIORITY_COUNT 32 /* priorities 0 (lowest) .. 31 */

enum ck_map_flags {
  CK_MAP_WRITE = 0x1,    /* writable (needs read-write rights on the page's group) */
  CK_MAP_LOCK = 0x2,     /* locked mapping */
  CK_MAP_NOCACHE = 0x4,  /* cache-inhibited (device pages) */
  CK_MAP_MESSAGE = 0x8,  /* message mode (paper §2.2): CK_SIGNAL on it signals the page's signal threads */
  CK_MAP_MODIFIED = 0x10 /* with CK_MAP_WRITE only: loaded already modified, so that its first write does
                            not trap to have that recorded (a page the kernel writes at once, or whose
                            modified bit it has no use for: its own memory) */
};

enum ck_rights { CK_RIGHTS_NONE = 0, CK_RIGHTS_READ = 1, CK_RIGHTS_READ_WRITE = 3 };

#define CK_RESUME_REGISTERS 0x1u
/* The handler gives up on the exception (paper §3: an application kernel that faults
 * without a handler): the thread is unloaded as faulted (CK_WB_FAULTED, with the
 * exception of its frame) and the first kernel is told (CK_WB_FAULT). */
#define CK_RESUME_UNHANDLED 0x2u
/* The thread resumes with d2 of the call in its d0 and every other register as it was
 * interrupted: an emulated system call's result without a copy of the whole frame.
 * Alone only (with another flag: CK_E_ARGUMENT). */
#define CK_RESUME_RESULT 0x4u
/* With no other flag or with CK_RESUME_RESULT: the thread resumes behind the other ready
 * threads of its priority, as when its time slice ends (an emulated sched_yield; paper
 * §2.3 leaves scheduling policy to the application kernel, the Cache Kernel only runs the
 * queue). */
#define CK_RESUME_YIELD 0x8u
/* CK_EXCEPTION_FPU's d1: the registers at a0 replace the interrupted context's FPU
 * registers (all of them: FPCR, FPSR, FPIAR, FP0-FP7; its FPU state frame becomes an idle
 * one, as a thread loaded with ck_thread_state's), taken when the handler resumes it. */
#define CK_EXCEPTION_FPU_SET 0x1u

enum ck_query {
  CK_QUERY_SELF_THREAD = 0,      /* the calling thread's id */
  CK_QUERY_SELF_KERNEL = 1,      /* the calling thread's kernel */
  CK_QUERY_DIGEST = 2,           /* SRM only: checks every cache invariant (CK_E_BUSY if one fails) and
                                    returns a digest of the caches' contents: equal digests, same contents */
  CK_QUERY_LOADED = 3,           /* d2 = ck_object_type: how many are loaded */
  CK_QUERY_TIME = 4,             /* nanoseconds since boot, low 32 bits (wraps every 4.3 s); under
                                    QEMU -icount shift=0 one nanosecond is one instruction */
  CK_QUERY_TICK_NS = 5,          /* nanoseconds between clock ticks: timeouts end on a tick */
  CK_QUERY_STACK_HIGH_WATER = 6, /* SRM only: the Cache Kernel stack's deepest use since boot, in
                                   bytes (of 16 KiB on the 68040) */
  CK_QUERY_BOOT_SECONDS = 7      /* the calendar when CK_QUERY_TIME's clock started: seconds since
                                   1970-01-01 UTC, from the machine's real-time clock */
};

/* Processor accounting (paper §4.3). A thread's time is charged to its kernel with a
 * premium for high priorities and a discount for low ones:
 *   charged = ns * (16 + priority) / 32    (priority 16 at par, 0 at half, 31 at +47%).
 * A kernel's share is what it was charged over a moving window (the `cpu_window`
 * command-line option, in ticks) as per-mille of the window's length. A kernel whose
 * share exceeds its CPU percentage (below 100) is throttled: its threads run below
 * every other kernel's, only when nothing else is ready, until its share falls back. */
enum ck_thread_run_state { CK_THREAD_READY = 0, CK_THREAD_RUNNING = 1, CK_THREAD_BLOCKED = 2, CK_THREAD_HALTED = 3 };

struct ck_thread_stats {
  uint64_t run_ns;     /* processor time it used */
  uint64_t charged_ns; /* the same, as charged to its kernel */
  uint32_t dispatches; /* times it had the processor (and lost it again) */
  uint32_t priority;
  uint32_t state; /* ck_thread_run_state */
  uint32_t reserved;
};

struct ck_kernel_stats {
  uint64_t run_ns;         /* processor time its threads used, ever */
  uint64_t charged_ns;     /* the same, charged */
  uint32_t share_permille; /* charged over the window, per-mille of the window's length */
  uint32_t window_ns;      /* the window's length now */
  uint32_t cpu_percent;    /* its grant (CK_SET_CPU) */
  uint32_t max_priority;   /* its ceiling (CK_SET_CPU) */
  uint32_t throttled;      /* 1 while over its share */
  uint32_t threads;        /* loaded threads it owns */
};

/* A thread's registers as loaded and written back. sr: only the condition codes count. */
struct ck_registers {
  uint32_t d[8];
  uint32_t a[8]; /* a[7]: the user stack pointer */
  uint32_t pc;
  uint16_t sr;
  uint16_t reserved;
};

struct ck_fpu_registers {
  uint32_t fpcr, fpsr, fpiar;
  uint8_t fp[8][12]; /* extended precision */
};

/* A write the thread did that memory has not seen yet: a 68040 access error leaves the
 * faulted write of a completed instruction pending (up to 2 user writes), to be done
 * once the fault is resolved. A thread written back then carries them in its state; on
 * load the Cache Kernel performs them with the thread's own rights (its space's mappings
 * must allow a user write there; otherwise the thread's next run faults there, as a
 * write, and its handler is asked), in order, before the thread runs on. */
#define CK_PENDING_WRITES 2
struct ck_pending_write {
  uint32_t address; /* virtual, in the thread's space */
  uint32_t data;    /* right-aligned: a byte write's data is 0..0xff */
  uint32_t size;    /* bytes: 1, 2 or 4; 0: no write (address and data 0). Else CK_E_ARGUMENT */
};

/* CK_LOAD_THREAD's argument, and a thread's state in its writeback record. */
struct ck_thread_state {
  struct ck_registers regs;
  struct ck_fpu_registers fpu;
  uint32_t exception_stack; /* top of the stack its exception handler runs on, in the owner's home space */
  uint32_t signal_function; /* entered with d0 = d1 = a signal's address, on its own stack below the
                               interrupted sp; ends with CK_SIGNAL_RETURN. 0: signals wait for
                               CK_WAIT_SIGNAL */
  struct ck_pending_write pending[CK_PENDING_WRITES]; /* in the order they are done */
  uint32_t value_call;                                /* CK_SET_THREAD_VALUE's (0: none) */
  uint32_t value;
};

/* CK_LOAD_KERNEL's argument (paper §2.4). Resources start empty: the SRM grants page
 * groups, CPU share and lock quotas with the CK_SET_* operations. */
struct ck_kernel_desc {
  uint32_t handler;        /* exception handler, a virtual address in the kernel's home space */
  uint32_t writeback_ring; /* physical address of its ring (page-aligned, the SRM's read-write memory,
                              no loaded kernel's ring: CK_E_BUSY, since a ring is exclusive) */
  uint32_t ring_bytes;     /* a multiple of 4096 */
  uint32_t cookie;         /* returned in the kernel's writeback */
  uint32_t flags;          /* CK_LOCK, CK_KERNEL_KEEP_RING, CK_KERNEL_HANDLER_NO_FPU, CK_KERNEL_HOME_PAGED */
};
/* Reloading a kernel whose ring still holds records it has not read (the SRM after a
 * displacement or a swap, §3): the ring is taken as it is, not emptied. */
#define CK_KERNEL_KEEP_RING 0x4u
/* The kernel declares that its exception handler does not use the FPU: a trap or fault
 * forwarded to it then leaves the FPU as the thread left it, neither saved nor reset
 * (the 68040 has no FPU-disabled trap, so the Cache Kernel cannot find out for itself).
 * The FPU then holds that thread's own state, which the kernel may read and change
 * anyway (CK_EXCEPTION_FPU): a handler that uses it all the same sees and changes its
 * own thread's registers, never another kernel's. */
#define CK_KERNEL_HANDLER_NO_FPU 0x8u
/* The first kernel pages this kernel's home space (paper §3: the SRM manages the memory
 * of the kernels it starts, here their images): a mapping fault of one of its threads
 * running there -- its own threads, or any thread in its exception handler -- goes to
 * the first kernel, not to the kernel's handler (which may be the one faulting). The
 * thread stops where it is, blocked as by another thread's CK_BLOCK, and the first
 * kernel gets CK_WB_HOME_FAULT; it loads the mapping and CK_WAKEs the thread, which makes
 * the access again. A forward that finds the handler's stack page unmapped is such a
 * fault too (at that page): a trap is then taken again after the wake, a fault made
 * again; another exception, as always, ends the thread (CK_WB_FAULTED). With no room in
 * the first kernel's ring the thread is left ready, to fault again. So only the
 * kernel's locked mappings must be its handler's whole working set no longer: what it
 * touches may be displaced like any mapping (issue 17's small caches). */
#define CK_KERNEL_HOME_PAGED 0x10u

/* What a thread did, as its kernel's handler sees it (paper §2.1, §2.3). */
enum ck_exception_kind {
  CK_EXC_TRAP = 0, /* trap #vector (a system call) */
  CK_EXC_MAPPING = 1,
  CK_EXC_PROTECTION = 2,
  CK_EXC_BUS_ERROR = 3,
  CK_EXC_ADDRESS_ERROR = 4,
  CK_EXC_ILLEGAL = 5,
  CK_EXC_PRIVILEGE = 6,
  CK_EXC_ZERO_DIVIDE = 7,
  CK_EXC_CHECK = 8,
  CK_EXC_OVERFLOW = 9,
  CK_EXC_TRACE = 10,
  CK_EXC_FLOATING_POINT = 11,
  CK_EXC_FORMAT = 12,
  CK_EXC_UNKNOWN = 13
};

#define CK_ACCESS_READ 0
#define CK_ACCESS_WRITE 1
#define CK_ACCESS_EXECUTE 2

/* The frame the Cache Kernel builds on the thread's exception stack, at its top:
 * (exception_stack - sizeof(struct ck_exception)) & ~3, so a kernel finds the latest
 * exception of a thread written back in its handler there. The handler is entered as
 * `void handler(struct ck_exception*)` (the pointer also in a0), in the kernel's home
 * space. regs is the interrupted state; edit it and resume with CK_RESUME_REGISTERS to
 * change it (a new pc abandons a faulted instruction). */
struct ck_exception {
  uint32_t kind;    /* ck_exception_kind */
  uint32_t vector;  /* trap number for CK_EXC_TRAP, else the 68040 vector number */
  uint32_t address; /* faulting address (access faults) */
  uint32_t access;  /* CK_ACCESS_* | bytes << 8 */
  ck_id thread;
  uint32_t thread_cookie;
  ck_id space;
  uint32_t space_cookie;
  struct ck_registers regs;
};

/* Writeback (paper §2): a ring of 32-byte slots in memory the kernel designated. Slot 0
 * is the header; records follow, one or more slots each, never wrapping (a CK_WB_PAD
 * record fills the end). The Cache Kernel writes records and advances head; the
 * kernel reads them and advances tail. Both count slots modulo the ring's slot count,
 * skipping slot 0. */
#define CK_RING_SLOT_BYTES 32u

struct ck_ring_header {
  volatile uint32_t head;    /* next slot the Cache Kernel writes */
  volatile uint32_t tail;    /* next slot the kernel reads */
  uint32_t slots;            /* slots in the ring, header included */
  volatile uint32_t pending; /* set by the Cache Kernel on every write; the kernel clears it */
  uint32_t written;          /* records written, ever */
  uint32_t reserved[3];
};

enum ck_writeback_kind {
  CK_WB_PAD = 0, /* filler to the end of the ring */
  CK_WB_MAPPING = 1,
  CK_WB_THREAD = 2,
  CK_WB_SPACE = 3,
  CK_WB_KERNEL = 4,
  CK_WB_FAULT = 5,     /* to the first kernel, a notice rather than a writeback: a thread of kernel
                         `id` (cookie: the kernel's) faulted where no handler took the exception
                         (none, a fault in the handler, or CK_RESUME_UNHANDLED). The thread went
                         to its kernel's ring with CK_WB_FAULTED; here `space` is its space, `va`
                         its pc, `exception` and `address` as there. */
  CK_WB_OVERFLOW = 6,  /* to the first kernel: a record for kernel `id` (cookie: the kernel's) that its
                         own ring could not take, whole in the slots after this one (`slots`
                         counts them too). A ring overflows when it cannot take a thread record
                         (its kernel does not drain it, or scribbled its tail); until it is half
                         empty again, that kernel's records come here and its own loads and
                         unloads get CK_E_RETRY with d1 = its id. Other kernels' loads never wait
                         for a ring that is not theirs (the owner pays, §4.3). */
  CK_WB_HOME_FAULT = 7 /* to the first kernel: thread `id` of the kernel whose cookie is `cookie` and
                           whose home space is `space` (CK_KERNEL_HOME_PAGED) stopped on a mapping
                           fault there at `address` (`exception`: CK_EXC_MAPPING | vector << 8,
                           `pa`: its ck_access); `va` its pc. Map the page, then CK_WAKE it. */
};

/* Record flags. */
#define CK_WB_REFERENCED 0x1u     /* mapping: the page was accessed since loaded */
#define CK_WB_MODIFIED 0x2u       /* mapping: the page was written since loaded */
#define CK_WB_WRITABLE 0x4u       /* mapping: it was writable */
#define CK_WB_LOCKED 0x8u         /* the object was locked */
#define CK_WB_RECLAIMED 0x10u     /* displaced to make room, not unloaded on request */
#define CK_WB_IN_EXCEPTION 0x20u  /* thread: it was in its exception handler; the state is the interrupted one */
#define CK_WB_BLOCKED 0x80u       /* thread: it was blocked (CK_BLOCK); it is loaded ready again */
#define CK_WB_SIGNAL 0x100u       /* mapping: it had a signal thread (its id in `exception`) */
#define CK_WB_IN_SIGNAL 0x200u    /* thread: it was in its signal function; the state is the interrupted one */
#define CK_WB_SIGNALS_LOST 0x400u /* thread: signals were queued for it; they are gone with it */
#define CK_WB_FLUSHED                                                           \
  0x800u /* mapping: a writable mapping flushed because a signal mapping of its \
            page left (multi-mapping consistency, paper §4.2) */
#define CK_WB_KERNEL_GONE                                                                              \
  0x1000u                   /* space, thread, mapping: written back because its kernel object left the \
                               cache (unloaded or reclaimed), not on its own */
#define CK_SIGNAL_QUEUE 16u /* signals that can wait for one thread */
#define CK_WB_FAULTED                                                              \
  0x40u /* thread: unloaded by the Cache Kernel because its exception could not be \
           forwarded (no handler, or a fault in the handler): see exception, address */

struct ck_writeback {
  uint8_t kind;  /* ck_writeback_kind */
  uint8_t slots; /* slots this record takes, itself included */
  uint16_t flags;
  ck_id id;           /* the object's identifier (stale now) */
  uint32_t cookie;    /* the owner's cookie (mapping: its space's cookie) */
  ck_id space;        /* mapping, thread: the address space */
  uint32_t va;        /* mapping: the virtual page; thread: its priority */
  uint32_t pa;        /* mapping: the physical page */
  uint32_t exception; /* CK_WB_FAULTED: ck_exception_kind | vector << 8; mapping with CK_WB_SIGNAL:
                         its signal thread */
  uint32_t address;   /* CK_WB_FAULTED: the faulting address */
};

/* A thread record is one ck_writeback followed by the state in the next slots. */
#define CK_WB_THREAD_SLOTS (1u + (sizeof(struct ck_thread_state) + CK_RING_SLOT_BYTES - 1) / CK_RING_SLOT_BYTES)

/* Devices through memory-based messaging (paper §2.2): pages the Cache Kernel's drivers
 * own, given to the first kernel in its memory (ck_boot_info) to map and grant as it does
 * memory. A CK_SIGNAL on a device page goes to its driver; the drivers signal the
 * signal threads of the pages' message-mode mappings.
 *
 * Console output: at the address signalled in the transmit page, a uint32_t byte count
 * and the text (to the page's end at most); the driver writes it out.
 * Console input: the driver appends what arrives to the receive page's ring and signals
 * the address of the first new byte; the reader advances tail. Input that finds the
 * ring full is counted in `dropped`, never silently lost.
 * Clock: a read-only page the driver updates on every tick, then signals (timer
 * signals); `sequence` changes around each update, so a reader retries while it moved. */
#define CK_CONSOLE_RX_BYTES 4080u

/* Disk (virtio-blk): a request at the address signalled in the request page; the data
 * moves between the disk and the data page (one page: 8 sectors of 512 bytes). The
 * driver copies the request, starts it and returns; when the transfer ends (the disk's
 * interrupt) it sets `status` (CK_OK or a ck_status) and then signals the request's
 * address to the request page's signal threads. One request at a time: another one
 * meanwhile is answered at once with CK_E_BUSY. */
#define CK_DISK_SECTOR_BYTES 512u
enum ck_disk_op { CK_DISK_READ = 0, CK_DISK_WRITE = 1 };

struct ck_disk_request {
  uint32_t op;             /* ck_disk_op */
  volatile int32_t status; /* set by the driver */
  uint32_t sector;         /* first sector */
  uint32_t count;          /* sectors, 1..8 */
  uint32_t data_offset;    /* in the data page, a multiple of 512 */
};

struct ck_console_rx {
  volatile uint32_t head;    /* next byte the driver writes (modulo CK_CONSOLE_RX_BYTES) */
  volatile uint32_t tail;    /* next byte the reader reads (it writes this) */
  volatile uint32_t dropped; /* bytes that arrived with the ring full */
  uint32_t reserved;
  volatile uint8_t data[CK_CONSOLE_RX_BYTES];
};

struct ck_clock {
  volatile uint32_t sequence; /* changes with every update */
  volatile uint32_t ns_high, ns_low;
  volatile uint32_t ticks_high, ticks_low;
  uint32_t tick_ns;
};

/* The first thread of a kernel the Cache Kernel starts itself (the SRM at boot) begins
 * with a0 pointing at this, at the top of its stack. */
struct ck_boot_info {
  ck_id kernel, space, thread;
  uint32_t memory_base;   /* first physical page the kernel may use for itself */
  uint32_t memory_end;    /* end of its read-write page groups */
  uint32_t ring;          /* virtual address of its writeback ring */
  uint32_t ring_physical; /* and physical (to map it in message mode for a writeback thread) */
  uint32_t ring_bytes;
  uint32_t image_start;    /* its loaded image, virtual [image_start, image_end) ... */
  uint32_t image_end;      /* first virtual page above its loaded image */
  uint32_t image_physical; /* ... at physical image_physical onward, page for page */
  uint32_t stack_bottom;   /* virtual range of its first stack */
  uint32_t stack_top;
  uint32_t exception_stack_bottom; /* and of its first thread's exception stack */
  uint32_t exception_stack_top;
  uint32_t arguments;  /* virtual address of a NUL-terminated argument string */
  uint32_t exit_code;  /* left by the kernel when its first thread ends, for whoever started it */
  uint32_t console_tx; /* physical device pages: console output, console input (ck_console_rx), */
  uint32_t console_rx;
  uint32_t clock;        /* and the clock (ck_clock) */
  uint32_t disk_request; /* the disk's request and data pages (0: no disk) */
  uint32_t disk_data;
  uint32_t disk_sectors; /* its size */
  uint32_t prom_table;   /* virtual address of the image's ck_prom_table (read-only; 0: none).
                            Its head (the header and the entries) is mapped, locked; the
                            rest (the images) is the first kernel's to map as it reads it */
  uint32_t prom_bytes;
  uint32_t prom_physical;   /* the table's first byte, physically: it lies in page groups of its own,
                               to which the first kernel may grant other kernels read access */
  uint8_t entropy[32];      /* random bytes to seed the kernel's generator with: for the first
                               kernel from the machine, for the others from the kernel that
                               started them (not shared with any other kernel) */
  uint32_t entropy_sources; /* ck_entropy_source bits: where they came from (0: nowhere, the
                               bytes are zero; the kernel has only its clock to go on) */
  /* A kernel loaded CK_KERNEL_HOME_PAGED, whose home faults go to the kernel that started
   * it (else both 0): that kernel maps, on those faults, besides the kernel's image and
   * layout, its memory [memory_base, memory_end) page for page at paged_memory (writable),
   * and the PROM table (prom_bytes from prom_physical) at paged_prom (read-only). The
   * kernel reaches them through these addresses without mapping (or locking) anything. */
  uint32_t paged_memory;
  uint32_t paged_prom;
};

enum ck_entropy_source {
  CK_ENTROPY_BOOT_SEED = 0x1, /* QEMU's boot seed (bootinfo BI_RNG_SEED) */
  CK_ENTROPY_DEVICE = 0x2     /* the machine's entropy device (virtio-rng) */
};

/* The PROM image's table of application-kernel ELF images (paper §3, §4; built by
 * `cargo xtask image`): the first is the first kernel (the SRM); it starts the others. */
#define CK_PROM_MAGIC 0x50524f4du /* 'PROM' */
#define CK_PROM_NAME_BYTES 16u

struct ck_prom_entry {
  char name[CK_PROM_NAME_BYTES]; /* NUL-padded */
  uint32_t offset;               /* of the ELF image, from the table's start */
  uint32_t bytes;
  uint32_t reserved[2];
};

struct ck_prom_table {
  uint32_t magic; /* CK_PROM_MAGIC */
  uint32_t count; /* entries that follow */
  uint32_t bytes; /* the whole table, images included */
  uint32_t reserved;
  /* struct ck_prom_entry entries[count]; then the images */
};

#ifdef __cplusplus
}
#endif

#endif /* CACHE_KERNEL_H */
