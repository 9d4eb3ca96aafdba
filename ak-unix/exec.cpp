// Loading programs (exec.h).
#include "exec.h"

#include <string.h>

#include "emulator.h"
#include "file_tree.h"
#include "initial_stack.h"
#include "lib/str.h"
#include "libak.h"
#include "linux_abi.h"
#include "user_memory.h"

namespace unixemu {

namespace abi = linux_abi;

namespace {
constexpr uint32_t kStackBytes = 8 * 1024 * 1024;  // RLIMIT_STACK's default
constexpr uint32_t kStackBuildBytes = 64 * 1024;   // strings and vectors of the initial stack
uint8_t g_stack_build[kStackBuildBytes];
}  // namespace

int32_t find_program(uint32_t cwd, const char* path, uint32_t length, uint32_t* node, Program* program) {
  if (const int32_t s = file_tree().resolve(cwd, path, length, true, node); s != 0) return s;
  if (FileTree::synthetic(*node)) return -abi::kEACCES;  // /proc's files are not programs
  const Node& file = file_tree().node(*node);
  if (file.type != NodeType::File || (file.mode & 0111) == 0) return -abi::kEACCES;
  if (file.size > 0xffffffffu) return -abi::kENOEXEC;
  // The headers from the file's first page as it is now (the image's, or written).
  static uint8_t head[kPageBytes];
  uint32_t head_bytes = 0;
  while (head_bytes < sizeof head) {
    const Piece piece = file_tree().piece(*node, head_bytes, sizeof head - head_bytes);
    if (piece.n == 0) break;
    memcpy(head + head_bytes, piece.bytes, piece.n);
    head_bytes += piece.n;
  }
  if (const int32_t s = program->parse(head, head_bytes, static_cast<uint32_t>(file.size)); s != 0) {
    ak::print("unix: {}: cannot run it: {}\n", ck::StrView(path, length), ck::StrView(program->why()));
    return s;
  }
  return 0;
}

void drop_image(Process& p) {
  drop_pages(p, 0, abi::kStackTop);
  p.regions.clear();
}

int32_t load_image(Process& p, uint32_t node, const Program& program, const char* path, ExecArgs args, uint32_t* pc,
                   uint32_t* sp) {
  for (uint32_t i = 0; i < program.segment_count(); ++i) {
    const ProgramSegment& s = program.segment(i);
    Region r;
    r.start = page_down(s.vaddr);
    r.end = page_up(s.vaddr + s.memory_bytes);
    r.prot = s.prot;
    r.kind = RegionKind::File;
    r.file_node = node;
    r.file_offset = page_down(s.offset);
    r.file_bytes = s.vaddr + s.file_bytes - r.start;
    r.file_end_page = r.end - r.start;  // bss reads as zero, never SIGBUS
    if (!p.regions.insert(r)) return -abi::kENOMEM;
  }
  Region stack;
  stack.start = abi::kStackTop - kStackBytes;
  stack.end = abi::kStackTop;
  stack.prot = abi::kPROT_READ | abi::kPROT_WRITE;
  stack.kind = RegionKind::Stack;
  if (!p.regions.insert(stack)) return -abi::kENOMEM;
  p.brk_start = p.brk = program.end();
  ck::copy_terminated(ck::StrView(path), p.exe, sizeof p.exe);

  uint8_t random[16];
  random_bytes(random, sizeof random);
  InitialStack builder(g_stack_build, kStackBuildBytes, abi::kStackTop);
  const ProgramFacts facts{
      .entry = program.entry(), .phdr = program.phdr_address(), .phnum = program.phdr_count(), .uid = 0, .gid = 0};
  if (const int32_t s = builder.build(StackStrings{args.argv, args.argc}, StackStrings{args.envp, args.envc}, path,
                                      random, facts, sp);
      s != 0)
    return s;
  if (const int32_t s =
          copy_out(p, *sp, g_stack_build + (*sp - (abi::kStackTop - kStackBuildBytes)), abi::kStackTop - *sp);
      s != 0)
    return s;
  *pc = program.entry();
  return 0;
}

}  // namespace unixemu
