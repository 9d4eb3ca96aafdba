// Console input by interrupt (issue 3): the harness types a line on the console; the
// kernel, idling with STOP, must receive it through the TTY interrupt, in order.
#include "arch/arch.h"
#include "boot.h"
#include "ktest.h"
#include "lib/str.h"
#include "log.h"
#include "run_loop.h"

namespace {

using namespace ck;

void typed_line_arrives_by_interrupt(ktest::Context& t) {
  char line[32];
  usize n = 0;
  u32 idles = 0;
  bool input_event = false;
  while (n < sizeof line) {
    const int c = arch::console_poll();
    if (c < 0) {
      arch::wait_for_interrupt();
      input_event |= arch::take_interrupt_events().console_input;
      ++idles;
      continue;
    }
    if (c == '\r' || c == '\n') break;
    line[n++] = static_cast<char>(c);
  }
  t.check(StrView(line, n) == StrView("hello, cache kernel"), "the typed line");
  t.check(input_event, "an input interrupt was reported");
  t.check(idles > 0, "the kernel idled while waiting");
}

constexpr ktest::Case kCases[] = {{"typed_line_arrives_by_interrupt", typed_line_arrives_by_interrupt}};

}  // namespace

void ck::kernel_main() { ktest::run("console_input", kCases); }
