// The SRM's disk service (issue 19, for ak-mp3d's paging; paper §3: the SRM holds the
// devices and the kernels it runs page through it): each kernel slot has its own area of
// the disk for paging, and a kernel reaches it a page at a time through a request page of
// its own memory that it and the SRM both map in message mode (paper §2.2).
//
// Connecting: the kernel writes kMagic and the request page's physical address into the
// mailbox of its boot-info page (at kMailboxOffset, after the arguments and the check
// mailbox). The SRM, which looks at its kernels' mailboxes on every wake, checks that the
// page is the kernel's own, maps it in message mode with its own thread to signal, and
// answers with the area's size in pages (0 and a status when it cannot).
// A transfer: the kernel fills op, block and frame (a physical page of its own memory),
// sets request = done + 1 and signals the request page; the SRM moves the page between
// that frame and the disk through its window on the kernel's memory (no copy through the
// kernel), sets status, then done = request, and signals back. One transfer at a time.
// Everything the kernel names is checked: a frame outside its memory or a block outside
// its area is refused (CK_E_ADDRESS, CK_E_ARGUMENT) and nothing moves.
#pragma once

#include "lib/types.h"

namespace ck::disk_mailbox {

inline constexpr u32 kMailboxOffset = 3072;  // in the boot-info page
inline constexpr u32 kMagic = 0x4449534b;    // 'DISK'

struct Mailbox {
  u32 magic;
  u32 request_page;         // physical, page-aligned, in the kernel's memory
  volatile u32 area_pages;  // SRM -> kernel: connected, its area holds this many pages
  volatile i32 status;      // SRM -> kernel: why it could not connect (CK_OK while it has not answered)
};

enum class Op : u32 { Read = 1, Write = 2 };

struct Request {
  volatile u32 request;  // kernel: one more than `done` asks for a transfer
  volatile u32 done;     // SRM: the request answered
  u32 op;                // Op
  u32 block;             // page of the area
  u32 frame;             // physical page of the kernel's memory
  volatile i32 status;   // SRM: CK_OK, CK_E_IO, CK_E_ADDRESS, CK_E_ARGUMENT
  u32 reads, writes;     // SRM: transfers done for this kernel
};

}  // namespace ck::disk_mailbox
