// Memory system calls: brk, mmap2, munmap, mprotect, mremap, madvise (syscalls.h). Each
// is an edit of the process's regions (regions.h); pages are filled when touched and
// the Cache Kernel's mappings of pages whose region changed are unloaded, to come back
// on the next fault as the region now says (paper §2.1).
#include "emulator.h"
#include "file_tree.h"
#include "lib/endian.h"
#include "linux_abi.h"
#include "physical_memory.h"
#include "syscall_checks.h"
#include "syscalls.h"
#include "user_memory.h"

namespace unixemu {

namespace abi = linux_abi;

namespace {

constexpr uint32_t kMmapBase = 0xc0000000u;  // where mmap looks for room first
constexpr uint32_t kMmapLow = 0x10000000u;   // and then from here
constexpr uint32_t kUserTop = abi::kStackTop;

bool page_aligned(uint32_t a) { return (a & (kPageBytes - 1)) == 0; }

uint32_t heap_end(const Process& p) { return page_up(p.group().brk); }

uint32_t sys_brk(Process& p, const SyscallArgs& a) {
  const uint32_t wanted = a[0];
  if (wanted < p.group().brk_start) return p.group().brk;
  const uint32_t old_end = heap_end(p), new_end = page_up(wanted);
  if (new_end < wanted) return p.group().brk;  // wraps
  if (new_end < old_end) {
    drop_pages(p, new_end, old_end);
    p.group().regions.remove(new_end, old_end);
  } else if (new_end > old_end) {
    // Linux keeps a page between the heap and whatever follows it.
    if (new_end >= kUserTop - kPageBytes || !p.group().regions.free(old_end, new_end + kPageBytes))
      return p.group().brk;
    const bool grown = old_end > p.group().brk_start && p.group().regions.resize(page_up(p.group().brk_start), new_end);
    if (!grown) {
      Region heap;
      heap.start = old_end > page_up(p.group().brk_start) ? old_end : page_up(p.group().brk_start);
      heap.end = new_end;
      heap.prot = abi::kPROT_READ | abi::kPROT_WRITE;
      heap.kind = RegionKind::Heap;
      if (heap.start < heap.end && !p.group().regions.insert(heap)) return p.group().brk;
    }
  }
  p.group().brk = wanted;
  return p.group().brk;
}

// Where a mapping of `bytes` goes: the hint if it is free, else the first room above
// kMmapBase, else above kMmapLow. 0: none.
uint32_t place(const Process& p, uint32_t hint, uint32_t bytes) {
  uint32_t end;
  if (hint != 0 && page_aligned(hint) && hint >= kMmapLow && user_range(hint, bytes, &end) &&
      p.group().regions.free(hint, end))
    return hint;
  const uint32_t stack_start = kUserTop - 8 * 1024 * 1024;
  uint32_t at = p.group().regions.find_free(bytes, kMmapBase, stack_start);
  if (at == 0) at = p.group().regions.find_free(bytes, kMmapLow, stack_start);
  return at;
}

uint32_t do_mmap(Process& p, uint32_t addr, uint32_t length, uint32_t prot, uint32_t flags, int32_t fd,
                 uint32_t offset_pages) {
  uint32_t bytes;
  if (const int32_t s = check_mmap(addr, length, prot, flags, &bytes); s != 0) return error(-s);
  const uint32_t type = flags & abi::kMAP_TYPE;
  const bool fixed = (flags & (abi::kMAP_FIXED | abi::kMAP_FIXED_NOREPLACE)) != 0;

  Region r;
  r.prot = prot;
  r.shared = type != abi::kMAP_PRIVATE;
  r.kind = RegionKind::Anonymous;
  const uint32_t f = (flags & abi::kMAP_ANONYMOUS) == 0 ? p.group().fds.file(fd) : FdTable::kNone;
  if ((flags & abi::kMAP_ANONYMOUS) == 0 && f == FdTable::kNone) return error(abi::kEBADF);
  // /dev/zero maps as anonymous memory (private or shared), as on Linux.
  if (f != FdTable::kNone && open_files().at(f).kind != FileKind::Zero) {
    const OpenFile& of = open_files().at(f);
    if (of.kind != FileKind::Node || FileTree::synthetic(of.node)) return error(abi::kENODEV);
    const Node& n = file_tree().node(of.node);
    if (n.type != NodeType::File) return error(abi::kENODEV);
    if ((of.flags & abi::kO_ACCMODE) == abi::kO_WRONLY) return error(abi::kEACCES);
    // A shared writable mapping of a file: EACCES as Linux's for a file opened read-only;
    // for one opened for writing the emulator offers none (ENODEV): its mappings hold
    // copies of the file's pages, which nothing would write back.
    if (r.shared && (prot & abi::kPROT_WRITE) != 0)
      return error((of.flags & abi::kO_ACCMODE) == abi::kO_RDONLY ? abi::kEACCES : abi::kENODEV);
    const uint64_t offset = static_cast<uint64_t>(offset_pages) * kPageBytes;
    if (offset + bytes > 0xffffffffull) return error(abi::kEOVERFLOW);
    r.kind = RegionKind::File;
    r.file_node = of.node;
    r.file_offset = static_cast<uint32_t>(offset);
    const uint64_t beyond = offset < n.size ? n.size - offset : 0;
    r.file_bytes = beyond < bytes ? static_cast<uint32_t>(beyond) : bytes;
    r.file_end_page = page_up(r.file_bytes);
  }
  uint32_t start, end;
  if (fixed) {
    if (!user_range(addr, bytes, &end)) return error(abi::kENOMEM);
    start = addr;
    if (!p.group().regions.free(start, end)) {
      if ((flags & abi::kMAP_FIXED_NOREPLACE) != 0) return error(abi::kEEXIST);
      drop_pages(p, start, end);
      if (!p.group().regions.remove(start, end)) return error(abi::kENOMEM);
    }
  } else {
    start = place(p, addr, bytes);
    if (start == 0) return error(abi::kENOMEM);
    end = start + bytes;
  }
  r.start = start;
  r.end = end;
  if (!p.group().regions.insert(r)) return error(abi::kENOMEM);
  return start;
}

uint32_t sys_mmap2(Process& p, const SyscallArgs& a) {
  return do_mmap(p, a[0], a[1], a[2], a[3], static_cast<int32_t>(a[4]), a[5]);
}

// The old mmap: one pointer to the six arguments, the offset in bytes.
uint32_t sys_old_mmap(Process& p, const SyscallArgs& a) {
  uint8_t raw[24];
  if (const int32_t s = copy_in(p, a[0], raw, sizeof raw); s != 0) return error(-s);
  uint32_t v[6];
  for (int i = 0; i < 6; ++i) v[i] = ck::load_be32(raw + 4 * i);
  if (!page_aligned(v[5])) return error(abi::kEINVAL);
  return do_mmap(p, v[0], v[1], v[2], v[3], static_cast<int32_t>(v[4]), v[5] / kPageBytes);
}

uint32_t sys_munmap(Process& p, const SyscallArgs& a) {
  uint32_t end;
  if (const int32_t s = check_munmap(a[0], a[1], &end); s != 0) return error(-s);
  drop_pages(p, a[0], end);
  if (!p.group().regions.remove(a[0], end)) return error(abi::kENOMEM);
  return 0;
}

uint32_t sys_mprotect(Process& p, const SyscallArgs& a) {
  const uint32_t prot = a[2];
  uint32_t end;
  if (const int32_t s = check_mprotect(a[0], a[1], prot, &end); s != 0) return error(-s);
  if (end == a[0]) return 0;
  if (!p.group().regions.covered(a[0], end)) return error(abi::kENOMEM);
  for (uint32_t va = a[0]; va < end;) {
    const Region* r = p.group().regions.find(va);
    if (r->shared && r->kind == RegionKind::File && (prot & abi::kPROT_WRITE) != 0) return error(abi::kEACCES);
    va = r->end;
  }
  if (!p.group().regions.protect(a[0], end, prot)) return error(abi::kENOMEM);
  unload_mappings(p, a[0], end);
  return 0;
}

uint32_t sys_mremap(Process& p, const SyscallArgs& a) {
  const uint32_t old = a[0], flags = a[3], wanted_at = a[4];
  uint32_t old_bytes, new_bytes;
  if (const int32_t s = check_mremap(old, a[1], a[2], flags, &old_bytes, &new_bytes); s != 0) return error(-s);
  const Region* r = p.group().regions.find(old);
  if (r == nullptr || old_bytes > r->end - old) return error(abi::kEFAULT);
  const uint32_t old_end = old + old_bytes;
  if ((flags & abi::kMREMAP_FIXED) == 0) {
    if (new_bytes <= old_bytes) {  // shrinks in place
      drop_pages(p, old + new_bytes, old_end);
      p.group().regions.remove(old + new_bytes, old_end);
      return old;
    }
    uint32_t new_end;
    if (old_end == r->end && user_range(old, new_bytes, &new_end) && p.group().regions.free(old_end, new_end)) {
      p.group().regions.resize(r->start, new_end);
      return old;
    }
    if ((flags & abi::kMREMAP_MAYMOVE) == 0) return error(abi::kENOMEM);
  }
  // Moves: the pages go with their frames to a new region, the old range is unmapped.
  uint32_t to;
  if ((flags & abi::kMREMAP_FIXED) != 0) {
    uint32_t to_end;
    if (!page_aligned(wanted_at) || !user_range(wanted_at, new_bytes, &to_end)) return error(abi::kEINVAL);
    if (wanted_at < old_end && old < to_end) return error(abi::kEINVAL);
    drop_pages(p, wanted_at, to_end);
    if (!p.group().regions.remove(wanted_at, to_end)) return error(abi::kENOMEM);
    to = wanted_at;
  } else {
    to = place(p, 0, new_bytes);
    if (to == 0) return error(abi::kENOMEM);
  }
  Region moved = *r;
  if (moved.file_node != Region::kNoFile) {
    const uint32_t cut = old - r->start;
    moved.file_offset += cut;
    moved.file_bytes = moved.file_bytes > cut ? moved.file_bytes - cut : 0;
    moved.file_end_page = moved.file_end_page > cut ? moved.file_end_page - cut : 0;
  }
  moved.start = to;
  moved.end = to + new_bytes;
  if (!p.group().regions.insert(moved)) return error(abi::kENOMEM);
  const uint32_t kept = old_bytes < new_bytes ? old_bytes : new_bytes;
  for (uint32_t va = old; va < old_end; va += kPageBytes) {
    const uint32_t frame = p.group().pages.lookup(va);
    if (frame == 0) continue;
    unload_page(p, va);
    p.group().pages.clear(va);
    if (va - old < kept && p.group().pages.set(to + (va - old), frame)) continue;
    memory().free(frame);
  }
  p.group().regions.remove(old, old_end);
  return to;
}

uint32_t sys_madvise(Process& p, const SyscallArgs& a) {
  uint32_t end;
  const uint32_t advice = a[2];
  if (const int32_t s = check_madvise(a[0], a[1], advice, &end); s != 0) return error(-s);
  if (end == a[0]) return 0;
  if (!p.group().regions.covered(a[0], end)) return error(abi::kENOMEM);
  // DONTNEED: private pages read as zero (or the file) again; the frames go back.
  if (advice == abi::kMADV_DONTNEED) drop_pages(p, a[0], end);
  return 0;
}

constexpr SyscallEntry kEntries[] = {
    {abi::kBrk, sys_brk},         {abi::kMmap2, sys_mmap2},       {abi::kMmap, sys_old_mmap},
    {abi::kMunmap, sys_munmap},   {abi::kMprotect, sys_mprotect}, {abi::kMremap, sys_mremap},
    {abi::kMadvise, sys_madvise},
};

}  // namespace

SyscallGroup memory_syscalls() { return {kEntries, sizeof kEntries / sizeof kEntries[0]}; }

}  // namespace unixemu
