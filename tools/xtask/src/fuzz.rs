//! `cargo xtask fuzz`: the fuzz suite of issue 15. Boots the fuzz image (the kernel image
//! with `ak-fuzz` and `ak-victim` in its PROM table, built with MEASURE_MASKED) under
//! `-icount shift=0,sleep=off -rtc clock=vm`: the SRM starts two hostile kernels (random
//! hostile calls and instruction streams) and a victim, walks the Cache Kernel's
//! invariants after every batch, and shuts down when all have ended. Each run is one seed;
//! its verdict comes from the console (see `problems`). `cargo xtask test` runs one seed
//! of at least a million calls as the guest test `fuzz`.

use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use crate::{build, qemu, tools};

pub const ICOUNT: &[&str] = &["-icount", "shift=0,sleep=off", "-rtc", "clock=vm"];
/// Interrupts may stay masked for less than this many instructions (issue 15).
pub const MASKED_CEILING: u64 = 20_000;
/// Hostile kernels per run; each makes half the calls.
pub const FUZZERS: u32 = 2;
const DEFAULT_CALLS: u64 = 1_000_000;
/// The victim's last line when every word, writeback and message was as expected.
const VICTIM_DONE: &str =
    ": done: every word as expected, every writeback accounted for, every message received once and in order";
const BATCH: u64 = 10_000;

/// The kernel command line of one run: two hostile kernels with seeds derived from `seed`,
/// the victim, a 1 kHz tick (the SRM answers check requests on every tick) and an
/// unattended end.
pub fn command_line(seed: u32, calls: u64) -> String {
    let per_kernel = calls.div_ceil(FUZZERS as u64);
    let fuzzers: Vec<String> = (0..FUZZERS)
        .map(|i| {
            format!("fuzz:mem=1:cpu=35:faults=keep:seed={}:calls={per_kernel}:batch={BATCH}", kernel_seed(seed, i))
        })
        .collect();
    format!("tick_hz=1000 srm.pass_ms=10 srm.exit=idle srm.start={},victim:cpu=25:rounds=50", fuzzers.join(","))
}

/// The seed hostile kernel `index` of a run with `seed` uses.
pub fn kernel_seed(seed: u32, index: u32) -> u32 {
    seed.wrapping_mul(FUZZERS).wrapping_add(index)
}

/// A generous bound on one run's wall time: QEMU makes about 10,000 hostile calls a
/// second on one host core, and the test machine shares its cores.
pub fn limit_for(calls: u64) -> Duration {
    Duration::from_secs(120 + calls / 2_500)
}

/// What a run's console says.
#[derive(Debug, Default, PartialEq)]
pub struct Summary {
    pub calls: u64,
    pub clean_fuzzers: u32,
    pub checks: Option<(u64, u64)>,              // walked, failed
    pub masked: Option<(u64, String)>,           // longest stretch outside the invariant walk
    pub masked_with_walk: Option<(u64, String)>, // the invariant walk included
    pub messages: Option<u64>,                   // the victim's, sent (and received)
}

fn number_before<'a>(text: &'a str, suffix: &str) -> Option<(u64, &'a str)> {
    let (head, rest) = text.split_once(suffix)?;
    let digits = head.rsplit(' ').next()?;
    Some((digits.parse().ok()?, rest))
}

/// `N instructions (WHAT)` after `prefix`.
fn masked_line(line: &str, prefix: &str) -> Option<(u64, String)> {
    let rest = line.split_once(prefix)?.1;
    let (count, what) = rest.split_once(" instructions (")?;
    Some((count.trim().parse().ok()?, what.trim_end_matches(')').to_string()))
}

pub fn summarize(console: &str) -> Summary {
    let mut s = Summary::default();
    for line in console.lines() {
        if line.starts_with("fuzz#") && line.contains(" hostile calls in ") && line.contains(" batches (") {
            if let Some((calls, _)) = number_before(line, " hostile calls in ") {
                s.calls += calls;
            }
        }
        if line.starts_with("victim#") && line.contains(" messages sent, ") {
            s.messages = number_before(line, " messages sent, ").map(|(n, _)| n);
        }
        if line.starts_with("fuzz#") && line.ends_with(": done: clean") {
            s.clean_fuzzers += 1;
        }
        if let Some(rest) = line.strip_prefix("SRM: invariant checks on request: ") {
            let walked = rest.split(' ').next().and_then(|n| n.parse().ok());
            let failed = number_before(rest, " failed").map(|(n, _)| n);
            if let (Some(w), Some(f)) = (walked, failed) {
                s.checks = Some((w, f));
            }
        }
        if let Some(m) = masked_line(line, "longest masked stretch outside the invariant walk: ") {
            s.masked = Some(m);
        } else if let Some(m) = masked_line(line, "longest masked stretch: ") {
            s.masked_with_walk = Some(m);
        }
    }
    s
}

