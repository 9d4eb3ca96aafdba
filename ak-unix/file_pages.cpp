// A file's page tree (file_pages.h).
#include "file_pages.h"

namespace unixemu::file_pages {

namespace {

// Pages one handle at `height` spans (height 0: the page itself).
constexpr uint32_t span(uint32_t height) {
  uint32_t s = 1;
  for (uint32_t h = 0; h < height; ++h) s *= kHandlesPerIndex;
  return s;
}

// An index page's handles (pages are page-aligned, so the words are).
uint32_t* slots(PageSource& source, uint32_t handle) {
  return static_cast<uint32_t*>(static_cast<void*>(source.at(handle)));
}

// Frees what `handle` (at `height`, its first page `base`) holds at or after `first`;
// true when the handle itself went (everything under it was at or after `first`).
bool release_below(PageSource& source, uint32_t handle, uint32_t height, uint32_t base, uint32_t first) {
  if (handle == 0) return true;
  if (height == 0) {
    if (base < first) return false;
    source.release(handle);
    return true;
  }
  const uint32_t child_span = span(height - 1);
  bool all_gone = true;
  uint32_t* s = slots(source, handle);
  for (uint32_t i = 0; i < kHandlesPerIndex; ++i) {
    const uint32_t child_base = base + i * child_span;
    if (child_base + child_span <= first) {  // wholly before the cut: kept
      all_gone = all_gone && s[i] == 0;
      continue;
    }
    if (release_below(source, s[i], height - 1, child_base, first))
      s[i] = 0;
    else
      all_gone = false;
  }
  if (!all_gone) return false;
  source.release(handle);
  return true;
}

uint32_t count_below(PageSource& source, uint32_t handle, uint32_t height) {
  if (handle == 0) return 0;
  if (height == 0) return 1;
  uint32_t n = 1;
  const uint32_t* s = slots(source, handle);
  for (uint32_t i = 0; i < kHandlesPerIndex; ++i) n += count_below(source, s[i], height - 1);
  return n;
}

}  // namespace

uint32_t lookup(const PageTree& tree, PageSource& source, uint32_t index) {
  if (index >= span(tree.height)) return 0;
  uint32_t handle = tree.root;
  for (uint32_t h = tree.height; h > 0 && handle != 0; --h) {
    const uint32_t child_span = span(h - 1);
    handle = slots(source, handle)[index / child_span];
    index %= child_span;
  }
  return handle;
}

uint32_t materialize(PageTree& tree, PageSource& source, uint32_t index, bool* fresh) {
  *fresh = false;
  // Taller first, until the tree reaches `index`: the old root becomes slot 0.
  while (index >= span(tree.height)) {
    if (tree.height == kMaxPageTreeHeight) return 0;
    if (tree.root != 0) {
      uint32_t top;
      if (!source.allocate(&top)) return 0;
      slots(source, top)[0] = tree.root;
      tree.root = top;
    }
    tree.height += 1;
  }
  uint32_t* link = &tree.root;
  for (uint32_t h = tree.height;; --h) {
    if (*link == 0) {
      uint32_t page;
      if (!source.allocate(&page)) return 0;
      *link = page;
      if (h == 0) *fresh = true;
    }
    if (h == 0) return *link;
    const uint32_t child_span = span(h - 1);
    link = &slots(source, *link)[index / child_span];
    index %= child_span;
  }
}

void release_from(PageTree& tree, PageSource& source, uint32_t first) {
  if (release_below(source, tree.root, tree.height, 0, first)) {
    tree.root = 0;
    tree.height = 0;
  }
}

uint32_t count(const PageTree& tree, PageSource& source) { return count_below(source, tree.root, tree.height); }

}  // namespace unixemu::file_pages
