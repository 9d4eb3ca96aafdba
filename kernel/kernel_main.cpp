// The kernel image's main program (paper §2.4, §3): the Cache Kernel starts the System
// Resource Manager, the first image of the PROM table, as its first kernel with all free
// memory, the devices and the table, and runs it; `monitor` on the command line gives
// the boot monitor instead.
#include "boot.h"
#include "calls.h"
#include "clock.h"
#include "first_kernel.h"
#include "log.h"
#include "panic.h"

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
  PromTable prom;
  if (!image_prom_table(&prom)) panic("the image has no PROM table of application kernels");
  StartedKernel srm;
  // The SRM reads what to start (start=...) from the kernel's command line.
  if (!start_first_kernel(g_caches, prom, memory, command_line().text(), &srm, arch::console()))
    panic("cannot start the System Resource Manager");
  klog::info("srm: started with {} KiB; {} application kernels in the PROM table", memory.size / KiB, prom.count());
  CacheKernel kernel(g_caches);
  Devices devices(g_caches, srm.devices, arch::console(), 1000000000u / clock::rate_hz());
  kernel.set_devices(&devices);
  run_threads(g_caches.run_queue(), kernel);
  klog::warn("srm: its threads are gone; the Cache Kernel has nothing left to run");
  arch::power_off();
}

}  // namespace ck
