//! `cargo xtask mp3d [--out PATH] [--scale N] [ARG...]` (issue 19 item 5; paper §3's
//! wind-tunnel simulation): runs MP3D as an application kernel in QEMU (the SRM's
//! `start mp3d ARG... dump=1`), takes the density field it prints at the end
//! (ak-mp3d/report.h) and draws it as a heat map PNG (heatmap.rs): the flow around the
//! object, the bow shock in front of it and the wake behind.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use crate::guest_tests::KERNEL_IMAGE_MIB;
use crate::heatmap::{self, Field};
use crate::{build, qemu, tools};

/// The picture's case unless the command line says otherwise: a tunnel wide and long
/// enough for the shock to stand off the wedge, run long enough for the flow to settle
/// (`warmup`), then averaged over the remaining steps to smooth the noise of a few
/// molecules a cell. In memory (8 MiB granted), on four threads.
const DEFAULTS: &[(&str, &str)] = &[
    ("mem", "16"),
    ("cells", "96x48x2"),
    ("molecules", "36864"),
    ("steps", "200"),
    ("warmup", "100"),
    ("threads", "4"),
    ("report", "50"),
];

const USAGE: &str = "usage: cargo xtask mp3d [--out PATH] [--scale N] [KEY=VALUE...]
  KEY=VALUE: `start mp3d`'s arguments (mem= cells= molecules= steps= warmup= object= ...),
  default mem=16 cells=96x48x2 molecules=36864 steps=200 warmup=100 threads=4 report=50;
  the picture goes to target/mp3d.png unless --out says where, N pixels a cell (default 8)";

/// A run takes minutes at most; this only bounds a hang.
const LIMIT: Duration = Duration::from_secs(1200);

#[derive(Debug, PartialEq)]
pub struct Options {
    pub out: Option<PathBuf>,
    pub scale: usize,
    /// KEY=VALUE in the order given, the defaults first where not overridden.
    pub arguments: Vec<(String, String)>,
}

pub fn parse_options(args: &[String]) -> Result<Options, String> {
    let mut options = Options { out: None, scale: 8, arguments: Vec::new() };
    let mut given: Vec<(String, String)> = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let value = |i: usize| args.get(i + 1).cloned().ok_or_else(|| format!("{} needs a value\n{USAGE}", args[i]));
        match args[i].as_str() {
            "--out" => {
                options.out = Some(PathBuf::from(value(i)?));
                i += 1;
            }
            "--scale" => {
                let text = value(i)?;
                options.scale = text
                    .parse()
                    .ok()
                    .filter(|s| (1..=64).contains(s))
                    .ok_or_else(|| format!("--scale {text}: pixels a cell, from 1 to 64"))?;
                i += 1;
            }
            argument => {
                let (key, value) =
                    argument.split_once('=').ok_or_else(|| format!("'{argument}': expected KEY=VALUE\n{USAGE}"))?;
                let well_formed = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
                if !well_formed(key) || !well_formed(value) {
                    return Err(format!("'{argument}': KEY and VALUE are letters, digits and '_'"));
                }
                if key == "dump" || key == "policy" && value == "compare" {
                    return Err(format!("'{argument}': the picture needs one run with its dump"));
                }
                given.retain(|(k, _)| k != key);
                given.push((key.into(), value.into()));
            }
        }
        i += 1;
    }
    for &(key, value) in DEFAULTS {
        if !given.iter().any(|(k, _)| k == key) {
            options.arguments.push((key.into(), value.into()));
        }
    }
    options.arguments.extend(given);
    Ok(options)
}

/// The kernel command line: the SRM starts one mp3d kernel with the arguments and its
/// dump, and ends the run when it has finished.
pub fn command_line(options: &Options) -> String {
    let arguments: Vec<String> = options.arguments.iter().map(|(k, v)| format!("{k}={v}")).collect();
    format!("srm.exit=idle srm.start=mp3d:{}:dump=1", arguments.join(":"))
}

/// The density field between `mp3d-density-begin NX NY` and `mp3d-density-end`: every
/// cell exactly once, a number or `-` (the object).
pub fn parse_density(console: &str) -> Result<Field, String> {
    let mut lines = console.lines().map(str::trim_end).skip_while(|l| !l.starts_with("mp3d-density-begin "));
    let header = lines.next().ok_or("no density field on the console (mp3d-density-begin)")?;
    let dims: Vec<usize> = header["mp3d-density-begin ".len()..]
        .split(' ')
        .map(|n| n.parse().map_err(|_| format!("bad size in: {header}")))
        .collect::<Result<_, _>>()?;
    let [nx, ny] = dims[..] else { return Err(format!("expected NX NY in: {header}")) };
    if nx == 0 || ny == 0 || nx > 1024 || ny > 1024 {
        return Err(format!("a field of {nx} x {ny} cells: from 1 to 1024 each way"));
    }
    let mut cells: Vec<Option<Option<u32>>> = vec![None; nx * ny];
    for line in lines {
        if line == "mp3d-density-end" {
            if let Some(missing) = cells.iter().position(Option::is_none) {
                return Err(format!("cell ({}, {}) missing from the density field", missing % nx, missing / nx));
            }
            return Ok(Field { nx, ny, cells: cells.into_iter().flatten().collect() });
        }
        let Some(rest) = line.strip_prefix("mp3d-density ") else { continue };
        let mut words = rest.split(' ');
        let mut coordinate = |limit: usize| -> Result<usize, String> {
            words
                .next()
                .and_then(|w| w.parse().ok())
                .filter(|&n| n < limit)
                .ok_or_else(|| format!("bad cell coordinate in: {line}"))
        };
        let (y, x0) = (coordinate(ny)?, coordinate(nx)?);
        let mut x = x0;
        for word in words {
            if x >= nx {
                return Err(format!("more values than cells in: {line}"));
            }
            let value = match word {
                "-" => None,
                n => Some(n.parse().map_err(|_| format!("bad density '{n}' in: {line}"))?),
            };
            if cells[y * nx + x].replace(value).is_some() {
                return Err(format!("cell ({x}, {y}) given twice"));
            }
            x += 1;
        }
        if x == x0 {
            return Err(format!("no values in: {line}"));
        }
    }
    Err("the density field did not end (no mp3d-density-end)".into())
}

