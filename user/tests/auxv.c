/* auxv: the auxiliary vector (Linux's create_elf_tables): AT_PAGESZ 4096, AT_PHDR points
 * at this program's own program headers (AT_PHENT = sizeof(Elf32_Phdr), AT_PHNUM of them,
 * PT_LOAD/PT_TLS among them), AT_ENTRY = _start, AT_BASE 0, AT_UID/EUID/GID/EGID,
 * AT_CLKTCK 100, AT_HWCAP, AT_SECURE 0, AT_RANDOM 16 bytes not all zero, AT_EXECFN the
 * path; the raw vector after envp ends with AT_NULL and has no duplicates. */
#include "check.h"
#include <elf.h>
#include <link.h>
#include <sys/auxv.h>

extern char _start[];
extern const Elf32_Ehdr __ehdr_start;

int main(int argc, char **argv, char **envp) {
    (void)argc;
    (void)argv;
    EXPECT_EQ("AT_PAGESZ", getauxval(AT_PAGESZ), 4096);
    EXPECT_EQ("AT_PHENT", getauxval(AT_PHENT), sizeof(Elf32_Phdr));
    EXPECT_EQ("AT_PHNUM", getauxval(AT_PHNUM), __ehdr_start.e_phnum);
    EXPECT_EQ("AT_PHDR == ehdr + e_phoff",
              getauxval(AT_PHDR) == (unsigned long)&__ehdr_start + __ehdr_start.e_phoff, 1);
    EXPECT_EQ("AT_ENTRY == _start", getauxval(AT_ENTRY) == (unsigned long)_start, 1);
    EXPECT_EQ("AT_ENTRY == e_entry", getauxval(AT_ENTRY) == __ehdr_start.e_entry, 1);
    EXPECT_EQ("AT_BASE", getauxval(AT_BASE), 0);
    EXPECT_EQ("AT_UID", getauxval(AT_UID), getuid());
    EXPECT_EQ("AT_EUID", getauxval(AT_EUID), geteuid());
    EXPECT_EQ("AT_GID", getauxval(AT_GID), getgid());
    EXPECT_EQ("AT_EGID", getauxval(AT_EGID), getegid());
    EXPECT_EQ("AT_CLKTCK", getauxval(AT_CLKTCK), 100);
    EXPECT_EQ("AT_HWCAP", getauxval(AT_HWCAP), 0);
    EXPECT_EQ("AT_SECURE", getauxval(AT_SECURE), 0);
    const unsigned char *random = (const unsigned char *)getauxval(AT_RANDOM);
    EXPECT_EQ("AT_RANDOM != 0", random != NULL, 1);
    int nonzero = 0;
    for (int i = 0; random && i < 16; i++)
        nonzero |= random[i];
    EXPECT_EQ("AT_RANDOM bytes not all zero", nonzero != 0, 1);
    EXPECT_STR("AT_EXECFN", (const char *)getauxval(AT_EXECFN), "/tests/auxv");

    /* The program headers AT_PHDR points at. */
    const Elf32_Phdr *ph = (const Elf32_Phdr *)getauxval(AT_PHDR);
    int loads = 0, tls = 0;
    for (unsigned long i = 0; i < getauxval(AT_PHNUM); i++) {
        if (ph[i].p_type == PT_LOAD)
            loads++;
        if (ph[i].p_type == PT_TLS)
            tls++;
    }
    EXPECT_EQ("PT_LOAD headers", loads, 2);
    EXPECT_EQ("PT_TLS headers", tls, 1);

    /* The raw vector: after envp's NULL, (type, value) pairs up to AT_NULL. */
    char **p = envp;
    while (*p)
        p++;
    const Elf32_auxv_t *av = (const Elf32_auxv_t *)(p + 1);
    int count = 0, dup = 0, pagesz = 0;
    unsigned long seen[64] = {0};
    for (; av->a_type != AT_NULL && count < 64; av++, count++) {
        for (int j = 0; j < count; j++)
            if (seen[j] == av->a_type)
                dup = 1;
        seen[count] = av->a_type;
        if (av->a_type == AT_PAGESZ)
            pagesz = (int)av->a_un.a_val;
    }
    EXPECT_EQ("auxv ends with AT_NULL", av->a_type == AT_NULL, 1);
    EXPECT_EQ("auxv has no duplicate types", dup, 0);
    EXPECT_EQ("raw AT_PAGESZ", pagesz, 4096);
    EXPECT_EQ("getauxval(unknown) == 0", getauxval(999), 0);
    EXPECT_EQ("errno after getauxval(unknown)", errno, ENOENT);
    return finish();
}
