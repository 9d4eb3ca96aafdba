//! The userland's tests (issue 18 item 8): the shell's scripts and `usertests`, run under
//! the oracle (qemu-m68k, Linux semantics) for now.
//!
//! **Cases.** `userland:NAME` for each `user/shtests/NAME.sh` (in the image as
//! /shtests/NAME.sh): the command `/bin/sh /shtests/NAME.sh`, whose standard output and
//! standard error together (one file, so their order is kept) must equal
//! `user/shtests/NAME.expected` but for its last line, `[exit N]` (or `[signal N]`), the
//! status it must end with. `userland:usertests`: `/bin/usertests`, whose standard output
//! must be one `PASS NAME` line for each case in its table and nothing else, and which must
//! exit 0 (its standard error is not judged: qemu reports there the signals that kill the
//! children it kills on purpose).
//!
//! **How a case runs** is separate from how it is judged ([`cases`] gives each case's
//! command line, [`judge`] compares an [`Outcome`]), so that the emulator's runner can
//! take the same list once it has fork and pipes. Under the oracle each case runs in
//! namespaces of its own (`unshare --user --map-root-user --mount --pid --fork`): a
//! binfmt_misc instance of that user namespace (Linux 6.7 or later) registers m68k ELF
//! files to run under qemu-m68k-static (flags F: the interpreter opened at registration,
//! so it works in the chroot; P: argv[0] preserved), because the shell and usertests
//! exec m68k programs and qemu-user alone cannot; a fresh /proc (the pid namespace's
//! processes only) for `ps` and `free`; /dev/null bound in. Then, in a new session,
//! `chroot` into a copy of the staging tree with the environment, limits and umask of
//! the unix suite (unix_tests.rs). The host's binfmt_misc and mounts are not touched.
//! Statuses: the namespace's first process is a host `sh` that reports the case's status
//! as its own exit status, so a case killed by signal N shows as `exit 128+N`.

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::thread;
use std::time::Duration;

use crate::unix_tests::{self, Outcome};
use crate::{qemu, tools, userland};

pub const SUITE: &str = "userland (qemu-m68k)";
pub const PREFIX: &str = "userland:";
/// One case under the oracle.
const LIMIT: Duration = Duration::from_secs(60);

/// What a case must produce.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expected {
    /// Exactly this output (normalised) and this status.
    Exact(Outcome),
    /// A `PASS NAME` line for each of these names, in this order, nothing else; exit 0.
    AllPass(Vec<String>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    pub name: String,
    /// The command line in the image (argv[0] is the program's path).
    pub argv: Vec<String>,
    /// Standard error joins standard output (scripts) or is left out (usertests).
    pub merge_stderr: bool,
    /// Typed at a terminal (the case's fds 0-2 are a pty's): None for a plain run.
    pub terminal: Option<Vec<String>>,
    pub expected: Expected,
}

/// What a `.tty` file types: each line (but `#` comments and blank lines) is typed after
/// the shell's next prompt, or after [`TYPE_AFTER`] without one (a job still running),
/// then Enter; a line ending in `^C` is typed with a ^C (0x03) instead of both.
pub fn parse_tty(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| match l.strip_suffix("^C") {
            Some(rest) => format!("{rest}\x03"),
            None => format!("{l}\n"),
        })
        .collect()
}

/// How long a terminal case waits for a prompt before it types the next line anyway.
pub const TYPE_AFTER: Duration = Duration::from_secs(3);

/// A `.expected` file: the output, then a last line `[exit N]` or `[signal N]`.
pub fn parse_expected(text: &str) -> Result<Outcome, String> {
    let trimmed = text.strip_suffix('\n').unwrap_or(text);
    let (output, last) = match trimmed.rsplit_once('\n') {
        Some((output, last)) => (format!("{output}\n"), last),
        None => (String::new(), trimmed),
    };
    let status = last
        .strip_prefix('[')
        .and_then(|s| s.strip_suffix(']'))
        .filter(|s| {
            s.split_once(' ').is_some_and(|(kind, n)| matches!(kind, "exit" | "signal") && n.parse::<u32>().is_ok())
        })
        .ok_or_else(|| format!("the last line must be [exit N] or [signal N], not '{last}'"))?;
    Ok(Outcome { output, status: status.to_string() })
}