pub fn run(root: &Path, args: &[String]) -> Result<ExitCode, String> {
    let options = parse_options(args)?;
    tools::ensure(&[&tools::CROSS_GXX, &tools::CMAKE, &tools::NINJA, &tools::QEMU])?;
    build::guest(root)?;
    // A fresh paging area: a data set larger than its grant is paged to the disk.
    let disk = root.join("target").join("mp3d.disk.img");
    let _ = std::fs::remove_file(&disk);
    qemu::ensure_disk(&disk, qemu::RUN_DISK_BYTES)?;
    let append = command_line(&options);
    eprintln!("xtask: booting the kernel image with {append}");
    let run = qemu::Captured {
        memory_mib: KERNEL_IMAGE_MIB,
        append: &append,
        qemu_args: &[],
        disk: Some(&disk),
        input: "",
        limit: LIMIT,
    };
    let result = qemu::run_captured(&build::kernel_elf(root), &run)?;
    let _ = std::fs::remove_file(&disk);
    for line in result.console.lines().filter(|l| l.starts_with("mp3d#") || l.starts_with("mp3d:")) {
        println!("{line}");
    }
    if result.timed_out || !result.console.contains("SRM: kernel #1 'mp3d' finished (exit code 0)") {
        return Err(format!("the simulation did not finish cleanly\n{}", result.console));
    }
    let field = parse_density(&result.console)?;
    let (width, height, rgb) = heatmap::render(&field, options.scale);
    let out = options.out.unwrap_or_else(|| root.join("target").join("mp3d.png"));
    heatmap::write_png(&out, width, height, &rgb)?;
    println!(
        "{}: {width} x {height} pixels, {} x {} cells; density 0 (dark) to {}.{:02} molecules a cell (light), the object grey",
        out.display(),
        field.nx,
        field.ny,
        field.max() / 100,
        field.max() % 100
    );
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(args: &[&str]) -> Vec<String> {
        args.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn options_override_the_defaults_and_reject_what_the_picture_cannot_use() {
        let options = parse_options(&strings(&["steps=20", "--out", "x.png", "object=plate", "steps=30"])).unwrap();
        assert_eq!(options.out, Some(PathBuf::from("x.png")));
        assert_eq!(options.scale, 8);
        let line = command_line(&options);
        assert!(line.starts_with("srm.exit=idle srm.start=mp3d:mem=16:cells=96x48x2:"), "{line}");
        assert!(line.ends_with(":object=plate:steps=30:dump=1"), "{line}");
        assert!(!line.contains("steps=300") && !line.contains("steps=20"), "{line}");
        assert_eq!(parse_options(&strings(&["--scale", "3"])).unwrap().scale, 3);
        for bad in [
            &["steps"][..],
            &["--scale", "0"],
            &["--scale"],
            &["--out"],
            &["a=b:c"],
            &["a=b,c"],
            &["=1"],
            &["dump=1"],
            &["policy=compare"],
        ] {
            assert!(parse_options(&strings(bad)).is_err(), "{bad:?}");
        }
    }

    const DUMP: &str = "mp3d#1: done\n\
        mp3d-density-begin 3 2\n\
        mp3d-density 0 0 200 - 5\n\
        SRM: a line of its own in between\n\
        mp3d-density 1 0 210\n\
        mp3d-density 1 1 0 330\n\
        mp3d-density-end\n";

    #[test]
    fn parses_the_density_field() {
        let field = parse_density(DUMP).unwrap();
        assert_eq!((field.nx, field.ny), (3, 2));
        assert_eq!(field.cells, vec![Some(200), None, Some(5), Some(210), Some(0), Some(330)]);
        assert_eq!(field.max(), 330);
    }

    #[test]
    fn rejects_a_field_with_a_cell_missing_twice_or_out_of_range() {
        let cases = [
            ("", "no density field"),
            (&DUMP.replace("mp3d-density 1 1 0 330\n", ""), "cell (1, 1) missing"),
            (&DUMP.replace("1 1 0 330", "1 0 0 330"), "given twice"),
            (&DUMP.replace("0 0 200 - 5", "0 0 200 - 5 7"), "more values than cells"),
            (&DUMP.replace("1 1 0 330", "2 1 0 330"), "bad cell coordinate"),
            (&DUMP.replace("330", "3x0"), "bad density"),
            (&DUMP.replace("mp3d-density 1 0 210", "mp3d-density 1 0"), "no values"),
            (&DUMP.replace("mp3d-density-end\n", ""), "did not end"),
            (&DUMP.replace("begin 3 2", "begin 3"), "expected NX NY"),
            (&DUMP.replace("begin 3 2", "begin 0 2"), "from 1 to 1024"),
        ];
        for (console, error) in cases {
            let e = parse_density(console).unwrap_err();
            assert!(e.contains(error), "{e} (wanted {error})");
        }
    }
}