/// Why a run failed (empty: it passed). `masked_ceiling`: the longest masked stretch
/// allowed, or None to report it only.
pub fn problems(console: &str, exited_ok: bool, timed_out: bool, masked_ceiling: Option<u64>) -> Vec<String> {
    let s = summarize(console);
    let mut p = Vec::new();
    if timed_out {
        p.push("hung: stopped at its time limit".into());
    } else if !exited_ok {
        p.push("QEMU did not power off cleanly (a crash of the Cache Kernel or of QEMU)".into());
    }
    for bad in ["*** FATAL", "*** PANIC", "ITS OWN THREAD FAULTED", "faulted with no handler", "qemu-system-m68k:"] {
        if console.contains(bad) {
            p.push(format!("the console shows {bad:?}"));
        }
    }
    for line in console.lines() {
        let failed_fuzzer = line.starts_with("fuzz#") && line.contains(": done: FAILED");
        let failed_victim =
            line.starts_with("victim#") && !line.contains(": done: every word") && line.contains(": done");
        if failed_fuzzer || failed_victim {
            p.push(line.to_string());
        }
    }
    if s.clean_fuzzers != FUZZERS {
        p.push(format!("{} of {FUZZERS} hostile kernels finished clean", s.clean_fuzzers));
    }
    if !console.contains(VICTIM_DONE) {
        p.push("the victim did not finish with all its data, writebacks and messages".into());
    }
    match s.checks {
        Some((walked, 0)) if walked > 0 => {}
        Some((walked, failed)) => p.push(format!("invariant checks: {walked} walked, {failed} failed")),
        None => p.push("the SRM reported no invariant checks".into()),
    }
    match (&s.masked, masked_ceiling) {
        (None, _) => p.push("no masked-stretch figure (an image built without MEASURE_MASKED?)".into()),
        (Some((n, what)), Some(ceiling)) if *n >= ceiling => {
            p.push(format!("interrupts stayed masked for {n} instructions ({what}): the ceiling is {ceiling}"))
        }
        _ => {}
    }
    p
}

