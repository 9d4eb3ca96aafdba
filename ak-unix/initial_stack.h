// A new process's initial stack exactly as Linux's create_elf_tables() (fs/binfmt_elf.c)
// builds it for m68k: from the top, a null longword, the program's file name
// (AT_EXECFN), the environment and argument strings, 16 random bytes (AT_RANDOM), then,
// 16-byte aligned, argc, argv[], NULL, envp[], NULL and the auxiliary vector. Written
// into a buffer that stands for the top of the stack. Pure; host-tested.
#pragma once

#include <stdint.h>

namespace unixemu {

struct StackStrings {
  const char* const* items;  // NUL-terminated strings
  uint32_t count;
};

struct ProgramFacts {
  uint32_t entry, phdr, phnum;
  uint32_t uid, gid;
};

class InitialStack {
 public:
  // `memory` stands for the virtual bytes [top - bytes, top).
  InitialStack(uint8_t* memory, uint32_t bytes, uint32_t top) : memory_(memory), bytes_(bytes), top_(top) {}
  // Lays it out; 0 and the stack pointer the program starts with in *sp, or -E2BIG when
  // it does not fit.
  int32_t build(StackStrings argv, StackStrings envp, const char* exec_name, const uint8_t random[16],
                const ProgramFacts& facts, uint32_t* sp);

 private:
  bool push_bytes(const void* data, uint32_t bytes);  // below the cursor
  void put32(uint32_t address, uint32_t value);

  uint8_t* memory_;
  uint32_t bytes_, top_;
  uint32_t cursor_ = 0;  // the lowest address written so far
};

}  // namespace unixemu
