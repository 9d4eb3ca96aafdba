//! `cargo xtask bench`: runs the benchmark images (bench/) under `-icount shift=0`, where
//! guest time counts executed instructions, and reports instructions per operation
//! beside the paper's microseconds (§5.2 Table 2, §5.3). Figures also go to
//! target/bench/results.json.

use std::fs;
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use crate::{build, qemu, tools};

/// A benchmark image and which of its figures count.
struct Bench {
    image: &'static str,
    /// Only this figure is kept (None: all of them).
    only: Option<&'static str>,
}

const BENCHES: &[Bench] = &[
    Bench { image: "microbench", only: None },
    Bench { image: "cache_kernel_ops", only: None },
    // The same benchmark with the kernel timing its stretches with interrupts masked
    // (MEASURE_MASKED): that adds instructions to every entry, so its other figures,
    // already reported by cache_kernel_ops, are dropped.
    Bench { image: "cache_kernel_ops_masked", only: Some("masked_stretch_max") },
];

/// Issue 16: a call costs the same however full the caches are. (figure, baseline, most
/// the figure may exceed the baseline by): reported, never failed on.
const SCALING: &[(&str, &str, f64)] =
    &[("mapping_load_64k", "mapping_load_1k", 0.10), ("mapping_unload_64k", "mapping_unload_1k", 0.10)];
const ICOUNT: &[&str] = &["-icount", "shift=0,sleep=off", "-rtc", "clock=vm"];
/// The UNIX emulator's benchmarks (issue 17): the kernel image runs /bench's programs,
/// each printing `bench NAME INSTRUCTIONS`.
const UNIX_APPEND: &str = "tick_hz=10 srm.exit=idle srm.start=unix:mem=8:test=/bench";
/// A slow tick keeps timer interrupts out of the measured loops.
const APPEND: &str = "tick_hz=10";
const LIMIT: Duration = Duration::from_secs(120);

/// What the paper reports for the operation a figure measures (Table 2, §5.3), if anything.
fn paper_figure(name: &str) -> &'static str {
    match name {
        "trap_round_trip" => "37 us (trap to the UNIX emulator and back)",
        "page_fault_round_trip" => "99 us (fault to the application kernel, optimized mapping load)",
        "fault_to_handler" => "32 us (page fault: transfer to the application kernel)",
        "mapping_load_resume" => "67 us (optimized mapping load)",
        "mapping_load" => "45 us",
        "mapping_load_writeback" => "145 us",
        "mapping_unload" => "160 us",
        "thread_load" => "113 us",
        "thread_load_writeback" => "489 us",
        "thread_unload" => "206 us",
        "space_load" => "101 us",
        "space_load_writeback" => "229 us",
        "space_unload" => "152 us",
        "kernel_load" => "244 us",
        "kernel_load_writeback" => "291 us",
        "kernel_unload" => "80 us",
        "thread_reschedule" => "230 us (thread reload, §2.3)",
        "signal_delivery" => "71 us (signal, §5.3)",
        "unix_getpid" => "Linux 6.1: 69",
        "unix_get_thread_area" => "Linux 6.1: 33",
        "unix_first_touch_fault" => "Linux 6.1: 2,135",
        "unix_exec_exit" => "Linux 6.1: 103,859 (fork + execve + wait4)",
        "unix_fork_exit_wait" => "Linux 6.1: 65,781",
        "unix_signal_self" => "Linux 6.1: 2,560",
        "unix_vfork_exit_wait" => "Linux 6.1: 19,274",
        "unix_fork_exec_wait" => "Linux 6.1: 103,859",
        "unix_pipe_round_trip" => "Linux 6.1: 4,641",
        "unix_yield_switch" => "Linux 6.1: 352",
        _ => "-",
    }
}

