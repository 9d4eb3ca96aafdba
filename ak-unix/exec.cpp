// Loading programs (exec.h).
#include "exec.h"

#include <string.h>

#include "emulator.h"
#include "file_tree.h"
#include "initial_stack.h"
#include "lib/str.h"
#include "libak.h"
#include "linux_abi.h"
#include "physical_memory.h"
#include "script.h"
#include "user_memory.h"

namespace unixemu {

namespace abi = linux_abi;

namespace {
constexpr uint32_t kStackBytes = 8 * 1024 * 1024;  // RLIMIT_STACK's default
constexpr uint32_t kStackBuildBytes = 64 * 1024;   // strings and vectors of the initial stack
uint8_t g_stack_build[kStackBuildBytes];
}  // namespace

int32_t check_executable(uint32_t cwd, const char* path, uint32_t length, uint32_t* node) {
  if (const int32_t s = file_tree().resolve(cwd, path, length, true, node); s != 0) return s;
  if (FileTree::synthetic(*node)) return -abi::kEACCES;  // /proc's files are not programs
  const Node& file = file_tree().node(*node);
  if (file.type != NodeType::File || (file.mode & 0111) == 0) return -abi::kEACCES;
  return 0;
}

namespace {

// The file's first page as it is now (the image's, or written).
uint32_t read_head(uint32_t node, uint8_t* head, uint32_t capacity) {
  uint32_t bytes = 0;
  while (bytes < capacity) {
    const Piece piece = file_tree().piece(node, bytes, capacity - bytes);
    if (piece.n == 0) break;  // (unreadable: a short head, refused as no program)
    memcpy(head + bytes, piece.bytes, piece.n);
    bytes += piece.n;
  }
  return bytes;
}

// Each script level's interpreter line (the next level's path points into it) and the
// rewritten argument vector (rewritten in place, level after level).
char g_script_lines[kMaxScriptDepth + 1][kScriptHeadBytes + 1];
constexpr uint32_t kScriptVectors = 1024;
const char* g_script_argv[kScriptVectors];

}  // namespace

int32_t find_executable(uint32_t cwd, const char* path, uint32_t length, ExecArgs* args, uint32_t* node,
                        Program* program, const char** program_path) {
  static uint8_t head[kPageBytes];
  const char* current = path;
  uint32_t current_length = length;
  for (uint32_t depth = 0;; ++depth) {
    const Node& file = file_tree().node(*node);
    if (file.size > 0xffffffffu) return -abi::kENOEXEC;
    const uint32_t head_bytes = read_head(*node, head, sizeof head);
    InterpreterLine line;
    const ScriptKind kind = parse_interpreter_line(head, head_bytes, g_script_lines[depth], &line);
    if (kind == ScriptKind::Malformed) return -abi::kENOEXEC;
    if (kind == ScriptKind::NotScript) {
      if (const int32_t s = program->parse(head, head_bytes, static_cast<uint32_t>(file.size)); s != 0) {
        ak::print("unix: {}: cannot run it: {}\n", ck::StrView(current, current_length), ck::StrView(program->why()));
        return s;
      }
      *program_path = current;
      return 0;
    }
    if (depth == kMaxScriptDepth) return -abi::kELOOP;
    if (depth == 0 && args->execfn == nullptr) args->execfn = path;
    const int32_t argc = script_arguments(line, current, args->argv, args->argc, g_script_argv, kScriptVectors);
    if (argc < 0) return -abi::kE2BIG;
    args->argv = g_script_argv;
    args->argc = static_cast<uint32_t>(argc);
    current = line.interpreter;
    current_length = static_cast<uint32_t>(strlen(current));
    if (const int32_t s = check_executable(cwd, current, current_length, node); s != 0) return s;
  }
}

namespace {

// Linux's __set_task_comm(kbasename(filename)): the last component, cut to 15 bytes.
void set_comm(Process& p, const char* path) {
  const char* base = path;
  for (const char* c = path; *c != '\0'; ++c)
    if (*c == '/') base = c + 1;
  const ck::StrView name(base);
  ck::copy_terminated(name.substr(0, sizeof p.group().comm - 1), p.group().comm, sizeof p.group().comm);
}

}  // namespace

void drop_image(Process& p, KeptMappings* kept) {
  Process& leader = p.group();
  kept->count = 0;
  // Only pages that may have a mapping are asked about (PageMap's load bits).
  leader.pages.for_each_loaded(0, abi::kStackTop, [&](uint32_t va, uint32_t frame, uint32_t loaded) {
    leader.pages.clear(va);
    if (leader.space != 0 && loaded == PageMap::kLoaded && kept->count < KeptMappings::kMax) {
      kept->va[kept->count] = va;
      kept->frame[kept->count++] = frame;  // the page's reference, now the kept mapping's
      return;
    }
    if (loaded != 0 && leader.space != 0) unload_mapping_surely(leader.space, va);
    memory().free(frame);
  });
  leader.regions.clear();
}

void settle_kept_mappings(Process& p, KeptMappings& kept, bool keep) {
  Process& leader = p.group();
  for (uint32_t i = 0; i < kept.count; ++i) {
    const uint32_t va = kept.va[i];
    uint32_t frame;
    const Region* r = nullptr;
    // The frame the new image's first read of the page gets (made resident now: a shared
    // frame, no copy), and the rights its fault would map it with.
    const bool same = keep && leader.space != 0 && resident_frame(p, va, Touch::Read, &frame, nullptr, &r) == 0 &&
                      frame == kept.frame[i] && !writable_now(*r, frame);
    if (same)
      leader.pages.mark_loaded(va, false);
    else if (leader.space != 0)
      unload_mapping_surely(leader.space, va);
    memory().free(kept.frame[i]);
  }
  kept.count = 0;
}

void preload_image(Process& p, uint32_t pc, uint32_t sp) {
  Process& leader = p.group();
  if (leader.space == 0) return;
  const auto load = [&](uint32_t va, Touch touch) {
    // Kept from the old image (settle_kept_mappings: the same frame, read-only, as a
    // read-only text page's fault would load it).
    if (leader.pages.loaded(page_down(va)) != 0) return;
    uint32_t frame;
    const Region* r = nullptr;
    if (resident_frame(p, va, touch, &frame, nullptr, &r) != 0) return;
    const bool writable = writable_now(*r, frame);
    // Recorded first, as a fault's load is (PageMap's load bits never miss a mapping).
    leader.pages.mark_loaded(page_down(va), writable);
    // The stack's pages are written at once (the program's first pushes): loaded
    // modified, so that the first write does not trap to record it.
    ak::load_mapping(leader.space, page_down(va), frame, writable ? CK_MAP_WRITE | CK_MAP_MODIFIED : 0);
  };
  load(pc, Touch::Execute);
  for (uint32_t va = page_down(sp); va < abi::kStackTop; va += kPageBytes) load(va, Touch::Write);
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
    if (!p.group().regions.insert(r)) return -abi::kENOMEM;
  }
  Region stack;
  stack.start = abi::kStackTop - kStackBytes;
  stack.end = abi::kStackTop;
  stack.prot = abi::kPROT_READ | abi::kPROT_WRITE;
  stack.kind = RegionKind::Stack;
  if (!p.group().regions.insert(stack)) return -abi::kENOMEM;
  p.group().brk_start = p.group().brk = program.end();
  // /proc/self/exe: the file's absolute path, links resolved, as Linux's d_path gives it
  // (static glibc's _dl_get_origin asserts that it starts with '/').
  if (file_tree().path_of(node, p.group().exe, sizeof p.group().exe) == 0)
    ck::copy_terminated(ck::StrView(path), p.group().exe, sizeof p.group().exe);
  set_comm(p, args.execfn != nullptr ? args.execfn : path);

  uint8_t random[16];
  random_bytes(random, sizeof random);
  InitialStack builder(g_stack_build, kStackBuildBytes, abi::kStackTop);
  const ProgramFacts facts{
      .entry = program.entry(), .phdr = program.phdr_address(), .phnum = program.phdr_count(), .uid = 0, .gid = 0};
  if (const int32_t s = builder.build(StackStrings{args.argv, args.argc}, StackStrings{args.envp, args.envc},
                                      args.execfn != nullptr ? args.execfn : path, random, facts, sp);
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
