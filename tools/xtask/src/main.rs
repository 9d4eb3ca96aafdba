//! `cargo xtask`: builds, runs, tests, images and measures the Cache Kernel.
//!
//! The guest is C++ built by CMake + Ninja with Debian's m68k cross compiler; this
//! tool drives that build, QEMU and the test harness. See README.md.

#![deny(warnings)]

mod bench;
mod build;
mod cpio;
mod elf;
mod fpu_check;
mod fuzz;
mod guest_tests;
mod harness;
mod heatmap;
mod image;
mod mp3d;
mod parse;
mod profile;
mod qemu;
mod size;
mod test;
mod tools;
mod unix_tests;
mod userland;
mod userland_emulator;
mod userland_tests;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command> [options]

commands:
  setup                 install the Debian packages the build needs (as root), or print the apt-get line
  build                 build the kernel image, guest tests and host tests
  run [options] [-- QEMU-ARGS]
                        boot the kernel with its console on this terminal (Ctrl-A X leaves QEMU)
      --log LEVEL       kernel log level: error, warn, info, debug, trace (default info)
      --memory MIB      guest RAM in MiB (default 128: the PROM table holds a 31 MB root file system)
      --append TEXT     extra kernel command-line options
      --start LIST      what the SRM starts: NAME[:ARG...][,NAME...], e.g. worker:rounds=500,worker:cpu=20
                        (srm.start=LIST; default unix:mem=32, the UNIX emulator's shell; `none`
                        starts nothing)
      --add PATH...     put static m68k Linux programs (m68k-linux-gnu-gcc -static) into /bin of the
                        UNIX emulator's root file system (repeatable)
  test [--guest-only] [--filter TEXT]
                        xtask unit tests, host unit tests (plain and ASan/UBSan), guest tests, the
                        UNIX emulator's test programs against qemu-m68k (unix:NAME, as root);
                        ends with `N passed, M failed`
  fuzz [--calls N] [--seed S] [--seeds K] [--minutes M]
                        hostile kernels against the Cache Kernel (issue 15): N calls a seed (default
                        1,000,000), K seeds from S (or as many as fit in M minutes); fails on a crash,
                        hang, wrong acceptance, broken invariant, lost writeback or a masked stretch
                        of 20,000 instructions or more
  bench                 instruction counts of kernel operations under -icount (target/bench/results.json)
  image                 the PROM image: ELF and raw binary (reset SSP and PC first), and its table
                        of application kernels
  mp3d [--out PATH] [--scale N] [KEY=VALUE...]
                        run MP3D in QEMU (the SRM's `start mp3d KEY=VALUE... dump=1`) and draw the
                        density field of its x-y cross-section as a PNG heat map (target/mp3d.png)
  size                  kernel text/data/bss and lines of code per component (paper §5.1)
  gdb [--test NAME]     boot under QEMU's gdb stub (-s -S) and attach gdb-multiarch
  profile --op N|--vector V [--skip K] [--after BREAKPOINT] [--steps MAX]
                        single-step one call of operation N in the benchmark image under gdb:
                        its instructions per function and per source line
  fmt [--check]         clang-format every C++ source
  oracle [NAME...]      the UNIX emulator's test programs (user/tests) under qemu-m68k, chrooted into
                        the image's root file system (as root): each one's output and exit status
  userland [NAME...]    the userland's cases (user/shtests/NAME.sh, usertests) under qemu-m68k (as
                        root): each one's output and status in the .expected format, and its verdict
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &[String]) -> Result<ExitCode, String> {
    let Some((command, rest)) = args.split_first() else {
        print!("{USAGE}");
        return Ok(ExitCode::FAILURE);
    };
    let root = project_root();
    match command.as_str() {
        "setup" => tools::ensure(&tools::ALL).map(|_| ExitCode::SUCCESS),
        "build" => {
            tools::ensure(&tools::BUILD)?;
            build::guest(&root)?;
            build::host(&root, build::HostFlavor::Plain)?;
            build::merge_compile_commands(&root)?;
            Ok(ExitCode::SUCCESS)
        }
        "run" => qemu::run_interactive(&root, rest),
        "test" => test::run(&root, rest),
        "bench" => bench::run(&root),
        "fuzz" => fuzz::run(&root, rest),
        "image" => image::run(&root),
        "size" => size::run(&root),
        "mp3d" => mp3d::run(&root, rest),
        "gdb" => qemu::run_gdb(&root, rest),
        "profile" => profile::run(&root, rest),
        "fmt" => build::format_sources(&root, rest),
        "oracle" => unix_tests::oracle_command(&root, rest),
        "userland" => userland_tests::command(&root, rest),
        "help" | "-h" | "--help" => {
            print!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        other => Err(format!("unknown command '{other}'\n{USAGE}")),
    }
}

/// The repository root: two levels above this crate's manifest.
fn project_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.ancestors().nth(2).expect("tools/xtask lives two levels below the root").to_path_buf()
}
