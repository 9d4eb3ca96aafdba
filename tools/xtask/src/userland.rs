//! The UNIX emulator's user programs and root file system (issue 17 items 5, 8, 10).
//!
//! Builds `user/tests/*.c`, `user/sbin/init.c` and `user/bin/hello.c` with Debian's
//! `m68k-linux-gnu-gcc -static` (glibc) into target/user/ (a program is rebuilt only when
//! its source or `user/include/` is newer), assembles the staging tree target/user/rootfs/
//! (`ak-unix/rootfs/` + /sbin/init + /bin/hello + /tests/NAME + the user's own programs
//! under /bin), and writes it as the cpio "newc" archive target/user/rootfs.cpio, only
//! when its bytes change so that the guest build does not relink for nothing.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::thread;
use std::time::SystemTime;

use crate::{build, cpio, tools};

pub const CFLAGS: &[&str] = &["-static", "-O2", "-Wall", "-Wextra", "-Werror", "-s"];

pub fn user_dir(root: &Path) -> PathBuf {
    root.join("target/user")
}

/// The staging tree the archive is made from (and the oracle's chroot is copied from).
pub fn staging_dir(root: &Path) -> PathBuf {
    user_dir(root).join("rootfs")
}

pub fn archive_path(root: &Path) -> PathBuf {
    user_dir(root).join("rootfs.cpio")
}

/// The test programs' names: the stems of user/tests/*.c, sorted.
pub fn test_names(root: &Path) -> Vec<String> {
    c_stems(&root.join("user/tests"))
}

/// The benchmark programs' names (issue 17 item 9): the stems of user/bench/*.c, sorted.
pub fn bench_names(root: &Path) -> Vec<String> {
    c_stems(&root.join("user/bench"))
}

/// The hostile programs the emulator runs alone (never under the oracle: their random
/// system calls would do real damage to the host): user/stress/*.c, in /stress.
pub fn stress_names(root: &Path) -> Vec<String> {
    c_stems(&root.join("user/stress"))
}

fn c_stems(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| build::ext(p) == "c")
                .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// One program to build: its source and where the binary goes in the image.
struct Program {
    source: PathBuf,
    image_path: String,
}

fn programs(root: &Path) -> Vec<Program> {
    let mut list = vec![
        Program { source: root.join("user/sbin/init.c"), image_path: "sbin/init".into() },
        Program { source: root.join("user/bin/hello.c"), image_path: "bin/hello".into() },
    ];
    for name in test_names(root) {
        list.push(Program { source: root.join(format!("user/tests/{name}.c")), image_path: format!("tests/{name}") });
    }
    for name in bench_names(root) {
        list.push(Program { source: root.join(format!("user/bench/{name}.c")), image_path: format!("bench/{name}") });
    }
    for name in stress_names(root) {
        list.push(Program { source: root.join(format!("user/stress/{name}.c")), image_path: format!("stress/{name}") });
    }
    list
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// The newest modification time among the shared headers (user/include/).
fn headers_time(root: &Path) -> Option<SystemTime> {
    let mut files = Vec::new();
    build::collect(&root.join("user/include"), &mut files, &|p| build::ext(p) == "h");
    files.iter().filter_map(|f| modified(f)).max()
}

/// Where a program's binary is built: target/user/bin/<image path with / as ->.
fn binary_path(root: &Path, program: &Program) -> PathBuf {
    user_dir(root).join("bin").join(program.image_path.replace('/', "-"))
}

fn compile(root: &Path, program: &Program, output: &Path) -> Result<(), String> {
    let mut gcc = Command::new("m68k-linux-gnu-gcc");
    gcc.args(CFLAGS).arg("-I").arg(root.join("user/include")).arg(&program.source).arg("-o").arg(output);
    build::run_quiet(&mut gcc, &format!("compiling {}", program.source.display())).map(|_| ())
}

/// Builds every program that is missing or older than its source or the headers.
fn build_programs(root: &Path) -> Result<Vec<(Program, PathBuf)>, String> {
    let out_dir = user_dir(root).join("bin");
    std::fs::create_dir_all(&out_dir).map_err(|e| format!("{}: {e}", out_dir.display()))?;
    let headers = headers_time(root);
    let all: Vec<(Program, PathBuf)> = programs(root)
        .into_iter()
        .map(|p| {
            let out = binary_path(root, &p);
            (p, out)
        })
        .collect();
    let stale: Vec<&(Program, PathBuf)> = all
        .iter()
        .filter(|(program, out)| match (modified(out), modified(&program.source)) {
            (Some(built), Some(source)) => built < source || headers.is_some_and(|h| built < h),
            _ => true,
        })
        .collect();
    let errors = Mutex::new(Vec::new());
    let next = AtomicUsize::new(0);
    let workers = thread::available_parallelism().map(|n| n.get()).unwrap_or(2).min(stale.len()).max(1);
    thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                while let Some((program, out)) = stale.get(next.fetch_add(1, Ordering::SeqCst)) {
                    // Built under a temporary name: an interrupted build leaves no stale binary.
                    let partial = out.with_extension("partial");
                    let result = compile(root, program, &partial)
                        .and_then(|_| std::fs::rename(&partial, out).map_err(|e| format!("{}: {e}", out.display())));
                    if let Err(e) = result {
                        let _ = std::fs::remove_file(&partial);
                        errors.lock().unwrap().push(e);
                    }
                }
            });
        }
    });
    let errors = errors.into_inner().unwrap();
    if !errors.is_empty() {
        return Err(errors.join("\n"));
    }
    Ok(all)
}