/// The targets (issue 16: a quarter of the paper's cost), in instructions, for the figures
/// that have one.
fn target(name: &str) -> Option<u64> {
    match name {
        "null_call" => Some(40),
        "trap_round_trip" => Some(200),
        "page_fault_round_trip" => Some(450),
        "mapping_load" => Some(150),
        "mapping_load_writeback" => Some(400),
        "thread_load" => Some(300),
        "space_load" => Some(250),
        "kernel_load" => Some(600),
        "signal_delivery" => Some(300),
        "switch_two_spaces" => Some(500),
        // Issue 17: two protection crossings and two space switches against Linux's one.
        "unix_getpid" => Some(250),
        "unix_get_thread_area" => Some(120),
        "unix_first_touch_fault" => Some(2135),
        // Issue 18: at or below Linux's figure.
        "unix_fork_exit_wait" => Some(65781),
        "unix_signal_self" => Some(2560),
        "unix_vfork_exit_wait" => Some(19274),
        "unix_fork_exec_wait" => Some(103859),
        "unix_pipe_round_trip" => Some(4641),
        "unix_yield_switch" => Some(352),
        _ => None,
    }
}

/// One `KBENCH <name> <instructions> <what>` line.
#[derive(Debug, PartialEq)]
pub struct Figure {
    pub name: String,
    pub instructions: u64,
    pub what: String,
}

pub fn parse_figures(console: &str) -> Result<Vec<Figure>, String> {
    let mut figures = Vec::new();
    let mut ended = false;
    for line in console.lines() {
        let Some(rest) = line.trim_end().strip_prefix("KBENCH ") else { continue };
        if rest.starts_with("BEGIN") {
            continue;
        }
        if rest == "END" {
            ended = true;
            continue;
        }
        let mut parts = rest.splitn(3, ' ');
        let (Some(name), Some(count)) = (parts.next(), parts.next()) else {
            return Err(format!("malformed benchmark line: {line}"));
        };
        let instructions = count.parse().map_err(|_| format!("bad instruction count in: {line}"))?;
        figures.push(Figure { name: name.into(), instructions, what: parts.next().unwrap_or("").into() });
    }
    if !ended {
        return Err("the benchmark image did not finish (no KBENCH END)".into());
    }
    Ok(figures)
}

fn json_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

pub fn to_json(figures: &[Figure]) -> String {
    let rows: Vec<String> = figures
        .iter()
        .map(|f| {
            format!(
                "  {{\"name\": {}, \"instructions\": {}, \"target\": {}, \"what\": {}, \"paper\": {}}}",
                json_string(&f.name),
                f.instructions,
                target(&f.name).map_or("null".to_string(), |t| t.to_string()),
                json_string(&f.what),
                json_string(paper_figure(&f.name))
            )
        })
        .collect();
    format!("[\n{}\n]\n", rows.join(",\n"))
}

/// The figures of `bench` that count.
fn kept(bench: &Bench, figures: Vec<Figure>) -> Vec<Figure> {
    figures.into_iter().filter(|f| bench.only.map_or(true, |only| f.name == only)).collect()
}

/// One line per SCALING pair that both figures give: their ratio against the limit.
pub fn scaling_report(figures: &[Figure]) -> Vec<String> {
    let count = |name: &str| figures.iter().find(|f| f.name == name).map(|f| f.instructions);
    SCALING
        .iter()
        .filter_map(|&(big, small, limit)| {
            let (b, s) = (count(big)?, count(small)?);
            let ratio = b as f64 / s.max(1) as f64;
            let verdict = if ratio <= 1.0 + limit { "within" } else { "OVER" };
            Some(format!("{big} / {small} = {b} / {s} = {ratio:.3} ({verdict} issue 16's {:.0}%)", limit * 100.0))
        })
        .collect()
}

