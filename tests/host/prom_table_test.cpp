// The PROM image's table of application kernels (kernel/prom_table.cpp): what the Cache
// Kernel and the SRM accept, and what they refuse.
#include "prom_table.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

namespace ck {
namespace {

// A table of two images, "srm" ("ELF-A") and "worker-with-name" ("ELF-BB").
struct TableBuilder {
  ck_prom_table table{.magic = CK_PROM_MAGIC, .count = 2, .bytes = 160, .reserved = 0};
  ck_prom_entry entries[2]{};
  std::vector<u32> words = std::vector<u32>(64, 0);
  TableBuilder() {
    std::strcpy(entries[0].name, "srm");
    entries[0].offset = 96;
    entries[0].bytes = 5;
    std::memcpy(entries[1].name, "worker-with-name", 16);  // a full name has no NUL
    entries[1].offset = 112;
    entries[1].bytes = 6;
  }
  // The table as bytes, aligned as the image's is.
  u8* bytes() {
    u8* b = reinterpret_cast<u8*>(words.data());
    std::memcpy(b, &table, sizeof table);
    std::memcpy(b + sizeof table, entries, sizeof entries);
    std::memcpy(b + 96, "ELF-A", 5);
    std::memcpy(b + 112, "ELF-BB", 6);
    return b;
  }
  bool parses() {
    PromTable t;
    return t.parse(bytes(), 256);
  }
};

TEST(PromTable, ListsAndFindsItsImages) {
  TableBuilder b;
  PromTable t;
  ASSERT_TRUE(t.parse(b.bytes(), 256));
  EXPECT_EQ(t.count(), 2u);
  EXPECT_EQ(t.size(), 160u);
  EXPECT_EQ(t.image(0).name, StrView("srm"));
  EXPECT_EQ(std::memcmp(t.image(0).elf, "ELF-A", 5), 0);
  PromImage w;
  ASSERT_TRUE(t.find("worker-with-name", &w));
  EXPECT_EQ(w.bytes, 6u);
  EXPECT_EQ(std::memcmp(w.elf, "ELF-BB", 6), 0);
  EXPECT_FALSE(t.find("worker", &w));
  EXPECT_EQ(t.image(2).elf, nullptr) << "past the end: nothing";
}

TEST(PromTable, RefusesWhatIsNotATable) {
  {
    TableBuilder b;
    b.table.magic ^= 1;
    EXPECT_FALSE(b.parses()) << "magic";
  }
  {
    TableBuilder b;
    b.table.count = 0;
    EXPECT_FALSE(b.parses()) << "no images";
  }
  {
    TableBuilder b;
    b.table.bytes = 300;
    EXPECT_FALSE(b.parses()) << "larger than what holds it";
  }
  {
    TableBuilder b;
    b.entries[1].bytes = 60;
    EXPECT_FALSE(b.parses()) << "an image past the table's end";
  }
  {
    TableBuilder b;
    b.entries[1].offset = 0xfffffff0;
    EXPECT_FALSE(b.parses()) << "an offset that wraps";
  }
  {
    TableBuilder b;
    b.entries[0].name[0] = '\0';
    EXPECT_FALSE(b.parses()) << "a nameless image";
  }
  {
    TableBuilder b;
    b.table.count = 5;
    b.table.bytes = 100;
    EXPECT_FALSE(b.parses()) << "entries beyond the table";
  }
  PromTable t;
  EXPECT_FALSE(t.parse(nullptr, 0));
  TableBuilder b;
  EXPECT_FALSE(t.parse(b.bytes() + 2, 200)) << "unaligned";
}

}  // namespace
}  // namespace ck
