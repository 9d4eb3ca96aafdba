//! QEMU invocations: the machine, interactive runs, test runs with a time limit, gdb.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use crate::{build, tools};

/// The machine every run uses (DESIGN.md §1). `-action panic=exit-failure` makes the
/// kernel's virt-ctrl panic end QEMU with status 1; halt ends it with 0.
pub fn machine(kernel: &Path, memory_mib: u32, append: &str) -> Command {
    let mut command = Command::new("qemu-system-m68k");
    command
        .args(["-M", "virt", "-cpu", "m68040", "-m"])
        .arg(memory_mib.to_string())
        .args(["-no-reboot", "-action", "panic=exit-failure", "-kernel"])
        .arg(kernel)
        // The machine's entropy source (with QEMU's boot seed): the kernel reads it at boot
        // and the SRM seeds every kernel from it (getrandom, AT_RANDOM).
        .args(["-device", "virtio-rng-device"]);
    if !append.is_empty() {
        command.args(["-append", append]);
    }
    command
}

/// What one non-interactive run produced.
pub struct RunResult {
    pub console: String,
    pub status: Option<ExitStatus>, // None: killed at the time limit
    pub timed_out: bool,
    pub elapsed: Duration,
}

/// A headless run: extra QEMU arguments, console input, time limit.
pub struct Captured<'a> {
    pub memory_mib: u32,
    pub append: &'a str,
    pub qemu_args: &'a [&'a str],
    /// A raw disk image attached as the virtio-blk disk.
    pub disk: Option<&'a Path>,
    /// Typed on the console (QEMU's stdin), then the input stays open and idle.
    pub input: &'a str,
    pub limit: Duration,
}

/// Boots `kernel` headless with the console on pipes and waits at most `limit`.
pub fn run_captured(kernel: &Path, run: &Captured) -> Result<RunResult, String> {
    let mut command = machine(kernel, run.memory_mib, run.append);
    command
        .args(["-display", "none", "-monitor", "none", "-serial", "stdio"])
        .args(run.qemu_args)
        .args(run.disk.map(disk_args).unwrap_or_default())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let start = Instant::now();
    let mut child = command.spawn().map_err(|e| format!("cannot start qemu-system-m68k: {e}"))?;
    // Keep stdin open for the whole run: at end of input QEMU would stop reading it.
    let mut stdin = child.stdin.take();
    if let Some(pipe) = stdin.as_mut() {
        use std::io::Write;
        let _ = pipe.write_all(run.input.as_bytes());
        let _ = pipe.flush();
    }
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    let (status, timed_out) = wait_with_limit(&mut child, run.limit)?;
    drop(stdin);
    let mut console = stdout.join().unwrap_or_default();
    let errors = stderr.join().unwrap_or_default();
    if !errors.is_empty() {
        console.push_str("\n[qemu stderr]\n");
        console.push_str(&errors);
    }
    Ok(RunResult { console: console.replace('\r', ""), status, timed_out, elapsed: start.elapsed() })
}

pub fn drain<R: Read + Send + 'static>(pipe: Option<R>) -> thread::JoinHandle<String> {
    thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(mut p) = pipe {
            let _ = p.read_to_end(&mut bytes);
        }
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

/// How a waited-for program ended, as the oracle suites print it: `exit N`, `signal N`,
/// `timeout` (killed at the limit) or why the wait failed.
pub fn status_text(waited: &Result<(Option<ExitStatus>, bool), String>) -> String {
    use std::os::unix::process::ExitStatusExt;
    match waited {
        Ok((Some(status), _)) => match (status.code(), status.signal()) {
            (Some(code), _) => format!("exit {code}"),
            (None, Some(signal)) => format!("signal {signal}"),
            _ => format!("{status}"),
        },
        Ok((None, _)) => "timeout".into(),
        Err(e) => format!("wait failed: {e}"),
    }
}

pub fn wait_with_limit(child: &mut Child, limit: Duration) -> Result<(Option<ExitStatus>, bool), String> {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            return Ok((Some(status), false));
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Ok((None, true));
        }
        thread::sleep(Duration::from_millis(10));
    }
}

/// Options of `cargo xtask run`.
#[derive(Debug, PartialEq, Eq)]
pub struct RunOptions {
    pub log: Option<String>,
    pub memory_mib: u32,
    pub append: Vec<String>,
    pub qemu_args: Vec<String>,
    /// The user's own programs for the UNIX emulator's /bin (`--add PATH...`).
    pub add: Vec<PathBuf>,
}

