// The UNIX emulator's ELF program parser (ak-unix/program.h) and initial stack builder
// (ak-unix/initial_stack.h), on programs laid out as m68k-linux-gnu-gcc -static lays
// them out (DESIGN.md §6).
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "initial_stack.h"
#include "lib/endian.h"
#include "linux_abi.h"
#include "program.h"

namespace unixemu {
namespace {

namespace abi = linux_abi;

struct Phdr {
  uint32_t type, offset, vaddr, filesz, memsz, flags;
};

// An ELF32 big-endian m68k ET_EXEC with these program headers right after the header.
std::vector<uint8_t> elf(const std::vector<Phdr>& phdrs, uint32_t entry, uint32_t size = 0x8000, uint16_t machine = 4,
                         uint16_t type = 2) {
  std::vector<uint8_t> b(size, 0);
  const uint8_t ident[] = {0x7f, 'E', 'L', 'F', 1, 2, 1};
  std::copy(ident, ident + sizeof ident, b.begin());
  ck::store_be16(&b[16], type);
  ck::store_be16(&b[18], machine);
  ck::store_be32(&b[24], entry);
  ck::store_be32(&b[28], 52);
  ck::store_be16(&b[42], 32);
  ck::store_be16(&b[44], static_cast<uint16_t>(phdrs.size()));
  for (size_t i = 0; i < phdrs.size(); ++i) {
    uint8_t* p = &b[52 + 32 * i];
    ck::store_be32(p, phdrs[i].type);
    ck::store_be32(p + 4, phdrs[i].offset);
    ck::store_be32(p + 8, phdrs[i].vaddr);
    ck::store_be32(p + 16, phdrs[i].filesz);
    ck::store_be32(p + 20, phdrs[i].memsz);
    ck::store_be32(p + 24, phdrs[i].flags);
  }
  return b;
}

constexpr uint32_t kLoad = 1, kTls = 7, kRX = 5, kRW = 6;

std::vector<Phdr> typical() {
  return {{kLoad, 0, 0x80000000, 0x3000, 0x3000, kRX},
          {kLoad, 0x3214, 0x80005214, 0x1000, 0x2c70, kRW},
          {kTls, 0x3214, 0x80005214, 0xc, 0x2e, 4}};
}

TEST(UnixProgram, ParsesAStaticProgram) {
  const std::vector<uint8_t> b = elf(typical(), 0x800002d4);
  Program p;
  ASSERT_EQ(p.parse(b.data(), static_cast<uint32_t>(b.size())), 0) << p.why();
  EXPECT_EQ(p.entry(), 0x800002d4u);
  ASSERT_EQ(p.segment_count(), 2u);
  EXPECT_EQ(p.segment(0).prot, abi::kPROT_READ | abi::kPROT_EXEC);
  EXPECT_EQ(p.segment(1).prot, abi::kPROT_READ | abi::kPROT_WRITE);
  EXPECT_EQ(p.segment(1).vaddr, 0x80005214u);
  EXPECT_EQ(p.phdr_address(), 0x80000034u);  // inside the first segment's file part
  EXPECT_EQ(p.phdr_count(), 3u);
  EXPECT_EQ(p.end(), 0x80008000u);  // 0x80005214 + 0x2c70, rounded up
}

TEST(UnixProgram, RefusesWhatItCannotRun) {
  Program p;
  const auto refused = [&](const std::vector<uint8_t>& b) {
    return p.parse(b.data(), static_cast<uint32_t>(b.size())) == -abi::kENOEXEC;
  };
  EXPECT_TRUE(refused(elf(typical(), 0x800002d4, 0x8000, 3)));     // i386
  EXPECT_TRUE(refused(elf(typical(), 0x800002d4, 0x8000, 4, 3)));  // ET_DYN
  EXPECT_TRUE(refused(elf(typical(), 0x80005300)));                // entry in the data segment
  std::vector<Phdr> interp = typical();
  interp.push_back({3, 0x100, 0x80000100, 20, 20, 4});
  EXPECT_TRUE(refused(elf(interp, 0x800002d4)));
  std::vector<Phdr> outside = typical();
  outside[1].filesz = 0x10000;  // past the file's end
  EXPECT_TRUE(refused(elf(outside, 0x800002d4)));
  std::vector<Phdr> misaligned = typical();
  misaligned[1].vaddr += 4;
  EXPECT_TRUE(refused(elf(misaligned, 0x800002d4)));
  std::vector<Phdr> overlap = typical();
  overlap[1].vaddr = 0x80002214;
  EXPECT_TRUE(refused(elf(overlap, 0x800002d4)));
  std::vector<Phdr> high = typical();
  high[1].vaddr = 0xeffff214;
  EXPECT_TRUE(refused(elf(high, 0x800002d4)));
  std::vector<uint8_t> b = elf(typical(), 0x800002d4);
  b[5] = 1;  // little-endian
  EXPECT_TRUE(refused(b));
  EXPECT_TRUE(refused(std::vector<uint8_t>(b.begin(), b.begin() + 40)));
  for (uint32_t cut = 0; cut < 52 + 3 * 32; ++cut) EXPECT_EQ(p.parse(b.data(), cut), -abi::kENOEXEC) << cut;
}

TEST(UnixInitialStack, LaysOutArgvEnvpAuxvAsLinux) {
  constexpr uint32_t kTop = 0xf0000000, kBytes = 4096;
  std::vector<uint8_t> mem(kBytes, 0xee);
  InitialStack stack(mem.data(), kBytes, kTop);
  const char* argv[] = {"/tests/x", "one"};
  const char* envp[] = {"PATH=/bin", "HOME=/"};
  uint8_t random[16];
  for (int i = 0; i < 16; ++i) random[i] = static_cast<uint8_t>(i + 1);
  uint32_t sp = 0;
  ASSERT_EQ(stack.build({argv, 2}, {envp, 2}, "/tests/x", random,
                        ProgramFacts{.entry = 0x800002d4, .phdr = 0x80000034, .phnum = 6, .uid = 0, .gid = 0}, &sp),
            0);
  EXPECT_EQ(sp % 16, 0u);
  const auto word = [&](uint32_t va) { return ck::load_be32(&mem[va - (kTop - kBytes)]); };
  const auto string = [&](uint32_t va) {
    return std::string(reinterpret_cast<const char*>(&mem[va - (kTop - kBytes)]));
  };
  EXPECT_EQ(word(sp), 2u);
  EXPECT_EQ(string(word(sp + 4)), "/tests/x");
  EXPECT_EQ(string(word(sp + 8)), "one");
  EXPECT_EQ(word(sp + 12), 0u);
  EXPECT_EQ(string(word(sp + 16)), "PATH=/bin");
  EXPECT_EQ(string(word(sp + 20)), "HOME=/");
  EXPECT_EQ(word(sp + 24), 0u);
  // The strings lie in order, argv then envp then the file name, a null word at the top.
  EXPECT_LT(word(sp + 4), word(sp + 8));
  EXPECT_LT(word(sp + 8), word(sp + 16));
  EXPECT_EQ(word(kTop - 4), 0u);
  std::map<uint32_t, uint32_t> aux;
  uint32_t at = sp + 28;
  for (;; at += 8) {
    aux[word(at)] = word(at + 4);
    if (word(at) == abi::kAT_NULL) break;
  }
  EXPECT_EQ(aux[abi::kAT_PAGESZ], 4096u);
  EXPECT_EQ(aux[abi::kAT_PHDR], 0x80000034u);
  EXPECT_EQ(aux[abi::kAT_PHENT], 32u);
  EXPECT_EQ(aux[abi::kAT_PHNUM], 6u);
  EXPECT_EQ(aux[abi::kAT_ENTRY], 0x800002d4u);
  EXPECT_EQ(aux[abi::kAT_BASE], 0u);
  EXPECT_EQ(aux[abi::kAT_CLKTCK], 100u);
  EXPECT_EQ(aux[abi::kAT_SECURE], 0u);
  EXPECT_EQ(string(aux[abi::kAT_EXECFN]), "/tests/x");
  for (int i = 0; i < 16; ++i) EXPECT_EQ(mem[aux[abi::kAT_RANDOM] - (kTop - kBytes) + i], i + 1);
  for (uint32_t key : {abi::kAT_UID, abi::kAT_EUID, abi::kAT_GID, abi::kAT_EGID, abi::kAT_HWCAP})
    EXPECT_TRUE(aux.count(key)) << key;
}

TEST(UnixInitialStack, TooMuchIsE2bigAndWritesNothingOutside) {
  constexpr uint32_t kTop = 0xf0000000, kBytes = 256;
  std::vector<uint8_t> guard(kBytes + 64, 0xee);
  InitialStack stack(guard.data() + 32, kBytes, kTop);
  const std::string big(300, 'x');
  const char* argv[] = {big.c_str()};
  uint8_t random[16] = {};
  uint32_t sp;
  EXPECT_EQ(stack.build({argv, 1}, {nullptr, 0}, "/p", random, ProgramFacts{}, &sp), -abi::kE2BIG);
  for (int i = 0; i < 32; ++i) EXPECT_EQ(guard[i], 0xee);
  for (size_t i = 32 + kBytes; i < guard.size(); ++i) EXPECT_EQ(guard[i], 0xee);
}

}  // namespace
}  // namespace unixemu