/// What each UNIX benchmark program measures.
fn unix_what(name: &str) -> &'static str {
    match name {
        "unix_getpid" => "getpid: trap forwarded to the UNIX emulator and back",
        "unix_get_thread_area" => "a thread-local variable's read (get_thread_area)",
        "unix_first_touch_fault" => "first write to a fresh anonymous page (zero-filled)",
        "unix_exec_exit" => "execve of a static program to its next execve",
        "unix_fork_exit_wait" => "fork + _exit + wait4 (copy-on-write)",
        "unix_file_write" => "pwrite of 4 KiB over a page a tmpfs file holds",
        "unix_create_unlink" => "open(O_CREAT|O_EXCL) + close + unlink of a tmpfs file",
        "unix_signal_self" => "kill of itself + the handler + sigreturn",
        "unix_vfork_exit_wait" => "vfork + _exit + wait4",
        "unix_fork_exec_wait" => "fork + execve of a tiny static program + exit + wait4",
        "unix_pipe_round_trip" => "1 byte to a child through a pipe and back through another",
        "unix_yield_switch" => "sched_yield between two processes: one switch",
        "unix_cow_fault" => "first write to a page shared copy-on-write after fork",
        _ => "",
    }
}

/// The `bench NAME N` lines of the UNIX emulator's run: one figure each; every program
/// in /bench must have ended with exit 0.
pub fn parse_unix_figures(console: &str) -> Result<Vec<Figure>, String> {
    let mut figures = Vec::new();
    for line in console.lines() {
        let line = line.trim_end();
        if let Some(rest) = line.strip_prefix("unix.test: end ") {
            if !rest.ends_with(" exit 0") {
                return Err(format!("a benchmark program failed: {line}"));
            }
        }
        let Some(rest) = line.strip_prefix("bench ") else { continue };
        let mut parts = rest.split(' ');
        let (Some(name), Some(count), None) = (parts.next(), parts.next(), parts.next()) else {
            return Err(format!("malformed benchmark line: {line}"));
        };
        let instructions = count.parse().map_err(|_| format!("bad instruction count in: {line}"))?;
        figures.push(Figure { name: name.into(), instructions, what: unix_what(name).into() });
    }
    if !console.contains("unix: the tests have run") {
        return Err("the UNIX emulator did not finish its benchmark programs".into());
    }
    Ok(figures)
}

fn measure_unix(root: &Path) -> Result<Vec<Figure>, String> {
    let run =
        qemu::Captured { memory_mib: 128, append: UNIX_APPEND, qemu_args: ICOUNT, disk: None, input: "", limit: LIMIT };
    let result = qemu::run_captured(&build::kernel_elf(root), &run)?;
    parse_unix_figures(&result.console).map_err(|e| format!("unix: {e}\n{}", result.console))
}

/// MP3D (issue 19) in memory: one kernel, one thread, the instructions its threads run per
/// molecule per step (`mp3d_step`). The kernel's processor time is charged at ticks, so
/// these runs tick at 1 kHz (at 10 Hz a 20-step run read a sixth of its time).
const MP3D_STEP_APPEND: &str = "tick_hz=1000 srm.exit=idle srm.start=mp3d:mem=4:steps=20";
/// The paging comparison: `mp3d_paging`'s case (a data set 4x its memory) under the mp3d
/// policy, FIFO and clock.
const MP3D_PAGING_APPEND: &str =
    "tick_hz=1000 srm.exit=idle srm.start=mp3d:policy=compare:molecules=23000:capacity=34816:steps=3";

/// One `mp3d#K: policy P: checksum C; per step page-ins I, page-outs O, run R ns (M a
/// molecule), ...; soft faults S, zero-filled Z` line of ak-mp3d.
#[derive(Debug, PartialEq)]
pub struct PolicyRun {
    pub policy: String,
    pub checksum: String,
    /// Per step, as printed ("172.66").
    pub page_ins: String,
    pub page_outs: String,
    /// Instructions (ns under -icount) of the kernel's threads per molecule per step.
    pub per_molecule: u64,
    /// Guest time per step (ns: instructions of every kernel, and the disk's waits).
    pub elapsed: u64,
    pub soft_faults: u64,
}

