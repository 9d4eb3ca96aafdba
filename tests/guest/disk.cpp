// The disk through memory-based messaging (issue 6): the harness boots this image twice
// on one fresh disk image (GuestTest::reboot_with_disk); the test application kernel
// ak/ak_msg.cpp writes a block derived from ktest.token in the first boot and reads it
// back in the second.
#include "boot.h"
#include "first_kernel_test.h"
#include "lib/format.h"

namespace {

void block_survives_a_reboot(ktest::Context& t) {
  ck::StrView phase, token;
  if (!ck::command_line().lookup("ktest.phase", &phase) || !ck::command_line().lookup("ktest.token", &token)) {
    t.check(false, "ktest.phase and ktest.token on the command line");
    return;
  }
  static char scenario[64];
  ck::BufferSink out(scenario, sizeof scenario);
  ck::format(out, "disk_{}:{}", phase, token);
  ck::run_first_kernel_scenario(t, out.view());
}

constexpr ktest::Case kCases[] = {{"a_block_written_survives_a_reboot", block_survives_a_reboot}};

}  // namespace

void ck::kernel_main() { ktest::run("disk", kCases); }
