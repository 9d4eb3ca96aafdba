// The initial stack (initial_stack.h).
#include "initial_stack.h"

#include "lib/endian.h"
#include "linux_abi.h"

namespace unixemu {

namespace abi = linux_abi;

namespace {
uint32_t length_with_nul(const char* s) {
  uint32_t n = 0;
  while (s[n] != '\0') ++n;
  return n + 1;
}
}  // namespace

bool InitialStack::push_bytes(const void* data, uint32_t bytes) {
  if (bytes > cursor_ - (top_ - bytes_)) return false;
  cursor_ -= bytes;
  const auto* from = static_cast<const uint8_t*>(data);
  for (uint32_t i = 0; i < bytes; ++i) memory_[cursor_ - (top_ - bytes_) + i] = from[i];
  return true;
}

void InitialStack::put32(uint32_t address, uint32_t value) {
  ck::store_be32(memory_ + (address - (top_ - bytes_)), value);
}

int32_t InitialStack::build(StackStrings argv, StackStrings envp, const char* exec_name, const uint8_t random[16],
                            const ProgramFacts& facts, uint32_t* sp) {
  cursor_ = top_;
  const uint32_t zero = 0;
  // bprm->p starts a pointer below the top; the file name, then the strings, each set
  // copied last to first so that they lie in order (copy_strings).
  bool ok = push_bytes(&zero, 4) && push_bytes(exec_name, length_with_nul(exec_name));
  const uint32_t exec_fn = cursor_;
  for (uint32_t i = envp.count; ok && i-- > 0;) ok = push_bytes(envp.items[i], length_with_nul(envp.items[i]));
  const uint32_t env_strings = cursor_;
  for (uint32_t i = argv.count; ok && i-- > 0;) ok = push_bytes(argv.items[i], length_with_nul(argv.items[i]));
  const uint32_t arg_strings = cursor_;
  ok = ok && push_bytes(random, 16);
  const uint32_t random_at = cursor_;
  if (!ok) return -abi::kE2BIG;

  const uint32_t aux[][2] = {
      {abi::kAT_HWCAP, 0},         {abi::kAT_PAGESZ, 4096},    {abi::kAT_CLKTCK, abi::kClockTicks},
      {abi::kAT_PHDR, facts.phdr}, {abi::kAT_PHENT, 32},       {abi::kAT_PHNUM, facts.phnum},
      {abi::kAT_BASE, 0},          {abi::kAT_FLAGS, 0},        {abi::kAT_ENTRY, facts.entry},
      {abi::kAT_UID, facts.uid},   {abi::kAT_EUID, facts.uid}, {abi::kAT_GID, facts.gid},
      {abi::kAT_EGID, facts.gid},  {abi::kAT_SECURE, 0},       {abi::kAT_RANDOM, random_at},
      {abi::kAT_EXECFN, exec_fn},  {abi::kAT_NULL, 0},
  };
  constexpr uint32_t kAuxWords = sizeof aux / sizeof aux[0] * 2;
  const uint32_t words = 1 + (argv.count + 1) + (envp.count + 1) + kAuxWords;
  // STACK_ROUND: the vector starts 16-byte aligned.
  const uint32_t start = (cursor_ - words * 4) & ~15u;
  if (start < top_ - bytes_ || start > cursor_) return -abi::kE2BIG;
  uint32_t at = start;
  put32(at, argv.count);
  at += 4;
  for (uint32_t i = 0, s = arg_strings; i < argv.count; s += length_with_nul(argv.items[i]), ++i, at += 4) put32(at, s);
  put32(at, 0);
  at += 4;
  for (uint32_t i = 0, s = env_strings; i < envp.count; s += length_with_nul(envp.items[i]), ++i, at += 4) put32(at, s);
  put32(at, 0);
  at += 4;
  for (const auto& pair : aux) {
    put32(at, pair[0]);
    put32(at + 4, pair[1]);
    at += 8;
  }
  // The gap the alignment left between the vector and the random bytes is zero.
  for (; at < cursor_; ++at) memory_[at - (top_ - bytes_)] = 0;
  *sp = start;
  return 0;
}

}  // namespace unixemu
