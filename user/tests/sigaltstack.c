/* sigaltstack: an alternate signal stack. Off at start (SS_DISABLE); set, a handler with
 * SA_ONSTACK runs on it (its locals inside it; sigaltstack there says SS_ONSTACK and
 * refuses changes with EPERM) and one without SA_ONSTACK on the normal stack; a nested
 * SA_ONSTACK handler stays on it; ENOMEM below MINSIGSTKSZ, EINVAL for unknown flags;
 * SS_DISABLE turns it off; a fault's SIGSEGV is caught on it. */
#include "check.h"
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>

static char alt[65536] __attribute__((aligned(16)));
static volatile int on_alt, flags_inside, eperm_inside, nested_on_alt, depth;

static int inside_alt(void *p) { return (char *)p >= alt && (char *)p < alt + sizeof alt; }

static void handler(int sig) {
    char here;
    on_alt = inside_alt(&here);
    stack_t now;
    sigaltstack(NULL, &now);
    flags_inside = now.ss_flags;
    stack_t again = {.ss_sp = alt, .ss_size = sizeof alt, .ss_flags = 0};
    eperm_inside = sigaltstack(&again, NULL) == -1 && errno == EPERM;
    if (depth++ == 0 && sig == SIGUSR1) {
        raise(SIGUSR2);
    }
}

static void handler2(int sig) {
    (void)sig;
    char here;
    nested_on_alt = inside_alt(&here);
}

static sigjmp_buf out;
static volatile int segv_on_alt;
static void on_segv(int sig) {
    (void)sig;
    char here;
    segv_on_alt = inside_alt(&here);
    siglongjmp(out, 1);
}


static void set(int sig, void (*h)(int), int flags) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = h;
    sa.sa_flags = flags;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
}

int main(void) {
    stack_t ss;
    EXPECT_OK("sigaltstack query", sigaltstack(NULL, &ss));
    EXPECT_EQ("off at start", ss.ss_flags, SS_DISABLE);

    stack_t small = {.ss_sp = alt, .ss_size = 1000, .ss_flags = 0};
    EXPECT_ERR("1000 bytes: below MINSIGSTKSZ (2048)", sigaltstack(&small, NULL), ENOMEM);
    stack_t bad = {.ss_sp = alt, .ss_size = sizeof alt, .ss_flags = 0x40};
    EXPECT_ERR("unknown flags", sigaltstack(&bad, NULL), EINVAL);

    stack_t mine = {.ss_sp = alt, .ss_size = sizeof alt, .ss_flags = 0};
    EXPECT_OK("sigaltstack set", sigaltstack(&mine, NULL));
    EXPECT_OK("sigaltstack query", sigaltstack(NULL, &ss));
    EXPECT_EQ("flags 0", ss.ss_flags, 0);
    EXPECT_EQ("its base", ss.ss_sp == alt, 1);
    EXPECT_EQ("its size", ss.ss_size, sizeof alt);

    set(SIGUSR1, handler, SA_ONSTACK);
    set(SIGUSR2, handler2, SA_ONSTACK);
    raise(SIGUSR1);
    EXPECT_EQ("SA_ONSTACK: on the alternate stack", on_alt, 1);
    EXPECT_EQ("SS_ONSTACK inside", flags_inside, SS_ONSTACK);
    EXPECT_EQ("EPERM to change it inside", eperm_inside, 1);
    EXPECT_EQ("a nested SA_ONSTACK handler stays on it", nested_on_alt, 1);
    EXPECT_OK("sigaltstack query after", sigaltstack(NULL, &ss));
    EXPECT_EQ("flags 0 after", ss.ss_flags, 0);

    depth = 1;
    set(SIGUSR1, handler, 0);
    raise(SIGUSR1);
    EXPECT_EQ("without SA_ONSTACK: the normal stack", on_alt, 0);
    EXPECT_EQ("flags 0 inside", flags_inside, 0);

    set(SIGSEGV, on_segv, SA_ONSTACK);
    if (sigsetjmp(out, 1) == 0)
        *(volatile int *)0 = 1;
    EXPECT_EQ("a fault's SIGSEGV caught on it", segv_on_alt, 1);

    stack_t off = {.ss_sp = NULL, .ss_size = 0, .ss_flags = SS_DISABLE};
    EXPECT_OK("SS_DISABLE", sigaltstack(&off, NULL));
    EXPECT_OK("sigaltstack query", sigaltstack(NULL, &ss));
    EXPECT_EQ("off again", ss.ss_flags, SS_DISABLE);
    return finish();
}
