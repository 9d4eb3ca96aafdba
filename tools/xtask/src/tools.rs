//! Checks for the Debian tools the build needs and installs missing ones (as root).

use std::path::Path;
use std::process::Command;
use std::sync::Once;

/// One required tool: how to detect it and which Debian package brings it.
pub struct Tool {
    pub what: &'static str,
    pub probe: Probe,
    pub package: &'static str,
}

pub enum Probe {
    Program(&'static str),
    File(&'static str),
}

pub const CROSS_GXX: Tool =
    Tool { what: "m68k cross compiler", probe: Probe::Program("m68k-linux-gnu-g++"), package: "g++-m68k-linux-gnu" };
pub const QEMU: Tool =
    Tool { what: "QEMU for m68k", probe: Probe::Program("qemu-system-m68k"), package: "qemu-system-misc" };
pub const CMAKE: Tool = Tool { what: "CMake", probe: Probe::Program("cmake"), package: "cmake" };
pub const NINJA: Tool = Tool { what: "Ninja", probe: Probe::Program("ninja"), package: "ninja-build" };
pub const HOST_GXX: Tool = Tool { what: "host C++ compiler", probe: Probe::Program("g++"), package: "g++" };
pub const GTEST: Tool =
    Tool { what: "GoogleTest", probe: Probe::File("/usr/include/gtest/gtest.h"), package: "libgtest-dev" };
pub const GDB: Tool = Tool { what: "gdb for m68k", probe: Probe::Program("gdb-multiarch"), package: "gdb-multiarch" };
pub const CLANG_FORMAT: Tool =
    Tool { what: "clang-format", probe: Probe::Program("clang-format"), package: "clang-format" };

/// The UNIX emulator's user programs (user/): static glibc programs for Linux/m68k.
pub const CROSS_GCC: Tool =
    Tool { what: "m68k Linux C compiler", probe: Probe::Program("m68k-linux-gnu-gcc"), package: "gcc-m68k-linux-gnu" };
pub const CROSS_LIBC: Tool = Tool {
    what: "glibc for m68k (static)",
    probe: Probe::File("/usr/m68k-linux-gnu/lib/libc.a"),
    package: "libc6-dev-m68k-cross",
};
/// The oracle the UNIX emulator's tests are compared with (Linux semantics on the host).
pub const QEMU_USER: Tool = Tool {
    what: "qemu-m68k user mode (static)",
    probe: Probe::Program("qemu-m68k-static"),
    package: "qemu-user-static",
};

pub const BUILD: [&Tool; 8] = [&CROSS_GXX, &CROSS_GCC, &CROSS_LIBC, &CMAKE, &NINJA, &HOST_GXX, &GTEST, &QEMU];
/// What `cargo xtask test` needs: the build plus the format check and the oracle.
pub const TEST: [&Tool; 10] =
    [&CROSS_GXX, &CROSS_GCC, &CROSS_LIBC, &CMAKE, &NINJA, &HOST_GXX, &GTEST, &QEMU, &CLANG_FORMAT, &QEMU_USER];
pub const ALL: [&Tool; 11] =
    [&CROSS_GXX, &CROSS_GCC, &CROSS_LIBC, &CMAKE, &NINJA, &HOST_GXX, &GTEST, &QEMU, &GDB, &CLANG_FORMAT, &QEMU_USER];

fn present(tool: &Tool) -> bool {
    match tool.probe {
        Probe::Program(name) => find_program(name),
        Probe::File(path) => Path::new(path).exists(),
    }
}

fn find_program(name: &str) -> bool {
    std::env::var_os("PATH")
        .map(|paths| std::env::split_paths(&paths).any(|dir| dir.join(name).is_file()))
        .unwrap_or(false)
}

pub fn running_as_root() -> bool {
    Command::new("id").arg("-u").output().map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0").unwrap_or(false)
}

/// Makes sure every tool in `tools` is installed: installs the missing packages with
/// apt-get when running as root, otherwise says exactly what to run.
pub fn ensure(tools: &[&Tool]) -> Result<(), String> {
    let missing: Vec<&Tool> = tools.iter().copied().filter(|t| !present(t)).collect();
    if missing.is_empty() {
        return Ok(());
    }
    let mut packages: Vec<&str> = missing.iter().map(|t| t.package).collect();
    packages.dedup();
    let names: Vec<&str> = missing.iter().map(|t| t.what).collect();
    let line = format!("apt-get install -y {}", packages.join(" "));
    if !running_as_root() {
        return Err(format!("missing {}; install them with:\n  sudo apt-get update && sudo {line}", names.join(", ")));
    }
    eprintln!("xtask: installing {} ({})", packages.join(" "), names.join(", "));
    apt_update_once()?;
    let status = Command::new("apt-get")
        .args(["install", "-y"])
        .args(&packages)
        .env("DEBIAN_FRONTEND", "noninteractive")
        .status()
        .map_err(|e| format!("cannot run apt-get: {e}"))?;
    if !status.success() {
        return Err(format!("`{line}` failed ({status})"));
    }
    match tools.iter().find(|t| !present(t)) {
        Some(t) => Err(format!("{} still missing after installing {}", t.what, t.package)),
        None => Ok(()),
    }
}

fn apt_update_once() -> Result<(), String> {
    static UPDATE: Once = Once::new();
    let mut result = Ok(());
    UPDATE.call_once(|| {
        let status = Command::new("apt-get").arg("update").env("DEBIAN_FRONTEND", "noninteractive").status();
        result = match status {
            Ok(s) if s.success() => Ok(()),
            Ok(s) => Err(format!("apt-get update failed ({s})")),
            Err(e) => Err(format!("cannot run apt-get: {e}")),
        };
    });
    result
}
