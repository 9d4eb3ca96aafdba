//! The UNIX emulator's user programs and root file system (issue 17 items 5, 8, 10).
//!
//! Builds `user/tests/*.c`, `user/sbin/init.c`, `user/bin/hello.c` and the userland of
//! issue 18 item 8 with Debian's `m68k-linux-gnu-gcc -static` (glibc) into target/user/
//! (a program is rebuilt only when one of its sources or headers, or `user/include/`, is
//! newer), assembles the staging tree target/user/rootfs/ (`ak-unix/rootfs/` + /sbin/init
//! + /bin/hello + /tests/NAME + /bin/box and its links + /bin/usertests + /shtests/NAME.sh
//! + the user's own programs under /bin), and writes it as the cpio "newc" archive
//! target/user/rootfs.cpio, only when its bytes change so that the guest build does not
//! relink for nothing.
//!
//! **The multi-call binary.** `user/box/*.c` compile together into one program, /bin/box
//! (a static glibc binary is ~450 KB; one for all utilities instead of fifteen): each
//! utility NAME is `user/box/NAME.c` with `NAME_main`, listed in `user/box/box.h`'s
//! BOX_APPLETS, and /bin/NAME is a symlink to `box` (the emulator's file tree follows
//! symlinks; it has no hard links), which dispatches on basename(argv[0]).

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

/// The multi-call binary's utilities (issue 18 item 8): the stems of user/box/*.c but
/// `box` (the dispatcher), sorted; each is also /bin/NAME, a symlink to /bin/box.
pub fn box_applets(root: &Path) -> Vec<String> {
    c_stems(&root.join(BOX_DIR)).into_iter().filter(|n| n != "box").collect()
}

pub const BOX_DIR: &str = "user/box";
/// The shell's test scripts (user/shtests/NAME.sh, in /shtests of the image).
pub const SHTESTS_DIR: &str = "user/shtests";

/// The shell test scripts' names: the stems of user/shtests/*.sh, sorted.
pub fn shell_test_names(root: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root.join(SHTESTS_DIR))
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| build::ext(p) == "sh")
                .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// One program to build: its sources (compiled together), the headers beside them that
/// it depends on too, where the binary goes in the image and the symlinks to it there.
struct Program {
    sources: Vec<PathBuf>,
    headers: Vec<PathBuf>,
    image_path: String,
    /// Image paths of symlinks to the binary, each in the binary's own directory and
    /// pointing at its file name (`bin/ls` -> `box`).
    links: Vec<String>,
}

impl Program {
    fn single(source: PathBuf, image_path: String) -> Program {
        Program { sources: vec![source], headers: Vec::new(), image_path, links: Vec::new() }
    }

    /// The sources' first file: what names the program in messages.
    fn source(&self) -> &Path {
        &self.sources[0]
    }
}

/// The multi-call binary: every user/box/*.c, /bin/box, a link /bin/NAME per utility.
fn box_program(root: &Path) -> Program {
    let dir = root.join(BOX_DIR);
    let mut sources = Vec::new();
    build::collect(&dir, &mut sources, &|p| build::ext(p) == "c");
    sources.sort();
    // box.c first: it names the program in messages.
    sources.sort_by_key(|p| p.file_name() != Some(std::ffi::OsStr::new("box.c")));
    let mut headers = Vec::new();
    build::collect(&dir, &mut headers, &|p| build::ext(p) == "h");
    headers.sort();
    let links = box_applets(root).into_iter().map(|name| format!("bin/{name}")).collect();
    Program { sources, headers, image_path: "bin/box".into(), links }
}

