//! Configures and builds the CMake trees: the guest (cross) and the host unit tests.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use crate::{tools, userland};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum HostFlavor {
    Plain,
    Sanitized,
}

pub fn guest_dir(root: &Path) -> PathBuf {
    root.join("target/cmake/guest")
}

pub fn host_dir(root: &Path, flavor: HostFlavor) -> PathBuf {
    match flavor {
        HostFlavor::Plain => root.join("target/cmake/host"),
        HostFlavor::Sanitized => root.join("target/cmake/host-asan"),
    }
}

pub fn kernel_elf(root: &Path) -> PathBuf {
    guest_dir(root).join("cache-kernel.elf")
}

pub fn guest_test_dir(root: &Path) -> PathBuf {
    guest_dir(root).join("guest-tests")
}

/// Runs `command` to completion: whether it succeeded, and stdout then stderr as text.
pub fn output_text(command: &mut Command, what: &str) -> Result<(bool, String), String> {
    let output = command.output().map_err(|e| format!("{what}: cannot start: {e}"))?;
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    Ok((output.status.success(), text))
}

/// Runs `command`, echoing nothing; its output becomes the error when it fails.
pub fn run_quiet(command: &mut Command, what: &str) -> Result<String, String> {
    match output_text(command, what)? {
        (true, text) => Ok(text),
        (false, text) => Err(format!("{what} failed:\n{text}")),
    }
}

/// Whether the tree in `dir` was configured with every `-DNAME=VALUE` of `extra` (a tree
/// configured before an option was added is configured again, keeping what it built).
fn configured_with(dir: &Path, extra: &[String]) -> bool {
    if !dir.join("build.ninja").exists() {
        return false;
    }
    let cache = std::fs::read_to_string(dir.join("CMakeCache.txt")).unwrap_or_default();
    extra.iter().filter_map(|a| a.strip_prefix("-D")).filter_map(|a| a.split_once('=')).all(|(name, value)| {
        cache.lines().any(|l| {
            l.strip_prefix(name)
                .and_then(|rest| rest.strip_prefix(':'))
                .is_some_and(|rest| rest.split_once('=').map(|(_, v)| v) == Some(value))
        })
    })
}

fn configure_and_build(root: &Path, dir: &Path, extra: &[String], what: &str) -> Result<(), String> {
    if !configured_with(dir, extra) {
        let mut configure = Command::new("cmake");
        configure.arg("-S").arg(root).arg("-B").arg(dir).args(["-G", "Ninja"]).args(extra);
        run_quiet(&mut configure, &format!("configuring {what}"))?;
    }
    run_quiet(Command::new("cmake").arg("--build").arg(dir), &format!("building {what}"))?;
    Ok(())
}

pub fn guest(root: &Path) -> Result<(), String> {
    guest_with(root, &[])
}

/// The guest build with `extra` user programs in the UNIX emulator's /bin (`run --add`).
/// The root file system archive is made first; CMake gets its path as CK_ROOTFS.
pub fn guest_with(root: &Path, extra: &[PathBuf]) -> Result<(), String> {
    let rootfs = userland::rootfs(root, extra)?;
    let toolchain = root.join("cmake/m68k-toolchain.cmake");
    configure_and_build(
        root,
        &guest_dir(root),
        &[format!("-DCMAKE_TOOLCHAIN_FILE={}", toolchain.display()), format!("-DCK_ROOTFS={}", rootfs.display())],
        "the guest (m68k)",
    )
}

pub fn host(root: &Path, flavor: HostFlavor) -> Result<(), String> {
    let sanitize = if flavor == HostFlavor::Sanitized { "ON" } else { "OFF" };
    configure_and_build(
        root,
        &host_dir(root, flavor),
        &[format!("-DCK_SANITIZE={sanitize}")],
        &format!("the host tests ({flavor:?})"),
    )
}

/// One compile_commands.json at the root covering guest and host builds, for clangd.
pub fn merge_compile_commands(root: &Path) -> Result<(), String> {
    let mut entries = Vec::new();
    for dir in [guest_dir(root), host_dir(root, HostFlavor::Plain)] {
        if let Ok(text) = std::fs::read_to_string(dir.join("compile_commands.json")) {
            let inner = text.trim().trim_start_matches('[').trim_end_matches(']').trim().to_string();
            if !inner.is_empty() {
                entries.push(inner);
            }
        }
    }
    let merged = format!("[\n{}\n]\n", entries.join(",\n"));
    std::fs::write(root.join("compile_commands.json"), merged)
        .map_err(|e| format!("writing compile_commands.json: {e}"))
}

/// The directories holding the C++/C we own: the kernel, user-mode code, tests, benchmarks.
const CXX_DIRS: &[&str] = &[
    "kernel",
    "common",
    "libak",
    "ak-srm",
    "ak-unix",
    "ak-mp3d",
    "mp3d",
    "ak-fuzz",
    "ak-victim",
    "ak-worker",
    "bench",
    "tests",
];

/// Every C++/C source and header we own (not build output).
pub fn cxx_sources(root: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for top in CXX_DIRS {
        collect(&root.join(top), &mut files, &|p| matches!(ext(p), "cpp" | "h" | "c"));
    }
    files.sort();
    files
}

pub fn ext(path: &Path) -> &str {
    path.extension().and_then(|e| e.to_str()).unwrap_or("")
}

pub fn collect(dir: &Path, out: &mut Vec<PathBuf>, keep: &dyn Fn(&Path) -> bool) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out, keep);
        } else if keep(&path) {
            out.push(path);
        }
    }
}

pub fn format_sources(root: &Path, args: &[String]) -> Result<ExitCode, String> {
    tools::ensure(&[&tools::CLANG_FORMAT])?;
    let check = match args {
        [] => false,
        [flag] if flag == "--check" => true,
        _ => return Err("usage: cargo xtask fmt [--check]".into()),
    };
    let mut command = Command::new("clang-format");
    command.current_dir(root);
    if check {
        command.args(["--dry-run", "--Werror"]);
    } else {
        command.arg("-i");
    }
    command.args(cxx_sources(root));
    let status = command.status().map_err(|e| format!("clang-format: {e}"))?;
    Ok(if status.success() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tree_is_configured_again_when_an_option_is_new_or_changed() {
        let dir = std::env::temp_dir().join(format!("xtask-build-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let args =
            |rootfs: &str| vec!["-DCMAKE_TOOLCHAIN_FILE=/r/tc.cmake".to_string(), format!("-DCK_ROOTFS={rootfs}")];
        assert!(!configured_with(&dir, &args("/r/a.cpio")), "no build.ninja: not configured");
        std::fs::write(dir.join("build.ninja"), "").unwrap();
        std::fs::write(dir.join("CMakeCache.txt"), "CMAKE_TOOLCHAIN_FILE:FILEPATH=/r/tc.cmake\n").unwrap();
        assert!(!configured_with(&dir, &args("/r/a.cpio")), "CK_ROOTFS missing");
        std::fs::write(
            dir.join("CMakeCache.txt"),
            "CMAKE_TOOLCHAIN_FILE:FILEPATH=/r/tc.cmake\nCK_ROOTFS:UNINITIALIZED=/r/a.cpio\n",
        )
        .unwrap();
        assert!(configured_with(&dir, &args("/r/a.cpio")));
        assert!(!configured_with(&dir, &args("/r/b.cpio")), "changed value");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
