//! `cargo xtask test`: xtask's own unit tests, the host unit tests (plain and under
//! ASan/UBSan), then every guest test image in a fresh QEMU, in parallel, the UNIX
//! emulator's test programs against qemu-m68k (unix_tests.rs), the userland's scripts and
//! usertests under qemu-m68k (userland_tests.rs) and in the emulator
//! (userland_emulator.rs), and each benchmark image
//! once (it must finish and report). Ends with one line
//! `N passed, M failed`; the exit status says the same.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::thread;

use crate::build::{self, HostFlavor};
use crate::guest_tests::{GuestTest, GUEST_TESTS};
use crate::harness::{judge, tail, Verdict};
use crate::{bench, parse, qemu, tools, unix_tests, userland, userland_emulator, userland_tests};

/// One line of the closing table.
struct Tally {
    suite: String,
    passed: u32,
    failed: u32,
}

struct Options {
    guest_only: bool,
    filter: Option<String>,
}

fn parse_options(args: &[String]) -> Result<Options, String> {
    let mut options = Options { guest_only: false, filter: None };
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--guest-only" => options.guest_only = true,
            "--filter" => {
                options.filter = Some(args.get(i + 1).cloned().ok_or("--filter needs a value")?);
                i += 1;
            }
            other => return Err(format!("test: unknown option '{other}'")),
        }
        i += 1;
    }
    Ok(options)
}

