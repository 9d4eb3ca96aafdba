/* fork_reuse: a child forked after another child ended sees its own memory with its own
 * protection. The emulator may give it the ended child's address space with that child's
 * read-only mappings still loaded (space_pool.h); one of those pages made inaccessible
 * (mprotect PROT_NONE) or replaced (munmap and mmap) in between must fault or read the
 * new contents, as on Linux. */
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "check.h"

/* Read-only data over two pages: each word its index's square. */
#define W4(i) (i) * (i), ((i) + 1) * ((i) + 1), ((i) + 2) * ((i) + 2), ((i) + 3) * ((i) + 3)
#define W16(i) W4(i), W4((i) + 4), W4((i) + 8), W4((i) + 12)
#define W64(i) W16(i), W16((i) + 16), W16((i) + 32), W16((i) + 48)
#define W256(i) W64(i), W64((i) + 64), W64((i) + 128), W64((i) + 192)
#define W1024(i) W256(i), W256((i) + 256), W256((i) + 512), W256((i) + 768)
static const unsigned table[2048] __attribute__((aligned(4096))) = {W1024(0), W1024(1024)};

/* The sum of a page's words, read from memory. */
static unsigned sum(const void *page) {
    const volatile unsigned *w = page;
    unsigned s = 0;
    for (unsigned i = 0; i < 1024; i++) s += w[i];
    return s;
}

/* Runs `body` in a child; its wait status. */
static int in_child(int (*body)(void)) {
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        /* qemu-m68k says "uncaught target signal" on the program's stderr: not output. */
        dup2(open("/dev/null", O_WRONLY), 2);
        _exit(body());
    }
    int status = -1;
    if (waitpid(pid, &status, 0) != pid) return -1;
    return status;
}

static char *anon;
static unsigned expected_table, expected_anon;

static int reads_all(void) {
    return sum(table) == expected_table && sum(&table[1024]) != 0 && sum(anon) == expected_anon ? 0 : 1;
}
static int reads_table(void) { return sum(table) == expected_table ? 0 : 1; }
static int reads_second(void) { return (int)(sum(&table[1024]) & 0x7f); }
static int reads_anon(void) { return sum(anon) == expected_anon ? 0 : 1; }

int main(void) {
    expected_table = sum(table);
    anon = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(anon != MAP_FAILED);
    memset(anon, 1, 4096);
    expected_anon = sum(anon);

    /* A child reads both table pages and the anonymous page (read-only mappings of
     * frames it shares with its parent), and ends. */
    EXPECT_EQ("a child reading everything", in_child(reads_all), 0);
    EXPECT_EQ("the next child reads the table", in_child(reads_table), 0);

    /* Made inaccessible: a child's read faults. */
    EXPECT_EQ("a child reads the second page", WIFEXITED(in_child(reads_second)), 1);
    EXPECT_OK("mprotect PROT_NONE", mprotect((void *)&table[1024], 4096, PROT_NONE));
    /* Twice: the ended child's space may be kept only after the first of them started. */
    for (int i = 0; i < 2; i++) {
        int status = in_child(reads_second);
        EXPECT_EQ("then a child's read: SIGSEGV", WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV, 1);
    }
    EXPECT_OK("mprotect PROT_READ", mprotect((void *)&table[1024], 4096, PROT_READ));

    /* Replaced: a child reads the new page's contents. */
    EXPECT_EQ("a child reads the anonymous page", in_child(reads_anon), 0);
    EXPECT_OK("munmap", munmap(anon, 4096));
    char *again = mmap(anon, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    EXPECT_EQ("mapped again at the same address", again == anon, 1);
    memset(anon, 2, 4096);
    expected_anon = sum(anon);
    for (int i = 0; i < 2; i++) EXPECT_EQ("then a child reads the new contents", in_child(reads_anon), 0);
    return finish();
}
