// The SRM's console commands (commands.h).
#include "commands.h"

#include "console_focus.h"
#include "kernels.h"
#include "lib/str.h"
#include "swap.h"

namespace srm {

namespace {

uint64_t g_sleep_until = 0;
bool g_wait_for_kernels = false;
bool g_shutdown = false;

// The words of a line, one at a time.
class Words {
 public:
  explicit Words(StrView text) : text_(text) {}
  bool next(StrView* word) {
    while (at_ < text_.size() && text_[at_] == ' ') ++at_;
    if (at_ == text_.size()) return false;
    const uint32_t start = at_;
    while (at_ < text_.size() && text_[at_] != ' ') ++at_;
    *word = text_.substr(start, at_ - start);
    return true;
  }
  StrView rest() const { return text_.substr(at_, text_.size()); }

 private:
  StrView text_;
  uint32_t at_ = 0;
};

bool number_between(StrView text, uint32_t low, uint32_t high, uint32_t* out) {
  uint32_t v;
  if (!ck::parse_u32(text, &v) || v < low || v > high) return false;
  *out = v;
  return true;
}

// `start NAME [mem=G] [cpu=P] [prio=N] [restart] [faults=keep] [paged] [ARG...]`: the grant options are the
// SRM's, the rest go to the kernel.
void start(Words& words) {
  StrView name, word;
  if (!words.next(&name)) {
    say("start: which image? (`images` lists them)\n");
    return;
  }
  Grant grant;
  bool restart = false;
  char arguments[240];
  ck::BufferSink rest(arguments, sizeof arguments);
  while (words.next(&word)) {
    const StrView key = word.substr(0, word.find('='));
    const StrView value = word.substr(word.find('=') + 1, word.size());
    if (key == "mem" && !number_between(value, 1, kMaxGrantGroups, &grant.groups)) {
      say("start: mem={}: between 1 and {} page groups of 512 KiB\n", value, kMaxGrantGroups);
      return;
    } else if (key == "cpu" && !number_between(value, 1, 100, &grant.percent)) {
      say("start: cpu={}: a percentage between 1 and 100\n", value);
      return;
    } else if (key == "prio" && !number_between(value, 0, CK_PRIORITY_COUNT - 1, &grant.max_priority)) {
      say("start: prio={}: a priority between 0 and {}\n", value, CK_PRIORITY_COUNT - 1);
      return;
    } else if (word == "restart") {
      restart = true;
    } else if (word == "faults=keep") {
      grant.keep_on_fault = true;
    } else if (word == "paged") {
      grant.paged = true;
    } else if (key != "mem" && key != "cpu" && key != "prio") {
      ck::format(rest, "{} ", word);
    }
  }
  if (rest.truncated()) {
    say("start: the arguments are too long\n");
    return;
  }
  start_kernel(name, grant, restart, rest.view());
}

Kernel* numbered(Words& words, StrView command) {
  StrView word;
  uint32_t n = 0;
  Kernel* k = words.next(&word) && ck::parse_u32(word, &n) ? kernel_numbered(n) : nullptr;
  if (k == nullptr || k->state == State::Free) {
    say("{}: which kernel? (the # column of `list`)\n", command);
    return nullptr;
  }
  return k;
}

void list() {
  say(" #  name        state        kernel      memory                  cpu  prio  share   threads  notes\n");
  uint32_t shown = 0;
  for (uint32_t i = 0; i < kMaxKernels; ++i) {
    const Kernel& k = kernel_slot(i);
    if (k.state == State::Free) continue;
    ++shown;
    ck_kernel_stats s{};
    const bool loaded = k.state == State::Running && ak::kernel_stats(k.kernel, &s) == CK_OK;
    char share[16] = "-", threads[8] = "-";
    if (loaded) {
      ck::BufferSink a(share, sizeof share), b(threads, sizeof threads);
      ck::format(a, "{}.{}%", s.share_permille / 10, s.share_permille % 10);
      ck::format(b, "{}", s.threads);
    }
    char overflow[40] = "";
    if (k.overflowed != 0) {
      ck::BufferSink o(overflow, sizeof overflow);
      ck::format(o, ", ring overflowed {}", k.overflowed);
    }
    say("{:>2}  {:<10}  {:<11}  {:#010x}  {:#010x} +{} KiB  {:>3}%  {:>4}  {:>6}  {:>7}  displaced {}, reloaded {}, "
        "restarts {}{}\n",
        k.number, k.image.name, StrView(state_text(k.state)), k.state == State::Running ? k.kernel : 0, k.base,
        k.bytes() / 1024, k.grant.percent, k.grant.max_priority, StrView(share), StrView(threads), k.displacements,
        k.reloads, k.restarts, StrView(overflow));
  }
  ck_kernel_stats srm{};
  ak::kernel_stats(0, &srm);
  say("{} kernel(s); {} of {} page groups free; SRM share {}.{}%; in the Cache Kernel: {} kernels, {} spaces, {} "
      "threads, {} mappings\n",
      shown, pool().free_groups(), (pool().end() - pool().base()) / kGroupBytes, srm.share_permille / 10,
      srm.share_permille % 10, ak::query(CK_QUERY_LOADED, CK_OBJECT_KERNEL).value,
      ak::query(CK_QUERY_LOADED, CK_OBJECT_SPACE).value, ak::query(CK_QUERY_LOADED, CK_OBJECT_THREAD).value,
      ak::query(CK_QUERY_LOADED, CK_OBJECT_MAPPING).value);
}

void images() {
  for (uint32_t i = 0; i < prom().count(); ++i) {
    const ck::PromImage image = prom().image(i);
    const bool elf = image.bytes >= 4 && image.elf[0] == 0x7f && image.elf[1] == 'E';
    say("  {:<16} {:>7} bytes{}\n", image.name, image.bytes,
        StrView(i == 0 ? "  (the first kernel: this SRM)"
                : elf  ? ""
                       : "  (data: the UNIX emulator's root file system)"));
  }
}

void help() {
  say("commands:\n"
      "  list                      the kernels: grants, state, measured CPU share\n"
      "  images                    the application kernels in the PROM table\n"
      "  start NAME [mem=G] [cpu=P] [prio=N] [restart] [ARG...]\n"
      "                            start one: G page groups of 512 KiB, P% of the processor,\n"
      "                            priorities up to N; restart it if it faults (else removed);\n"
      "                            faults=keep: count its unhandled faults instead (fuzzing);\n"
      "                            paged: its image mapped as it touches it, not locked\n"
      "  stop N                    stop kernel #N and free its memory\n"
      "  swapout N, swapin N       swap kernel #N to the disk and back\n"
      "  console N                 typed input to kernel #N (one that asked for it); Ctrl-] back here\n"
      "  sleep MS, wait            hold the next commands for MS ms / until no kernel runs\n"
      "  time, stats, disk         the clock page, the SRM's own share and the kernel stack, the disk\n"
      "  shutdown                  stop every kernel; the machine powers off\n");
}

}  // namespace

void run_command(StrView line) {
  Words words(line);
  StrView command;
  if (!words.next(&command)) return;
  if (command == "help") {
    help();
  } else if (command == "list" || command == "ps") {
    list();
  } else if (command == "images") {
    images();
  } else if (command == "start") {
    start(words);
  } else if (command == "stop") {
    if (Kernel* k = numbered(words, command)) end_kernel(*k, "stopped");
  } else if (command == "console") {
    if (Kernel* k = numbered(words, command); k != nullptr && !give_console(k->number))
      say("console: kernel #{} has not asked for the console\n", k->number);
  } else if (command == "swapout") {
    if (Kernel* k = numbered(words, command)) swap_out(*k);
  } else if (command == "swapin") {
    if (Kernel* k = numbered(words, command)) swap_in(*k);
  } else if (command == "sleep") {
    StrView word;
    uint32_t ms = 0;
    if (words.next(&word) && number_between(word, 0, 600000, &ms))
      g_sleep_until = now_ns() + static_cast<uint64_t>(ms) * 1000000;
    else
      say("sleep: how many milliseconds?\n");
  } else if (command == "wait") {
    g_wait_for_kernels = true;
  } else if (command == "time") {
    say("{} ms since boot (clock page)\n", static_cast<uint32_t>(now_ns() / 1000000));
  } else if (command == "stats") {
    ck_kernel_stats s{};
    ak::kernel_stats(0, &s);
    say("SRM: {} threads, {} per mille of the processor over the last {} ms, {}% granted\n", s.threads,
        s.share_permille, s.window_ns / 1000000, s.cpu_percent);
    // How close the Cache Kernel came to the end of its stack (issue 15).
    const ak::CallResult stack = ak::query(CK_QUERY_STACK_HIGH_WATER);
    if (stack.status == CK_OK) say("SRM: Cache Kernel stack: high-water {} bytes\n", stack.value);
  } else if (command == "disk") {
    say(disk_sectors() != 0 ? "disk: {} sectors of 512 bytes (virtio-blk)\n" : "disk: none attached\n", disk_sectors());
  } else if (command == "shutdown") {
    for (uint32_t i = 0; i < kMaxKernels; ++i)
      if (kernel_slot(i).state != State::Free) end_kernel(kernel_slot(i), "stopped");
    g_shutdown = true;
  } else {
    say("{}: no such command (help lists them)\n", command);
  }
}

void start_from_list(StrView list) {
  while (!list.empty()) {
    const uint32_t comma = list.find(',');
    char line[256];
    ck::BufferSink out(line, sizeof line);
    ck::format(out, "start ");
    const StrView item = list.substr(0, comma);
    for (uint32_t i = 0; i < item.size(); ++i) out.put(item[i] == ':' ? ' ' : item[i]);
    if (out.truncated())
      say("srm.start: '{}' is too long (at most {} bytes); not started\n", item, sizeof line - 7);
    else
      run_command(out.view());
    list = list.substr(comma + 1, list.size());
  }
}

bool commands_held(uint64_t now) {
  if (now < g_sleep_until) return true;
  if (g_wait_for_kernels && live_kernels() != 0) return true;
  g_wait_for_kernels = false;
  return false;
}

bool shutdown_requested() { return g_shutdown; }

}  // namespace srm
