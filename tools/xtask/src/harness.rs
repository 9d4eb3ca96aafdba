//! Judges one guest test run against its expectation (guest_tests.rs).

use crate::guest_tests::{Expect, GuestTest};
use crate::parse::{guest_report, stack_high_water, GuestReport};
use crate::qemu::RunResult;

/// Tests counted for one image, and why it failed if it did.
#[derive(Debug, PartialEq, Eq)]
pub struct Verdict {
    pub passed: u32,
    pub failed: u32,
    pub problems: Vec<String>,
}

/// The bytes between the kernel stack's bottom and its limit (linker/virt.ld
/// `__kernel_stack_limit`): a run whose stack came within them has overflowed in all
/// but name.
const KERNEL_STACK_RESERVE: u32 = 1536;

/// The virt-ctrl panic's exit status under `-action panic=exit-failure` (DESIGN.md §1);
/// QEMU's own abort (a double MMU fault) is something else.
const FATAL_EXIT_CODE: i32 = 1;

pub fn judge(test: &GuestTest, run: &RunResult) -> Verdict {
    let report = guest_report(&run.console);
    let exited_ok = run.status.map(|s| s.success()).unwrap_or(false);
    match test.expect {
        Expect::Pass => judge_pass(test, run, &report, exited_ok),
        Expect::CasesFail(failing) => {
            let mut problems = Vec::new();
            if run.timed_out {
                problems.push(format!("timed out after {:?}", test.limit));
            }
            if exited_ok {
                problems.push("QEMU exited 0 although cases failed".into());
            }
            let mut got: Vec<&str> = report.failed.iter().map(|(case, _)| case.as_str()).collect();
            got.sort_unstable();
            let mut want = failing.to_vec();
            want.sort_unstable();
            if got != want {
                problems.push(format!("failing cases {got:?}, expected {want:?}"));
            }
            let declared = report.declared_cases.unwrap_or(0) as usize;
            if report.summary != Some(((declared - failing.len().min(declared)) as u32, failing.len() as u32)) {
                problems.push(format!(
                    "summary {:?} does not match {declared} cases with {} failing",
                    report.summary,
                    failing.len()
                ));
            }
            single(problems)
        }
        Expect::Fatal(needles) => {
            let mut problems = Vec::new();
            if run.timed_out {
                problems.push(format!("timed out after {:?}", test.limit));
            } else if exited_ok {
                problems.push("QEMU exited 0 after a fatal error".into());
            } else if run.status.and_then(|s| s.code()) != Some(FATAL_EXIT_CODE) {
                problems.push(format!(
                    "QEMU exit status {:?}, expected {FATAL_EXIT_CODE} (the kernel's failure verdict)",
                    run.status
                ));
            }
            if !report.fatal {
                problems.push("no fatal report on the console".into());
            }
            if report.summary.is_some() {
                problems.push("a summary line after a fatal error".into());
            }
            for needle in needles {
                if !run.console.contains(needle) {
                    problems.push(format!("console lacks {needle:?}"));
                }
            }
            single(problems)
        }
        Expect::Session(wanted) => {
            let mut problems: Vec<String> = wanted
                .iter()
                .filter(|w| !run.console.contains(*w))
                .map(|w| format!("the console never showed {w:?}"))
                .collect();
            if report.fatal {
                problems.push("fatal report on the console".into());
            }
            single(problems)
        }
        Expect::Fuzz { calls, masked_ceiling } => {
            let mut problems = crate::fuzz::problems(&run.console, exited_ok, run.timed_out, masked_ceiling);
            let made = crate::fuzz::summarize(&run.console).calls;
            if made < calls {
                problems.push(format!("{made} hostile calls made, {calls} expected"));
            }
            single(problems)
        }
        Expect::Timeout => single(if run.timed_out {
            Vec::new()
        } else {
            vec![format!("finished ({:?}) but should have hung", run.status)]
        }),
    }
}