fn between<'a>(line: &'a str, before: &str, after: &str) -> Option<&'a str> {
    let start = line.find(before)? + before.len();
    let end = start + line[start..].find(after)?;
    Some(&line[start..end])
}

pub fn parse_policy_runs(console: &str) -> Result<Vec<PolicyRun>, String> {
    let mut runs = Vec::new();
    for line in console.lines().map(str::trim_end) {
        let Some(rest) = line.strip_prefix("mp3d#1: policy ") else { continue };
        let bad = || format!("malformed MP3D run line: {line}");
        let number = |before: &str, after: &str| -> Result<u64, String> {
            between(rest, before, after).and_then(|n| n.parse().ok()).ok_or_else(bad)
        };
        let figure = |before: &str, after: &str| -> Result<String, String> {
            between(rest, before, after)
                .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit() || c == '.'))
                .map(String::from)
                .ok_or_else(bad)
        };
        runs.push(PolicyRun {
            policy: rest.split(':').next().unwrap_or("").into(),
            checksum: between(rest, "checksum ", ";").ok_or_else(bad)?.into(),
            page_ins: figure("page-ins ", ",")?,
            page_outs: figure("page-outs ", ",")?,
            per_molecule: number(" ns (", " a molecule)")?,
            elapsed: number("elapsed ", " ns")?,
            soft_faults: number("soft faults ", ",")?,
        });
    }
    if !console.contains("SRM: kernel #1 'mp3d' finished (exit code 0)") {
        return Err("the MP3D kernel did not finish cleanly".into());
    }
    if runs.is_empty() {
        return Err("no MP3D run line".into());
    }
    Ok(runs)
}

fn run_mp3d(root: &Path, append: &str) -> Result<Vec<PolicyRun>, String> {
    let disk = root.join("target/bench/mp3d.disk.img");
    let _ = fs::remove_file(&disk);
    qemu::ensure_disk(&disk, qemu::RUN_DISK_BYTES)?;
    let run = qemu::Captured { memory_mib: 128, append, qemu_args: ICOUNT, disk: Some(&disk), input: "", limit: LIMIT };
    let result = qemu::run_captured(&build::kernel_elf(root), &run);
    let _ = fs::remove_file(&disk);
    let result = result?;
    parse_policy_runs(&result.console).map_err(|e| format!("mp3d: {e}\n{}", result.console))
}

/// `mp3d_step`, and the paging comparison's rows.
fn measure_mp3d(root: &Path) -> Result<(Figure, Vec<PolicyRun>), String> {
    let in_memory = run_mp3d(root, MP3D_STEP_APPEND)?;
    let step = Figure {
        name: "mp3d_step".into(),
        instructions: in_memory[0].per_molecule,
        what: "MP3D: one molecule's step in memory (move, boundaries, collision, cell sums)".into(),
    };
    Ok((step, run_mp3d(root, MP3D_PAGING_APPEND)?))
}

/// Runs one (already built) benchmark image and returns its figures.
fn measure(root: &Path, bench: &Bench) -> Result<Vec<Figure>, String> {
    let name = bench.image;
    let elf = build::guest_dir(root).join("bench").join(format!("{name}.elf"));
    let run =
        qemu::Captured { memory_mib: 512, append: APPEND, qemu_args: ICOUNT, disk: None, input: "", limit: LIMIT };
    let result = qemu::run_captured(&elf, &run)?;
    let figures = parse_figures(&result.console).map_err(|e| format!("{name}: {e}\n{}", result.console))?;
    if result.status.map(|s| s.success()) != Some(true) {
        return Err(format!("{name}: QEMU did not exit cleanly\n{}", result.console));
    }
    Ok(kept(bench, figures))
}

