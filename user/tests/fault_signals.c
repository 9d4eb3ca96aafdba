/* fault_signals: synchronous signals from the program's own faults, caught with
 * SA_SIGINFO and left by siglongjmp: SIGSEGV for a read of page 0 (SEGV_MAPERR, si_addr
 * 0) and a write to a read-only page (SEGV_ACCERR, si_addr the address), SIGBUS for a
 * file mapping's page past the file's end (BUS_ADRERR), SIGILL for the ILLEGAL
 * instruction (at it; ILL_ILLOPC as Linux says, masked: qemu-m68k says ILL_ILLOPN), and a privileged instruction (ILL_PRVOPC, masked
 * too), SIGFPE for an integer divide by zero (FPE_INTDIV). A handler that makes
 * the page writable and returns has the faulted write done. (SIGBUS's si_addr is
 * checked in the emulator only: qemu-m68k gives its host's address.) Uncaught, or caught but
 * blocked, each ends a child with its signal. */
#include "check.h"
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>

/* Faulting instructions at known addresses. */
void do_illegal(void);
void do_trap1(void);
void do_privileged(void);
int do_divide(int n, int d);
extern char divide_at[];
__asm__(".text\n"
        ".globl do_illegal\ndo_illegal:\n\t.word 0x4afc\n\trts\n"
        ".globl do_trap1\ndo_trap1:\n\ttrap #1\n\trts\n"
        ".globl do_privileged\ndo_privileged:\n\treset\n\trts\n"
        ".globl do_divide\ndo_divide:\n\tmove.l 4(%sp),%d0\n\tmove.l 8(%sp),%d1\n"
        ".globl divide_at\ndivide_at:\n\tdivs.l %d1,%d0\n\trts\n");

static sigjmp_buf out;
static volatile int got_sig, got_code;
static void *volatile got_addr;

static void catcher(int sig, siginfo_t *info, void *uc) {
    (void)uc;
    got_sig = sig;
    got_code = info->si_code;
    got_addr = info->si_addr;
    siglongjmp(out, 1);
}

static char *fixable;
static volatile int fixed;
static void fixer(int sig, siginfo_t *info, void *uc) {
    (void)sig;
    (void)uc;
    fixed = info->si_addr == fixable + 8;
    mprotect(fixable, 4096, PROT_READ | PROT_WRITE);
}

static void catch_all(void (*h)(int, siginfo_t *, void *)) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = h;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    int sigs[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP};
    for (unsigned i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        sigaction(sigs[i], &sa, NULL);
}

#define NO_ADDRESS ((char *)-1) /* not checked */
#define CAUGHT(what, action, sig, code, addr)                                              \
    do {                                                                                   \
        got_sig = got_code = -1;                                                           \
        got_addr = (void *)1;                                                              \
        if (sigsetjmp(out, 1) == 0) {                                                      \
            action;                                                                        \
            printf("FAIL %s: no signal\n", what);                                          \
        }                                                                                  \
        printf("%s: signal %d code %d at the expected address %d\n", what, got_sig,       \
               got_code, got_addr == (void *)(addr));                                      \
        CHECK(got_sig == (sig) && (code < 0 || got_code == (code)) &&                      \
              ((void *)(addr) == (void *)NO_ADDRESS || got_addr == (void *)(addr)));                        \
    } while (0)

static const char *death(void (*action)(void), int block) {
    static char text[32];
    pid_t pid = fork();
    if (pid == 0) {
        /* qemu-m68k says "uncaught target signal" on the program's stderr: not output. */
        int null_fd = open("/dev/null", O_WRONLY);
        dup2(null_fd, 2);
        int sigs[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP};
        for (unsigned i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
            signal(sigs[i], SIG_DFL);
        if (block) {
            catch_all(catcher);
            sigset_t all;
            sigfillset(&all);
            sigprocmask(SIG_BLOCK, &all, NULL);
        }
        action();
        _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    if (WIFSIGNALED(status))
        snprintf(text, sizeof text, "signal %d", WTERMSIG(status));
    else
        snprintf(text, sizeof text, "exit %d", WEXITSTATUS(status));
    return text;
}

static void read_null(void) { (void)*(volatile int *)0; }
static void divide(void) { (void)do_divide(1, 0); }

int main(void) {
    /* Under the emulator (no /proc/self/stat here under qemu-m68k's chroot) the address is
     * checked too. */
    const int file_check_address = access("/proc/self/status", F_OK) == 0;
    catch_all(catcher);
    CAUGHT("read of page 0", read_null(), SIGSEGV, SEGV_MAPERR, 0);

    char *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CAUGHT("write to a read-only page", ro[100] = 1, SIGSEGV, SEGV_ACCERR, ro + 100);

    int fd = open("/data/hello.txt", O_RDONLY);
    EXPECT_EQ("open /data/hello.txt", fd >= 0, 1);
    char *file = mmap(NULL, 8192, PROT_READ, MAP_PRIVATE, fd, 0);
    /* oracle-mask: past the file's end: signal 7 code 2 at the expected address * -- qemu-m68k gives its host's address */
    CAUGHT("past the file's end", (void)*(volatile char *)(file + 4096), SIGBUS, BUS_ADRERR,
           file_check_address ? file + 4096 : (char *)NO_ADDRESS);
    close(fd);

    /* oracle-mask: ILLEGAL: signal 4 code * -- qemu-m68k says ILL_ILLOPN (2), Linux's trap_c ILL_ILLOPC (1) */
    CAUGHT("ILLEGAL", do_illegal(), SIGILL, -1, do_illegal);
    /* oracle-mask: privileged: signal 4 code * -- qemu-m68k says ILL_ILLOPN (2), Linux ILL_PRVOPC (5) */
    CAUGHT("privileged", do_privileged(), SIGILL, -1, do_privileged);
    CAUGHT("divide by zero", divide(), SIGFPE, FPE_INTDIV, divide_at);

    /* The handler mends the page and returns: the write is made again and done. */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = fixer;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
    fixable = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ((volatile char *)fixable)[8] = 42;
    EXPECT_EQ("handler saw the address", fixed, 1);
    EXPECT_EQ("the write was done after it returned", fixable[8], 42);

    signal(SIGSEGV, SIG_DFL);
    EXPECT_STR("uncaught read of page 0", death(read_null, 0), "signal 11");
    EXPECT_STR("uncaught divide by zero", death(divide, 0), "signal 8");
    EXPECT_STR("uncaught ILLEGAL", death(do_illegal, 0), "signal 4");
    EXPECT_STR("caught but blocked read of page 0", death(read_null, 1), "signal 11");
    EXPECT_STR("caught but blocked divide by zero", death(divide, 1), "signal 8");
    return finish();
}
