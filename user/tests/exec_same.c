/* exec_same: a program that execs itself again and again, and then another program, gets
 * each time its file's text, read-only data, data and a zeroed bss, and nothing of the old
 * image stays mapped. The emulator keeps the old image's read-only mappings across an
 * execve where the new image maps the same frames (issue 18 item 11); this checks the
 * cases where it must not: a read-only page made writable and written (a copy of its
 * own), a read-only file mapping the new image does not have, written data, and another
 * program whose text lies at the same addresses (and a child forked after that program
 * ended, whose space may be the ended one's: space_pool.h). */
/* oracle-none: the unix suite's qemu-m68k cannot exec (ENOEXEC: no binfmt for m68k in its
 * root), so the expected values are the file's own (what Linux's execve maps afresh). */
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "check.h"

enum { kWords = 3 * 1024, kLevels = 3 };

/* Read-only data over three pages, each word its index's square. */
#define W4(i) (i) * (i), ((i) + 1) * ((i) + 1), ((i) + 2) * ((i) + 2), ((i) + 3) * ((i) + 3)
#define W16(i) W4(i), W4((i) + 4), W4((i) + 8), W4((i) + 12)
#define W64(i) W16(i), W16((i) + 16), W16((i) + 32), W16((i) + 48)
#define W256(i) W64(i), W64((i) + 64), W64((i) + 128), W64((i) + 192)
#define W1024(i) W256(i), W256((i) + 256), W256((i) + 512), W256((i) + 768)
static const unsigned table[kWords] __attribute__((aligned(4096))) = {W1024(0), W1024(1024), W1024(2048)};

static unsigned data_word = 12345;
static unsigned bss_words[2048];

static int table_intact(void) {
    const volatile unsigned *words = table; /* read from memory, not folded */
    for (unsigned i = 0; i < kWords; i++)
        if (words[i] != i * i) return 0;
    return 1;
}

static int bss_zero(void) {
    for (unsigned i = 0; i < sizeof bss_words / sizeof bss_words[0]; i++)
        if (bss_words[i] != 0) return 0;
    return 1;
}

static sigjmp_buf out;
static void catcher(int sig) {
    (void)sig;
    siglongjmp(out, 1);
}

/* Whether a read at `at` faults (SIGSEGV): nothing mapped there. */
static int read_faults(const volatile char *at) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = catcher;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, NULL);
    int faulted = 1;
    if (sigsetjmp(out, 1) == 0) {
        (void)*at;
        faulted = 0;
    }
    signal(SIGSEGV, SIG_DFL);
    return faulted;
}

int main(int argc, char **argv) {
    const int level = argc > 1 ? atoi(argv[1]) : 0;
    printf("level %d\n", level);
    EXPECT_EQ("read-only data as in the file", table_intact(), 1);
    EXPECT_EQ("data as in the file", data_word, 12345);
    EXPECT_EQ("bss zero", bss_zero(), 1);
    if (argc > 2) {
        /* The old image's read-only file mapping (read, so mapped) is not there. */
        const char *old = (const char *)strtoul(argv[2], NULL, 16);
        EXPECT_EQ("the old image's file mapping gone", read_faults(old), 1);
    }
    if (check_failures != 0) return finish();
    if (level == kLevels) {
        /* Another program at the same addresses: its own text runs (exit42's status). */
        fflush(stdout);
        pid_t pid = fork();
        if (pid == 0) {
            execl("/tests/exit42", "/tests/exit42", (char *)NULL);
            _exit(127);
        }
        int status = 0;
        EXPECT_EQ("another program exec'd", waitpid(pid, &status, 0), pid);
        EXPECT_EQ("its status", status, 42 << 8);
        /* A child forked after that program ended (its space may be reused: space_pool.h)
         * runs this program's text and sees its data. */
        fflush(stdout);
        pid = fork();
        if (pid == 0) _exit(table_intact() && data_word == 12345 && bss_zero() ? 0 : 1);
        EXPECT_EQ("a child forked after it", waitpid(pid, &status, 0), pid);
        EXPECT_EQ("its status", status, 0);
        return finish();
    }

    /* What this image changes must not reach the next: its data and bss written, a page
     * of the read-only data made writable and written (a copy of its own), a read-only
     * file mapping read. */
    data_word = 1;
    for (unsigned i = 0; i < sizeof bss_words / sizeof bss_words[0]; i += 1024) bss_words[i] = i + 1;
    void *page = (void *)&table[1024];
    EXPECT_OK("mprotect", mprotect(page, 4096, PROT_READ | PROT_WRITE));
    ((volatile unsigned *)page)[0] = 7;
    EXPECT_EQ("the table written", ((const volatile unsigned *)table)[1024], 7);
    const int fd = open(argv[0], O_RDONLY);
    EXPECT_OK("open itself", fd);
    const char *mapped = mmap(NULL, 8192, PROT_READ, MAP_PRIVATE, fd, 0);
    CHECK(mapped != MAP_FAILED);
    EXPECT_EQ("its ELF magic", mapped[1], 'E');
    if (check_failures != 0) return finish();
    char next[16], at[16];
    snprintf(next, sizeof next, "%d", level + 1);
    snprintf(at, sizeof at, "%lx", (unsigned long)mapped);
    fflush(stdout);
    execl(argv[0], argv[0], next, at, (char *)NULL);
    CHECK(0); /* execl returned */
    return finish();
}
