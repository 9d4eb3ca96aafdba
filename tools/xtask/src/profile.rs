//! `cargo xtask profile`: where the instructions of one Cache Kernel call go. Boots the
//! `cache_kernel_ops` benchmark image under QEMU's gdb stub, lets `gdb-multiarch` run
//! `tools/gdb/profile_call.py`, which single-steps one call of the given operation from
//! `call_entry` back to user mode and counts instructions per function and source line.

use std::path::Path;
use std::process::{Command, ExitCode};

use crate::build;
use crate::qemu;
use crate::tools;

const USAGE: &str = "usage: cargo xtask profile --op N|--vector V [--skip K] [--after BREAKPOINT] [--steps MAX]";

struct Options {
    op: u32,
    vector: u32,
    skip: u32,
    after: String,
    steps: u32,
}

fn parse(args: &[String]) -> Result<Options, String> {
    let mut o = Options { op: u32::MAX, vector: u32::MAX, skip: 0, after: String::new(), steps: 20000 };
    let mut i = 0;
    while i < args.len() {
        let value = args.get(i + 1).ok_or_else(|| format!("{} needs a value\n{USAGE}", args[i]))?;
        let number = || value.parse::<u32>().map_err(|_| format!("{}: not a number: {value}", args[i]));
        match args[i].as_str() {
            "--op" => o.op = number()?,
            "--vector" => o.vector = number()?,
            "--skip" => o.skip = number()?,
            "--steps" => o.steps = number()?,
            "--after" => o.after = value.clone(),
            other => return Err(format!("unknown option {other}\n{USAGE}")),
        }
        i += 2;
    }
    if (o.op == u32::MAX) == (o.vector == u32::MAX) {
        return Err(format!(
            "one of --op (a ck_operation number from common/include/ck/abi.h) or --vector (an exception \
             vector taken in user mode: 33 is trap #1, 2 an access error) is required\n{USAGE}"
        ));
    }
    Ok(o)
}

pub fn run(root: &Path, args: &[String]) -> Result<ExitCode, String> {
    let options = parse(args)?;
    tools::ensure(&[&tools::CROSS_GXX, &tools::CMAKE, &tools::NINJA, &tools::QEMU, &tools::GDB])?;
    build::guest(root)?;
    let elf = build::guest_dir(root).join("bench").join("cache_kernel_ops.elf");
    let mut machine = qemu::machine(&elf, 512, "tick_hz=10");
    machine.args(["-serial", "null", "-icount", "shift=0,sleep=off", "-rtc", "clock=vm"]);
    let mut gdb = Command::new("gdb-multiarch");
    gdb.args(["-q", "-batch", "-x"])
        .arg(root.join("tools/gdb/profile_call.py"))
        .arg(&elf)
        .env("CK_PROFILE_OP", options.op.to_string())
        .env(
            "CK_PROFILE_VECTOR",
            if options.vector == u32::MAX { "-1".to_string() } else { options.vector.to_string() },
        )
        .env("CK_PROFILE_SKIP", options.skip.to_string())
        .env("CK_PROFILE_AFTER", &options.after)
        .env("CK_PROFILE_STEPS", options.steps.to_string());
    let port = qemu::free_port()?;
    gdb.env("CK_PROFILE_PORT", port.to_string());
    qemu::under_gdb_stub(&mut machine, &mut gdb, port)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(args: &[&str]) -> Vec<String> {
        args.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn options_need_an_operation_and_numbers() {
        assert!(parse(&[]).is_err());
        assert!(parse(&strings(&["--op", "x"])).is_err());
        assert!(parse(&strings(&["--op"])).is_err());
        assert!(parse(&strings(&["--op", "1", "--vector", "33"])).is_err());
        assert_eq!(parse(&strings(&["--vector", "33"])).unwrap().vector, 33);
        let o = parse(&strings(&["--op", "8", "--skip", "200", "--after", "call_entry if $d0 == 3"])).unwrap();
        assert_eq!((o.op, o.skip, o.steps, o.after.as_str()), (8, 200, 20000, "call_entry if $d0 == 3"));
    }
}