pub fn parse_run_options(args: &[String]) -> Result<RunOptions, String> {
    let mut options =
        RunOptions { log: None, memory_mib: 128, append: Vec::new(), qemu_args: Vec::new(), add: Vec::new() };
    let mut i = 0;
    while i < args.len() {
        let value = |i: usize| args.get(i + 1).cloned().ok_or_else(|| format!("{} needs a value", args[i]));
        match args[i].as_str() {
            "--log" => {
                let level = value(i)?;
                if !["error", "warn", "info", "debug", "trace"].contains(&level.as_str()) {
                    return Err(format!("--log {level}: expected error, warn, info, debug or trace"));
                }
                options.log = Some(level);
                i += 1;
            }
            "--memory" => {
                let text = value(i)?;
                options.memory_mib = text
                    .parse()
                    .ok()
                    .filter(|m| (2..=3320).contains(m))
                    .ok_or_else(|| format!("--memory {text}: expected MiB between 2 and 3320"))?;
                i += 1;
            }
            "--append" => {
                options.append.push(value(i)?);
                i += 1;
            }
            "--start" => {
                let list = value(i)?;
                if list.is_empty() || list.contains(' ') {
                    return Err(format!("--start '{list}': expected NAME[:ARG...][,NAME...] without spaces"));
                }
                options.append.push(format!("srm.start={list}"));
                i += 1;
            }
            "--add" => {
                let paths: Vec<PathBuf> =
                    args[i + 1..].iter().take_while(|a| !a.starts_with("--")).map(PathBuf::from).collect();
                if paths.is_empty() {
                    return Err("--add needs at least one PATH (a static m68k program)".into());
                }
                i += paths.len();
                options.add.extend(paths);
            }
            "--" => {
                options.qemu_args = args[i + 1..].to_vec();
                break;
            }
            other => return Err(format!("run: unknown option '{other}'")),
        }
        i += 1;
    }
    // By default the SRM starts the UNIX emulator, whose init starts the shell on the
    // console (issue 18 item 9): `cargo xtask run` lands at a `$ ` prompt.
    if !options.append.iter().any(|a| a.split(' ').any(|w| w.starts_with("srm.start="))) {
        options.append.push(DEFAULT_START.into());
    }
    Ok(options)
}

/// What `cargo xtask run` starts without `--start`: the UNIX emulator with 16 MiB.
pub const DEFAULT_START: &str = "srm.start=unix:mem=32";

impl RunOptions {
    pub fn command_line(&self) -> String {
        let mut parts = Vec::new();
        if let Some(level) = &self.log {
            parts.push(format!("log={level}"));
        }
        parts.extend(self.append.iter().cloned());
        parts.join(" ")
    }
}

/// The QEMU arguments that attach `image` as the machine's virtio-blk disk.
pub fn disk_args(image: &Path) -> Vec<String> {
    vec![
        "-drive".into(),
        format!("file={},if=none,format=raw,id=disk0", image.display()),
        "-device".into(),
        "virtio-blk-device,drive=disk0".into(),
    ]
}

