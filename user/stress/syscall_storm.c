/* syscall_storm: a hostile UNIX process (issue 17: "a program that calls an unknown
 * syscall never affects the emulator or other kernels"): 30,000 system calls with random
 * numbers and random arguments, pointers among them (unmapped, misaligned, inside an arena
 * of its own, at the edges of the address space), memory calls confined to its arena so
 * that it survives to make the next call. Run by the emulator only (never under
 * qemu-m68k: random calls on a real kernel do real damage); it must end normally, and the
 * next program (aftermath) must find the emulator whole. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

enum { kCalls = 30000, kArenaPages = 64, kPage = 4096 };
#define ARENA ((uintptr_t)0x60000000u)

static uint32_t g_state = 0x2545f491u;
static uint32_t next(void) {  /* xorshift32: a fixed sequence, the same every run */
    g_state ^= g_state << 13;
    g_state ^= g_state >> 17;
    g_state ^= g_state << 5;
    return g_state;
}

static char g_scratch[8192];
static const char g_canary[] = "the storm must not reach this";
static char g_copy[sizeof g_canary];

/* An argument: a small number, a descriptor, a flag word, or a pointer of some kind. */
static uint32_t argument(void) {
    switch (next() % 10) {
        case 0: return 0;
        case 1: return next() % 64;                              /* counts, descriptors */
        case 2: return (uint32_t)-(int32_t)(next() % 200);       /* negatives */
        case 3: return 0x10000000u + (next() & 0x3ffffffcu);     /* unmapped */
        case 4: return ARENA + (next() % (kArenaPages * kPage)); /* its arena, any alignment */
        case 5: return (uint32_t)(uintptr_t)g_scratch + next() % 4096;
        case 6: return 0xffffffffu - next() % 8;                 /* the top */
        case 7: return 0xf0000000u + (next() & 0x0ffffff0u);     /* the supervisor's range */
        case 8: return next() & 0x00000fffu;                     /* page 0 */
        default: return next();
    }
}

/* Calls that would end the program, replace it, copy it, put it to sleep or wait are
 * left out, and those that would cut its own lifelines: its thread pointer (every errno
 * is written through it) and its console descriptors; memory calls get arguments inside
 * the arena. */
static int skipped(uint32_t n, const uint32_t a[6]) {
    return n == SYS_exit || n == SYS_exit_group || n == SYS_execve || n == SYS_nanosleep ||
           n == SYS_clock_nanosleep || n == 407 /* clock_nanosleep_time64 */ || n == SYS_read ||
           n == SYS_readv || n == SYS_pause || n == SYS_rt_sigsuspend || n == SYS_set_thread_area ||
           (n == SYS_close && a[0] < 3) || ((n == SYS_dup2 || n == SYS_dup3) && a[1] < 3) ||
           /* new processes, waits and kills: fork_storm's business */
           n == SYS_fork || n == SYS_vfork || n == SYS_clone || n == SYS_kill || n == SYS_tkill ||
           n == SYS_tgkill || n == SYS_wait4 || n == SYS_waitpid || n == SYS_waitid ||
           /* pipes (a write to a full one waits for ever) and waits for readiness: pipe_storm's */
           n == SYS_pipe || n == SYS_pipe2 || n == SYS_poll || n == SYS_ppoll || n == SYS_select ||
           n == SYS__newselect || n == SYS_pselect6 || n == 413 /* pselect6_time64 */ ||
           n == 414 /* ppoll_time64 */ ||
           /* sigreturn with a garbage frame ends the process with SIGSEGV (as on Linux), a
            * signal wait may wait for ever: signal_storm's */
           n == SYS_sigreturn || n == SYS_rt_sigreturn || n == SYS_sigsuspend || n == SYS_rt_sigtimedwait ||
           n == 421 /* rt_sigtimedwait_time64 */;
}

static int memory_call(uint32_t n) {
    return n == SYS_brk || n == SYS_mmap || n == SYS_mmap2 || n == SYS_munmap || n == SYS_mprotect ||
           n == SYS_mremap || n == SYS_madvise;
}

int main(void) {
    if (mmap((void *)ARENA, kArenaPages * kPage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
             -1, 0) == MAP_FAILED) {
        printf("syscall_storm: no arena\n");
        return 1;
    }
    memcpy(g_copy, g_canary, sizeof g_canary);
    uint32_t made = 0, refused = 0;
    for (uint32_t i = 0; i < kCalls; ++i) {
        const uint32_t n = next() % 460;
        uint32_t a[6];
        for (int k = 0; k < 6; ++k) a[k] = argument();
        if (skipped(n, a)) continue;
        if (memory_call(n)) {
            a[0] = ARENA + (next() % kArenaPages) * kPage;  /* an address in the arena */
            a[1] = (next() % 4 + 1) * kPage;                 /* a few pages of it */
            if (a[0] + a[1] > ARENA + kArenaPages * kPage) a[1] = ARENA + kArenaPages * kPage - a[0];
            if (n == SYS_brk) a[0] = 0;                      /* asks; never moves the heap */
            if (n == SYS_mmap2 || n == SYS_mmap) a[3] = (a[3] | MAP_FIXED) & ~0x100000u;
            if (n == SYS_mremap) a[3] &= ~1u;                /* in place only */
            if (n == SYS_mprotect && (next() & 1)) a[2] |= PROT_READ | PROT_WRITE;
        }
        const long r = syscall(n, a[0], a[1], a[2], a[3], a[4], a[5]);
        made += 1;
        refused += r < 0;
        if (memcmp(g_copy, g_canary, sizeof g_canary) != 0) {
            printf("syscall_storm: call %u (%u) changed memory it was not given\n", i, n);
            return 1;
        }
    }
    printf("syscall_storm: %s: the emulator answered every call it was made\n",
           made > kCalls / 2 && refused > 0 && refused < made ? "done" : "too few calls");
    return 0;
}
