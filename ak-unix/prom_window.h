// The emulator's windows on the PROM table (paper §2.1, §4.1; image_reader.h). The
// root file system is read where it lies in the PROM, through 16 pages of the
// emulator's space each mapping one page of the table at a time, locked (an exception
// handler reads files and must not fault itself). A page not in a window takes the
// least recently used one: its mapping is unloaded and the new page's loaded. So the
// emulator holds 16 PROM mappings in the Cache Kernel however large the image is, and a
// small mapping cache still runs it (issue 17 item 1's small-caches test). Started paged,
// the emulator keeps no windows: the table lies whole at kBase, mapped by the SRM.
#pragma once

#include <stdint.h>

#include "ck/abi.h"
#include "image_reader.h"

namespace unixemu {

class PromWindow final : public ImageReader {
 public:
  static constexpr uint32_t kSlots = 16;
  static_assert(kSlots >= 2 * kViewsKept, "a view must survive kViewsKept others");
  // Where the windows are in the emulator's space (after its memory window).
  static constexpr uint32_t kBase = 0x50000000;

  // The table is `bytes` long at physical address `physical` (page-aligned), mapped into
  // `space`. Nothing is mapped until it is read. `paged` (the emulator started paged:
  // ck_boot_info::paged_prom, which is kBase): the SRM maps the whole table there, page
  // for page, as the emulator touches it, and no window is kept.
  void init(ck_id space, uint32_t physical, uint32_t bytes, bool paged);
  const uint8_t* view(uint32_t offset, uint32_t* n) override;
  uint32_t bytes() const override { return bytes_; }
  // How many times a window was moved to another page (a measure of the image's
  // working set against kSlots).
  uint32_t moves() const { return moves_; }

 private:
  static constexpr uint32_t kNoPage = 0xffffffffu;
  struct Slot {
    uint32_t page = kNoPage;  // the table's page it maps
    uint32_t used = 0;        // when it was last viewed (0: never)
  };
  // The slot mapping table page `page`, moved there if need be; kSlots when the Cache
  // Kernel refused the mapping.
  uint32_t slot_for(uint32_t page);

  ck_id space_ = 0;
  uint32_t physical_ = 0, bytes_ = 0;
  bool paged_ = false;
  Slot slots_[kSlots];
  uint32_t last_ = 0;   // the slot viewed last (the common case: the same page again)
  uint32_t clock_ = 0;  // view stamps
  uint32_t moves_ = 0;
};

// The emulator's one window set (unix.cpp initialises it).
PromWindow& prom_window();

}  // namespace unixemu
