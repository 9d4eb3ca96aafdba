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

    let table = elf.sections.iter().find(|s| s.name == ".ak_images").ok_or("the image has no .ak_images section")?;
    let start = table.offset as usize;
    let bytes = elf_bytes.get(start..start + table.size as usize).ok_or(".ak_images lies outside the file")?;
    let images = parse_prom_table(bytes)?;
    println!(
        "\n  application kernels (.ak_images at {:#010x}, {} bytes; the first is the first kernel, the SRM)",
        table.address, table.size
    );
    for (name, offset, size) in &images {
        println!("  {name:<16} {size:>8} bytes at table offset {offset:#x}");
    }
    Ok(ExitCode::SUCCESS)
}

/// The PROM table (ck_prom_table in common/include/ck/abi.h, big-endian as the
/// guest reads it): (name, offset, bytes) of each image, every one an m68k ELF file.
fn parse_prom_table(bytes: &[u8]) -> Result<Vec<(String, u32, u32)>, String> {
    let word = |at: usize| -> Result<u32, String> {
        bytes
            .get(at..at + 4)
            .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
            .ok_or_else(|| format!("PROM table cut at {at}"))
    };
    if word(0)? != 0x5052_4f4d {
        return Err("the PROM table has no 'PROM' magic".into());
    }
    let (count, total) = (word(4)? as usize, word(8)? as usize);
    if total > bytes.len() || count == 0 {
        return Err(format!("PROM table: {count} images in {total} bytes ({} in the section)", bytes.len()));
    }
    let mut images = Vec::new();
    for i in 0..count {
        let entry = 16 + i * 32;
        let name_bytes = bytes.get(entry..entry + 16).ok_or("PROM table entry cut")?;
        let name: String = name_bytes.iter().take_while(|&&c| c != 0).map(|&c| c as char).collect();
        let (offset, size) = (word(entry + 16)?, word(entry + 20)?);
        let image = bytes
            .get(offset as usize..(offset + size) as usize)
            .ok_or_else(|| format!("image '{name}' outside the table"))?;
        // The ELF identification: 32-bit, big-endian, m68k.
        let is_m68k_elf =
            image.len() >= 52 && image[..6] == *b"\x7fELF\x01\x02" && image[18..20] == EM_68K.to_be_bytes();
        // The UNIX emulator's root file system is the one entry that is data: a cpio archive.
        let is_rootfs = name == "rootfs" && image.starts_with(b"070701");
        if (!is_m68k_elf && !is_rootfs) || name.is_empty() {
            return Err(format!("image '{name}' is not a named m68k ELF file (or the rootfs cpio archive)"));
        }
        images.push((name, offset, size));
    }
    Ok(images)
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

#[cfg(test)]
mod tests {
    use super::*;

    // A table of `names`, each image a bare m68k ELF header.
    fn table(names: &[&str]) -> Vec<u8> {
        let mut header = vec![0u8; 52];
        header[..6].copy_from_slice(b"\x7fELF\x01\x02");
        header[18..20].copy_from_slice(&EM_68K.to_be_bytes());
        let first_image = 16 + 32 * names.len();
        let total = first_image + 52 * names.len();
        let mut t = Vec::new();
        for w in [0x5052_4f4d, names.len() as u32, total as u32, 0] {
            t.extend_from_slice(&u32::to_be_bytes(w));
        }
        for (i, name) in names.iter().enumerate() {
            let mut n = [0u8; 16];
            n[..name.len()].copy_from_slice(name.as_bytes());
            t.extend_from_slice(&n);
            for w in [(first_image + 52 * i) as u32, 52, 0, 0] {
                t.extend_from_slice(&u32::to_be_bytes(w));
            }
        }
        for _ in names {
            t.extend_from_slice(&header);
        }
        t
    }

    #[test]
    fn prom_table_lists_its_images() {
        let images = parse_prom_table(&table(&["srm", "worker"])).unwrap();
        assert_eq!(images.iter().map(|i| i.0.as_str()).collect::<Vec<_>>(), ["srm", "worker"]);
        assert_eq!(images[1].2, 52);
    }

    #[test]
    fn prom_table_refuses_damage() {
        let mut bad_magic = table(&["srm"]);
        bad_magic[0] = b'X';
        assert!(parse_prom_table(&bad_magic).is_err());
        let mut not_elf = table(&["srm"]);
        let image = not_elf.len() - 52;
        not_elf[image + 1] = b'X';
        assert!(parse_prom_table(&not_elf).is_err());
        let mut outside = table(&["srm"]);
        outside[16 + 20..16 + 24].copy_from_slice(&u32::to_be_bytes(4096));
        assert!(parse_prom_table(&outside).is_err());
        assert!(parse_prom_table(&table(&["srm"])[..40]).is_err());
    }
}
