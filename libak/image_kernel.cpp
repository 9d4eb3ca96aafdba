// A second kernel on this application kernel's own image (libak.h), as tests and
// benchmarks need one: the first kernel (SRM) creates it (paper §2.4, §4.3).
#include "libak.h"

extern "C" void ak_exception_entry(ck_exception*);

namespace ak {

namespace {
constexpr uint32_t kGroupBytes = 512 * 1024;
constexpr uint32_t kPage = 4096;
constexpr uint32_t kLockedThreads = 2;

}  // namespace

ImageKernel load_kernel_on_image(uint32_t ring_frame, uint32_t percent, uint32_t max_priority) {
  const ck_boot_info& info = boot_info();
  ImageKernel out{};
  const ck_kernel_desc desc{.handler = reinterpret_cast<uint32_t>(&ak_exception_entry),
                            .writeback_ring = ring_frame,
                            .ring_bytes = kPage,
                            .cookie = 0,
                            .flags = CK_LOCK};
  const CallResult k = load_kernel(desc);
  Steps s;
  if (!s.step(k.status)) {
    out.status = s.status;
    return out;
  }
  out.kernel = k.value;
  const uint32_t image_bytes = info.image_end - info.image_start;
  const uint32_t groups = info.image_physical & ~(kGroupBytes - 1);
  const uint32_t grant = (info.image_physical + image_bytes - groups + kGroupBytes - 1) & ~(kGroupBytes - 1);
  s.step(set_memory_access(k.value, groups, grant, CK_RIGHTS_READ_WRITE)) &&
      s.step(set_cpu(k.value, percent, max_priority)) && s.step(set_lock_quota(k.value, CK_OBJECT_SPACE, 1)) &&
      s.step(set_lock_quota(k.value, CK_OBJECT_MAPPING, image_bytes / kPage)) &&
      s.step(set_lock_quota(k.value, CK_OBJECT_THREAD, kLockedThreads));
  const CallResult home = s.status == CK_OK ? load_space(k.value, 0, CK_LOCK | CK_SPACE_HOME) : CallResult{};
  if (s.step(home.status)) out.home = home.value;
  for (uint32_t va = info.image_start; va < info.image_end && s.status == CK_OK; va += kPage)
    s.step(load_mapping(home.value, va, info.image_physical + (va - info.image_start), CK_MAP_WRITE | CK_MAP_LOCK));
  out.status = s.status;
  return out;
}

int32_t unload_kernel_whole(ck_id kernel) {
  int32_t s = unload_kernel(kernel);
  for (uint32_t calls = 0; (s == CK_E_PARTIAL || s == CK_E_RETRY) && calls < 100000; ++calls) {
    WritebackReader reader(boot_info().ring);
    ck_writeback r;
    while (reader.next(&r)) {
    }
    s = unload_kernel(kernel);
  }
  return s;
}

}  // namespace ak
