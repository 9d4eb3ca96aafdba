// A small /proc (issue 18 item 5; paper §2: the emulator, not the kernel, knows its
// processes, so it answers for them): /proc/self (a link to the caller's pid),
// /proc/PID/{stat,status,exe}, /proc/PID/task/TID/{stat,status} (each thread's, issue 18
// item 2), /proc/meminfo, /proc/uptime. Nothing is stored: names
// are looked up in, and each file's text is generated on every read from, the emulator's
// state now (as Linux's seq files are). Identifiers are FileTree's synthetic ones:
// kSyntheticBase | pid << 4 | entry.
#pragma once

#include <stdint.h>

#include "file_tree.h"
#include "process.h"

namespace unixemu {

class ProcFs final : public SyntheticTree {
 public:
  uint32_t child(uint32_t dir, const char* name, uint32_t bytes) override;
  NodeType type(uint32_t id) override;
  uint32_t parent(uint32_t id) override;
  bool target(uint32_t id, const char** text, uint32_t* bytes) override;

  // Whose /proc/self it is: the process making the call now.
  void set_caller(const Process* p) { caller_ = p; }
  // The text of file `id` into buf: its length, or -1 when its process is gone.
  int32_t text(uint32_t id, char* buf, uint32_t capacity) const;
  // Entry `index` of directory `dir` (the mount point, a /proc/PID, its task directory or
  // a thread's): its name (into
  // name, NUL-terminated), identifier and type; false past the last.
  bool entry(uint32_t dir, uint32_t index, char* name, uint32_t capacity, uint32_t* id, NodeType* type) const;
  // The process (or the thread, for a /proc/PID/task/TID one) an identifier names, if it
  // is alive.
  const Process* process_of(uint32_t id) const;
  // The identifier's permission bits and type for stat.
  uint32_t mode(uint32_t id);

 private:
  const Process* caller_ = nullptr;
  char link_[16] = {};
};

ProcFs& proc_fs();

}  // namespace unixemu
