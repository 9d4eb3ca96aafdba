/* sigaction_flags: what sigaction's flags and mask do as a handler runs: the signal
 * itself blocked unless SA_NODEFER (which lets it nest), sa_mask's signals blocked too and
 * both unblocked after; SA_RESETHAND's handler runs once and the action is SIG_DFL
 * after; a signal that arrives while blocked by sa_mask runs once its handler returns;
 * a blocked signal is pending even when ignored (Linux's sig_ignored) and setting SIG_IGN
 * drops a pending one; the old action read back; SIGKILL and SIGSTOP refused. */
#include "check.h"
#include <signal.h>

static volatile int depth, max_depth, runs;
static volatile int self_blocked, usr2_blocked, term_blocked;
static volatile int usr2_runs, usr2_during_usr1;

static void mask_now(sigset_t *s) { sigprocmask(SIG_BLOCK, NULL, s); }

static void nodefer(int sig) {
    runs++;
    depth++;
    if (depth > max_depth)
        max_depth = depth;
    sigset_t now;
    mask_now(&now);
    self_blocked = sigismember(&now, sig);
    if (depth < 3)
        raise(sig);
    depth--;
}

static void masked(int sig) {
    runs++;
    sigset_t now;
    mask_now(&now);
    self_blocked = sigismember(&now, sig);
    usr2_blocked = sigismember(&now, SIGUSR2);
    term_blocked = sigismember(&now, SIGTERM);
    raise(SIGUSR2); /* blocked by sa_mask: runs after this handler returns */
    usr2_during_usr1 = usr2_runs;
}

static void on_usr2(int sig) {
    (void)sig;
    usr2_runs++;
}

static void once(int sig) {
    (void)sig;
    runs++;
}

static void set(int sig, void (*h)(int), int flags, int masked_sig) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = h;
    sa.sa_flags = flags;
    sigemptyset(&sa.sa_mask);
    if (masked_sig)
        sigaddset(&sa.sa_mask, masked_sig);
    sigaction(sig, &sa, NULL);
}

int main(void) {
    set(SIGUSR1, nodefer, SA_NODEFER, 0);
    raise(SIGUSR1);
    EXPECT_EQ("SA_NODEFER: handler runs", runs, 3);
    EXPECT_EQ("SA_NODEFER: nested 3 deep", max_depth, 3);
    EXPECT_EQ("SA_NODEFER: not blocked inside", self_blocked, 0);

    runs = 0;
    set(SIGUSR2, on_usr2, 0, 0);
    set(SIGUSR1, masked, 0, SIGUSR2);
    raise(SIGUSR1);
    EXPECT_EQ("sa_mask: handler ran", runs, 1);
    EXPECT_EQ("sa_mask: itself blocked", self_blocked, 1);
    EXPECT_EQ("sa_mask: SIGUSR2 blocked", usr2_blocked, 1);
    EXPECT_EQ("sa_mask: SIGTERM not", term_blocked, 0);
    EXPECT_EQ("sa_mask: SIGUSR2 waited", usr2_during_usr1, 0);
    EXPECT_EQ("sa_mask: SIGUSR2 ran after", usr2_runs, 1);
    sigset_t now;
    mask_now(&now);
    EXPECT_EQ("mask back: SIGUSR1", sigismember(&now, SIGUSR1), 0);
    EXPECT_EQ("mask back: SIGUSR2", sigismember(&now, SIGUSR2), 0);

    runs = 0;
    set(SIGUSR1, once, SA_RESETHAND, 0);
    raise(SIGUSR1);
    EXPECT_EQ("SA_RESETHAND: ran", runs, 1);
    struct sigaction old;
    sigaction(SIGUSR1, NULL, &old);
    EXPECT_EQ("SA_RESETHAND: now SIG_DFL", old.sa_handler == SIG_DFL, 1);

    /* The old action as it was set. */
    set(SIGHUP, once, SA_RESTART | SA_NODEFER, SIGINT);
    sigaction(SIGHUP, NULL, &old);
    EXPECT_EQ("old action: handler", old.sa_handler == once, 1);
    EXPECT_EQ("old action: SA_RESTART", (old.sa_flags & SA_RESTART) != 0, 1);
    EXPECT_EQ("old action: SA_NODEFER", (old.sa_flags & SA_NODEFER) != 0, 1);
    EXPECT_EQ("old action: mask has SIGINT", sigismember(&old.sa_mask, SIGINT), 1);
    EXPECT_EQ("old action: mask has not SIGQUIT", sigismember(&old.sa_mask, SIGQUIT), 0);

    /* Ignored and blocked: pending all the same, dropped when unblocked. */
    signal(SIGUSR2, SIG_IGN);
    sigset_t usr2;
    sigemptyset(&usr2);
    sigaddset(&usr2, SIGUSR2);
    sigprocmask(SIG_BLOCK, &usr2, NULL);
    raise(SIGUSR2);
    sigset_t pending;
    sigpending(&pending);
    EXPECT_EQ("SIG_IGN: blocked and ignored is pending", sigismember(&pending, SIGUSR2), 1);
    sigprocmask(SIG_UNBLOCK, &usr2, NULL);
    sigpending(&pending);
    EXPECT_EQ("SIG_IGN: unblocked, gone", sigismember(&pending, SIGUSR2), 0);

    /* Caught while blocked: pending; a handler set to SIG_IGN meanwhile drops it. */
    set(SIGUSR2, on_usr2, 0, 0);
    usr2_runs = 0;
    sigprocmask(SIG_BLOCK, &usr2, NULL);
    raise(SIGUSR2);
    sigpending(&pending);
    EXPECT_EQ("blocked: pending", sigismember(&pending, SIGUSR2), 1);
    signal(SIGUSR2, SIG_IGN);
    sigpending(&pending);
    EXPECT_EQ("SIG_IGN set: no longer pending", sigismember(&pending, SIGUSR2), 0);
    sigprocmask(SIG_UNBLOCK, &usr2, NULL);
    EXPECT_EQ("and never run", usr2_runs, 0);

    /* SIGKILL and SIGSTOP cannot be caught or ignored. */
    EXPECT_ERR("sigaction(SIGKILL)", signal(SIGKILL, SIG_IGN) == SIG_ERR ? -1 : 0, EINVAL);
    EXPECT_ERR("sigaction(SIGSTOP)", signal(SIGSTOP, once) == SIG_ERR ? -1 : 0, EINVAL);
    return finish();
}
