//! A writer of cpio "newc" archives (the format of Linux's initramfs; `cpio -H newc`),
//! for the UNIX emulator's root file system (issue 17 item 5).
//!
//! Each entry is a 110-byte ASCII header — the magic `070701` and thirteen 8-digit hex
//! fields: ino, mode, uid, gid, nlink, mtime, filesize, devmajor, devminor, rdevmajor,
//! rdevminor, namesize (with the NUL), check (0) — then the name and its NUL padded with
//! NULs to a multiple of 4 bytes, then the data padded likewise. A symlink's data is its
//! target. The archive ends with the entry `TRAILER!!!`.
//!
//! Made reproducible: entries sorted by name (bytewise, so a directory comes before what
//! it holds), inode numbers 1, 2, ... in that order, mtime 0, uid and gid 0, devices 0.
//! Names are relative to the root and carry no `./` or `/` prefix; the root itself has no
//! entry. nlink is 1 for files and symlinks and 2 + the number of subdirectories for a
//! directory (as Linux file systems count it).

use std::path::Path;

/// What an entry is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    File(Vec<u8>),
    Dir,
    Symlink(String),
}

/// One archive member: a path relative to the root (`bin/hello`), its permission bits
/// (the file type bits are added from `kind`) and what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub name: String,
    pub perm: u32,
    pub kind: Kind,
}

pub const S_IFREG: u32 = 0o100000;
pub const S_IFDIR: u32 = 0o040000;
pub const S_IFLNK: u32 = 0o120000;
pub const TRAILER: &str = "TRAILER!!!";

impl Entry {
    pub fn mode(&self) -> u32 {
        let kind = match self.kind {
            Kind::File(_) => S_IFREG,
            Kind::Dir => S_IFDIR,
            Kind::Symlink(_) => S_IFLNK,
        };
        kind | (self.perm & 0o7777)
    }

    fn data(&self) -> &[u8] {
        match &self.kind {
            Kind::File(bytes) => bytes,
            Kind::Dir => &[],
            Kind::Symlink(target) => target.as_bytes(),
        }
    }
}

fn pad4(out: &mut Vec<u8>) {
    while !out.len().is_multiple_of(4) {
        out.push(0);
    }
}

fn header(out: &mut Vec<u8>, ino: u32, mode: u32, nlink: u32, size: usize, name: &str) {
    let fields = [ino, mode, 0, 0, nlink, 0, size as u32, 0, 0, 0, 0, name.len() as u32 + 1, 0];
    out.extend_from_slice(b"070701");
    for field in fields {
        out.extend_from_slice(format!("{field:08X}").as_bytes());
    }
    out.extend_from_slice(name.as_bytes());
    out.push(0);
    pad4(out);
}

/// The archive of `entries` (in any order; written sorted by name). Fails on an empty,
/// absolute or `.`/`..`-containing name, a duplicate, or a member whose parent directory
/// is not itself an entry.
pub fn write(entries: &[Entry]) -> Result<Vec<u8>, String> {
    let mut sorted: Vec<&Entry> = entries.iter().collect();
    sorted.sort_by(|a, b| a.name.as_bytes().cmp(b.name.as_bytes()));
    for pair in sorted.windows(2) {
        if pair[0].name == pair[1].name {
            return Err(format!("cpio: '{}' twice", pair[0].name));
        }
    }
    let is_dir = |name: &str| sorted.iter().any(|e| e.name == name && e.kind == Kind::Dir);
    for entry in &sorted {
        let name = &entry.name;
        if name.is_empty()
            || name.starts_with('/')
            || name.ends_with('/')
            || name.split('/').any(|c| c.is_empty() || c == "." || c == "..")
        {
            return Err(format!("cpio: bad name '{name}'"));
        }
        if let Some((parent, _)) = name.rsplit_once('/') {
            if !is_dir(parent) {
                return Err(format!("cpio: '{name}' has no directory entry '{parent}'"));
            }
        }
        if name.len() + 1 > u32::MAX as usize || entry.data().len() > u32::MAX as usize {
            return Err(format!("cpio: '{name}' too large"));
        }
    }
    let mut out = Vec::new();
    for (index, entry) in sorted.iter().enumerate() {
        let nlink = match entry.kind {
            Kind::Dir => {
                let prefix = format!("{}/", entry.name);
                let subdirs = sorted
                    .iter()
                    .filter(|e| {
                        e.kind == Kind::Dir && e.name.strip_prefix(&prefix).is_some_and(|rest| !rest.contains('/'))
                    })
                    .count();
                2 + subdirs as u32
            }
            _ => 1,
        };
        let data = entry.data();
        header(&mut out, index as u32 + 1, entry.mode(), nlink, data.len(), &entry.name);
        out.extend_from_slice(data);
        pad4(&mut out);
    }
    header(&mut out, 0, 0, 1, 0, TRAILER);
    Ok(out)
}

