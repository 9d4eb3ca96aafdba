//! A minimal reader for 32-bit big-endian ELF files (our m68k images): sections and
//! symbols, enough for `image` and `size`.

pub struct Section {
    pub name: String,
    pub kind: u32,
    pub flags: u32,
    pub address: u32,
    pub offset: u32,
    pub size: u32,
}

pub const SHT_SYMTAB: u32 = 2;
pub const SHT_NOBITS: u32 = 8;
pub const SHF_WRITE: u32 = 1;
pub const SHF_ALLOC: u32 = 2;
pub const SHF_EXECINSTR: u32 = 4;

impl Section {
    pub fn allocated(&self) -> bool {
        self.flags & SHF_ALLOC != 0
    }
}

pub struct Elf {
    pub entry: u32,
    pub machine: u16,
    pub sections: Vec<Section>,
    pub symbols: Vec<(String, u32)>,
}

pub const EM_68K: u16 = 4;

fn be16(b: &[u8], at: usize) -> Result<u16, String> {
    b.get(at..at + 2).map(|s| u16::from_be_bytes([s[0], s[1]])).ok_or_else(|| "truncated ELF".to_string())
}

fn be32(b: &[u8], at: usize) -> Result<u32, String> {
    b.get(at..at + 4).map(|s| u32::from_be_bytes([s[0], s[1], s[2], s[3]])).ok_or_else(|| "truncated ELF".to_string())
}

fn c_string(b: &[u8], at: usize) -> String {
    let tail = b.get(at..).unwrap_or(&[]);
    let end = tail.iter().position(|&c| c == 0).unwrap_or(tail.len());
    String::from_utf8_lossy(&tail[..end]).into_owned()
}

impl Elf {
    pub fn parse(bytes: &[u8]) -> Result<Elf, String> {
        if bytes.len() < 52 || &bytes[..4] != b"\x7fELF" || bytes[4] != 1 || bytes[5] != 2 {
            return Err("not a 32-bit big-endian ELF file".into());
        }
        let machine = be16(bytes, 18)?;
        let entry = be32(bytes, 24)?;
        let sh_offset = be32(bytes, 32)? as usize;
        let sh_entry_size = be16(bytes, 46)? as usize;
        let sh_count = be16(bytes, 48)? as usize;
        let sh_names = be16(bytes, 50)? as usize;

        let mut raw = Vec::new();
        for i in 0..sh_count {
            let at = sh_offset + i * sh_entry_size;
            raw.push((
                be32(bytes, at)?,
                be32(bytes, at + 4)?,
                be32(bytes, at + 8)?,
                be32(bytes, at + 12)?,
                be32(bytes, at + 16)?,
                be32(bytes, at + 20)?,
                be32(bytes, at + 24)?,
            ));
        }
        let names_offset = raw.get(sh_names).map(|r| r.4 as usize).ok_or("no section name table")?;
        let sections: Vec<Section> = raw
            .iter()
            .map(|&(name, kind, flags, address, offset, size, _)| Section {
                name: c_string(bytes, names_offset + name as usize),
                kind,
                flags,
                address,
                offset,
                size,
            })
            .collect();

        let mut symbols = Vec::new();
        for (i, s) in sections.iter().enumerate().filter(|(_, s)| s.kind == SHT_SYMTAB) {
            let strings = raw.get(raw[i].6 as usize).map(|r| r.4 as usize).ok_or("symbol table without strings")?;
            for at in (s.offset as usize..(s.offset + s.size) as usize).step_by(16) {
                let name = c_string(bytes, strings + be32(bytes, at)? as usize);
                if !name.is_empty() {
                    symbols.push((name, be32(bytes, at + 4)?));
                }
            }
        }
        Ok(Elf { entry, machine, sections, symbols })
    }

    pub fn symbol(&self, name: &str) -> Option<u32> {
        self.symbols.iter().find(|(n, _)| n == name).map(|&(_, v)| v)
    }

    /// Berkeley `size` classes: text (code and read-only data), data, bss.
    pub fn text_data_bss(&self) -> (u32, u32, u32) {
        let (mut text, mut data, mut bss) = (0, 0, 0);
        for s in self.sections.iter().filter(|s| s.allocated()) {
            if s.kind == SHT_NOBITS {
                bss += s.size;
            } else if s.flags & SHF_WRITE != 0 {
                data += s.size;
            } else {
                text += s.size;
            }
        }
        (text, data, bss)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_what_is_not_a_big_endian_elf32() {
        assert!(Elf::parse(b"hello").is_err());
        let mut little = vec![0x7f, b'E', b'L', b'F', 1, 1];
        little.resize(64, 0);
        assert!(Elf::parse(&little).is_err());
    }

    #[test]
    fn reads_sections_and_symbols_of_a_handmade_file() {
        // Header, then: section names, a .text with 8 bytes, symbol strings, a symbol table.
        let mut f = vec![0u8; 52];
        f[..6].copy_from_slice(&[0x7f, b'E', b'L', b'F', 1, 2]);
        f[18..20].copy_from_slice(&EM_68K.to_be_bytes());
        f[24..28].copy_from_slice(&0x400u32.to_be_bytes());
        let shstr_at = f.len() as u32;
        f.extend_from_slice(b"\0.text\0.shstrtab\0.symtab\0.strtab\0");
        let text_at = f.len() as u32;
        f.extend_from_slice(&[1, 2, 3, 4, 5, 6, 7, 8]);
        let str_at = f.len() as u32;
        f.extend_from_slice(b"\0_start\0");
        let sym_at = f.len() as u32;
        f.extend_from_slice(&[0; 16]);
        f.extend_from_slice(&1u32.to_be_bytes());
        f.extend_from_slice(&0x400u32.to_be_bytes());
        f.extend_from_slice(&[0; 8]);
        while f.len() % 4 != 0 {
            f.push(0);
        }
        let sh_at = f.len() as u32;
        let mut section = |name: u32, kind: u32, flags: u32, addr: u32, off: u32, size: u32, link: u32| {
            for v in [name, kind, flags, addr, off, size, link, 0, 0, 0] {
                f.extend_from_slice(&v.to_be_bytes());
            }
        };
        section(0, 0, 0, 0, 0, 0, 0);
        section(1, 1, SHF_ALLOC | SHF_EXECINSTR, 0x400, text_at, 8, 0);
        section(7, 3, 0, 0, shstr_at, 34, 0);
        section(17, SHT_SYMTAB, 0, 0, sym_at, 32, 4);
        section(25, 3, 0, 0, str_at, 8, 0);
        f[32..36].copy_from_slice(&sh_at.to_be_bytes());
        f[46..48].copy_from_slice(&40u16.to_be_bytes());
        f[48..50].copy_from_slice(&5u16.to_be_bytes());
        f[50..52].copy_from_slice(&2u16.to_be_bytes());

        let elf = Elf::parse(&f).unwrap();
        assert_eq!(elf.machine, EM_68K);
        assert_eq!(elf.entry, 0x400);
        assert_eq!(elf.sections[1].name, ".text");
        assert_eq!(elf.symbol("_start"), Some(0x400));
        assert_eq!(elf.symbol("missing"), None);
        assert_eq!(elf.text_data_bss(), (8, 0, 0));
    }
}
