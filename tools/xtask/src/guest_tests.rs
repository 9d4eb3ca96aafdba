//! The guest test table: every image built from tests/guest/ and what the harness
//! expects of it. An image that is built but not listed here fails the run, so no test
//! is silently skipped.

use std::time::Duration;

/// What a guest test image must do for the harness to count it as passed.
#[derive(Debug, Clone, Copy)]
pub enum Expect {
    /// Every declared case passes, the summary agrees, QEMU exits 0.
    Pass,
    /// Harness self-test: exactly these cases fail, the rest pass, QEMU exits non-zero.
    CasesFail(&'static [&'static str]),
    /// Harness self-test: a fatal report containing every string, no summary, QEMU
    /// exits non-zero.
    Fatal(&'static [&'static str]),
    /// Harness self-test: the image never finishes and is stopped at its time limit.
    Timeout,
    /// An interactive image (no test protocol): within the time limit the console shows
    /// every string, with no fatal report; QEMU is then stopped.
    Session(&'static [&'static str]),
    /// The fuzz image (fuzz.rs): at least `calls` hostile calls, every verdict clean, QEMU
    /// powered off; the longest masked stretch is reported (and held to `masked_ceiling`
    /// when that is set).
    Fuzz { calls: u64, masked_ceiling: Option<u64> },
}

#[derive(Debug, Clone, Copy)]
pub struct GuestTest {
    pub name: &'static str,
    pub memory_mib: u32,
    pub append: &'static str,
    /// Extra QEMU arguments (e.g. `-icount` for tests that measure guest time).
    pub qemu_args: &'static [&'static str],
    /// Typed on the console at start.
    pub input: &'static str,
    /// Text the console must show (besides the protocol) for a pass.
    pub console: &'static [&'static str],
    /// Boot twice on one fresh disk image: first with `ktest.phase=write`, then (a new
    /// QEMU) with `ktest.phase=read`, both with the same random `ktest.token`.
    pub reboot_with_disk: bool,
    /// One boot with a fresh, empty disk (80 MiB, as `cargo xtask run` attaches).
    pub disk: bool,
    /// Boot the kernel image (what `cargo xtask run` boots) instead of a test image.
    pub kernel_image: bool,
    pub limit: Duration,
    pub expect: Expect,
}

const LIMIT: Duration = Duration::from_secs(60);
/// The SRM sessions end with `shutdown` (QEMU exits); this only bounds a hang.
const SRM_LIMIT: Duration = Duration::from_secs(60);

/// Guest time counts instructions (1 ns each) and idle time passes at once, so the RTC
/// reads a deterministic clock (DESIGN.md §1).
const ICOUNT: &[&str] = &["-icount", "shift=0,sleep=off", "-rtc", "clock=vm"];

/// The fuzz run of `cargo xtask test`: `cargo xtask fuzz --seed 1 --calls 1000000`'s
/// command line (a unit test in fuzz.rs keeps them equal).
pub const FUZZ_CALLS: u64 = 1_000_000;
pub const FUZZ_APPEND: &str = "tick_hz=1000 srm.pass_ms=10 srm.exit=idle \
srm.start=fuzz:mem=1:cpu=35:faults=keep:seed=2:calls=500000:batch=10000,\
fuzz:mem=1:cpu=35:faults=keep:seed=3:calls=500000:batch=10000,victim:cpu=25:rounds=50";

/// RAM for a test on the kernel image: its PROM table holds the UNIX root file system
/// (about 31 MB with the test programs), which 64 MiB no longer leaves room beside.
pub const KERNEL_IMAGE_MIB: u32 = 128;

pub const fn test(name: &'static str, expect: Expect) -> GuestTest {
    GuestTest {
        name,
        memory_mib: 64,
        append: "",
        qemu_args: &[],
        input: "",
        console: &[],
        reboot_with_disk: false,
        disk: false,
        kernel_image: false,
        limit: LIMIT,
        expect,
    }
}