/// The outcome written as a `.expected` file.
pub fn format_expected(outcome: &Outcome) -> String {
    format!("{}[{}]\n", unix_tests::normalise(&outcome.output), outcome.status)
}

/// The case names in usertests' table (`{"NAME", t_NAME},` lines of its source).
pub fn usertests_cases(source: &str) -> Vec<String> {
    source
        .lines()
        .filter_map(|l| l.trim().strip_prefix("{\""))
        .filter_map(|l| l.split_once("\", t_").map(|(name, _)| name.to_string()))
        .collect()
}

/// The terminal cases: the stems of user/shtests/*.tty, sorted.
pub fn terminal_test_names(root: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root.join(userland::SHTESTS_DIR))
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| crate::build::ext(p) == "tty")
                .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// Every case, in order: the scripts by name, the terminal cases, then usertests.
pub fn cases(root: &Path) -> Result<Vec<Case>, String> {
    let mut list = Vec::new();
    for name in userland::shell_test_names(root) {
        let path = root.join(userland::SHTESTS_DIR).join(format!("{name}.expected"));
        let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let expected = parse_expected(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        list.push(Case {
            name: name.clone(),
            argv: vec!["/bin/sh".into(), format!("/shtests/{name}.sh")],
            merge_stderr: true,
            terminal: None,
            expected: Expected::Exact(expected),
        });
    }
    for name in terminal_test_names(root) {
        let dir = root.join(userland::SHTESTS_DIR);
        let read = |file: String| std::fs::read_to_string(dir.join(&file)).map_err(|e| format!("{file}: {e}"));
        let expected =
            parse_expected(&read(format!("{name}.expected"))?).map_err(|e| format!("{name}.expected: {e}"))?;
        list.push(Case {
            name: name.clone(),
            argv: vec!["/bin/sh".into()],
            merge_stderr: true,
            terminal: Some(parse_tty(&read(format!("{name}.tty"))?)),
            expected: Expected::Exact(expected),
        });
    }
    let source_path = root.join("user/usertests/usertests.c");
    let source = std::fs::read_to_string(&source_path).map_err(|e| format!("{}: {e}", source_path.display()))?;
    let names = usertests_cases(&source);
    if names.is_empty() {
        return Err(format!("{}: no cases found in its table", source_path.display()));
    }
    list.push(Case {
        name: "usertests".into(),
        argv: vec!["/bin/usertests".into()],
        merge_stderr: false,
        terminal: None,
        expected: Expected::AllPass(names),
    });
    Ok(list)
}

/// None when the outcome is what the case expects, else what is wrong.
pub fn judge(case: &Case, outcome: &Outcome) -> Option<String> {
    let actual = unix_tests::normalise(&outcome.output);
    match &case.expected {
        Expected::Exact(expected) => {
            let want = unix_tests::normalise(&expected.output);
            let mut problems = Vec::new();
            if outcome.status != expected.status {
                problems.push(format!("status '{}', expected '{}'", outcome.status, expected.status));
            }
            if actual != want {
                problems.push(format!(
                    "output differs (- expected, + actual):\n{}",
                    unix_tests::short_diff_labelled(&want, &actual, ("expected", "actual"))
                ));
            }
            (!problems.is_empty()).then(|| problems.join("\n"))
        }
        Expected::AllPass(names) => {
            let want: String = names.iter().map(|n| format!("PASS {n}\n")).collect();
            let mut problems = Vec::new();
            if outcome.status != "exit 0" {
                problems.push(format!("status '{}', expected 'exit 0'", outcome.status));
            }
            if actual != want {
                let other: Vec<&str> = actual.lines().filter(|l| !l.starts_with("PASS ")).collect();
                problems.push(if other.is_empty() {
                    format!(
                        "not one PASS line per case in order:\n{}",
                        unix_tests::short_diff_labelled(&want, &actual, ("expected", "actual"))
                    )
                } else {
                    format!(
                        "lines other than PASS:\n{}",
                        other.iter().map(|l| format!("    {l}")).collect::<Vec<_>>().join("\n")
                    )
                });
            }
            (!problems.is_empty()).then(|| problems.join("\n"))
        }
    }
}

// ---------------------------------------------------------------------------------------
// The oracle.

/// Registers m68k ELF executables with the user namespace's own binfmt_misc (the magic and
/// mask of qemu's qemu-binfmt-conf.sh; binfmt_misc decodes the \x escapes itself).
const BINFMT_M68K: &str = r":qemu-m68k:M::\x7fELF\x01\x02\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x04:\xff\xff\xff\xff\xff\xff\xfe\x00\xff\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff:";

/// Run by the host's sh as the first process of the namespaces: $1 the tree, $2..$5 the
/// host's mount, chroot, setsid and qemu-m68k-static, then the command line.
const SETUP: &str = r#"set -e
D=$1 MOUNT=$2 CHROOT=$3 SETSID=$4 QEMU=$5
shift 5
$MOUNT -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
printf '%s' "$BINFMT$QEMU:FP" > /proc/sys/fs/binfmt_misc/register
$MOUNT -t proc proc "$D/proc"
$MOUNT --bind /dev/null "$D/dev/null"
set +e
if [ "$TERMINAL" = yes ]; then
    $CHROOT "$D" "$@"
else
    $SETSID $CHROOT "$D" "$@"
fi
"#;

/// A fresh copy of the staging tree with mount points for /proc and /dev/null.
fn prepare_root(root: &Path) -> Result<PathBuf, String> {
    let dir = unix_tests::prepare_oracle_root_in(root, "oracle-userland")?;
    for sub in ["proc", "dev"] {
        std::fs::create_dir_all(dir.join(sub)).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::write(dir.join("dev/null"), b"").map_err(|e| format!("{}: {e}", dir.display()))?;
    Ok(dir)
}

struct HostTools {
    unshare: PathBuf,
    mount: PathBuf,
    chroot: PathBuf,
    setsid: PathBuf,
    qemu: PathBuf,
}

fn host_tools() -> Result<HostTools, String> {
    let find = |name: &str, package: &str| {
        unix_tests::find_program(name).ok_or_else(|| format!("{name} not found (package {package})"))
    };
    Ok(HostTools {
        unshare: find("unshare", "util-linux")?,
        mount: find("mount", "mount")?,
        chroot: find("chroot", "coreutils")?,
        setsid: find("setsid", "util-linux")?,
        qemu: find("qemu-m68k-static", "qemu-user-static")?,
    })
}

fn run_oracle(tools: &HostTools, dir: &Path, out_dir: &Path, case: &Case) -> Outcome {
    if let Some(input) = &case.terminal {
        return run_on_terminal(tools, dir, case, input);
    }
    let out_path = out_dir.join(format!("{}.out", case.name));
    let err_path = out_dir.join(format!("{}.err", case.name));
    let files = std::fs::File::create(&out_path).and_then(|out| {
        let err = if case.merge_stderr { out.try_clone()? } else { std::fs::File::create(&err_path)? };
        Ok((out, err))
    });
    let (out, err) = match files {
        Ok(files) => files,
        Err(e) => return Outcome { output: format!("{}: {e}", out_path.display()), status: "unstarted".into() },
    };
    let mut command = oracle_command(tools, dir, case, false);
    command.stdin(Stdio::null()).stdout(out).stderr(err);
    // SAFETY: between fork and exec only async-signal-safe system calls are made.
    unsafe {
        command.pre_exec(|| {
            unix_tests::oracle_process_setup();
            // A session of its own: a test's `kill 0` reaches nothing of ours.
            unix_tests::sys::setsid();
            Ok(())
        });
    }
    let mut child = match command.spawn() {
        Ok(child) => child,
        Err(e) => {
            return Outcome {
                output: format!("cannot start {}: {e}", tools.unshare.display()),
                status: "unstarted".into(),
            }
        }
    };
    let waited = qemu::wait_with_limit(&mut child, LIMIT);
    let output = String::from_utf8_lossy(&std::fs::read(&out_path).unwrap_or_default()).into_owned();
    let status = qemu::status_text(&waited);
    Outcome { output, status }
}

/// The namespaces' command for `case` (the same as [`run_oracle`]'s).
fn oracle_command(tools: &HostTools, dir: &Path, case: &Case, terminal: bool) -> Command {
    let mut command = Command::new(&tools.unshare);
    command
        .args(["--user", "--map-root-user", "--mount", "--pid", "--fork", "--kill-child", "--mount-proc"])
        .arg("/bin/sh")
        .args(["-c", SETUP, "setup"])
        .arg(dir)
        .args([&tools.mount, &tools.chroot, &tools.setsid, &tools.qemu])
        .args(&case.argv)
        .env_clear()
        .envs(unix_tests::ENVIRONMENT)
        .env("BINFMT", BINFMT_M68K)
        .env("TERMINAL", if terminal { "yes" } else { "no" });
    command
}

mod pty {
    use std::os::raw::{c_char, c_int, c_ulong};

    pub const O_RDWR: c_int = 2;
    pub const O_NOCTTY: c_int = 0o400;
    pub const TIOCSCTTY: c_ulong = 0x540E;

    extern "C" {
        pub fn posix_openpt(flags: c_int) -> c_int;
        pub fn grantpt(fd: c_int) -> c_int;
        pub fn unlockpt(fd: c_int) -> c_int;
        pub fn ptsname_r(fd: c_int, buf: *mut c_char, len: usize) -> c_int;
        pub fn ioctl(fd: c_int, request: c_ulong, ...) -> c_int;
    }
}

/// A new pseudo-terminal: its master and its slave (opened without becoming ours).
fn open_pty() -> Result<(std::fs::File, std::fs::File), String> {
    use std::os::fd::FromRawFd;
    use std::os::unix::fs::OpenOptionsExt;
    // SAFETY: plain calls on a descriptor this function owns; the name buffer is ours.
    unsafe {
        let master = pty::posix_openpt(pty::O_RDWR | pty::O_NOCTTY);
        if master < 0 {
            return Err(format!("posix_openpt: {}", std::io::Error::last_os_error()));
        }
        let master_file = std::fs::File::from_raw_fd(master);
        let mut name = [0 as std::os::raw::c_char; 128];
        if pty::grantpt(master) != 0
            || pty::unlockpt(master) != 0
            || pty::ptsname_r(master, name.as_mut_ptr(), 128) != 0
        {
            return Err(format!("a pseudo-terminal: {}", std::io::Error::last_os_error()));
        }
        let path = std::ffi::CStr::from_ptr(name.as_ptr()).to_string_lossy().into_owned();
        let slave = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .custom_flags(pty::O_NOCTTY)
            .open(&path)
            .map_err(|e| format!("{path}: {e}"))?;
        Ok((master_file, slave))
    }
}

/// Runs a terminal case: its fds 0-2 are a pty's slave, its controlling terminal in a
/// session of its own; each line of `input` is typed when the shell prompts (or after
/// [`TYPE_AFTER`]); the transcript (echo included) is the output.
fn run_on_terminal(tools: &HostTools, dir: &Path, case: &Case, input: &[String]) -> Outcome {
    use std::io::{Read, Write};
    use std::sync::Arc;
    use std::time::Instant;
    let unstarted = |why: String| Outcome { output: why, status: "unstarted".into() };
    let (mut master, slave) = match open_pty() {
        Ok(pair) => pair,
        Err(e) => return unstarted(e),
    };
    let (Ok(out), Ok(err), Ok(mut reader)) = (slave.try_clone(), slave.try_clone(), master.try_clone()) else {
        return unstarted("cannot duplicate the pty's descriptors".into());
    };
    let mut command = oracle_command(tools, dir, case, true);
    command.stdin(slave).stdout(out).stderr(err);
    // SAFETY: between fork and exec only async-signal-safe system calls are made.
    unsafe {
        command.pre_exec(|| {
            unix_tests::oracle_process_setup();
            unix_tests::sys::setsid();
            pty::ioctl(0, pty::TIOCSCTTY, 0);
            Ok(())
        });
    }
    let spawned = command.spawn();
    drop(command); // our copies of the slave: the reader sees EOF once the case's are gone
    let mut child = match spawned {
        Ok(child) => child,
        Err(e) => return unstarted(format!("cannot start {}: {e}", tools.unshare.display())),
    };
    let transcript = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&transcript);
    thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            sink.lock().unwrap().extend_from_slice(&buf[..n]);
        }
    });
    let deadline = Instant::now() + LIMIT;
    let mut seen = 0;
    for line in input {
        let waited = Instant::now();
        loop {
            let text = transcript.lock().unwrap().clone();
            if text.len() > seen && text.ends_with(b"$ ") {
                break;
            }
            if waited.elapsed() >= TYPE_AFTER || Instant::now() >= deadline {
                break;
            }
            thread::sleep(Duration::from_millis(20));
        }
        seen = transcript.lock().unwrap().len();
        // Text before a ^C goes first, and the ^C once it has been echoed: a ^C flushes
        // the terminal's output queue, echo not yet read included.
        let (text, interrupt) = match line.strip_suffix('\u{3}') {
            Some(text) if !text.is_empty() => (text, "\u{3}"),
            _ => (line.as_str(), ""),
        };
        if master.write_all(text.as_bytes()).is_err() {
            break;
        }
        if !interrupt.is_empty() {
            let typed = Instant::now();
            while !transcript.lock().unwrap().ends_with(text.as_bytes()) && typed.elapsed() < TYPE_AFTER {
                thread::sleep(Duration::from_millis(20));
            }
            if master.write_all(interrupt.as_bytes()).is_err() {
                break;
            }
        }
    }
    let waited = qemu::wait_with_limit(&mut child, deadline.saturating_duration_since(Instant::now()));
    thread::sleep(Duration::from_millis(200)); // the last output through the pty
    let output = String::from_utf8_lossy(&transcript.lock().unwrap()).into_owned();
    let status = qemu::status_text(&waited);
    Outcome { output, status }
}

