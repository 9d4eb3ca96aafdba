// The Cache Kernel as the run loop sees it (paper §2.1, §2.3): a trap #0 from a thread
// in its kernel's home space is a call (include/cache_kernel.h), decoded here into the
// object-cache operations; every other trap and every fault is forwarded to the
// thread's kernel.
#pragma once

#include "object_caches.h"
#include "run_loop.h"

namespace ck {

class CacheKernel final : public ThreadEvents {
 public:
  explicit CacheKernel(ObjectCaches& caches) : caches_(caches) {}

  Disposition trap(Thread& thread, u8 number) override;
  Disposition fault(Thread& thread, const Fault& fault) override;

  // One call by `thread` with the arguments in its registers; the status and value go
  // back into them (unless the call resumed the thread from an exception handler).
  void call(ThreadObject& thread);

  // Counts of what came in, for statistics and tests.
  struct Counters {
    u64 calls = 0;
    u64 forwarded = 0;
    u64 failed_exceptions = 0;
  };
  const Counters& counters() const { return counters_; }

 private:
  ck_status dispatch(ThreadObject& t, const arch::CallArguments& a, u32* value, bool* resumed);
  ck_status query(ThreadObject& t, u32 what, u32 argument, u32* value);
  Disposition after(ThreadObject& t) const;

  ObjectCaches& caches_;
  Counters counters_;
};

// Maps the machine-independent fault to the ABI's exception kind and access word.
ExceptionReport exception_report(const Fault& fault);

}  // namespace ck