fn judge_pass(test: &GuestTest, run: &RunResult, report: &GuestReport, exited_ok: bool) -> Verdict {
    let mut problems = Vec::new();
    if run.timed_out {
        problems.push(format!("timed out after {:?}", test.limit));
    } else if !exited_ok {
        problems.push(format!("QEMU exit status {:?}", run.status.and_then(|s| s.code())));
    }
    if report.fatal {
        problems.push("fatal report on the console".into());
    }
    if report.suite.as_deref() != Some(test.name) {
        problems.push(format!("suite {:?}, expected {:?}", report.suite, test.name));
    }
    for (case, reason) in &report.failed {
        problems.push(format!("case {case} failed: {reason}"));
    }
    let declared = report.declared_cases.unwrap_or(0);
    let passed = report.passed.len() as u32;
    match report.summary {
        None => problems.push("no summary line".into()),
        Some(summary) if summary != (passed, declared.saturating_sub(passed)) => {
            problems.push(format!("summary {summary:?} disagrees with {passed} PASS lines of {declared} cases"))
        }
        Some(_) => {}
    }
    if declared == 0 {
        problems.push("no cases declared".into());
    }
    if let Some((used, size)) = stack_high_water(&run.console) {
        if used + KERNEL_STACK_RESERVE > size {
            problems.push(format!("kernel stack high-water {used} of {size} bytes reaches its limit"));
        }
    }
    for text in test.console {
        if !run.console.contains(text) {
            problems.push(format!("the console never showed {text:?}"));
        }
    }
    let mut failed = declared.saturating_sub(passed);
    if failed == 0 && !problems.is_empty() {
        failed = 1; // the image as a whole failed
    }
    Verdict { passed, failed, problems }
}

fn single(problems: Vec<String>) -> Verdict {
    let ok = problems.is_empty();
    Verdict { passed: ok as u32, failed: (!ok) as u32, problems }
}

