/* fork_cow: fork copies memory copy-on-write in both directions: after fork the child's
 * writes to globals, the heap, the stack, private anonymous and private file mappings
 * are not seen by the parent, the parent's writes (made while the child still lives) are
 * not seen by the child, and MAP_SHARED memory stays shared both ways. The child returns
 * 0 from fork and its own pid differs; descriptors are shared with their offsets. */
#include "check.h"
#include <fcntl.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/wait.h>

static int global_value = 11;
static char big[64 * 1024];

/* The child's verdicts on what it saw, reported through shared memory. */
struct shared {
    volatile int child_saw_parent_write;
    volatile int parent_wrote;
    volatile int child_done_writing;
    volatile int child_stack_ok;
    volatile int shared_counter;
    volatile int child_fork_result;
    volatile int child_pid_differs;
    volatile int child_offset_seen;
};

static void wait_for(volatile int *flag) {
    for (long i = 0; i < 100000000L && !*flag; i++)
        sched_yield();
}

int main(void) {
    struct shared *sh = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    CHECK(sh != MAP_FAILED);
    char *heap = malloc(3 * 4096);
    CHECK(heap != NULL);
    memset(heap, 'h', 3 * 4096);
    memset(big, 'b', sizeof big);
    char *anon = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(anon != MAP_FAILED);
    memset(anon, 'a', 4 * 4096);
    int fd = open("/data/hello.txt", O_RDONLY);
    CHECK(fd >= 0);
    char *file = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    CHECK(file != MAP_FAILED);
    char first = file[0];
    char stack_buf[256];
    memset(stack_buf, 's', sizeof stack_buf);
    char c;
    CHECK(read(fd, &c, 1) == 1); /* offset 1, shared with the child */

    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        sh->child_fork_result = 0;
        sh->child_pid_differs = getpid() != parent;
        global_value = 22;
        memset(heap, 'H', 3 * 4096);
        memset(big, 'B', sizeof big);
        memset(anon, 'A', 4 * 4096);
        file[0] = 'F';
        memset(stack_buf, 'S', sizeof stack_buf);
        sh->shared_counter += 1;
        CHECK(read(fd, &c, 1) == 1); /* moves the shared offset to 2 */
        sh->child_done_writing = 1;
        wait_for(&sh->parent_wrote);
        /* The parent's writes after the fork are not seen here. */
        sh->child_saw_parent_write = global_value != 22 || heap[0] != 'H' || big[100] != 'B' || anon[5] != 'A';
        sh->child_stack_ok = stack_buf[0] == 'S' && stack_buf[255] == 'S';
        _exit(check_failures == 0 ? 0 : 1);
    }
    EXPECT_EQ("fork returns a pid > 0 to the parent", pid > 0, 1);
    wait_for(&sh->child_done_writing);
    EXPECT_EQ("parent's global unchanged by the child", global_value, 11);
    EXPECT_EQ("parent's heap unchanged", heap[0] == 'h' && heap[3 * 4096 - 1] == 'h', 1);
    EXPECT_EQ("parent's bss array unchanged", big[0] == 'b' && big[sizeof big - 1] == 'b', 1);
    EXPECT_EQ("parent's private anonymous mapping unchanged", anon[0] == 'a' && anon[4 * 4096 - 1] == 'a', 1);
    EXPECT_EQ("parent's private file mapping unchanged", file[0] == first, 1);
    EXPECT_EQ("parent's stack unchanged", stack_buf[0] == 's' && stack_buf[255] == 's', 1);
    EXPECT_EQ("shared mapping sees the child's write", sh->shared_counter, 1);
    EXPECT_EQ("descriptor offset moved by the child", (long)lseek(fd, 0, SEEK_CUR), 2);
    global_value = 33;
    memset(heap, 'x', 3 * 4096);
    big[100] = 'x';
    anon[5] = 'x';
    sh->shared_counter += 10;
    sh->parent_wrote = 1;
    int status = -1;
    EXPECT_EQ("waitpid returns the child", waitpid(pid, &status, 0) == pid, 1);
    EXPECT_EQ("child exited 0", WIFEXITED(status) && WEXITSTATUS(status) == 0, 1);
    EXPECT_EQ("child got 0 from fork", sh->child_fork_result, 0);
    EXPECT_EQ("child's pid differs from the parent's", sh->child_pid_differs, 1);
    EXPECT_EQ("child did not see the parent's later writes", sh->child_saw_parent_write, 0);
    EXPECT_EQ("child's stack writes its own", sh->child_stack_ok, 1);
    EXPECT_EQ("shared counter after both", sh->shared_counter, 11);
    EXPECT_EQ("parent's own writes kept", global_value == 33 && heap[7] == 'x' && big[100] == 'x', 1);

    /* A second generation: the child forks again and all three see their own values. */
    global_value = 1;
    pid = fork();
    if (pid == 0) {
        global_value = 2;
        pid_t g = fork();
        if (g == 0) {
            global_value = 3;
            _exit(global_value);
        }
        int s = 0;
        waitpid(g, &s, 0);
        _exit(WEXITSTATUS(s) * 10 + global_value);
    }
    waitpid(pid, &status, 0);
    EXPECT_EQ("grandchild 3, child 2 (exit 32)", WEXITSTATUS(status), 32);
    EXPECT_EQ("parent still 1", global_value, 1);
    return finish();
}
