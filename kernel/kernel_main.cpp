// The kernel image's main program (paper §2.4, §3): the Cache Kernel starts the System
// Resource Manager, embedded in the image, as its first kernel with all free memory and
// the devices, and runs it; `monitor` on the command line gives the boot monitor instead.
#include "boot.h"
#include "cache_kernel.h"
#include "clock.h"
#include "first_kernel.h"
#include "lib/log.h"
#include "panic.h"

extern "C" const ck::u8 ak_image_start[], ak_image_end[];

namespace ck {

[[noreturn]] void run_monitor();  // monitor.cpp

namespace {
ObjectCaches g_caches;
}  // namespace

void kernel_main() {
  StrView unused;
  if (command_line().lookup("monitor", &unused)) run_monitor();
  // All free memory in whole page groups (one group's worth left for the alignment).
  const u32 free = boot_memory().free_bytes() & ~(kGroupBytes - 1);
  const PhysRange memory = boot_memory().take(free - kGroupBytes, kGroupBytes);
  if (memory.size == 0) panic("no memory for the System Resource Manager");
  g_caches.init();
  StartedKernel srm;
  const u32 bytes = static_cast<u32>(ak_image_end - ak_image_start);
  if (!start_first_kernel(g_caches, ak_image_start, bytes, memory, "", &srm, arch::console()))
    panic("cannot start the System Resource Manager");
  klog::info("srm: started with {} KiB", memory.size / KiB);
  CacheKernel kernel(g_caches);
  Devices devices(g_caches, srm.devices, arch::console(), 1000000000u / clock::rate_hz());
  kernel.set_devices(&devices);
  run_threads(g_caches.run_queue(), kernel);
  klog::warn("srm: its threads are gone; the Cache Kernel has nothing left to run");
  arch::power_off();
}

}  // namespace ck
