// libak's class library (issue 7 groundwork, paper §3): the test application kernel
// ak/ak_library.cpp pages a segment through its segment manager. The Cache Kernel's
// default (Table 1) caches: the kernel's backing store is 512 KiB of its own memory.
#include "boot.h"
#include "first_kernel_test.h"

namespace {

void segments(ktest::Context& t) { ck::run_first_kernel_scenario(t, "segments"); }
void threads(ktest::Context& t) { ck::run_first_kernel_scenario(t, "threads"); }

constexpr ktest::Case kCases[] = {
    {"a_segment_pages_through_fewer_frames_than_pages", segments},
    {"a_scheduling_thread_rotates_workers_by_loading_them", threads},
};

}  // namespace

void ck::kernel_main() { ktest::run("class_library", kCases); }
