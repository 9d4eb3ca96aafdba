//! `cargo xtask image`: the PROM image (paper §4: the Cache Kernel lives in PROM).
//! Writes target/image/cache-kernel-prom.elf and a raw binary whose first two longwords
//! are the reset SSP and PC, then checks and prints its layout.

use std::path::Path;
use std::process::{Command, ExitCode};

use crate::build::{self, run_quiet};
use crate::elf::{Elf, EM_68K};
use crate::tools;

pub fn run(root: &Path) -> Result<ExitCode, String> {
    tools::ensure(&[&tools::CROSS_GXX, &tools::CMAKE, &tools::NINJA])?;
    build::guest(root)?;
    let out_dir = root.join("target/image");
    std::fs::create_dir_all(&out_dir).map_err(|e| e.to_string())?;
    let elf_path = out_dir.join("cache-kernel-prom.elf");
    let bin_path = out_dir.join("cache-kernel-prom.bin");
    std::fs::copy(build::kernel_elf(root), &elf_path).map_err(|e| format!("copying the kernel ELF: {e}"))?;
    run_quiet(Command::new("m68k-linux-gnu-objcopy").args(["-O", "binary"]).arg(&elf_path).arg(&bin_path), "objcopy")?;

    let elf_bytes = std::fs::read(&elf_path).map_err(|e| e.to_string())?;
    let elf = Elf::parse(&elf_bytes)?;
    let bin = std::fs::read(&bin_path).map_err(|e| e.to_string())?;
    let check = check_reset_vector(&elf, &bin)?;

    println!("PROM image");
    println!("  {}  ({} bytes, ELF for QEMU: -kernel)", elf_path.display(), elf_bytes.len());
    println!("  {}  ({} bytes, raw, load at physical 0)", bin_path.display(), bin.len());
    println!("  reset SSP {:#010x} (__boot_stack_top), reset PC {:#010x} (_start)", check.0, check.1);
    println!("\n  {:<10} {:>10} {:>10}  {}", "section", "address", "size", "kind");
    for s in elf.sections.iter().filter(|s| s.allocated()) {
        let kind = if s.kind == crate::elf::SHT_NOBITS {
            "zeroed at boot, not in the raw binary"
        } else if s.flags & crate::elf::SHF_EXECINSTR != 0 {
            "code (vectors first)"
        } else if s.flags & crate::elf::SHF_WRITE != 0 {
            "data, copied to RAM at boot"
        } else {
            "read-only data"
        };
        println!("  {:<10} {:#010x} {:>10}  {kind}", s.name, s.address, s.size);
    }
    let (text, data, bss) = elf.text_data_bss();
    println!("\n  text {text} + data {data} = {} bytes in PROM; bss {bss} bytes in RAM", text + data);
    println!("  The SRM's ELF image (ak-srm) is embedded in the data (ak_image_start); the other");
    println!("  application kernels join it in a table with issue 7.");
    Ok(ExitCode::SUCCESS)
}

/// The raw binary must start with the reset vector: SSP then PC, as a 68040 fetches them.
fn check_reset_vector(elf: &Elf, bin: &[u8]) -> Result<(u32, u32), String> {
    if elf.machine != EM_68K {
        return Err("the kernel ELF is not an m68k image".into());
    }
    if bin.len() < 8 {
        return Err("raw image shorter than the reset vector".into());
    }
    let ssp = u32::from_be_bytes([bin[0], bin[1], bin[2], bin[3]]);
    let pc = u32::from_be_bytes([bin[4], bin[5], bin[6], bin[7]]);
    let want_ssp = elf.symbol("__boot_stack_top").ok_or("no __boot_stack_top symbol")?;
    let want_pc = elf.symbol("_start").ok_or("no _start symbol")?;
    if (ssp, pc) != (want_ssp, want_pc) || pc != elf.entry {
        return Err(format!(
            "raw image starts with SSP {ssp:#x} PC {pc:#x}; expected {want_ssp:#x} {want_pc:#x} (entry {:#x})",
            elf.entry
        ));
    }
    Ok((ssp, pc))
}