/// For `cargo xtask test`: every benchmark image runs to its end and reports a non-zero
/// count for each figure. Returns (passed, failed), one per image.
pub fn smoke(root: &Path) -> (u32, u32) {
    let (mut passed, mut failed) = (0, 0);
    match measure_unix(root) {
        Ok(figures) if figures.len() >= 4 && figures.iter().all(|f| f.instructions > 0) => {
            println!("PASS bench unix ({} figures)", figures.len());
            passed += 1;
        }
        Ok(_) => {
            println!("FAIL bench unix: fewer than 4 figures, or a zero count");
            failed += 1;
        }
        Err(e) => {
            println!("FAIL bench {e}");
            failed += 1;
        }
    }
    for bench in BENCHES {
        match measure(root, bench) {
            Ok(figures) if !figures.is_empty() && figures.iter().all(|f| f.instructions > 0) => {
                println!("PASS bench {} ({} figures)", bench.image, figures.len());
                passed += 1;
            }
            Ok(_) => {
                println!("FAIL bench {}: no figures, or a zero count", bench.image);
                failed += 1;
            }
            Err(e) => {
                println!("FAIL bench {e}");
                failed += 1;
            }
        }
    }
    (passed, failed)
}

pub fn run(root: &Path) -> Result<ExitCode, String> {
    tools::ensure(&tools::BUILD)?;
    build::guest(root)?;
    let mut all = Vec::new();
    for bench in BENCHES {
        all.extend(measure(root, bench)?);
    }
    all.extend(measure_unix(root)?);
    let (mp3d_step, paging) = measure_mp3d(root)?;
    all.push(mp3d_step);
    println!("{:<28} {:>12} {:>8}  {:<64} paper", "operation", "instructions", "target", "what");
    for f in &all {
        let goal = target(&f.name)
            .map_or("-".to_string(), |t| format!("{}{t}", if f.instructions <= t { "<=" } else { "MISS " }));
        println!("{:<28} {:>12} {:>8}  {:<64} {}", f.name, f.instructions, goal, f.what, paper_figure(&f.name));
    }
    println!("\nMP3D paging (a data set 4x its memory, 3 steps; per step):");
    println!(
        "{:<8} {:>10} {:>10} {:>12} {:>12} {:>14}  checksum",
        "policy", "page-ins", "page-outs", "soft faults", "per molecule", "elapsed (ns)"
    );
    for r in &paging {
        println!(
            "{:<8} {:>10} {:>10} {:>12} {:>12} {:>14}  {}",
            r.policy, r.page_ins, r.page_outs, r.soft_faults, r.per_molecule, r.elapsed, r.checksum
        );
    }
    println!();
    for line in scaling_report(&all) {
        println!("scaling: {line}");
    }
    let dir = root.join("target/bench");
    fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let path = dir.join("results.json");
    fs::write(&path, to_json(&all)).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    println!("\nwritten to {}", path.display());
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_unix_benchmarks_and_requires_clean_ends() {
        let ok =
            "unix.test: begin /bench/unix_getpid\nbench unix_getpid 881\nunix.test: end /bench/unix_getpid exit 0\n\
                  unix: the tests have run; the emulator ends\n";
        let figures = parse_unix_figures(ok).unwrap();
        assert_eq!(figures.len(), 1);
        assert_eq!(figures[0].instructions, 881);
        assert_eq!(target("unix_getpid"), Some(250));
        assert!(parse_unix_figures(&ok.replace("exit 0", "signal 11")).is_err());
        assert!(parse_unix_figures("bench unix_getpid 881\n").is_err(), "no end line");
        assert!(parse_unix_figures(&ok.replace("881", "x")).is_err());
    }

    #[test]
    fn parses_the_mp3d_runs_and_requires_a_clean_end() {
        let console = "mp3d#1: 32x16x4 cells\n\
            mp3d#1: policy mp3d: checksum 0x03697b98; per step page-ins 172.66, page-outs 173.00, run 26800000 ns (1165 a molecule), elapsed 30000000 ns; soft faults 0, zero-filled 12\n\
            mp3d#1: policy clock: checksum 0x03697b98; per step page-ins 193.66, page-outs 194.00, run 1 ns (1400 a molecule), elapsed 2 ns; soft faults 10660, zero-filled 3\n\
            SRM: kernel #1 'mp3d' finished (exit code 0)\n";
        let runs = parse_policy_runs(console).unwrap();
        assert_eq!(runs.len(), 2);
        assert_eq!(
            runs[0],
            PolicyRun {
                policy: "mp3d".into(),
                checksum: "0x03697b98".into(),
                page_ins: "172.66".into(),
                page_outs: "173.00".into(),
                per_molecule: 1165,
                elapsed: 30000000,
                soft_faults: 0
            }
        );
        assert_eq!((runs[1].policy.as_str(), runs[1].soft_faults), ("clock", 10660));
        assert!(parse_policy_runs(&console.replace("exit code 0", "exit code 1")).is_err());
        assert!(parse_policy_runs(&console.replace("(1165 a molecule)", "(x a molecule)")).is_err());
        assert!(parse_policy_runs(&console.replace("page-ins 172.66", "page-ins ?")).is_err());
        assert!(parse_policy_runs("SRM: kernel #1 'mp3d' finished (exit code 0)\n").is_err(), "no runs");
    }

    #[test]
    fn parses_figures_and_requires_the_end() {
        let console = "boot...\nKBENCH BEGIN microbench\nKBENCH trap_round_trip 234 TRAP and back\nKBENCH map_page 119 map\nKBENCH END\n";
        let figures = parse_figures(console).unwrap();
        assert_eq!(figures.len(), 2);
        assert_eq!(
            figures[0],
            Figure { name: "trap_round_trip".into(), instructions: 234, what: "TRAP and back".into() }
        );
        assert!(parse_figures("KBENCH BEGIN x\nKBENCH a 1 b\n").is_err());
        assert!(parse_figures("KBENCH a lots b\nKBENCH END\n").is_err());
    }

    fn figure(name: &str, instructions: u64) -> Figure {
        Figure { name: name.into(), instructions, what: String::new() }
    }

    #[test]
    fn the_masked_image_keeps_only_its_stretch() {
        let masked = BENCHES.iter().find(|b| b.image == "cache_kernel_ops_masked").unwrap();
        let figures = kept(masked, vec![figure("null_call", 150), figure("masked_stretch_max", 9000)]);
        assert_eq!(figures, vec![figure("masked_stretch_max", 9000)]);
        let timed = BENCHES.iter().find(|b| b.image == "cache_kernel_ops").unwrap();
        assert_eq!(kept(timed, vec![figure("null_call", 150)]).len(), 1);
    }

    #[test]
    fn scaling_ratios_against_the_limit() {
        let figures = [
            figure("mapping_load_1k", 700),
            figure("mapping_load_64k", 777),
            figure("mapping_unload_1k", 900),
            figure("mapping_unload_64k", 980),
        ];
        let lines = scaling_report(&figures);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0], "mapping_load_64k / mapping_load_1k = 777 / 700 = 1.110 (OVER issue 16's 10%)");
        assert!(lines[1].contains("= 1.089 (within"), "{}", lines[1]);
        // A pair that is not measured is left out.
        assert!(scaling_report(&figures[..2]).len() == 1);
    }

    #[test]
    fn json_escapes_and_lists_paper_figures() {
        let json =
            to_json(&[Figure { name: "mapping_load".into(), instructions: 119, what: "a \"quoted\" thing".into() }]);
        assert!(json.contains("\"instructions\": 119"));
        assert!(json.contains("a \\\"quoted\\\" thing"));
        assert!(json.contains("45 us"));
        assert!(json.contains("\"target\": 150"));
        let unknown = to_json(&[Figure { name: "core_yield_switch".into(), instructions: 1, what: String::new() }]);
        assert!(unknown.contains("\"target\": null"));
    }
}
