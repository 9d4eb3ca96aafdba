//! Parsers for what the test runners print: the guest ktest protocol
//! (tests/guest/ktest.h), CTest's closing line and cargo test's result lines.

/// What a guest test image reported on its console.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct GuestReport {
    pub suite: Option<String>,
    pub declared_cases: Option<u32>,
    pub passed: Vec<String>,
    pub failed: Vec<(String, String)>, // case, reason
    pub summary: Option<(u32, u32)>,   // passed, failed
    pub fatal: bool,                   // a fatal report or panic was printed
}

pub fn guest_report(console: &str) -> GuestReport {
    let mut report = GuestReport::default();
    for line in console.lines() {
        let line = line.trim_end();
        if line.starts_with("*** FATAL:") || line.starts_with("*** PANIC:") {
            report.fatal = true;
        }
        let Some(rest) = line.strip_prefix("KTEST ") else { continue };
        if let Some(begin) = rest.strip_prefix("BEGIN ") {
            let mut words = begin.split_whitespace();
            report.suite = words.next().map(str::to_string);
            report.declared_cases = words.next().and_then(|n| n.parse().ok());
        } else if let Some(case) = rest.strip_prefix("PASS ") {
            report.passed.push(case.trim().to_string());
        } else if let Some(fail) = rest.strip_prefix("FAIL ") {
            let (case, reason) = fail.split_once(": ").unwrap_or((fail, ""));
            report.failed.push((case.trim().to_string(), reason.to_string()));
        } else if let Some(summary) = rest.strip_prefix("SUMMARY ") {
            report.summary = passed_failed(summary);
        }
    }
    report
}

/// The kernel stack's deepest use from the last "kernel stack: high-water N of M bytes"
/// line (printed at power-off and in fatal reports): (N, M).
pub fn stack_high_water(console: &str) -> Option<(u32, u32)> {
    console.lines().rev().find_map(|line| {
        let (_, tail) = line.split_once("kernel stack: high-water ")?;
        let (used, size) = tail.trim_end().strip_suffix(" bytes")?.split_once(" of ")?;
        Some((used.parse().ok()?, size.parse().ok()?))
    })
}

/// Parses "N passed, M failed".
pub fn passed_failed(text: &str) -> Option<(u32, u32)> {
    let (passed, failed) = text.trim().split_once(", ")?;
    let passed = passed.strip_suffix(" passed")?.trim().parse().ok()?;
    let failed = failed.strip_suffix(" failed")?.trim().parse().ok()?;
    Some((passed, failed))
}

/// From CTest's "NN% tests passed, F tests failed out of T".
pub fn ctest_counts(output: &str) -> Option<(u32, u32)> {
    output.lines().rev().find_map(|line| {
        let (_, tail) = line.split_once("tests passed, ")?;
        let (failed, total) = tail.split_once(" tests failed out of ")?;
        let failed: u32 = failed.trim().parse().ok()?;
        let total: u32 = total.trim().parse().ok()?;
        Some((total.checked_sub(failed)?, failed))
    })
}

/// Sums cargo test's "test result: ok. P passed; F failed; ..." lines.
pub fn cargo_test_counts(output: &str) -> Option<(u32, u32)> {
    let mut total: Option<(u32, u32)> = None;
    for line in output.lines() {
        let Some(rest) = line.trim().strip_prefix("test result: ") else { continue };
        let mut passed = None;
        let mut failed = None;
        for part in rest.split(['.', ';']) {
            let part = part.trim();
            if let Some(n) = part.strip_suffix(" passed") {
                passed = n.trim().parse().ok();
            } else if let Some(n) = part.strip_suffix(" failed") {
                failed = n.trim().parse().ok();
            }
        }
        let (p, f): (u32, u32) = (passed?, failed?);
        let (tp, tf) = total.unwrap_or((0, 0));
        total = Some((tp + p, tf + f));
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stack_high_water_is_read_from_the_last_line() {
        let console =
            "[ info] kernel stack: high-water 12 of 16384 bytes\n  kernel stack: high-water 1180 of 16384 bytes\n";
        assert_eq!(stack_high_water(console), Some((1180, 16384)));
        assert_eq!(stack_high_water("kernel stack: high-water x of 1 bytes"), None);
        assert_eq!(stack_high_water(""), None);
    }

    #[test]
    fn guest_report_reads_the_protocol() {
        let console = "banner\nKTEST BEGIN boot 3\nKTEST PASS a\nKTEST FAIL b: boot.cpp:10: wrong: got 2\nKTEST NOTE b: boot.cpp:11: also\nKTEST PASS c\nKTEST SUMMARY 2 passed, 1 failed\n";
        let r = guest_report(console);
        assert_eq!(r.suite.as_deref(), Some("boot"));
        assert_eq!(r.declared_cases, Some(3));
        assert_eq!(r.passed, vec!["a", "c"]);
        assert_eq!(r.failed, vec![("b".to_string(), "boot.cpp:10: wrong: got 2".to_string())]);
        assert_eq!(r.summary, Some((2, 1)));
        assert!(!r.fatal);
    }

    #[test]
    fn guest_report_sees_fatal_reports_and_missing_summary() {
        let r = guest_report("KTEST BEGIN x 1\n\n*** FATAL: Illegal instruction (vector 4) in supervisor mode\n");
        assert!(r.fatal);
        assert_eq!(r.summary, None);
        assert!(guest_report("*** PANIC: out of descriptors").fatal);
        assert_eq!(guest_report("no protocol at all"), GuestReport::default());
    }

    #[test]
    fn passed_failed_is_strict() {
        assert_eq!(passed_failed("12 passed, 0 failed"), Some((12, 0)));
        assert_eq!(passed_failed("12 passed 0 failed"), None);
        assert_eq!(passed_failed("x passed, 0 failed"), None);
    }

    #[test]
    fn ctest_closing_line() {
        assert_eq!(ctest_counts("...\n100% tests passed, 0 tests failed out of 43\n\nTotal Test time"), Some((43, 0)));
        assert_eq!(ctest_counts("95% tests passed, 2 tests failed out of 40\n"), Some((38, 2)));
        assert_eq!(ctest_counts("No tests were found!!!"), None);
    }

    #[test]
    fn cargo_test_result_lines_are_summed() {
        let out = "test result: ok. 10 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s\n\
                   test result: FAILED. 3 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s\n";
        assert_eq!(cargo_test_counts(out), Some((13, 2)));
        assert_eq!(cargo_test_counts("error: could not compile"), None);
    }
}
