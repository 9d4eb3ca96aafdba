// Program pages shared read-only (issue 18 item 11): a page of a file that a process maps
// without write access (a program's text and read-only data, a private read-only mmap)
// and whose bytes are still the root image's is filled once and then shared, one more
// frame reference per process that maps it, instead of copied out of the cpio archive at
// every exec's first touch of it. The image never changes, so a page is named by where
// its bytes lie in the image, their offset (and how many there are: the rest of the frame
// is zeros):
// a file written since reads elsewhere (FileTree::image_bytes) and never meets a stale
// page. The cache holds one reference to each frame it keeps; frames that only it holds
// go back when the emulator runs out (Memory's reclaim), so it never costs a process
// memory. A process writing such a page (after mprotect) gets a copy: the frame is
// shared, so copy-on-write applies as after fork.
#pragma once

#include <stdint.h>

namespace unixemu {

// The frame holding the `n` bytes at offset `at` of the file tree's image (n <= a page)
// and zeros after them, with one reference taken for the caller; `code`: instruction
// fetches must see it (CK_SYNC_CODE once). 0, -ENOMEM when no frame is left, or -EIO when
// the image could not be read.
int32_t image_page(uint32_t at, uint32_t n, bool code, uint32_t* frame);

// Gives back every frame the cache alone holds; false when there was none.
bool release_image_pages();

}  // namespace unixemu