pub const GUEST_TESTS: &[GuestTest] = &[
    GuestTest {
        memory_mib: 48,
        append: "log=debug ktest.token=c0ffee ktest.expect_ram_mib=48",
        // Printed at power-off; the harness fails any run whose stack came near its limit.
        console: &["kernel stack: high-water "],
        ..test("boot", Expect::Pass)
    },
    test("runtime", Expect::Pass),
    test("user_mode", Expect::Pass),
    test("address_spaces", Expect::Pass),
    GuestTest { append: "tick_hz=10000", ..test("context_switch", Expect::Pass) },
    GuestTest { append: "tick_hz=250", qemu_args: ICOUNT, ..test("timer", Expect::Pass) },
    GuestTest { input: "hello, cache kernel\r", ..test("console_input", Expect::Pass) },
    test("application_kernels", Expect::Pass),
    GuestTest { qemu_args: ICOUNT, ..test("attacks", Expect::Pass) },
    GuestTest { append: "tick_hz=10000", qemu_args: ICOUNT, ..test("scheduling", Expect::Pass) },
    test("messaging", Expect::Pass),
    GuestTest {
        input: "ping through message pages\r",
        console: &["echo: ping through message pages"],
        ..test("devices", Expect::Pass)
    },
    GuestTest { reboot_with_disk: true, ..test("disk", Expect::Pass) },
    test("class_library", Expect::Pass),
    // What `cargo xtask run` shows: the SRM's console on the console's message pages,
    // with its default kernels running.
    GuestTest {
        kernel_image: true,
        memory_mib: KERNEL_IMAGE_MIB,
        input: "help\rimages\rtime\rlist\r",
        limit: Duration::from_secs(5),
        ..test(
            "cache-kernel",
            Expect::Session(&[
                "SRM: started #1 'worker'",
                "SRM: started #2 'worker'",
                "srm> help",
                "start NAME [mem=G] [cpu=P] [prio=N] [restart] [ARG...]",
                "  srm              ",
                "  worker           ",
                "ms since boot (clock page)",
                " 2  worker      running",
            ]),
        )
    },
    // Issue 7: the SRM starts kernels from the PROM table, each in its own memory; a third
    // started later gets memory from what is free.
    GuestTest {
        kernel_image: true,
        memory_mib: KERNEL_IMAGE_MIB,
        append: "srm.start=worker:rounds=300,worker:rounds=300",
        input: "start worker rounds=100\rwait\rlist\rstats\rshutdown\r",
        limit: SRM_LIMIT,
        ..test(
            "srm_start",
            Expect::Session(&[
                "SRM: Cache Kernel stack: high-water ",
                "SRM: started #1 'worker'",
                "SRM: started #2 'worker'",
                "SRM: started #3 'worker'",
                "worker#1: its own memory maps, memory beyond its grant is refused",
                "worker#2: its own memory maps, memory beyond its grant is refused",
                "worker#3: its own memory maps, memory beyond its grant is refused",
                "worker#1: done: 300 rounds, every word as expected",
                "worker#2: done: 300 rounds, every word as expected",
                "worker#3: done: 100 rounds, every word as expected",
                "SRM: kernel #3 'worker' finished (exit code 0)",
                "0 kernel(s)",
                "SRM: every kernel stopped",
            ]),
        )
    },
    // Issue 17 (the small caches): a kernel started `paged` has its image mapped by the
    // SRM as it touches it (CK_KERNEL_HOME_PAGED), nothing of it locked: a worker's every
    // code and data page, and the UNIX emulator's, its exception handler's included (a
    // fault in the handler stops the thread until the SRM maps the page and wakes it; a
    // forward that finds the handler's stack page unmapped too), come on demand; both
    // run as they do with the image locked.
    GuestTest {
        kernel_image: true,
        memory_mib: KERNEL_IMAGE_MIB,
        append: "srm.start=worker:paged:rounds=300,worker:rounds=300",
        input: "wait\rshutdown\r",
        limit: SRM_LIMIT,
        ..test(
            "srm_paged",
            Expect::Session(&[
                // Its call with a pointer to a page just unloaded (ak::call_with).
                "worker#1: a call's pointer into a page of its own not mapped (unload: status 0): status 0",
                "worker#1: done: 300 rounds, every word as expected",
                "worker#2: done: 300 rounds, every word as expected",
                "SRM: kernel #1's image was paged: ",
                " page(s) mapped on its faults",
                "SRM: every kernel stopped",
            ]),
        )
    },
    GuestTest {
        kernel_image: true,
        memory_mib: 128,
        append: "srm.exit=idle srm.start=unix:paged:init=/bin/ls",
        limit: SRM_LIMIT,
        ..test(
            "unix_paged",
            Expect::Session(&[
                "dev  etc  proc",
                "unix: /bin/ls ended (exit 0)",
                "SRM: kernel #1's image was paged: ",
                " page(s) mapped on its faults",
            ]),
        )
    },
    // Issue 18 item 5: the userland's `ls`, `ps` and `free` (/bin/box) run in the emulator
    // as its first process: `ls` lists / with /dev and /proc, `ps` reads /proc/PID/stat,
    // `free` /proc/meminfo (without /proc neither shows its lines).
    GuestTest {
        kernel_image: true,
        memory_mib: 128,
        append: "srm.exit=idle srm.start=unix:init=/bin/ls",
        limit: SRM_LIMIT,
        ..test("unix_box_ls", Expect::Session(&["dev  etc  proc", "unix: /bin/ls ended (exit 0)"]))
    },
    GuestTest {
        kernel_image: true,
        memory_mib: 128,
        append: "srm.exit=idle srm.start=unix:init=/bin/ps",
        limit: SRM_LIMIT,
        ..test("unix_box_ps", Expect::Session(&["  PID S CMD\n", "    1 R ps\n", "unix: /bin/ps ended (exit 0)"]))
    },
    GuestTest {
        kernel_image: true,
        memory_mib: 128,
        append: "srm.exit=idle srm.start=unix:init=/bin/free",
        limit: SRM_LIMIT,
        ..test(
            "unix_box_free",
            Expect::Session(&[
                "             total        used        free  buff/cache   available\n",
                "Mem:",
                "Swap:            0           0           0\n",
                "unix: /bin/free ended (exit 0)",
            ]),
        )
    },
    // Issue 17: a hostile UNIX process (30,000 random system calls, random pointers) never
    // affects the emulator or another kernel: it ends normally, the next program finds the
    // emulator whole, and a worker beside them checks every word of its memory. Issue 18
    // item 5: before it, one that fills the file system (data, nodes, names, depth) gets
    // ENOSPC and ENAMETOOLONG and the space back, and /proc is checked where the oracle
    // cannot compare it. Issue 18 item 1: a hostile process tree (random forks, waits,
    // kills, a fork bomb, execs). Item 4: random pipe, read, write, poll and select calls,
    // the pipe pool filled until refused and a pipe working after. Item 3: random signals
    // at processes in blocking calls and computations, forged and garbage sigreturn frames.
    // Item 2: random futex calls and signals from 12 threads, threads until refused, a
    // futex ping-pong after, execve from a thread and from a threaded leader.
    GuestTest {
        kernel_image: true,
        memory_mib: 128,
        append: "srm.exit=idle srm.start=unix:test=/stress,worker:rounds=200",
        limit: SRM_LIMIT,
        ..test(
            "unix_hostile_process",
            Expect::Session(&[
                "long names: ENOSPC each time, space back",
                "unix.test: end /stress/files_fill exit 0",
                "fork_storm: done: 400 rounds of forks, waits and kills",
                "unix.test: end /stress/fork_storm exit 0",
                "pipe_storm: done: the emulator's pipes held",
                "unix.test: end /stress/pipe_storm exit 0",
                "proc_files: /proc answers as Linux's does",
                "unix.test: end /stress/proc_files exit 0",
                "signal_storm: done: every process ended as it must",
                "unix.test: end /stress/signal_storm exit 0",
                "syscall_storm: done: the emulator answered every call it was made",
                "unix.test: end /stress/syscall_storm exit 0",
                "thread_storm: passed",
                "unix.test: end /stress/thread_storm exit 0",
                "zz_aftermath: file read ok, mapping ok, console fine",
                "unix.test: end /stress/zz_aftermath exit 0",
                "worker#2: done: 200 rounds, every word as expected",
                "SRM: kernel #1 'unix' finished (exit code 0)",
                "SRM: every kernel stopped",
            ]),
        )
    },
    // Issue 19: MP3D as an application kernel. Its checksum equals the host build's
    // (tests/host/mp3d_test.cpp, ReferenceChecksumsTheGuestMustMatch) for a run paged to
    // the disk and for in-memory runs on 1, 2 and 4 threads (the last two with diffuse
    // walls: the re-emitted velocities drawn bit for bit as the host draws them), all four
    // side by side.
    GuestTest {
        kernel_image: true,
        disk: true,
        append: "srm.exit=idle srm.start=mp3d:steps=5,mp3d:mem=2:steps=20,mp3d:mem=2:steps=20:threads=2:walls=diffuse,\
mp3d:mem=2:steps=20:threads=4:walls=diffuse",
        limit: SRM_LIMIT,
        // Seven page groups for the four kernels: beside a 27 MB image (the UNIX root file
        // system), 64 MiB leaves six.
        memory_mib: 128,
        ..test(
            "mp3d_threads",
            Expect::Session(&[
                "mp3d#1: 32x16x4 cells, 4096 molecules (6144 slots), 1 threads, policy mp3d: data set 512 KiB, memory for it 344 KiB (1.4x)",
                "mp3d#1: done: 5 steps, checksum 0xcdbc86b4",
                "mp3d#2: done: 20 steps, checksum 0xf0e7f86a",
                "mp3d#3: 32x16x4 cells, 4096 molecules (6144 slots), 2 threads",
                "mp3d#3: done: 20 steps, checksum 0x732b50db",
                "mp3d#4: 32x16x4 cells, 4096 molecules (6144 slots), 4 threads",
                "mp3d#4: done: 20 steps, checksum 0x732b50db",
                "SRM: every kernel stopped",
            ]),
        )
    },
    // Issue 19: a data set 4 times the memory granted, paged to the kernel's disk area
    // under its own policy, FIFO and clock: the same checksum (the host's) under each, and
    // the mp3d policy needs at most a quarter of FIFO's page-ins per step.
    GuestTest {
        kernel_image: true,
        memory_mib: KERNEL_IMAGE_MIB,
        disk: true,
        qemu_args: ICOUNT,
        append: "srm.exit=idle srm.start=mp3d:policy=compare:molecules=23000:capacity=34816:steps=3",
        limit: SRM_LIMIT,
        ..test(
            "mp3d_paging",
            Expect::Session(&[
                "mp3d#1: 32x16x4 cells, 23000 molecules (34816 slots), 1 threads, policy compare: data set 1408 KiB, memory for it 344 KiB (4.0x)",
                "mp3d#1: policy mp3d: checksum 0x03697b98; per step page-ins ",
                "mp3d#1: policy fifo: checksum 0x03697b98; per step page-ins ",
                "mp3d#1: policy clock: checksum 0x03697b98; per step page-ins ",
                "of fifo's (at most a quarter)",
                "mp3d#1: the three policies' checksums agree",
                "(at least 3/4 read ahead)",
                "SRM: kernel #1 'mp3d' finished (exit code 0)",
                "SRM: every kernel stopped",
            ]),
        )
    },
    // Issue 19 (paper §4.3): MP3D beside a worker that wants the processor all along, each
    // with its CPU share (cpu=P). The Cache Kernel charges MP3D's threads and runs them a
    // band lower while it is over its share: the time charged to it over its run (from its
    // kernel's statistics) is within 5 points of its 30%, or it fails (alone it is
    // charged 84%). The worker's rounds outlast MP3D's run; over its rounds 150 to 1000
    // (inside MP3D's run: the two lines give their stretches of guest time) it must have
    // run at least its 60% less 5 points.
    GuestTest {
        kernel_image: true,
        memory_mib: KERNEL_IMAGE_MIB,
        qemu_args: ICOUNT,
        append: "tick_hz=1000 srm.exit=idle srm.start=worker:cpu=60:rounds=40000:share=5:share_from=150:share_rounds=1000,mp3d:cpu=30:mem=2:steps=150:share=5",
        limit: SRM_LIMIT,
        ..test(
            "mp3d_share",
            Expect::Session(&[
                "SRM: started #2 'mp3d': kernel ",
                "cpu 30%, priority <= 16",
                "(grant 30%): within 5 points of it",
                "SRM: kernel #2 'mp3d' finished (exit code 0)",
                "worker#1: processor over rounds 150..1000 (",
                "(grant 60%): at least its grant less 5 points",
                "worker#1: done: 40000 rounds, every word as expected",
                "SRM: kernel #1 'worker' finished (exit code 0)",
                "SRM: every kernel stopped",
            ]),
        )
    },
    // A kernel that writes through a null pointer with no handler is removed (or, with
    // `restart`, restarted up to 3 times); the others finish their work.
    GuestTest {
        kernel_image: true,
        memory_mib: KERNEL_IMAGE_MIB,
        append: "srm.start=worker:rounds=400,worker:crash=20,worker:crash=5:restart",
        input: "wait\rshutdown\r",
        limit: SRM_LIMIT,
        ..test(
            "srm_crash",
            Expect::Session(&[
                "SRM: kernel #2 'worker' faulted with no handler: mapping fault at address 0x00000000",
                "SRM: kernel #2 'worker' removed; the others run on",
                "SRM: kernel #3 'worker' restarted (3 of 3)",
                "SRM: kernel #3 'worker' removed: it kept faulting",
                "worker#1: done: 400 rounds, every word as expected",
                "SRM: kernel #1 'worker' finished (exit code 0)",
                "SRM: every kernel stopped",
            ]),
        )
    },
    // Issue 18 item 10: the UNIX emulator itself faulting (a bug on purpose: its handler
    // writes through a null pointer at its 30th system call, while init starts the
    // shell) is contained by the SRM: the emulator is removed, the worker beside it
    // finishes its rounds, the SRM and the Cache Kernel go on to a clean power-off.
    GuestTest {
        kernel_image: true,
        memory_mib: KERNEL_IMAGE_MIB,
        append: "srm.exit=idle srm.start=unix:mem=8:crash=30,worker:rounds=3000",
        limit: SRM_LIMIT,
        ..test(
            "unix_crash",
            Expect::Session(&[
                "unix: system call 30: writing through a null pointer (crash=30)",
                "SRM: kernel #1 'unix' faulted with no handler: mapping fault at address 0x00000000",
                "SRM: kernel #1 'unix' removed; the others run on",
                "worker#2: done: 3000 rounds, every word as expected",
                "SRM: kernel #2 'worker' finished (exit code 0)",
                "SRM: every kernel stopped; the SRM ends and the Cache Kernel powers off.",
            ]),
        )
    },
    // Swapped to the disk and back: its descriptors leave the Cache Kernel, its memory is
    // cleared meanwhile, its checksum is the same after, and it finishes its work.
    GuestTest {
        kernel_image: true,
        memory_mib: KERNEL_IMAGE_MIB,
        disk: true,
        append: "srm.start=worker:rounds=2000:report=500",
        input: "sleep 100\rswapout 1\rlist\rswapin 1\rwait\rshutdown\r",
        limit: SRM_LIMIT,
        ..test(
            "srm_swap",
            Expect::Session(&[
                "SRM: kernel #1 'worker' swapped out: 512 KiB to disk sectors 0..1023",
                "kernels in the Cache Kernel: 2 -> 1",
                " 1  worker      swapped out",
                "in the Cache Kernel: 1 kernels, 1 spaces, 1 threads",
                "(unchanged), its objects reloaded; it runs on",
                "worker#1: done: 2000 rounds, every word as expected",
                "SRM: every kernel stopped",
            ]),
        )
    },
    // Four workers and the SRM on 4 kernel descriptors: kernel objects are displaced,
    // written back to the SRM and reloaded on demand; every worker finishes intact.
    GuestTest {
        append: "srm.pass_ms=30 srm.start=worker:rounds=400,worker:rounds=400,worker:rounds=400,worker:rounds=400",
        input: "wait\rshutdown\r",
        limit: SRM_LIMIT,
        ..test(
            "srm_displacement",
            Expect::Session(&[
                "displaced from the Cache Kernel (1 thread(s) written back)",
                "reloaded on demand",
                "worker#1: done: 400 rounds, every word as expected",
                "worker#2: done: 400 rounds, every word as expected",
                "worker#3: done: 400 rounds, every word as expected",
                "worker#4: done: 400 rounds, every word as expected",
                "SRM: every kernel stopped",
            ]),
        )
    },
    // Issue 15: two hostile kernels make a million hostile calls and run hostile
    // instruction streams beside a victim; the invariants are walked after every batch.
    // The longest stretch with interrupts masked (the SRM's invariant walk aside) must stay
    // under 20,000 instructions.
    GuestTest {
        append: FUZZ_APPEND,
        qemu_args: ICOUNT,
        limit: Duration::from_secs(400),
        ..test("fuzz", Expect::Fuzz { calls: FUZZ_CALLS, masked_ceiling: Some(20_000) })
    },
    test("selftest_failing_case", Expect::CasesFail(&["fails_on_purpose"])),
    test(
        "selftest_illegal_instruction",
        Expect::Fatal(&[
            "*** FATAL: Illegal instruction (vector 4) in supervisor mode",
            "format $0",
            "D1 11111111",
            "A2 a5a5a5a5",
            "stack at",
        ]),
    ),
    test(
        "selftest_access_error",
        Expect::Fatal(&[
            "*** FATAL: Access error (vector 2) in supervisor mode",
            "format $7",
            "read of 4 byte(s) at 0xfe000000: supervisor data, MMU (ATC) fault",
        ]),
    ),
    test(
        "selftest_zero_divide",
        Expect::Fatal(&[
            "*** FATAL: Zero divide (vector 5) in supervisor mode",
            "format $2",
            "instruction/effective address",
        ]),
    ),
    test("selftest_panic", Expect::Fatal(&["*** PANIC: deliberate panic, code 0xdead", "D0 ", "A6 ", "stack at"])),
    GuestTest { limit: Duration::from_secs(4), ..test("selftest_hang", Expect::Timeout) },
    test(
        "selftest_stack_overflow",
        Expect::Fatal(&[
            "*** FATAL: kernel stack overflow at PC 0x",
            "report from the emergency stack",
            "stack at",
            "emergency stack: high-water ",
            "kernel stack: high-water 1",
        ]),
    ),
    test(
        "selftest_null_pointer",
        Expect::Fatal(&[
            "*** FATAL: Access error (vector 2) in supervisor mode",
            "read of 4 byte(s) at 0x00000010: supervisor data, MMU (ATC) fault",
            "supervisor access to page 0 at 0x00000010 (a null pointer)",
        ]),
    ),
];

pub fn find(name: &str) -> Option<&'static GuestTest> {
    GUEST_TESTS.iter().find(|t| t.name == name)
}
