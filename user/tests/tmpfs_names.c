/* tmpfs_names: the writable file system's names and attributes (issue 18 item 5), in
 * /tmp/tmpfs_names: mkdir (mode & ~umask, link counts), rmdir and unlink with Linux's
 * errors (EEXIST, ENOTEMPTY, EISDIR, ENOTDIR, EINVAL, ENAMETOOLONG), unlinkat with
 * AT_REMOVEDIR, rename/renameat2 (replacing, moving between directories, NOREPLACE, a
 * directory into itself, onto a non-empty one), hard links (shared contents, st_nlink),
 * symlinks (readlink, lstat, dangling), chmod/fchmod, chown/lchown/fchownat, utimensat
 * and futimens (UTIME_OMIT, UTIME_NOW), a directory listed while its entries are
 * removed (each seen once), deep paths. Cleans up after itself. (readdir64, not readdir:
 * under qemu-m68k a host file system's 64-bit d_off makes readdir fail.) */
#include "check.h"
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>

#define DIR_ "/tmp/tmpfs_names"

static int touch(const char *path, const char *text) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) return -1;
    int n = (int)write(fd, text, strlen(text));
    close(fd);
    return n;
}

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The directory's names but . and .., sorted, comma-separated. */
static const char *listing(const char *path) {
    static char out[512];
    char *names[64];
    int n = 0;
    DIR *d = opendir(path);
    if (d == NULL) return "(none)";
    for (struct dirent64 *e; (e = readdir64(d)) != NULL && n < 64;)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) names[n++] = strdup(e->d_name);
    closedir(d);
    qsort(names, n, sizeof names[0], cmp);
    out[0] = 0;
    for (int i = 0; i < n; i++) {
        if (i) strcat(out, ",");
        strcat(out, names[i]);
        free(names[i]);
    }
    return out;
}

