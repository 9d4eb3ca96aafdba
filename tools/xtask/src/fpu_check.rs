//! The FPU promise of application kernels (issue 16): a kernel whose image flags carry
//! kAkHandlerNoFpu (common/elf_image.h) is loaded with CK_KERNEL_HANDLER_NO_FPU, so a
//! forward to its handler neither saves nor resets the FPU and the interrupted thread's
//! FPU registers are live while the handler runs. An FPU instruction in such a kernel
//! would change them behind the thread's back, silently. This check disassembles every
//! built application kernel that makes the promise and fails on any FPU instruction in it.

use std::path::Path;
use std::process::Command;

use crate::elf::Elf;

/// common/elf_image.h's kAkHandlerNoFpu.
const HANDLER_NO_FPU: u32 = 0x2;

/// The FPU instructions in an `objdump -d` listing, as "function: line".
pub fn fpu_uses(disassembly: &str) -> Vec<String> {
    let mut function = String::new();
    let mut found = Vec::new();
    for line in disassembly.lines() {
        // "1000d680 <unix_window_use>:" starts a function.
        if let Some(name) = line.strip_suffix(">:").and_then(|l| l.split_once(" <")).map(|(_, n)| n) {
            function = name.to_string();
            continue;
        }
        // "1000d68c:\tf227 e003      \tfmovemx %fp0-%fp1,%sp@-": address, bytes, instruction.
        let mut fields = line.split('\t');
        let (Some(address), Some(_bytes), Some(instruction)) = (fields.next(), fields.next(), fields.next()) else {
            continue;
        };
        if !address.trim_end().ends_with(':') {
            continue;
        }
        // Every 68040 FPU mnemonic starts with `f` (fmove, fadd, fbeq, fsave ...); no
        // integer one does.
        if instruction.starts_with('f') {
            found.push(format!("{function}: {}", line.trim()));
        }
    }
    found
}

/// (kernels checked, failures): each built kernel under `ak_dir` that promises its
/// handler does not use the FPU, disassembled.
pub fn check(ak_dir: &Path) -> (u32, Vec<String>) {
    let mut checked = 0;
    let mut failures = Vec::new();
    let Ok(entries) = std::fs::read_dir(ak_dir) else {
        return (0, vec![format!("{}: cannot list the built kernels", ak_dir.display())]);
    };
    let mut paths: Vec<_> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "elf") && !p.to_string_lossy().ends_with(".stripped.elf"))
        .collect();
    paths.sort();
    for path in paths {
        let name = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let flags = std::fs::read(&path)
            .map_err(|e| e.to_string())
            .and_then(|bytes| Elf::parse(&bytes))
            .map(|elf| elf.symbol("ak_image_flags").unwrap_or(0));
        let flags = match flags {
            Ok(f) => f,
            Err(e) => {
                failures.push(format!("{name}: {e}"));
                continue;
            }
        };
        if flags & HANDLER_NO_FPU == 0 {
            continue;
        }
        checked += 1;
        let output = Command::new("m68k-linux-gnu-objdump").arg("-d").arg(&path).output();
        match output {
            Ok(o) if o.status.success() => {
                for use_ in fpu_uses(&String::from_utf8_lossy(&o.stdout)) {
                    failures.push(format!("{name} promises kAkHandlerNoFpu but uses the FPU: {use_}"));
                }
            }
            Ok(o) => failures.push(format!("{name}: objdump failed: {}", String::from_utf8_lossy(&o.stderr))),
            Err(e) => failures.push(format!("{name}: m68k-linux-gnu-objdump: {e}")),
        }
    }
    (checked, failures)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LISTING: &str = "\
1000d680 <unix_window_use>:
1000d680:\t48e7 c0c0      \tmoveml %d0-%d1/%a0-%a1,%sp@-
1000d68c:\tf227 e003      \tfmovemx %fp0-%fp1,%sp@-

1000d6a0 <unixemu::sys_getpid()>:
1000d6a0:\t2028 0004      \tmovel %a0@(4),%d0
1000d6a4:\tf200 5400      \tfmoved #0r1.5,%fp0
1000d6a8:\t4e75           \trts
";

    #[test]
    fn fpu_instructions_are_found_with_their_function() {
        let found = fpu_uses(LISTING);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].starts_with("unix_window_use: 1000d68c:"), "{found:?}");
        assert!(found[1].starts_with("unixemu::sys_getpid(): 1000d6a4:"), "{found:?}");
        assert!(fpu_uses("1000d6a0 <f>:\n1000d6a8:\t4e75           \trts\n").is_empty());
    }
}
