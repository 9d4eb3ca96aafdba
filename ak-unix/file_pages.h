// A writable file's contents as pages (issue 18 item 5; paper §2: the emulator keeps its
// processes' files in its own memory): a radix tree of page handles whose height grows
// with the file (height 0: the root is page 0 itself; each level above it an index page
// of 1024 handles), so a small file costs one page and a sparse one only the pages
// written. Handle 0 is a hole (it reads as zeros, or as the image's bytes beneath it,
// file_tree.h). Pages come from a PageSource: the emulator's frames, or the host tests'
// arrays. Pure; host-tested.
#pragma once

#include <stdint.h>

namespace unixemu {

inline constexpr uint32_t kFilePageBytes = 4096;
inline constexpr uint32_t kHandlesPerIndex = kFilePageBytes / 4;
// Height 2 reaches 1024 * 1024 pages: files of up to 4 GiB.
inline constexpr uint32_t kMaxPageTreeHeight = 2;
inline constexpr uint64_t kMaxFileBytes = static_cast<uint64_t>(kHandlesPerIndex) * kHandlesPerIndex * kFilePageBytes;

// Where pages come from. allocate gives a zeroed page's handle (never 0) or false.
class PageSource {
 public:
  virtual bool allocate(uint32_t* handle) = 0;
  virtual void release(uint32_t handle) = 0;
  virtual uint8_t* at(uint32_t handle) = 0;

 protected:
  ~PageSource() = default;
};

struct PageTree {
  uint32_t root = 0;   // 0: no page at all
  uint8_t height = 0;  // pages reachable: 1024^height
};

namespace file_pages {

// The handle of page `index`, or 0 (a hole).
uint32_t lookup(const PageTree& tree, PageSource& source, uint32_t index);
// The handle of page `index`, allocated (zeroed) with the index pages on its way if it
// was a hole (*fresh then true); 0 when the source has no page left (nothing leaks: index
// pages allocated on the way stay in the tree, empty, and are freed with it).
uint32_t materialize(PageTree& tree, PageSource& source, uint32_t index, bool* fresh);
// Frees every page at or after `first` (index pages left empty go too).
void release_from(PageTree& tree, PageSource& source, uint32_t first);
// The pages the tree holds, index pages included.
uint32_t count(const PageTree& tree, PageSource& source);

}  // namespace file_pages

}  // namespace unixemu
