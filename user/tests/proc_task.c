/* proc_task: /proc/PID/task (issue 18 item 2): a directory per thread of the process,
 * named by its thread id, in id order, each with the thread's stat (its own id first, the
 * process's command name) and status (Pid: its id, Tgid: the process's; the process's
 * Threads: counts them); a thread's
 * directory is there while it runs and gone once it has been joined; another process's
 * threads are not among them; /proc/self/task and /proc/PID/task agree. */
/* oracle-none: the unix suite's qemu-m68k runs in a root with no /proc (it makes up only
 * /proc/self's stat, exe and cmdline itself), so the expected values are Linux's
 * fs/proc/base.c's (proc_task_readdir, proc_tid_base). */
#include "check.h"
#include <dirent.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define THREADS 3

static int go[2];
static long tids[THREADS];

static void *worker(void *arg) {
    long n = (long)arg;
    tids[n] = syscall(SYS_gettid);
    char c;
    if (read(go[0], &c, 1) != 1)  /* held until the main thread has looked */
        return (void *)1;
    return NULL;
}

/* The thread ids listed in `dir` (ascending as read), how many; -1 if it cannot be read. */
static int list(const char *dir, long *out, int max) {
    DIR *d = opendir(dir);
    if (d == NULL)
        return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        if (n < max)
            out[n] = atol(e->d_name);
        n++;
    }
    closedir(d);
    return n;
}

static int listed(const long *ids, int n, long id) {
    for (int i = 0; i < n; i++)
        if (ids[i] == id)
            return 1;
    return 0;
}

int main(void) {
    char path[96], buf[1024];
    long ids[16];
    const long self = syscall(SYS_gettid);

    int n = list("/proc/self/task", ids, 16);
    EXPECT_EQ("one thread: one task entry", n, 1);
    EXPECT_EQ("... its own id", n == 1 && ids[0] == self, 1);

    if (pipe(go) != 0)
        return 1;
    pthread_t th[THREADS];
    for (long i = 0; i < THREADS; i++)
        pthread_create(&th[i], NULL, worker, (void *)i);
    /* Every worker has stored its id before it waits on the pipe. */
    for (int tries = 0; tries < 1000; tries++) {
        int all = 1;
        for (int i = 0; i < THREADS; i++)
            all &= __atomic_load_n(&tids[i], __ATOMIC_SEQ_CST) != 0;
        if (all)
            break;
        sched_yield();
    }

    n = list("/proc/self/task", ids, 16);
    EXPECT_EQ("four threads: four task entries", n, THREADS + 1);
    int all = listed(ids, n, self);
    for (int i = 0; i < THREADS; i++)
        all &= listed(ids, n, tids[i]);
    EXPECT_EQ("... each thread's id among them", all, 1);
    int ascending = 1;
    for (int i = 1; i < n && i < 16; i++)
        ascending &= ids[i - 1] < ids[i];
    EXPECT_EQ("... in id order", ascending, 1);
    snprintf(path, sizeof path, "/proc/%d/task", getpid());
    long by_pid[16];
    int m = list(path, by_pid, 16);
    EXPECT_EQ("/proc/PID/task lists the same", m == n && memcmp(ids, by_pid, sizeof(long) * (n < 16 ? n : 16)) == 0, 1);

    /* A thread's own files. */
    snprintf(path, sizeof path, "/proc/self/task/%ld/stat", tids[1]);
    EXPECT_EQ("a thread's stat", slurp(path, buf, sizeof buf) > 0, 1);
    long first = 0;
    char comm[32] = "";
    EXPECT_EQ("... parses", sscanf(buf, "%ld (%31[^)])", &first, comm), 2);
    EXPECT_EQ("... its own id first", first == tids[1], 1);
    EXPECT_STR("... the process's command name", comm, "proc_task");
    snprintf(path, sizeof path, "/proc/self/task/%ld/status", tids[2]);
    EXPECT_EQ("a thread's status", slurp(path, buf, sizeof buf) > 0, 1);
    const char *pid_line = strstr(buf, "\nPid:\t"), *tgid_line = strstr(buf, "\nTgid:\t");
    EXPECT_EQ("... Pid: its id", pid_line != NULL && atol(pid_line + 6) == tids[2], 1);
    EXPECT_EQ("... Tgid: the process's", tgid_line != NULL && atol(tgid_line + 7) == getpid(), 1);
    EXPECT_EQ("the process's status: Threads: 4", slurp("/proc/self/status", buf, sizeof buf) > 0 &&
              strstr(buf, "\nThreads:\t4\n") != NULL, 1);
    snprintf(path, sizeof path, "/proc/self/task/%ld", tids[0]);
    long files[4];
    EXPECT_EQ("a thread's directory holds stat and status", list(path, files, 4), 2);
    EXPECT_ERR("no such thread", open("/proc/self/task/999999/stat", O_RDONLY), ENOENT);

    /* Another process's threads are its own: a child sees one. */
    pid_t child = fork();
    if (child == 0) {
        long mine[16];
        _exit(list("/proc/self/task", mine, 16) == 1 && mine[0] == getpid() ? 0 : 1);
    }
    int status = -1;
    waitpid(child, &status, 0);
    EXPECT_EQ("a forked child lists only itself", WIFEXITED(status) && WEXITSTATUS(status) == 0, 1);
    snprintf(path, sizeof path, "/proc/%d/task/%ld", (int)child, tids[0]);
    EXPECT_ERR("... and not its parent's threads (reaped: none)", open(path, O_RDONLY), ENOENT);

    /* Joined threads are gone from the list. */
    if (write(go[1], "xxx", THREADS) != THREADS)
        return 1;
    for (int i = 0; i < THREADS; i++)
        pthread_join(th[i], NULL);
    n = list("/proc/self/task", ids, 16);
    EXPECT_EQ("joined: one task entry again", n, 1);
    EXPECT_EQ("... Threads: 1", slurp("/proc/self/status", buf, sizeof buf) > 0 && strstr(buf, "\nThreads:\t1\n") != NULL,
              1);
    snprintf(path, sizeof path, "/proc/self/task/%ld/stat", tids[0]);
    EXPECT_ERR("a joined thread's stat is gone", open(path, O_RDONLY), ENOENT);
    return finish();
}