fn programs(root: &Path) -> Vec<Program> {
    let mut list = vec![
        Program::single(root.join("user/sbin/init.c"), "sbin/init".into()),
        Program::single(root.join("user/bin/hello.c"), "bin/hello".into()),
        Program::single(root.join("user/bin/spin.c"), "bin/spin".into()),
        box_program(root),
        Program::single(root.join("user/usertests/usertests.c"), "bin/usertests".into()),
    ];
    for name in test_names(root) {
        list.push(Program::single(root.join(format!("user/tests/{name}.c")), format!("tests/{name}")));
    }
    for name in bench_names(root) {
        list.push(Program::single(root.join(format!("user/bench/{name}.c")), format!("bench/{name}")));
    }
    for name in stress_names(root) {
        list.push(Program::single(root.join(format!("user/stress/{name}.c")), format!("stress/{name}")));
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
    gcc.args(CFLAGS).arg("-I").arg(root.join("user/include")).args(&program.sources).arg("-o").arg(output);
    build::run_quiet(&mut gcc, &format!("compiling {}", program.source().display())).map(|_| ())
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
        .filter(|(program, out)| {
            // The newest input; None when one is missing (then the compiler will say which).
            let inputs: Option<Vec<SystemTime>> =
                program.sources.iter().chain(&program.headers).map(|p| modified(p)).collect();
            match (modified(out), inputs.and_then(|times| times.into_iter().max())) {
                (Some(built), Some(newest)) => built < newest || headers.is_some_and(|h| built < h),
                _ => true,
            }
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

/// Makes the program's links in the staging tree `stage`: relative symlinks to the
/// binary's file name (its links live in its own directory).
fn stage_links(stage: &Path, program: &Program) -> Result<(), String> {
    let (dir, file) = program.image_path.rsplit_once('/').unwrap_or(("", &program.image_path));
    for link in &program.links {
        let (link_dir, _) = link.rsplit_once('/').unwrap_or(("", link));
        if link_dir != dir {
            return Err(format!("{link}: a link to {} must be in {dir}/", program.image_path));
        }
        let path = stage.join(link);
        std::os::unix::fs::symlink(file, &path).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
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
    for dir in ["bin", "sbin", "tests", "bench", "stress", "shtests"] {
        make_dir(&stage.join(dir))?;
    }
    // /tmp, as every Linux system has it: world-writable, sticky (the scripts write there).
    make_dir(&stage.join("tmp"))?;
    {
        use std::os::unix::fs::PermissionsExt;
        let tmp = stage.join("tmp");
        std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o1777))
            .map_err(|e| format!("{}: {e}", tmp.display()))?;
    }
    for (program, binary) in &built {
        install(binary, &stage.join(&program.image_path), 0o755)?;
        stage_links(&stage, program)?;
    }
    for name in shell_test_names(root) {
        let script = format!("{name}.sh");
        // Executable: `#!/bin/sh` scripts that the emulator's test runner runs by name.
        install(&root.join(SHTESTS_DIR).join(&script), &stage.join("shtests").join(&script), 0o755)?;
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

    #[test]
    fn box_applets_agree_with_the_dispatch_table_and_their_files() {
        let root = crate::project_root();
        let applets = box_applets(&root);
        for wanted in ["sh", "ls", "cat", "echo", "wc", "grep", "ps", "kill", "mkdir", "rm", "mv", "sleep"] {
            assert!(applets.iter().any(|a| a == wanted), "user/box/{wanted}.c is missing");
        }
        // BOX_APPLETS in box.h: one X(NAME) a line, the same names in the same order.
        let header = std::fs::read_to_string(root.join(BOX_DIR).join("box.h")).unwrap();
        let listed: Vec<String> = header
            .lines()
            .filter_map(|l| l.trim().strip_prefix("X("))
            .filter_map(|l| l.split_once(')').map(|(name, _)| name.to_string()))
            .collect();
        assert_eq!(listed, applets, "BOX_APPLETS in user/box/box.h must list exactly user/box/NAME.c, sorted");
        for name in &applets {
            let text = std::fs::read_to_string(root.join(BOX_DIR).join(format!("{name}.c"))).unwrap();
            assert!(
                text.starts_with(&format!("/* {name}")),
                "user/box/{name}.c must open with /* {name} ...: what it does */"
            );
            assert!(
                text.contains(&format!("int {name}_main(int argc, char **argv)")),
                "user/box/{name}.c must define int {name}_main(int argc, char **argv)"
            );
        }
    }

    #[test]
    fn the_box_program_is_built_from_every_file_and_linked_under_each_name() {
        let root = crate::project_root();
        let list = programs(&root);
        let boxed = list.iter().find(|p| p.image_path == "bin/box").expect("bin/box is built");
        assert_eq!(boxed.source().file_name().unwrap(), "box.c", "box.c names the program");
        assert_eq!(boxed.sources.len(), box_applets(&root).len() + 1);
        assert!(boxed.headers.iter().any(|h| h.ends_with("user/box/box.h")));
        assert_eq!(boxed.links.len(), box_applets(&root).len());
        assert!(boxed.links.iter().any(|l| l == "bin/sh"));
        assert!(list.iter().any(|p| p.image_path == "bin/usertests" && p.links.is_empty()));
        // No image path twice (a link and a program, or two programs).
        let mut paths: Vec<&str> = list
            .iter()
            .flat_map(|p| std::iter::once(p.image_path.as_str()).chain(p.links.iter().map(|l| l.as_str())))
            .collect();
        let count = paths.len();
        paths.sort();
        paths.dedup();
        assert_eq!(paths.len(), count, "an image path is used twice");
    }

    #[test]
    fn links_are_relative_symlinks_that_the_archive_keeps() {
        let dir = std::env::temp_dir().join(format!("xtask-userland-links-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("bin")).unwrap();
        std::fs::write(dir.join("bin/box"), b"binary").unwrap();
        let program = Program {
            sources: vec![PathBuf::from("box.c")],
            headers: Vec::new(),
            image_path: "bin/box".into(),
            links: vec!["bin/ls".into(), "bin/sh".into()],
        };
        stage_links(&dir, &program).unwrap();
        assert_eq!(std::fs::read_link(dir.join("bin/ls")).unwrap(), PathBuf::from("box"));
        assert_eq!(std::fs::read(dir.join("bin/sh")).unwrap(), b"binary", "the link resolves");
        let entries = cpio::entries_of_tree(&dir).unwrap();
        let ls = entries.iter().find(|e| e.name == "bin/ls").unwrap();
        assert_eq!(ls.kind, cpio::Kind::Symlink("box".into()));
        assert_eq!(ls.mode() & 0o170000, cpio::S_IFLNK);
        // A link outside the binary's directory is refused (it would point elsewhere).
        let stray = Program { links: vec!["sbin/ls".into()], ..program };
        assert!(stage_links(&dir, &stray).is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