/// Creates a zero-filled raw disk image of `bytes` at `path` unless one is there; one
/// that is smaller is extended (what it holds stays).
pub fn ensure_disk(path: &Path, bytes: u64) -> Result<(), String> {
    if let Ok(meta) = std::fs::metadata(path) {
        if meta.len() < bytes {
            let file =
                std::fs::OpenOptions::new().write(true).open(path).map_err(|e| format!("{}: {e}", path.display()))?;
            file.set_len(bytes).map_err(|e| format!("{}: {e}", path.display()))?;
        }
        return Ok(());
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let file = std::fs::File::create(path).map_err(|e| format!("{}: {e}", path.display()))?;
    file.set_len(bytes).map_err(|e| format!("{}: {e}", path.display()))
}

/// The disk `cargo xtask run` attaches: kept between runs, so what is written stays. The
/// SRM's swap areas (8 x 2 MiB), then its kernels' paging areas (8 x 8 MiB, the disk
/// service of ak-srm/disk_service.h).
pub const RUN_DISK_BYTES: u64 = 80 << 20;

pub fn run_interactive(root: &Path, args: &[String]) -> Result<ExitCode, String> {
    let options = parse_run_options(args)?;
    tools::ensure(&[&tools::CROSS_GXX, &tools::CMAKE, &tools::NINJA, &tools::QEMU])?;
    build::guest_with(root, &options.add)?;
    for program in &options.add {
        let name = program.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        eprintln!("xtask: {} is /bin/{name} in the UNIX emulator's root file system", program.display());
    }
    let kernel = build::kernel_elf(root);
    let disk = root.join("target").join("disk.img");
    ensure_disk(&disk, RUN_DISK_BYTES)?;
    eprintln!("xtask: booting {} ({} MiB); the console is this terminal. Ctrl-A X leaves QEMU, Ctrl-A H lists the other keys.", kernel.display(), options.memory_mib);
    let status = machine(&kernel, options.memory_mib, &options.command_line())
        .arg("-nographic")
        .args(disk_args(&disk))
        .args(&options.qemu_args)
        .status()
        .map_err(|e| format!("cannot start qemu-system-m68k: {e}"))?;
    Ok(if status.success() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

pub fn run_gdb(root: &Path, args: &[String]) -> Result<ExitCode, String> {
    tools::ensure(&[&tools::CROSS_GXX, &tools::CMAKE, &tools::NINJA, &tools::QEMU, &tools::GDB])?;
    build::guest(root)?;
    let elf: PathBuf = match args {
        [] => build::kernel_elf(root),
        [flag, name] if flag == "--test" => build::guest_test_dir(root).join(format!("{name}.elf")),
        _ => return Err("usage: cargo xtask gdb [--test NAME]".into()),
    };
    if !elf.exists() {
        return Err(format!("{} does not exist", elf.display()));
    }
    let log_dir = root.join("target/gdb");
    std::fs::create_dir_all(&log_dir).map_err(|e| e.to_string())?;
    let console = log_dir.join("console.log");
    eprintln!("xtask: QEMU waits for gdb on :1234; the guest console goes to {}", console.display());
    let serial = format!("file:{}", console.display());
    let mut gdb = Command::new("gdb-multiarch");
    gdb.arg(&elf).args(["-ex", "set architecture m68k:68040", "-ex", "target remote localhost:1234"]);
    under_gdb_stub(machine(&elf, 64, "").args(["-serial", &serial]), &mut gdb, 1234)
}

/// A TCP port nothing listens on now, for a gdb stub that scripts reach (two profiles on
/// one machine must not meet at QEMU's default 1234).
pub fn free_port() -> Result<u16, String> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("no free port for the gdb stub: {e}"))
}

/// Runs `gdb` against `qemu` started stopped under its gdb stub on `port` (no display, no
/// monitor, no standard input); QEMU ends with gdb.
pub fn under_gdb_stub(qemu: &mut Command, gdb: &mut Command, port: u16) -> Result<ExitCode, String> {
    let mut qemu = qemu
        .args(["-display", "none", "-monitor", "none", "-S", "-gdb"])
        .arg(format!("tcp:127.0.0.1:{port}"))
        .stdin(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start qemu-system-m68k: {e}"))?;
    let status = gdb.status();
    let _ = qemu.kill();
    let _ = qemu.wait();
    let status = status.map_err(|e| format!("cannot start gdb-multiarch: {e}"))?;
    Ok(if status.success() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(args: &[&str]) -> Vec<String> {
        args.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn run_options_default_and_full() {
        let defaults = parse_run_options(&[]).unwrap();
        assert_eq!(defaults.memory_mib, 128);
        assert_eq!(defaults.command_line(), DEFAULT_START);
        // An explicit start list, by --start or --append, replaces it.
        let workers = parse_run_options(&strings(&["--append", "log=debug srm.start=worker"])).unwrap();
        assert_eq!(workers.command_line(), "log=debug srm.start=worker");

        let full = parse_run_options(&strings(&[
            "--log",
            "debug",
            "--memory",
            "128",
            "--append",
            "ktest.x=1",
            "--start",
            "worker:rounds=5,worker",
            "--",
            "-d",
            "int",
        ]))
        .unwrap();
        assert_eq!(full.memory_mib, 128);
        assert_eq!(full.command_line(), "log=debug ktest.x=1 srm.start=worker:rounds=5,worker");
        assert_eq!(full.qemu_args, strings(&["-d", "int"]));
        assert!(full.add.is_empty());

        let added = parse_run_options(&strings(&["--add", "a", "b/c", "--start", "unix", "--add", "d"])).unwrap();
        assert_eq!(added.add, [PathBuf::from("a"), PathBuf::from("b/c"), PathBuf::from("d")]);
        assert_eq!(added.command_line(), "srm.start=unix");
    }

    #[test]
    fn run_options_reject_bad_values() {
        assert!(parse_run_options(&strings(&["--log", "loud"])).is_err());
        assert!(parse_run_options(&strings(&["--memory", "1"])).is_err());
        assert!(parse_run_options(&strings(&["--memory", "lots"])).is_err());
        assert!(parse_run_options(&strings(&["--memory"])).is_err());
        assert!(parse_run_options(&strings(&["--bogus"])).is_err());
        assert!(parse_run_options(&strings(&["--start", "worker rounds=5"])).is_err());
        assert!(parse_run_options(&strings(&["--start"])).is_err());
        assert!(parse_run_options(&strings(&["--add"])).is_err());
        assert!(parse_run_options(&strings(&["--add", "--log", "info"])).is_err());
    }

    #[test]
    fn a_waited_program_ends_in_one_of_four_words() {
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(status_text(&Ok((Some(ExitStatus::from_raw(3 << 8)), false))), "exit 3");
        assert_eq!(status_text(&Ok((Some(ExitStatus::from_raw(11)), false))), "signal 11");
        assert_eq!(status_text(&Ok((None, true))), "timeout");
        assert_eq!(status_text(&Err("no child".into())), "wait failed: no child");
    }
}
