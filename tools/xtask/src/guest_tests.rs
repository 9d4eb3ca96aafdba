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
    /// Boot the kernel image (what `cargo xtask run` boots) instead of a test image.
    pub kernel_image: bool,
    pub limit: Duration,
    pub expect: Expect,
}

const LIMIT: Duration = Duration::from_secs(60);

/// Guest time counts instructions (1 ns each) and idle time passes at once, so the RTC
/// reads a deterministic clock (DESIGN.md §1).
const ICOUNT: &[&str] = &["-icount", "shift=0,sleep=off", "-rtc", "clock=vm"];

pub const fn test(name: &'static str, expect: Expect) -> GuestTest {
    GuestTest {
        name,
        memory_mib: 64,
        append: "",
        qemu_args: &[],
        input: "",
        console: &[],
        reboot_with_disk: false,
        kernel_image: false,
        limit: LIMIT,
        expect,
    }
}

pub const GUEST_TESTS: &[GuestTest] = &[
    GuestTest {
        memory_mib: 48,
        append: "log=debug ktest.token=c0ffee ktest.expect_ram_mib=48",
        ..test("boot", Expect::Pass)
    },
    test("runtime", Expect::Pass),
    test("user_mode", Expect::Pass),
    test("address_spaces", Expect::Pass),
    GuestTest { append: "tick_hz=10000", ..test("context_switch", Expect::Pass) },
    GuestTest { append: "tick_hz=250", qemu_args: ICOUNT, ..test("timer", Expect::Pass) },
    GuestTest { input: "hello, cache kernel\r", ..test("console_input", Expect::Pass) },
    test("application_kernels", Expect::Pass),
    GuestTest { append: "tick_hz=10000", qemu_args: ICOUNT, ..test("scheduling", Expect::Pass) },
    test("messaging", Expect::Pass),
    GuestTest {
        input: "ping through message pages\r",
        console: &["echo: ping through message pages"],
        ..test("devices", Expect::Pass)
    },
    GuestTest { reboot_with_disk: true, ..test("disk", Expect::Pass) },
    test("class_library", Expect::Pass),
    // What `cargo xtask run` shows: the SRM's console on the console's message pages.
    GuestTest {
        kernel_image: true,
        input: "hello through the SRM\rtime\r",
        limit: Duration::from_secs(5),
        ..test(
            "cache-kernel",
            Expect::Session(&["srm> hello through the SRM", "echo: hello through the SRM", "ms since boot (clock page)"]),
        )
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
];

pub fn find(name: &str) -> Option<&'static GuestTest> {
    GUEST_TESTS.iter().find(|t| t.name == name)
}
