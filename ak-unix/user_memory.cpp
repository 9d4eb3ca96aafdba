// A process's memory (user_memory.h).
#include "user_memory.h"

#include <string.h>

#include "emulator.h"
#include "image_pages.h"
#include "libak.h"
#include "linux_abi.h"
#include "page_ops.h"
#include "physical_memory.h"

namespace unixemu {

namespace abi = linux_abi;

namespace {

bool allows(const Region& r, Touch touch) {
  switch (touch) {
    case Touch::Read:
      return (r.prot & (abi::kPROT_READ | abi::kPROT_WRITE | abi::kPROT_EXEC)) != 0;
    case Touch::Write:
      return (r.prot & abi::kPROT_WRITE) != 0;
    case Touch::Execute:
      return (r.prot & (abi::kPROT_EXEC | abi::kPROT_READ)) != 0;
  }
  return false;
}

// A fresh frame for page `page` of region `r`: zeros, or the file's bytes.
int32_t fill(const Region& r, uint32_t page, uint32_t* frame) {
  const uint32_t offset = page - r.start;
  if (r.file_node != Region::kNoFile && offset < r.file_bytes) {
    const uint32_t n = r.file_bytes - offset < kPageBytes ? r.file_bytes - offset : kPageBytes;
    // A private page it cannot write, still the image's: the frame every process mapping
    // those bytes shares (image_pages.h), filled once.
    if (!r.shared && (r.prot & abi::kPROT_WRITE) == 0) {
      uint32_t at;
      if (file_tree().image_bytes(r.file_node, static_cast<uint64_t>(r.file_offset) + offset, n, &at))
        return image_page(at, n, (r.prot & abi::kPROT_EXEC) != 0, frame);
    }
    // The file's bytes as they are now (up to its end), then zeros: every byte written
    // once (no zeroing first).
    if (!memory().allocate_to_fill(frame)) return -abi::kENOMEM;
    uint8_t* to = memory().at(*frame);
    uint32_t done = 0;
    while (done < n) {
      const Piece piece =
          file_tree().piece(r.file_node, static_cast<uint64_t>(r.file_offset) + offset + done, n - done);
      if (piece.failed) {
        memory().free(*frame);
        return -abi::kEIO;
      }
      if (piece.n == 0) break;  // the file became shorter since it was mapped
      memcpy(to + done, piece.bytes, piece.n);
      done += piece.n;
    }
    if (done < kPageBytes) memset(to + done, 0, kPageBytes - done);
  } else if (!memory().allocate(frame)) {
    return -abi::kENOMEM;
  }
  // Code pages went in through the data cache: instruction fetches must see them.
  if ((r.prot & abi::kPROT_EXEC) != 0) memory().sync_code(*frame);
  return 0;
}

// A write to a private page whose frame other processes share (fork): the page gets a
// copy of its own (the last sharer keeps the frame). The old mapping leaves the Cache
// Kernel: the next touch maps the copy.
int32_t copy_on_write(Process& p, const Region& r, uint32_t page, uint32_t* frame) {
  uint32_t copy;
  if (!memory().allocate_to_fill(&copy)) return -abi::kENOMEM;
  ak::copy_page(memory().at(copy), memory().at(*frame));  // MOVE16
  if ((r.prot & abi::kPROT_EXEC) != 0) memory().sync_code(copy);
  p.group().pages.set(page, copy);  // the entry exists: no table to allocate
  memory().free(*frame);
  unload_page(p, page);
  *frame = copy;
  return 0;
}

// A copy between the emulator and a process's frame: a few bytes (a pipe's byte, a word
// of a call's arguments) moved here, not by a call of memcpy (about 30 instructions for
// one byte: four of a pipe round trip's copies were 1 byte each).
inline void copy_bytes(uint8_t* to, const uint8_t* from, uint32_t n) {
  if (n > 8) {
    memcpy(to, from, n);
    return;
  }
  for (; n != 0; --n) *to++ = *from++;
}

}  // namespace

bool writable_now(const Region& r, uint32_t frame) {
  return (r.prot & abi::kPROT_WRITE) != 0 && (r.shared || memory().refs(frame) == 1);
}

int32_t resident_frame(Process& p, uint32_t va, Touch touch, uint32_t* frame, bool* sigbus, const Region** region) {
  const uint32_t page = page_down(va);
  const Region* r = p.group().regions.find(page);
  if (r == nullptr || !allows(*r, touch)) return -abi::kEFAULT;
  if (region != nullptr) *region = r;
  if (r->kind == RegionKind::File && page - r->start >= r->file_end_page) {
    if (sigbus != nullptr) *sigbus = true;
    return -abi::kEFAULT;
  }
  *frame = p.group().pages.lookup(page);
  if (*frame != 0) {
    // (A fault here: the Cache Kernel had displaced its mapping, or it is shared.)
    if (touch == Touch::Write && !r->shared && memory().refs(*frame) > 1) return copy_on_write(p, *r, page, frame);
    return 0;
  }
  if (const int32_t s = fill(*r, page, frame); s != 0) {
    // The file's bytes could not be read: a bus error, as Linux's for a failed page-in.
    if (s == -abi::kEIO && sigbus != nullptr) *sigbus = true;
    return s;
  }
  if (!p.group().pages.set(page, *frame)) {
    memory().free(*frame);
    return -abi::kENOMEM;
  }
  return 0;
}

int32_t copy_in(Process& p, uint32_t va, void* to, uint32_t bytes) {
  auto* out = static_cast<uint8_t*>(to);
  if (bytes != 0 && va + bytes - 1 < va) return -abi::kEFAULT;
  while (bytes != 0) {
    uint32_t frame;
    if (const int32_t s = resident_frame(p, va, Touch::Read, &frame); s != 0) return s;
    const uint32_t in_page = va & (kPageBytes - 1);
    const uint32_t n = kPageBytes - in_page < bytes ? kPageBytes - in_page : bytes;
    copy_bytes(out, memory().at(frame) + in_page, n);
    out += n;
    va += n;
    bytes -= n;
  }
  return 0;
}

int32_t copy_out(Process& p, uint32_t va, const void* from, uint32_t bytes) {
  const auto* in = static_cast<const uint8_t*>(from);
  if (bytes != 0 && va + bytes - 1 < va) return -abi::kEFAULT;
  while (bytes != 0) {
    uint32_t frame;
    if (const int32_t s = resident_frame(p, va, Touch::Write, &frame); s != 0) return s;
    const uint32_t in_page = va & (kPageBytes - 1);
    const uint32_t n = kPageBytes - in_page < bytes ? kPageBytes - in_page : bytes;
    copy_bytes(memory().at(frame) + in_page, in, n);
    in += n;
    va += n;
    bytes -= n;
  }
  return 0;
}

int32_t cas_user_word(Process& p, uint32_t va, uint32_t expected, uint32_t desired, uint32_t* old) {
  if ((va & 3) != 0) return -abi::kEINVAL;
  uint32_t frame;
  if (const int32_t s = resident_frame(p, va, Touch::Write, &frame); s != 0) return s;
  // The frame is the process's (copy-on-write broken by the touch); the emulator's window
  // and the process's mapping are the same physical word, which a 68040's physical caches
  // keep coherent, and CAS makes the update one bus-locked step.
  auto* word = static_cast<uint32_t*>(static_cast<void*>(memory().at(frame) + (va & (kPageBytes - 1))));
  *old = expected;
  __atomic_compare_exchange_n(word, old, desired, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
  return 0;
}

int32_t copy_string_in(Process& p, uint32_t va, char* to, uint32_t capacity) {
  uint32_t length = 0;
  while (length < capacity) {
    uint32_t frame;
    if (const int32_t s = resident_frame(p, va + length, Touch::Read, &frame); s != 0) return s;
    const uint8_t* page = memory().at(frame);
    for (uint32_t at = (va + length) & (kPageBytes - 1); at < kPageBytes && length < capacity; ++at) {
      to[length] = static_cast<char>(page[at]);
      if (page[at] == 0) return static_cast<int32_t>(length);
      ++length;
    }
    if (va + length < va) return -abi::kEFAULT;  // ran off the top of the address space
  }
  return -abi::kENAMETOOLONG;
}

void unload_page(Process& p, uint32_t va) {
  Process& leader = p.group();
  if (leader.pages.loaded(va) == 0) return;
  if (leader.space != 0) unload_mapping_surely(leader.space, va);
  leader.pages.mark_unloaded(va);
}

void unload_mappings(Process& p, uint32_t start, uint32_t end) {
  Process& leader = p.group();
  leader.pages.for_each_loaded(start, end, [&](uint32_t va, uint32_t, uint32_t loaded) {
    if (loaded == 0) return;
    if (leader.space != 0) unload_mapping_surely(leader.space, va);
    leader.pages.mark_unloaded(va);
  });
}

void drop_pages(Process& p, uint32_t start, uint32_t end) {
  Process& leader = p.group();
  // Only pages that may have a mapping are asked about (an exec after a fork: most of the
  // page map the child inherited was never loaded in its space).
  leader.pages.for_each_loaded(start, end, [&](uint32_t va, uint32_t frame, uint32_t loaded) {
    if (loaded != 0 && leader.space != 0) unload_mapping_surely(leader.space, va);
    leader.pages.clear(va);
    memory().free(frame);
  });
}

}  // namespace unixemu