/// The last `lines` lines of a console, for failure reports.
pub fn tail(console: &str, lines: usize) -> String {
    let all: Vec<&str> = console.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::process::ExitStatusExt;
    use std::process::ExitStatus;
    use std::time::Duration;

    const PASS_TEST: GuestTest =
        GuestTest { limit: Duration::from_secs(1), ..crate::guest_tests::test("t", Expect::Pass) };

    fn run(console: &str, code: Option<i32>) -> RunResult {
        RunResult {
            console: console.into(),
            status: code.map(|c| ExitStatus::from_raw(c << 8)),
            timed_out: code.is_none(),
            elapsed: Duration::ZERO,
        }
    }

    const GOOD: &str = "KTEST BEGIN t 2\nKTEST PASS a\nKTEST PASS b\nKTEST SUMMARY 2 passed, 0 failed\n";

    #[test]
    fn a_clean_run_passes_every_case() {
        assert_eq!(judge(&PASS_TEST, &run(GOOD, Some(0))), Verdict { passed: 2, failed: 0, problems: vec![] });
    }

    #[test]
    fn a_session_passes_only_when_the_console_shows_everything_and_no_fatal_report() {
        let session = GuestTest { expect: Expect::Session(&["srm> ", "echo: hi"]), ..PASS_TEST };
        let timed_out = |console: &str| RunResult {
            console: console.into(),
            status: None,
            timed_out: true,
            elapsed: Duration::from_secs(5),
        };
        assert_eq!(judge(&session, &timed_out("srm> hi\necho: hi\nsrm> ")).failed, 0);
        assert_eq!(judge(&session, &timed_out("srm> hi\n")).failed, 1);
        assert_eq!(judge(&session, &timed_out("srm> \necho: hi\n*** FATAL: Access error\n")).failed, 1);
    }

    #[test]
    fn expected_console_text_must_appear() {
        let wants = GuestTest { console: &["KTEST PASS b", "echo: never"], ..PASS_TEST };
        let v = judge(&wants, &run(GOOD, Some(0)));
        assert_eq!((v.passed, v.failed), (2, 1));
        assert!(v.problems.iter().any(|p| p.contains("echo: never")), "{:?}", v.problems);
        let shown = GuestTest { console: &["KTEST PASS b"], ..PASS_TEST };
        assert_eq!(judge(&shown, &run(GOOD, Some(0))).failed, 0);
    }

    #[test]
    fn a_bad_exit_status_fails_even_with_a_good_console() {
        let v = judge(&PASS_TEST, &run(GOOD, Some(1)));
        assert_eq!((v.passed, v.failed), (2, 1));
    }

    #[test]
    fn a_crash_midway_counts_unreported_cases_as_failed() {
        let v = judge(&PASS_TEST, &run("KTEST BEGIN t 3\nKTEST PASS a\n*** FATAL: Access error (vector 2)\n", Some(1)));
        assert_eq!((v.passed, v.failed), (1, 2));
        assert!(v.problems.iter().any(|p| p.contains("no summary")));
    }

    #[test]
    fn a_lying_summary_is_caught() {
        let v = judge(&PASS_TEST, &run("KTEST BEGIN t 2\nKTEST PASS a\nKTEST SUMMARY 2 passed, 0 failed\n", Some(0)));
        assert_eq!((v.passed, v.failed), (1, 1));
    }

    #[test]
    fn silence_and_timeouts_fail() {
        assert_eq!(judge(&PASS_TEST, &run("", Some(0))).failed, 1);
        assert_eq!(judge(&PASS_TEST, &run(GOOD, None)).failed, 1);
    }

    #[test]
    fn self_test_expectations() {
        let fails = GuestTest { expect: Expect::CasesFail(&["b"]), ..PASS_TEST };
        let console = "KTEST BEGIN t 2\nKTEST PASS a\nKTEST FAIL b: x\nKTEST SUMMARY 1 passed, 1 failed\n";
        assert_eq!(judge(&fails, &run(console, Some(1))).passed, 1);
        assert_eq!(judge(&fails, &run(GOOD, Some(0))).failed, 1);

        let fatal = GuestTest { expect: Expect::Fatal(&["Illegal instruction"]), ..PASS_TEST };
        assert_eq!(judge(&fatal, &run("*** FATAL: Illegal instruction (vector 4)\n", Some(1))).passed, 1);
        assert_eq!(judge(&fatal, &run("*** FATAL: Zero divide (vector 5)\n", Some(1))).failed, 1);
        assert_eq!(judge(&fatal, &run("*** FATAL: Illegal instruction (vector 4)\n", Some(0))).failed, 1);
        // QEMU's abort (a double MMU fault) is not the kernel's verdict.
        assert_eq!(judge(&fatal, &run("*** FATAL: Illegal instruction (vector 4)\n", Some(134))).failed, 1);

        let hang = GuestTest { expect: Expect::Timeout, ..PASS_TEST };
        assert_eq!(judge(&hang, &run("", None)).passed, 1);
        assert_eq!(judge(&hang, &run(GOOD, Some(0))).failed, 1);
    }

    #[test]
    fn a_kernel_stack_near_its_limit_fails_a_passing_run() {
        let deep = format!("{GOOD}[ info] kernel stack: high-water 15000 of 16384 bytes\n");
        assert_eq!(judge(&PASS_TEST, &run(&deep, Some(0))).failed, 1);
        let fine = format!("{GOOD}[ info] kernel stack: high-water 2000 of 16384 bytes\n");
        assert_eq!(judge(&PASS_TEST, &run(&fine, Some(0))).failed, 0);
    }

    #[test]
    fn tail_keeps_the_last_lines() {
        assert_eq!(tail("a\nb\nc\nd", 2), "c\nd");
        assert_eq!(tail("a", 5), "a");
    }
}