/// The console lines worth showing for a failed run: verdicts, failures, reproducers.
pub fn salient(console: &str) -> String {
    console
        .lines()
        .filter(|l| {
            l.starts_with("fuzz")
                || l.starts_with("victim#")
                || l.starts_with("    op ")
                || l.starts_with("SRM: INVARIANT")
                || l.starts_with("*** ")
                || l.contains("masked stretch")
                || l.contains("qemu-system-m68k")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

struct Options {
    calls: u64,
    seed: u32,
    seeds: u32,
    minutes: Option<u64>,
}

fn parse_options(args: &[String]) -> Result<Options, String> {
    let mut o = Options { calls: DEFAULT_CALLS, seed: 1, seeds: 1, minutes: None };
    let mut i = 0;
    while i < args.len() {
        let value = args.get(i + 1).ok_or_else(|| format!("{} needs a value", args[i]))?;
        let number = |what: &str| value.parse::<u64>().map_err(|_| format!("{what} {value}: expected a number"));
        match args[i].as_str() {
            "--calls" => o.calls = number("--calls")?.max(FUZZERS as u64),
            "--seed" => o.seed = number("--seed")? as u32,
            "--seeds" => o.seeds = number("--seeds")?.max(1) as u32,
            "--minutes" => o.minutes = Some(number("--minutes")?),
            other => return Err(format!("fuzz: unknown option '{other}'")),
        }
        i += 2;
    }
    if o.calls / (FUZZERS as u64) > u32::MAX as u64 {
        return Err(format!("--calls {}: at most {} per run", o.calls, u32::MAX as u64 * FUZZERS as u64));
    }
    Ok(o)
}

pub fn run(root: &Path, args: &[String]) -> Result<ExitCode, String> {
    let o = parse_options(args)?;
    tools::ensure(&[&tools::CROSS_GXX, &tools::CMAKE, &tools::NINJA, &tools::QEMU])?;
    build::guest(root)?;
    let image = build::guest_test_dir(root).join("fuzz.elf");
    let started = Instant::now();
    let (mut passed, mut failed, mut total_calls) = (0u32, 0u32, 0u64);
    let mut worst_masked: Option<(u64, String)> = None;
    for seed in o.seed.. {
        let done = seed - o.seed;
        let more = match o.minutes {
            Some(m) => done == 0 || started.elapsed() < Duration::from_secs(m * 60),
            None => done < o.seeds,
        };
        if !more {
            break;
        }
        let append = command_line(seed, o.calls);
        let run = qemu::Captured {
            memory_mib: 64,
            append: &append,
            qemu_args: ICOUNT,
            disk: None,
            input: "",
            limit: limit_for(o.calls),
        };
        let result = qemu::run_captured(&image, &run)?;
        let exited_ok = result.status.map(|s| s.success()).unwrap_or(false);
        let found = problems(&result.console, exited_ok, result.timed_out, Some(MASKED_CEILING));
        let s = summarize(&result.console);
        total_calls += s.calls;
        let seconds = result.elapsed.as_secs_f64();
        let masked = s.masked.clone().map_or("?".to_string(), |(n, what)| format!("{n} instructions ({what})"));
        if let Some((n, what)) = &s.masked {
            if worst_masked.as_ref().map_or(true, |(w, _)| n > w) {
                worst_masked = Some((*n, what.clone()));
            }
        }
        println!(
            "seed {seed}: {} hostile calls in {seconds:.1} s ({:.0} calls/s), {} invariant walks, longest masked \
             stretch {masked}, {} victim messages: {}",
            s.calls,
            s.calls as f64 / seconds.max(0.001),
            s.checks.map_or(0, |(w, _)| w),
            s.messages.map_or("?".to_string(), |n| n.to_string()),
            if found.is_empty() { "PASS" } else { "FAIL" }
        );
        if found.is_empty() {
            passed += 1;
        } else {
            failed += 1;
            for problem in &found {
                println!("    {problem}");
            }
            println!("  rerun: cargo xtask fuzz --seed {seed} --calls {}", o.calls);
            println!("  console (verdicts and reproducers):\n{}", indent(&salient(&result.console)));
        }
    }
    println!(
        "fuzz: {passed} seed(s) passed, {failed} failed; {total_calls} hostile calls in {:.0} s; longest masked \
         stretch {}",
        started.elapsed().as_secs_f64(),
        worst_masked.map_or("?".to_string(), |(n, what)| format!("{n} instructions ({what})"))
    );
    Ok(if failed == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("    | {l}")).collect::<Vec<_>>().join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    const CLEAN: &str = "\
fuzz#1: seed 2: 500000 hostile calls in 50 batches (1 accepted, 2 refused), 0 wrong acceptances, 0 impossible statuses
fuzz#1: done: clean
fuzz#2: seed 3: 500000 hostile calls in 50 batches (1 accepted, 2 refused), 0 wrong acceptances, 0 impossible statuses
fuzz#2: done: clean
victim#3: 3095 messages sent, 3095 received in order (0 twice, 0 lost, 0 corrupted); 3417 signals delivered
victim#3: done: every word as expected, every writeback accounted for, every message received once and in order
SRM: invariant checks on request: 100 walked, 0 failed
[ info] longest masked stretch: 900000 instructions (the invariant walk, CK_QUERY_DIGEST)
[ info] longest masked stretch outside the invariant walk: 4000 instructions (call 7)
";

    #[test]
    fn a_clean_run_is_summarized_and_passes() {
        let s = summarize(CLEAN);
        assert_eq!(s.calls, 1_000_000);
        assert_eq!(s.clean_fuzzers, 2);
        assert_eq!(s.checks, Some((100, 0)));
        assert_eq!(s.masked, Some((4000, "call 7".to_string())));
        assert_eq!(s.masked_with_walk.map(|m| m.0), Some(900000));
        assert_eq!(s.messages, Some(3095));
        assert!(problems(CLEAN, true, false, Some(MASKED_CEILING)).is_empty());
    }

    #[test]
    fn every_kind_of_failure_is_caught() {
        let fails = |console: &str, ok: bool, hung: bool| !problems(console, ok, hung, Some(MASKED_CEILING)).is_empty();
        assert!(fails(CLEAN, false, false), "a crash");
        assert!(fails(CLEAN, false, true), "a hang");
        assert!(fails(&CLEAN.replace("fuzz#2: done: clean", "fuzz#2: done: FAILED"), true, false));
        assert!(fails(&CLEAN.replace("victim#3: done: every word", "victim#3: done: FAILED"), true, false));
        assert!(fails(&CLEAN.replace(", every message received once and in order", ""), true, false), "no messages");
        assert!(fails(&CLEAN.replace("100 walked, 0 failed", "100 walked, 1 failed"), true, false));
        assert!(fails(&CLEAN.replace("4000 instructions (call 7)", "20000 instructions (call 6)"), true, false));
        assert!(fails(&format!("{CLEAN}*** FATAL: Access error\n"), true, false));
        assert!(fails(&CLEAN.replace("[ info] longest masked stretch outside", "x"), true, false));
        assert!(fails("", true, false), "silence");
    }

    #[test]
    fn the_ceiling_can_be_reported_only() {
        let long = CLEAN.replace("4000 instructions (call 7)", "1051382 instructions (call 6)");
        assert!(problems(&long, true, false, None).is_empty());
        assert!(!problems(&long, true, false, Some(MASKED_CEILING)).is_empty());
    }

    #[test]
    fn the_test_runs_what_cargo_xtask_fuzz_runs_for_seed_1() {
        use crate::guest_tests::{FUZZ_APPEND, FUZZ_CALLS};
        assert_eq!(FUZZ_APPEND, command_line(1, FUZZ_CALLS));
    }

    #[test]
    fn seeds_and_command_lines() {
        assert_eq!(kernel_seed(5, 0), 10);
        assert_eq!(kernel_seed(5, 1), 11);
        let line = command_line(5, 1_000_000);
        assert!(line.contains("srm.exit=idle"), "{line}");
        assert!(line.contains("fuzz:mem=1:cpu=35:faults=keep:seed=10:calls=500000"), "{line}");
        assert!(line.contains("seed=11:calls=500000"), "{line}");
        assert!(line.ends_with(",victim:cpu=25:rounds=50"), "{line}");
    }
}