/// Every case under the oracle, in parallel: outcomes in the cases' order.
fn oracle_outcomes(root: &Path, cases: &[Case]) -> Result<Vec<Outcome>, String> {
    if !tools::running_as_root() {
        return Err("the userland's oracle runs chrooted into a copy of the image's tree (as root)".into());
    }
    let host = host_tools()?;
    let dir = prepare_root(root)?;
    let out_dir = userland::user_dir(root).join("userland-out");
    if out_dir.exists() {
        std::fs::remove_dir_all(&out_dir).map_err(|e| format!("{}: {e}", out_dir.display()))?;
    }
    std::fs::create_dir_all(&out_dir).map_err(|e| format!("{}: {e}", out_dir.display()))?;
    let results: Mutex<Vec<Option<Outcome>>> = Mutex::new(cases.iter().map(|_| None).collect());
    let next = AtomicUsize::new(0);
    let workers = thread::available_parallelism().map(|n| n.get()).unwrap_or(2).min(cases.len()).max(1);
    thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| loop {
                let index = next.fetch_add(1, Ordering::SeqCst);
                let Some(case) = cases.get(index) else { break };
                let outcome = run_oracle(&host, &dir, &out_dir, case);
                results.lock().unwrap()[index] = Some(outcome);
            });
        }
    });
    Ok(results.into_inner().unwrap().into_iter().map(|o| o.expect("every case ran")).collect())
}