/// The entries of the tree under `dir` (not `dir` itself): regular files, directories
/// and symlinks with their permission bits; anything else is an error.
pub fn entries_of_tree(dir: &Path) -> Result<Vec<Entry>, String> {
    let mut entries = Vec::new();
    walk(dir, "", &mut entries)?;
    Ok(entries)
}

fn walk(dir: &Path, prefix: &str, out: &mut Vec<Entry>) -> Result<(), String> {
    use std::os::unix::fs::PermissionsExt;
    let listing = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for item in listing {
        let item = item.map_err(|e| format!("{}: {e}", dir.display()))?;
        let path = item.path();
        let name = item.file_name().into_string().map_err(|n| format!("{}: name {n:?} is not UTF-8", dir.display()))?;
        let full = if prefix.is_empty() { name } else { format!("{prefix}/{name}") };
        let meta = std::fs::symlink_metadata(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let perm = meta.permissions().mode() & 0o7777;
        let kind = if meta.file_type().is_symlink() {
            let target = std::fs::read_link(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            let target = target
                .into_os_string()
                .into_string()
                .map_err(|t| format!("{}: target {t:?} is not UTF-8", path.display()))?;
            Kind::Symlink(target)
        } else if meta.is_dir() {
            walk(&path, &full, out)?;
            Kind::Dir
        } else if meta.is_file() {
            Kind::File(std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?)
        } else {
            return Err(format!("{}: not a file, directory or symlink", path.display()));
        };
        let perm = if matches!(kind, Kind::Symlink(_)) { 0o777 } else { perm };
        out.push(Entry { name: full, perm, kind });
    }
    Ok(())
}

#[cfg(test)]
pub mod tests {
    use super::*;

    /// A reader for the tests: (name, mode, nlink, ino, data) of every entry but the
    /// trailer, checking the layout rules as it goes.
    pub fn read(archive: &[u8]) -> Vec<(String, u32, u32, u32, Vec<u8>)> {
        let mut out = Vec::new();
        let mut at = 0;
        loop {
            assert_eq!(at % 4, 0, "entry not 4-aligned");
            assert_eq!(&archive[at..at + 6], b"070701");
            let field = |i: usize| {
                let text = std::str::from_utf8(&archive[at + 6 + 8 * i..at + 14 + 8 * i]).unwrap();
                u32::from_str_radix(text, 16).unwrap()
            };
            let (ino, mode, uid, gid, nlink, mtime, size, namesize, check) = (
                field(0),
                field(1),
                field(2),
                field(3),
                field(4),
                field(5),
                field(6) as usize,
                field(11) as usize,
                field(12),
            );
            assert_eq!((uid, gid, mtime, check), (0, 0, 0, 0));
            let name_start = at + 110;
            assert_eq!(archive[name_start + namesize - 1], 0, "name not NUL-terminated");
            let name = String::from_utf8(archive[name_start..name_start + namesize - 1].to_vec()).unwrap();
            let data_start = (name_start + namesize + 3) & !3;
            assert!(archive[name_start + namesize..data_start].iter().all(|&b| b == 0));
            let data = archive[data_start..data_start + size].to_vec();
            at = (data_start + size + 3) & !3;
            if name == TRAILER {
                assert_eq!(at, archive.len(), "bytes after the trailer");
                return out;
            }
            out.push((name, mode, nlink, ino, data));
        }
    }

    fn file(name: &str, text: &str) -> Entry {
        Entry { name: name.into(), perm: 0o644, kind: Kind::File(text.as_bytes().to_vec()) }
    }

    fn dir(name: &str) -> Entry {
        Entry { name: name.into(), perm: 0o755, kind: Kind::Dir }
    }

    #[test]
    fn one_file_is_laid_out_byte_for_byte() {
        let archive = write(&[file("a", "xyz")]).unwrap();
        let mut expected = String::from("070701");
        for field in [1, 0o100644, 0, 0, 1, 0, 3, 0, 0, 0, 0, 2, 0] {
            expected.push_str(&format!("{field:08X}"));
        }
        // 110 + "a\0" = 112 (aligned), data "xyz" + 1 pad.
        let mut bytes = expected.into_bytes();
        bytes.extend_from_slice(b"a\0xyz\0");
        assert_eq!(&archive[..bytes.len()], &bytes[..]);
        assert_eq!(archive.len() % 4, 0);
        let trailer_at = 116;
        assert_eq!(&archive[trailer_at..trailer_at + 6], b"070701");
        assert_eq!(&archive[trailer_at + 110..trailer_at + 121], b"TRAILER!!!\0");
        assert_eq!(archive.len(), trailer_at + 124);
    }

    #[test]
    fn sorted_reproducible_and_counted() {
        let entries = vec![
            file("data/sub/inner.txt", "inner\n"),
            dir("data/sub/deeper"),
            Entry { name: "data/link".into(), perm: 0o777, kind: Kind::Symlink("sub/inner.txt".into()) },
            dir("data"),
            dir("data/sub"),
            dir("bin"),
            Entry { name: "bin/prog".into(), perm: 0o755, kind: Kind::File(vec![0x7f; 5]) },
        ];
        let archive = write(&entries).unwrap();
        let mut reversed = entries.clone();
        reversed.reverse();
        assert_eq!(write(&reversed).unwrap(), archive, "order of input must not matter");
        let read_back = read(&archive);
        let names: Vec<&str> = read_back.iter().map(|e| e.0.as_str()).collect();
        assert_eq!(
            names,
            ["bin", "bin/prog", "data", "data/link", "data/sub", "data/sub/deeper", "data/sub/inner.txt"]
        );
        let by_name = |n: &str| read_back.iter().find(|e| e.0 == n).unwrap().clone();
        assert_eq!(by_name("data").1, S_IFDIR | 0o755);
        assert_eq!(by_name("data").2, 3); // ., .., sub
        assert_eq!(by_name("data/sub").2, 3); // deeper
        assert_eq!(by_name("data/sub/deeper").2, 2);
        assert_eq!(by_name("bin").2, 2);
        assert_eq!(by_name("data/link").1, S_IFLNK | 0o777);
        assert_eq!(by_name("data/link").4, b"sub/inner.txt");
        assert_eq!(by_name("bin/prog").1, S_IFREG | 0o755);
        assert_eq!(by_name("bin/prog").4, vec![0x7f; 5]);
        let inos: Vec<u32> = read_back.iter().map(|e| e.3).collect();
        assert_eq!(inos, (1..=7).collect::<Vec<u32>>());
    }

    #[test]
    fn names_are_checked() {
        assert!(write(&[file("/abs", "")]).is_err());
        assert!(write(&[file("", "")]).is_err());
        assert!(write(&[dir("d"), file("d/../x", "")]).is_err());
        assert!(write(&[file("a", ""), file("a", "")]).is_err());
        assert!(write(&[file("nodir/a", "")]).is_err(), "parent directory must be an entry");
        assert!(write(&[file("f", ""), file("f/a", "")]).is_err(), "parent must be a directory");
        assert_eq!(read(&write(&[]).unwrap()).len(), 0);
    }

    #[test]
    fn a_tree_on_disk_round_trips_and_debian_cpio_lists_it() {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("xtask-cpio-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("etc/deep")).unwrap();
        std::fs::write(dir.join("etc/motd"), "hi\n").unwrap();
        std::fs::write(dir.join("run"), "#!").unwrap();
        std::fs::set_permissions(dir.join("run"), std::fs::Permissions::from_mode(0o755)).unwrap();
        std::fs::set_permissions(dir.join("etc/motd"), std::fs::Permissions::from_mode(0o644)).unwrap();
        std::os::unix::fs::symlink("/etc/motd", dir.join("etc/link")).unwrap();
        let entries = entries_of_tree(&dir).unwrap();
        let archive = write(&entries).unwrap();
        let read_back = read(&archive);
        let summary: Vec<(String, u32)> = read_back.iter().map(|e| (e.0.clone(), e.1 & 0o170000)).collect();
        assert_eq!(
            summary,
            [
                ("etc".to_string(), S_IFDIR),
                ("etc/deep".to_string(), S_IFDIR),
                ("etc/link".to_string(), S_IFLNK),
                ("etc/motd".to_string(), S_IFREG),
                ("run".to_string(), S_IFREG)
            ]
        );
        assert_eq!(read_back[4].1, S_IFREG | 0o755);
        assert_eq!(read_back[2].4, b"/etc/motd");

        // Debian's cpio, when it is installed, must agree (it is not a dependency).
        let file = dir.join("archive.cpio");
        std::fs::write(&file, &archive).unwrap();
        let listed = std::process::Command::new("cpio").args(["-it", "--quiet", "-F"]).arg(&file).output();
        if let Ok(output) = listed {
            assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
            let text = String::from_utf8_lossy(&output.stdout);
            assert_eq!(text.lines().collect::<Vec<_>>(), ["etc", "etc/deep", "etc/link", "etc/motd", "run"]);
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