int main(void) {
    struct stat st, st2;
    char buf[512];
    mkdir("/tmp", 01777);
    EXPECT_OK("mkdir " DIR_, mkdir(DIR_, 0777));
    EXPECT_OK("chdir", chdir(DIR_));
    EXPECT_ERR("mkdir again", mkdir(DIR_, 0777), EEXIST);
    stat(".", &st);
    EXPECT_EQ("its mode is 0777 & ~022", st.st_mode, 040755);

    EXPECT_OK("mkdir d", mkdir("d", 0700));
    EXPECT_OK("mkdir d/sub/ (a trailing slash)", mkdir("d/sub/", 0755));
    stat("d", &st);
    EXPECT_EQ("d's mode", st.st_mode, 040700);
    EXPECT_EQ("d's links: itself, '.', sub's '..'", st.st_nlink, 3);
    EXPECT_ERR("mkdir under a missing directory", mkdir("none/x", 0755), ENOENT);
    EXPECT_EQ("touch f", touch("f", "file f"), 6);
    EXPECT_ERR("mkdir under a file", mkdir("f/x", 0755), ENOTDIR);
    EXPECT_ERR("mkdir over a file", mkdir("f", 0755), EEXIST);
    char longname[300];
    memset(longname, 'n', 256);
    longname[256] = 0;
    EXPECT_ERR("mkdir of a 256-byte name", mkdir(longname, 0755), ENAMETOOLONG);
    EXPECT_ERR("open O_CREAT of a 256-byte name", open(longname, O_WRONLY | O_CREAT, 0644), ENAMETOOLONG);
    longname[255] = 0;
    EXPECT_EQ("a 255-byte name is fine", touch(longname, "x"), 1);
    EXPECT_OK("unlink it", unlink(longname));

    EXPECT_ERR("rmdir a non-empty directory", rmdir("d"), ENOTEMPTY);
    EXPECT_ERR("rmdir a file", rmdir("f"), ENOTDIR);
    EXPECT_ERR("unlink a directory", unlink("d"), EISDIR);
    EXPECT_ERR("rmdir .", rmdir("d/sub/."), EINVAL);
    EXPECT_ERR("unlink f/ (a trailing slash)", unlink("f/"), ENOTDIR);
    EXPECT_ERR("unlink a missing file", unlink("missing"), ENOENT);
    EXPECT_ERR("unlinkat with an unknown flag", unlinkat(AT_FDCWD, "f", 0x1), EINVAL);
    EXPECT_OK("unlinkat AT_REMOVEDIR d/sub", unlinkat(AT_FDCWD, "d/sub", AT_REMOVEDIR));
    stat("d", &st);
    EXPECT_EQ("d's links after", st.st_nlink, 2);

    /* rename */
    EXPECT_OK("rename f to g", rename("f", "g"));
    EXPECT_ERR("f is gone", access("f", F_OK), ENOENT);
    EXPECT_EQ("touch h", touch("h", "file h"), 6);
    EXPECT_OK("rename g over h", rename("g", "h"));
    int fd = open("h", O_RDONLY);
    buf[read(fd, buf, sizeof buf)] = 0;
    close(fd);
    EXPECT_STR("h has g's contents", buf, "file f");
    EXPECT_EQ("touch k", touch("k", "k"), 1);
    EXPECT_ERR("renameat2 NOREPLACE", renameat2(AT_FDCWD, "h", AT_FDCWD, "k", RENAME_NOREPLACE), EEXIST);
    EXPECT_OK("renameat2 NOREPLACE to a new name", renameat2(AT_FDCWD, "k", AT_FDCWD, "k2", RENAME_NOREPLACE));
    EXPECT_OK("rename into d", rename("k2", "d/k2"));
    EXPECT_OK("mkdir d/inner", mkdir("d/inner", 0755));
    EXPECT_ERR("rename d into itself", rename("d", "d/inner/d"), EINVAL);
    EXPECT_ERR("rename a file onto a directory", rename("h", "d"), EISDIR);
    EXPECT_OK("mkdir e", mkdir("e", 0755));
    EXPECT_ERR("rename e onto a file", rename("e", "h"), ENOTDIR);
    EXPECT_ERR("rename e onto non-empty d", rename("e", "d"), ENOTEMPTY);
    EXPECT_OK("rename d/inner onto empty e", rename("d/inner", "e"));
    EXPECT_ERR("rename a missing file", rename("nothing", "x"), ENOENT);
    EXPECT_OK("rename e into d", rename("e", "d/e"));
    stat("d", &st);
    EXPECT_EQ("d's links with e moved in", st.st_nlink, 3);
    EXPECT_STR("d holds", listing("d"), "e,k2");

    /* hard links */
    EXPECT_OK("link h to h2", link("h", "h2"));
    stat("h", &st);
    stat("h2", &st2);
    EXPECT_EQ("h's links", st.st_nlink, 2);
    EXPECT_EQ("the same inode", st.st_ino == st2.st_ino, 1);
    fd = open("h2", O_WRONLY | O_APPEND);
    write(fd, "+", 1);
    close(fd);
    fd = open("h", O_RDONLY);
    buf[read(fd, buf, sizeof buf)] = 0;
    close(fd);
    EXPECT_STR("written through h2, read through h", buf, "file f+");
    EXPECT_ERR("link to a directory", link("d", "d2"), EPERM);
    EXPECT_ERR("link onto an existing name", link("h", "h2"), EEXIST);
    EXPECT_ERR("link of a missing file", link("none", "x"), ENOENT);
    EXPECT_OK("rename h2 over h (the same file)", rename("h2", "h"));
    EXPECT_OK("h2 is still there", access("h2", F_OK));
    EXPECT_OK("unlink h", unlink("h"));
    stat("h2", &st);
    EXPECT_EQ("h2's links", st.st_nlink, 1);

    /* symlinks */
    EXPECT_OK("symlink h2 as s", symlink("h2", "s"));
    EXPECT_EQ("readlink s", readlink("s", buf, sizeof buf), 2);
    EXPECT_OK("lstat s", lstat("s", &st));
    EXPECT_EQ("s is a link", S_ISLNK(st.st_mode), 1);
    EXPECT_EQ("its size is its target's length", st.st_size, 2);
    EXPECT_OK("stat s", stat("s", &st));
    EXPECT_EQ("stat follows it", st.st_size, 7);
    EXPECT_ERR("symlink onto an existing name", symlink("x", "s"), EEXIST);
    EXPECT_OK("a dangling symlink", symlink("/nowhere/at/all", "dangle"));
    EXPECT_ERR("open through it", open("dangle", O_RDONLY), ENOENT);
    EXPECT_OK("symlink to a directory", symlink("d", "sd"));
    EXPECT_STR("listed through it", listing("sd/"), "e,k2");
    EXPECT_ERR("rmdir through a symlink", rmdir("sd"), ENOTDIR);

    /* modes, owners, times */
    EXPECT_OK("chmod 0600", chmod("h2", 0600));
    stat("h2", &st);
    EXPECT_EQ("h2's mode", st.st_mode, 0100600);
    fd = open("h2", O_RDONLY);
    EXPECT_OK("fchmod 04751", fchmod(fd, 04751));
    fstat(fd, &st);
    EXPECT_EQ("h2's mode now", st.st_mode, 0104751);
    EXPECT_OK("chown 1000:100", chown("h2", 1000, 100));
    fstat(fd, &st);
    EXPECT_EQ("owner", st.st_uid, 1000);
    EXPECT_EQ("group", st.st_gid, 100);
    EXPECT_EQ("chown cleared set-user-id", st.st_mode, 0100751);
    EXPECT_OK("fchown -1:200", fchown(fd, -1, 200));
    fstat(fd, &st);
    EXPECT_EQ("owner kept", st.st_uid, 1000);
    EXPECT_EQ("group changed", st.st_gid, 200);
    EXPECT_OK("lchown the symlink", lchown("s", 7, 8));
    lstat("s", &st);
    EXPECT_EQ("the link's owner", st.st_uid, 7);
    stat("s", &st);
    EXPECT_EQ("not its target's", st.st_uid, 1000);
    EXPECT_OK("fchownat AT_SYMLINK_NOFOLLOW", fchownat(AT_FDCWD, "s", 9, 9, AT_SYMLINK_NOFOLLOW));
    EXPECT_ERR("fchownat with an unknown flag", fchownat(AT_FDCWD, "s", 9, 9, 0x4), EINVAL);

    struct timespec times[2] = {{1000000000, 5}, {1234567890, 123456789}};
    EXPECT_OK("utimensat", utimensat(AT_FDCWD, "h2", times, 0));
    stat("h2", &st);
    EXPECT_EQ("atime", st.st_atim.tv_sec, 1000000000);
    EXPECT_EQ("atime ns", st.st_atim.tv_nsec, 5);
    EXPECT_EQ("mtime", st.st_mtim.tv_sec, 1234567890);
    EXPECT_EQ("mtime ns", st.st_mtim.tv_nsec, 123456789);
    struct timespec omit[2] = {{0, UTIME_OMIT}, {42, 0}};
    EXPECT_OK("futimens with UTIME_OMIT", futimens(fd, omit));
    fstat(fd, &st);
    EXPECT_EQ("atime kept", st.st_atim.tv_sec, 1000000000);
    EXPECT_EQ("mtime set", st.st_mtim.tv_sec, 42);
    struct timespec bad[2] = {{0, 1000000000}, {0, 0}};
    EXPECT_ERR("utimensat with bad nanoseconds", utimensat(AT_FDCWD, "h2", bad, 0), EINVAL);
    EXPECT_OK("utimensat now", utimensat(AT_FDCWD, "h2", NULL, 0));
    fstat(fd, &st);
    EXPECT_EQ("now is later than 2020", st.st_mtim.tv_sec > 1577836800, 1);
    close(fd);
    /* A write moves mtime on. */
    utimensat(AT_FDCWD, "h2", times, 0);
    fd = open("h2", O_WRONLY);
    write(fd, "x", 1);
    fstat(fd, &st);
    EXPECT_EQ("a write sets mtime to now", st.st_mtim.tv_sec > 1577836800, 1);
    close(fd);

    /* A directory read while its entries are removed: each seen once. */
    EXPECT_OK("mkdir many", mkdir("many", 0755));
    for (int i = 0; i < 40; i++) {
        snprintf(buf, sizeof buf, "many/file%02d", i);
        CHECK(touch(buf, "x") == 1);
    }
    DIR *dir = opendir("many");
    int seen = 0;
    for (struct dirent64 *e; (e = readdir64(dir)) != NULL;) {
        if (e->d_name[0] == '.') continue;
        seen++;
        snprintf(buf, sizeof buf, "many/%s", e->d_name);
        CHECK(unlink(buf) == 0);
    }
    closedir(dir);
    EXPECT_EQ("entries seen while removing them", seen, 40);
    EXPECT_OK("then many is empty", rmdir("many"));

    /* Deep paths: 60 levels. */
    static char levels[61][300];
    strcpy(levels[0], "deep");
    EXPECT_OK("mkdir deep", mkdir(levels[0], 0755));
    for (int i = 1; i < 60; i++) {
        snprintf(levels[i], sizeof levels[i], "%.280s/dd", levels[i - 1]);
        CHECK(mkdir(levels[i], 0755) == 0);
    }
    snprintf(levels[60], sizeof levels[60], "%.280s/leaf", levels[59]);
    EXPECT_EQ("a file 60 levels down", touch(levels[60], "leaf"), 4);
    EXPECT_EQ("its size", (stat(levels[60], &st), st.st_size), 4);
    CHECK(unlink(levels[60]) == 0);
    for (int i = 59; i >= 0; i--) CHECK(rmdir(levels[i]) == 0);
    EXPECT_ERR("deep is gone", access("deep", F_OK), ENOENT);

    CHECK(unlink("h2") == 0);
    CHECK(unlink("s") == 0);
    CHECK(unlink("dangle") == 0);
    CHECK(unlink("sd") == 0);
    CHECK(unlink("d/k2") == 0);
    CHECK(rmdir("d/e") == 0);
    CHECK(rmdir("d") == 0);
    EXPECT_STR("the directory is empty again", listing("."), "");
    chdir("/");
    EXPECT_OK("rmdir " DIR_, rmdir(DIR_));
    return finish();
}