/// Copies the tree `from` into `to` (which must exist): symlinks stay symlinks;
/// directories get mode 0755, files 0755 when any execute bit is set and 0644 otherwise
/// (so the image does not depend on the checkout's umask).
pub fn copy_tree(from: &Path, to: &Path) -> Result<(), String> {
    use std::os::unix::fs::PermissionsExt;
    let listing = std::fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))?;
    for item in listing {
        let item = item.map_err(|e| format!("{}: {e}", from.display()))?;
        let source = item.path();
        let target = to.join(item.file_name());
        let meta = std::fs::symlink_metadata(&source).map_err(|e| format!("{}: {e}", source.display()))?;
        if meta.file_type().is_symlink() {
            let link = std::fs::read_link(&source).map_err(|e| format!("{}: {e}", source.display()))?;
            std::os::unix::fs::symlink(&link, &target).map_err(|e| format!("{}: {e}", target.display()))?;
        } else if meta.is_dir() {
            std::fs::create_dir(&target).map_err(|e| format!("{}: {e}", target.display()))?;
            std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o755))
                .map_err(|e| format!("{}: {e}", target.display()))?;
            copy_tree(&source, &target)?;
        } else {
            let executable = meta.permissions().mode() & 0o111 != 0;
            install(&source, &target, if executable { 0o755 } else { 0o644 })?;
        }
    }
    Ok(())
}

fn install(source: &Path, target: &Path, mode: u32) -> Result<(), String> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::copy(source, target).map_err(|e| format!("copying {} to {}: {e}", source.display(), target.display()))?;
    std::fs::set_permissions(target, std::fs::Permissions::from_mode(mode))
        .map_err(|e| format!("{}: {e}", target.display()))
}

fn make_dir(path: &Path) -> Result<(), String> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::create_dir_all(path).map_err(|e| format!("{}: {e}", path.display()))?;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// A user-supplied program must be a 32-bit big-endian m68k ELF executable.
pub fn check_m68k_executable(path: &Path) -> Result<(), String> {
    let bytes = std::fs::read(path).map_err(|e| format!("--add {}: {e}", path.display()))?;
    let ok = bytes.len() >= 20
        && bytes[..4] == *b"\x7fELF"
        && bytes[4] == 1 // ELFCLASS32
        && bytes[5] == 2 // big-endian
        && u16::from_be_bytes([bytes[16], bytes[17]]) == 2 // ET_EXEC
        && u16::from_be_bytes([bytes[18], bytes[19]]) == 4; // EM_68K
    if ok {
        Ok(())
    } else {
        Err(format!(
            "--add {}: not a static m68k ELF executable (build it with `m68k-linux-gnu-gcc -static`)",
            path.display()
        ))
    }
}

/// Builds the programs, stages the tree and writes the archive (only if it changed).
/// `extra`: the user's own programs, put under /bin by their file names. Returns the
/// archive's absolute path.
pub fn rootfs(root: &Path, extra: &[PathBuf]) -> Result<PathBuf, String> {
    tools::ensure(&[&tools::CROSS_GCC, &tools::CROSS_LIBC])?;
    let built = build_programs(root)?;

    let stage = staging_dir(root);
    if stage.exists() {
        std::fs::remove_dir_all(&stage).map_err(|e| format!("{}: {e}", stage.display()))?;
    }
    make_dir(&stage)?;
    copy_tree(&root.join("ak-unix/rootfs"), &stage)?;
    for dir in ["bin", "sbin", "tests", "bench", "stress"] {
        make_dir(&stage.join(dir))?;
    }
    for (program, binary) in &built {
        install(binary, &stage.join(&program.image_path), 0o755)?;
    }
    for path in extra {
        check_m68k_executable(path)?;
        let name = path.file_name().ok_or_else(|| format!("--add {}: no file name", path.display()))?;
        let target = stage.join("bin").join(name);
        if target.symlink_metadata().is_ok() {
            return Err(format!("--add {}: /bin/{} is already in the image", path.display(), name.to_string_lossy()));
        }
        install(path, &target, 0o755)?;
    }

    let archive = cpio::write(&cpio::entries_of_tree(&stage)?)?;
    let path = archive_path(root);
    if std::fs::read(&path).ok().as_deref() != Some(&archive[..]) {
        std::fs::write(&path, &archive).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    path.canonicalize().map_err(|e| format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn m68k_executables_are_recognised() {
        let dir = std::env::temp_dir().join(format!("xtask-userland-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut elf = vec![0u8; 52];
        elf[..6].copy_from_slice(b"\x7fELF\x01\x02");
        elf[16..20].copy_from_slice(&[0, 2, 0, 4]);
        let good = dir.join("good");
        std::fs::write(&good, &elf).unwrap();
        assert!(check_m68k_executable(&good).is_ok());
        elf[19] = 62; // x86-64
        let bad = dir.join("bad");
        std::fs::write(&bad, &elf).unwrap();
        assert!(check_m68k_executable(&bad).is_err());
        std::fs::write(&bad, "#!/bin/sh\n").unwrap();
        assert!(check_m68k_executable(&bad).is_err());
        assert!(check_m68k_executable(&dir.join("missing")).is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn every_test_program_has_a_comment_first() {
        let root = crate::project_root();
        let names = test_names(&root);
        assert!(names.len() >= 25, "issue 17 asks for at least 25 test programs, found {}", names.len());
        for name in names {
            let text = std::fs::read_to_string(root.join(format!("user/tests/{name}.c"))).unwrap();
            assert!(
                text.starts_with(&format!("/* {name}: ")),
                "user/tests/{name}.c must open with /* {name}: what it tests */"
            );
        }
    }
}
