//! `cargo xtask size`: the paper's §5.1 measures for this implementation: binary size
//! of the kernel and lines of code per component.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::build;
use crate::elf::Elf;
use crate::tools;

pub fn run(root: &Path) -> Result<ExitCode, String> {
    tools::ensure(&[&tools::CROSS_GXX, &tools::CMAKE, &tools::NINJA])?;
    build::guest(root)?;
    let elf = Elf::parse(&std::fs::read(build::kernel_elf(root)).map_err(|e| e.to_string())?)?;
    let (text, data, bss) = elf.text_data_bss();
    println!("Cache Kernel image (target/cmake/guest/cache-kernel.elf)");
    println!(
        "  text {text}  data {data}  bss {bss}  (code+data {} KiB; paper: 139 KiB, §5.1)",
        (text + data).div_ceil(1024)
    );
    println!("\nLines of code (non-blank, non-comment)");
    let mut total = 0;
    for (label, dirs, exclude) in components() {
        let lines: usize = dirs
            .iter()
            .map(|d| count_tree(&root.join(d), &exclude.iter().map(|e| root.join(e)).collect::<Vec<_>>()))
            .sum();
        println!("  {label:<32} {lines:>6}");
        if !label.starts_with("tests") && !label.starts_with("tools") {
            total += lines;
        }
    }
    println!(
        "  {:<32} {total:>6}  (paper: 14,958 lines, of which ~6,000 PROM monitor and network boot)",
        "guest total"
    );
    Ok(ExitCode::SUCCESS)
}

fn components() -> Vec<(&'static str, Vec<&'static str>, Vec<&'static str>)> {
    vec![
        ("kernel, portable", vec!["kernel"], vec!["kernel/arch"]),
        ("kernel, arch (68040, virt)", vec!["kernel/arch"], vec![]),
        ("common (shared with user mode)", vec!["common"], vec![]),
        ("libak", vec!["libak"], vec![]),
        ("ak-srm", vec!["ak-srm"], vec![]),
        ("ak-unix", vec!["ak-unix"], vec![]),
        ("ak-mp3d", vec!["ak-mp3d"], vec![]),
        ("mp3d (the simulation, host and guest)", vec!["mp3d"], vec![]),
        ("tests (host and guest)", vec!["tests"], vec![]),
        ("tools (xtask, Rust)", vec!["tools"], vec![]),
    ]
}

fn count_tree(dir: &Path, exclude: &[PathBuf]) -> usize {
    let mut files = Vec::new();
    build::collect(dir, &mut files, &|p| matches!(build::ext(p), "cpp" | "h" | "c" | "S" | "rs" | "ld"));
    files
        .iter()
        .filter(|f| !exclude.iter().any(|e| f.starts_with(e)))
        .map(|f| std::fs::read_to_string(f).map(|t| count_code_lines(&t)).unwrap_or(0))
        .sum()
}

/// Lines that hold code: not blank, not only a comment (// line, /* block */ lines).
pub fn count_code_lines(text: &str) -> usize {
    let mut in_block = false;
    let mut count = 0;
    for line in text.lines() {
        let mut rest = line.trim();
        let mut code = false;
        while !rest.is_empty() {
            if in_block {
                match rest.find("*/") {
                    Some(end) => {
                        in_block = false;
                        rest = rest[end + 2..].trim();
                    }
                    None => rest = "",
                }
            } else if rest.starts_with("//") {
                rest = "";
            } else if let Some(after) = rest.strip_prefix("/*") {
                in_block = true;
                rest = after;
            } else {
                code = true;
                break;
            }
        }
        count += code as usize;
    }
    count
}

#[cfg(test)]
mod tests {
    use super::count_code_lines;

    #[test]
    fn counts_only_code() {
        let text = "// header\n\nint x;  // trailing\n/* block\n   still */\nint y; /* c */\n/* a */ int z;\n   \n";
        assert_eq!(count_code_lines(text), 3);
    }
}