fn selected(root: &Path, filter: Option<&str>, names: &[String]) -> Result<Vec<Case>, String> {
    let all = cases(root)?;
    if !names.is_empty() {
        if let Some(unknown) = names.iter().find(|n| !all.iter().any(|c| &c.name == *n)) {
            return Err(format!("userland: no case '{unknown}' (user/shtests/{unknown}.sh or usertests)"));
        }
    }
    Ok(all
        .into_iter()
        .filter(|c| names.is_empty() || names.contains(&c.name))
        .filter(|c| filter.is_none_or(|f| format!("{PREFIX}{}", c.name).contains(f)))
        .collect())
}

/// Would `filter` select any case (by name, without building anything)?
pub fn selects_any(root: &Path, filter: Option<&str>) -> bool {
    let mut names: Vec<String> = userland::shell_test_names(root);
    names.extend(terminal_test_names(root));
    names.push("usertests".into());
    names.iter().any(|n| filter.is_none_or(|f| format!("{PREFIX}{n}").contains(f)))
}

/// The suite in `cargo xtask test`: (passed, failed); (0, 0) when the filter selects none.
pub fn run(root: &Path, filter: Option<&str>) -> (u32, u32) {
    if !selects_any(root, filter) {
        return (0, 0);
    }
    let fail_all = |why: &str| {
        println!("FAIL {PREFIX}*: {why}");
        println!("{SUITE}: 0 passed, 1 failed");
        (0, 1)
    };
    if let Err(e) = tools::ensure(&[&tools::QEMU_USER]).and_then(|_| userland::rootfs(root, &[]).map(|_| ())) {
        return fail_all(&e);
    }
    let cases = match selected(root, filter, &[]) {
        Ok(cases) => cases,
        Err(e) => return fail_all(&e),
    };
    let outcomes = match oracle_outcomes(root, &cases) {
        Ok(outcomes) => outcomes,
        Err(e) => return fail_all(&e),
    };
    let (mut passed, mut failed) = (0, 0);
    for (case, outcome) in cases.iter().zip(&outcomes) {
        match judge(case, outcome) {
            None => {
                passed += 1;
                println!("PASS {PREFIX}{} ({})", case.name, outcome.status);
            }
            Some(why) => {
                failed += 1;
                println!("FAIL {PREFIX}{}: {why}", case.name);
            }
        }
    }
    println!("{SUITE}: {passed} passed, {failed} failed");
    (passed, failed)
}