pub fn run(root: &Path, args: &[String]) -> Result<ExitCode, String> {
    let options = parse_options(args)?;
    tools::ensure(&tools::TEST)?;
    let mut tallies = Vec::new();

    if !options.guest_only {
        tallies.push(format_check(root));
        tallies.push(xtask_unit_tests(root));
        for flavor in [HostFlavor::Plain, HostFlavor::Sanitized] {
            tallies.push(host_unit_tests(root, flavor));
        }
    }
    // The userland's tests need the root file system and qemu-m68k, not the guest.
    let (passed, failed) = userland_tests::run(root, options.filter.as_deref());
    if passed + failed > 0 {
        tallies.push(Tally { suite: userland_tests::SUITE.into(), passed, failed });
    }
    if needs_guest(root, options.filter.as_deref()) {
        build::guest(root)?;
        build::merge_compile_commands(root)?;
        tallies.push(guest_tests(root, options.filter.as_deref())?);
        if options.filter.as_deref().is_none_or(|f| FPU_CHECK.contains(f)) {
            tallies.push(handler_fpu_check(root));
        }
        for (suite, passed, failed) in unix_tests::run_all(root, options.filter.as_deref()) {
            tallies.push(Tally { suite: suite.into(), passed, failed });
        }
        let (passed, failed) = userland_emulator::run(root, options.filter.as_deref());
        if passed + failed > 0 {
            tallies.push(Tally { suite: userland_emulator::SUITE.into(), passed, failed });
        }
    }
    if options.filter.is_none() {
        let (passed, failed) = bench::smoke(root);
        tallies.push(Tally { suite: "bench images (smoke)".into(), passed, failed });
    }

    println!();
    for t in &tallies {
        println!("  {:<24} {:>4} passed, {} failed", t.suite, t.passed, t.failed);
    }
    let passed: u32 = tallies.iter().map(|t| t.passed).sum();
    let failed: u32 = tallies.iter().map(|t| t.failed).sum();
    println!("{passed} passed, {failed} failed");
    Ok(if failed == 0 && passed > 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

/// Does the run need the guest build: no filter, or one that selects a guest test or a
/// UNIX test program (`--filter userland` alone runs without building the guest).
fn needs_guest(root: &Path, filter: Option<&str>) -> bool {
    let Some(f) = filter else { return true };
    GUEST_TESTS.iter().any(|t| t.name.contains(f))
        || userland::test_names(root)
            .iter()
            .any(|n| ["unix:", "unix-displaced:", "unix-tiny:"].iter().any(|p| format!("{p}{n}").contains(f)))
        || userland_emulator::selects_any(root, Some(f))
        || !userland_tests::selects_any(root, Some(f))
}

/// The check that kernels promising kAkHandlerNoFpu use no FPU instruction (fpu_check.rs).
const FPU_CHECK: &str = "handler-no-fpu";

fn handler_fpu_check(root: &Path) -> Tally {
    let (checked, failures) = crate::fpu_check::check(&build::guest_dir(root).join("ak"));
    for f in &failures {
        println!("FAIL {FPU_CHECK}: {f}");
    }
    if checked == 0 && failures.is_empty() {
        println!("FAIL {FPU_CHECK}: no built kernel declares kAkHandlerNoFpu (the UNIX emulator does)");
        return Tally { suite: FPU_CHECK.into(), passed: 0, failed: 1 };
    }
    if failures.is_empty() {
        println!("PASS {FPU_CHECK}: {checked} kernel(s) declaring it use no FPU instruction");
    }
    Tally { suite: FPU_CHECK.into(), passed: u32::from(failures.is_empty()), failed: u32::from(!failures.is_empty()) }
}

/// Records a step that could not run at all as one failure, with its output.
fn broken(suite: &str, message: String) -> Tally {
    println!("FAIL {suite}:\n{message}");
    Tally { suite: suite.into(), passed: 0, failed: 1 }
}

/// The C++ sources are clang-formatted (`cargo xtask fmt` fixes them).
fn format_check(root: &Path) -> Tally {
    const SUITE: &str = "format (clang-format)";
    let mut check = Command::new("clang-format");
    check.current_dir(root).args(["--dry-run", "--Werror"]).args(build::cxx_sources(root));
    match build::output_text(&mut check, "clang-format") {
        Ok((true, _)) => Tally { suite: SUITE.into(), passed: 1, failed: 0 },
        Ok((false, text)) => broken(SUITE, format!("run `cargo xtask fmt`:\n{text}")),
        Err(e) => broken(SUITE, e),
    }
}

fn xtask_unit_tests(root: &Path) -> Tally {
    const SUITE: &str = "xtask (Rust)";
    // A separate target dir: the outer `cargo run` may still hold the default one.
    let mut cargo = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cargo.current_dir(root).args(["test", "--package", "xtask", "--target-dir", "target/xtask-test"]);
    let (success, text) = match build::output_text(&mut cargo, "cargo test") {
        Ok(result) => result,
        Err(e) => return broken(SUITE, e),
    };
    match parse::cargo_test_counts(&text) {
        Some((passed, failed)) if success || failed > 0 => {
            if failed > 0 {
                println!("FAIL {SUITE}:\n{text}");
            }
            println!("{SUITE}: {passed} passed, {failed} failed");
            Tally { suite: SUITE.into(), passed, failed }
        }
        _ => broken(SUITE, text),
    }
}

fn host_unit_tests(root: &Path, flavor: HostFlavor) -> Tally {
    let suite = match flavor {
        HostFlavor::Plain => "host (GoogleTest)",
        HostFlavor::Sanitized => "host (ASan+UBSan)",
    };
    if let Err(e) = build::host(root, flavor) {
        return broken(suite, e);
    }
    let mut ctest = Command::new("ctest");
    ctest.current_dir(build::host_dir(root, flavor)).args([
        "--output-on-failure",
        "--parallel",
        &parallelism().to_string(),
    ]);
    let (success, text) = match build::output_text(&mut ctest, "ctest") {
        Ok(result) => result,
        Err(e) => return broken(suite, e),
    };
    match parse::ctest_counts(&text) {
        Some((passed, failed)) if passed + failed > 0 => {
            if failed > 0 || !success {
                println!("FAIL {suite}:\n{text}");
            }
            let failed = if failed == 0 && !success { 1 } else { failed };
            println!("{suite}: {passed} passed, {failed} failed");
            Tally { suite: suite.into(), passed, failed }
        }
        _ => broken(suite, text),
    }
}

fn parallelism() -> usize {
    thread::available_parallelism().map(|n| n.get()).unwrap_or(2)
}

/// The images CMake built, by name.
fn built_images(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| build::ext(p) == "elf")
                .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

fn guest_tests(root: &Path, filter: Option<&str>) -> Result<Tally, String> {
    const SUITE: &str = "guest (QEMU 68040)";
    let dir = build::guest_test_dir(root);
    let built = built_images(&dir);
    let mut tally = Tally { suite: SUITE.into(), passed: 0, failed: 0 };

    // Built and listed must agree, or a test could go unrun without anyone noticing.
    for name in &built {
        if crate::guest_tests::find(name).is_none() {
            println!("FAIL guest {name}: built but has no expectation in tools/xtask/src/guest_tests.rs");
            tally.failed += 1;
        }
    }
    let selected: Vec<&GuestTest> =
        GUEST_TESTS.iter().filter(|t| filter.map_or(true, |f| t.name.contains(f))).collect();
    let is_built = |t: &GuestTest| {
        if t.kernel_image {
            build::kernel_elf(root).exists()
        } else {
            built.iter().any(|b| b == t.name)
        }
    };
    for test in &selected {
        if !is_built(test) {
            println!("FAIL guest {}: listed but not built (add it to tests/guest/CMakeLists.txt)", test.name);
            tally.failed += 1;
        }
    }
    let runnable: Vec<&GuestTest> = selected.into_iter().filter(|t| is_built(t)).collect();

    let results: Mutex<Vec<Option<(Verdict, String, f64)>>> = Mutex::new(runnable.iter().map(|_| None).collect());
    let next = AtomicUsize::new(0);
    thread::scope(|scope| {
        for _ in 0..parallelism().min(runnable.len()).max(1) {
            scope.spawn(|| loop {
                let index = next.fetch_add(1, Ordering::SeqCst);
                let Some(test) = runnable.get(index) else { break };
                let elf =
                    if test.kernel_image { build::kernel_elf(root) } else { dir.join(format!("{}.elf", test.name)) };
                let outcome = run_one(&elf, test);
                results.lock().unwrap()[index] = Some(outcome);
            });
        }
    });

    for (test, result) in runnable.iter().zip(results.into_inner().unwrap()) {
        let (verdict, console, seconds) = result.expect("every selected test ran");
        tally.passed += verdict.passed;
        tally.failed += verdict.failed;
        if verdict.problems.is_empty() {
            // The kernel stack's deepest use, when the run printed it (power-off, fatal report).
            let stack = match crate::parse::stack_high_water(&console) {
                Some((used, size)) => format!(", kernel stack {used} of {size} bytes"),
                None => String::new(),
            };
            println!("PASS guest {} ({} counted, {seconds:.1} s{stack})", test.name, verdict.passed);
        } else {
            println!("FAIL guest {} ({seconds:.1} s):", test.name);
            for problem in &verdict.problems {
                println!("    {problem}");
            }
            println!("  console tail:\n{}\n", indent(&tail(&console, 40)));
        }
    }
    println!("{SUITE}: {} passed, {} failed", tally.passed, tally.failed);
    Ok(tally)
}

fn run_one(elf: &PathBuf, test: &GuestTest) -> (Verdict, String, f64) {
    if test.reboot_with_disk {
        return run_rebooting(elf, test);
    }
    if test.disk {
        return run_with_fresh_disk(elf, test);
    }
    run_once(elf, test, test.append, None)
}

/// A fresh disk image for the test, named for it (kernel-image tests share one ELF).
fn fresh_disk(elf: &Path, test: &GuestTest, bytes: u64) -> Result<PathBuf, String> {
    let disk = elf.with_file_name(format!("{}.disk.img", test.name));
    let _ = std::fs::remove_file(&disk);
    qemu::ensure_disk(&disk, bytes)?;
    Ok(disk)
}

/// One boot with an empty disk attached (`cargo xtask run`'s size).
fn run_with_fresh_disk(elf: &PathBuf, test: &GuestTest) -> (Verdict, String, f64) {
    let disk = match fresh_disk(elf, test, qemu::RUN_DISK_BYTES) {
        Ok(disk) => disk,
        Err(e) => return (Verdict { passed: 0, failed: 1, problems: vec![e] }, String::new(), 0.0),
    };
    let result = run_once(elf, test, test.append, Some(&disk));
    let _ = std::fs::remove_file(&disk);
    result
}

fn run_once(elf: &PathBuf, test: &GuestTest, append: &str, disk: Option<&Path>) -> (Verdict, String, f64) {
    let run = qemu::Captured {
        memory_mib: test.memory_mib,
        append,
        qemu_args: test.qemu_args,
        disk,
        input: test.input,
        limit: test.limit,
    };
    match qemu::run_captured(elf, &run) {
        Ok(run) => (judge(test, &run), run.console, run.elapsed.as_secs_f64()),
        Err(e) => (Verdict { passed: 0, failed: 1, problems: vec![e] }, String::new(), 0.0),
    }
}

/// Two boots on one fresh disk: what the first writes, the second must read back.
fn run_rebooting(elf: &PathBuf, test: &GuestTest) -> (Verdict, String, f64) {
    let disk = match fresh_disk(elf, test, 1 << 20) {
        Ok(disk) => disk,
        Err(e) => return (Verdict { passed: 0, failed: 1, problems: vec![e] }, String::new(), 0.0),
    };
    let token = random_token();
    let mut total = Verdict { passed: 0, failed: 0, problems: Vec::new() };
    let mut console = String::new();
    let mut seconds = 0.0;
    for phase in ["write", "read"] {
        let append = format!("{} ktest.phase={phase} ktest.token={token:08x}", test.append);
        let (v, c, s) = run_once(elf, test, append.trim(), Some(&disk));
        total.passed += v.passed;
        total.failed += v.failed;
        total.problems.extend(v.problems.into_iter().map(|p| format!("{phase}: {p}")));
        console.push_str(&c);
        seconds += s;
    }
    let _ = std::fs::remove_file(&disk);
    (total, console, seconds)
}

/// Changes from run to run, so that a disk left over cannot pass for one just written.
fn random_token() -> u32 {
    let nanos =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
    nanos ^ std::process::id().rotate_left(16)
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("    | {l}")).collect::<Vec<_>>().join("\n")
}