/// `cargo xtask userland [NAME...]`: each case's output and status under the oracle, in
/// the `.expected` format, and its verdict.
pub fn command(root: &Path, args: &[String]) -> Result<std::process::ExitCode, String> {
    tools::ensure(&[&tools::QEMU_USER])?;
    userland::rootfs(root, &[])?;
    let cases = selected(root, None, args)?;
    let outcomes = oracle_outcomes(root, &cases)?;
    let mut all_pass = true;
    for (case, outcome) in cases.iter().zip(&outcomes) {
        let verdict = judge(case, outcome);
        all_pass &= verdict.is_none();
        print!(
            "=== {PREFIX}{} ({})\n{}",
            case.name,
            if verdict.is_none() { "as expected" } else { "NOT as expected" },
            format_expected(outcome)
        );
        if let Some(why) = verdict {
            println!("--- {why}");
        }
    }
    Ok(if all_pass { std::process::ExitCode::SUCCESS } else { std::process::ExitCode::FAILURE })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(output: &str, status: &str) -> Outcome {
        Outcome { output: output.into(), status: status.into() }
    }

    #[test]
    fn expected_files_end_with_the_status() {
        assert_eq!(parse_expected("a\nb\n[exit 3]\n").unwrap(), outcome("a\nb\n", "exit 3"));
        assert_eq!(parse_expected("[exit 0]\n").unwrap(), outcome("", "exit 0"));
        assert_eq!(parse_expected("x\n[signal 11]").unwrap(), outcome("x\n", "signal 11"));
        assert!(parse_expected("a\nb\n").is_err());
        assert!(parse_expected("a\n[exit]\n").is_err());
        assert!(parse_expected("a\n[died 1]\n").is_err());
        assert_eq!(format_expected(&outcome("a\nb", "exit 1")), "a\nb\n[exit 1]\n");
        let back = parse_expected(&format_expected(&outcome("x\ny\n", "exit 2"))).unwrap();
        assert_eq!(back, outcome("x\ny\n", "exit 2"));
    }

    #[test]
    fn tty_files_type_lines_and_interrupts() {
        let typed = parse_tty("# a comment\necho hi\n\nsleep 9\n^C\nhalf^C\n");
        assert_eq!(typed, ["echo hi\n", "sleep 9\n", "\u{3}", "half\u{3}"]);
    }

    #[test]
    fn usertests_case_names_come_from_its_table() {
        let source =
            "static const struct test tests[] = {\n    {\"fork\", t_fork},\n    {\"pipe_big\", t_pipe_big},\n};\n\
                      printf(\"{\\\"not\\\", a case}\");\n";
        assert_eq!(usertests_cases(source), ["fork", "pipe_big"]);
    }

    #[test]
    fn judging_scripts_and_usertests() {
        let script = Case {
            name: "s".into(),
            argv: vec![],
            merge_stderr: true,
            terminal: None,
            expected: Expected::Exact(outcome("a\nb\n", "exit 0")),
        };
        assert_eq!(judge(&script, &outcome("a\nb", "exit 0")), None);
        assert!(judge(&script, &outcome("a\nc\n", "exit 0")).unwrap().contains("+ c"));
        assert!(judge(&script, &outcome("a\nb\n", "exit 1")).unwrap().contains("status 'exit 1'"));
        let usertests = Case {
            name: "usertests".into(),
            argv: vec![],
            merge_stderr: false,
            terminal: None,
            expected: Expected::AllPass(vec!["one".into(), "two".into()]),
        };
        assert_eq!(judge(&usertests, &outcome("PASS one\nPASS two\n", "exit 0")), None);
        let fail = judge(&usertests, &outcome("PASS one\nFAIL two: broken\n", "exit 1")).unwrap();
        assert!(fail.contains("FAIL two: broken") && fail.contains("status 'exit 1'"), "{fail}");
        assert!(judge(&usertests, &outcome("PASS one\n", "exit 0")).unwrap().contains("one PASS line per case"));
        assert!(judge(&usertests, &outcome("PASS one\nPASS two\n", "exit 139")).is_some());
    }

    #[test]
    fn every_script_has_its_expected_file_and_every_case_a_command() {
        let root = crate::project_root();
        let all = cases(&root).unwrap();
        assert!(all.len() >= 2, "scripts and usertests");
        for case in &all {
            assert!(case.argv[0].starts_with('/'), "{}: argv[0] is a path in the image", case.name);
        }
        let last = all.last().unwrap();
        assert_eq!(last.name, "usertests");
        assert!(matches!(&last.expected, Expected::AllPass(names) if names.len() >= 10));
        // Each script is executable as it stands (`#!/bin/sh`: the emulator's runner
        // executes it by name) and then says what it covers.
        for name in userland::shell_test_names(&root) {
            let text = std::fs::read_to_string(root.join(userland::SHTESTS_DIR).join(format!("{name}.sh"))).unwrap();
            assert!(
                text.starts_with(&format!("#!/bin/sh\n# {name}: ")),
                "user/shtests/{name}.sh must open with #!/bin/sh and # {name}: what it covers"
            );
        }
        for name in terminal_test_names(&root) {
            let text = std::fs::read_to_string(root.join(userland::SHTESTS_DIR).join(format!("{name}.tty"))).unwrap();
            assert!(
                text.starts_with(&format!("# {name}: ")),
                "user/shtests/{name}.tty must open with # {name}: what it covers"
            );
        }
        assert!(selects_any(&root, Some("userland:usertests")));
        assert!(!selects_any(&root, Some("no-such-case")));
        assert!(selects_any(&root, None));
    }
}
