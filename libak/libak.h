// libak: the minimal runtime of an application kernel (paper §3): start-up, console
// output, exception dispatch to a handler object, the writeback ring reader. The
// application kernel provides ak_main().
#pragma once

#include "ck/abi.h"

#include "ck_call.h"
#include "lib/format.h"

// The application kernel's main program, run by its first thread. Its result is left in
// the boot info's exit_code for whoever started the kernel; the thread is then unloaded.
int ak_main(const ck_boot_info& info);

namespace ak {

using ck::Sink;
using ck::StrView;

// Text collected a line (or a buffer) at a time and handed to `write`: the debug
// console call below, or a console on message pages (ak-srm).
class LineSink final : public Sink {
 public:
  using Write = void (*)(const char* text, uint32_t bytes);
  explicit LineSink(Write out) : write_(out) {}
  void put(char c) override {
    buffer_[length_++] = c;
    if (c == '\n' || length_ == sizeof buffer_) flush();
  }
  void flush() {
    if (length_ == 0) return;
    write_(buffer_, length_);
    length_ = 0;
  }

 private:
  Write write_;
  char buffer_[256];  // CK_CONSOLE_WRITE's most: a line up to this long goes out whole, never split
                      // by another kernel's output
  uint32_t length_ = 0;
};

// Output through the Cache Kernel's debug console call.
Sink& console();
void flush_console();
template <typename... Args>
void print(StrView fmt, const Args&... args) {
  ck::format(console(), fmt, args...);
  flush_console();
}

const ck_boot_info& boot_info();

// Where threads' exceptions go (paper §2.1): one handler object per application
// kernel, running on the faulting thread's exception stack in the kernel's space. It
// ends with ak::resume(), ak::load_mapping_resume() or by unloading the thread.
class ExceptionHandler {
 public:
  virtual void exception(ck_exception& e) = 0;

 protected:
  ~ExceptionHandler() = default;
};
// nullptr: the default, which reports the exception and gives up on it (ak::give_up:
// the thread is unloaded as faulted and the SRM is told).
void set_exception_handler(ExceptionHandler* handler);
// The default for an exception no handler takes: reported, and the thread given up.
[[noreturn]] void unhandled_exception(const ck_exception& e);
// The Cache Kernel enters `extern "C" void ak_exception_entry(ck_exception*)` (crt0.S's
// image header names it), which dispatches to the handler object. libak's is weak: a
// kernel whose every system call is a forwarded trap (the UNIX emulator) may define its
// own, which calls its handler directly, without the handler object's virtual call; it
// ends as a handler does, or with unhandled_exception().
// "mapping fault" and so on, for a ck_exception_kind.
const char* exception_kind_name(uint32_t kind);

// Signal functions (paper §2.2): a thread loaded with signal_function = signal_entry()
// runs `handler(address)` for each signal, one at a time, the rest queued meanwhile.
// One handler for the image (kernels sharing the image share it).
using SignalHandler = void (*)(uint32_t address);
void set_signal_handler(SignalHandler handler);
uint32_t signal_entry();

// A second kernel on this kernel's own image (for tests and benchmarks; the first
// kernel only, since it grants): a locked kernel object with `percent` of the processor
// and priorities up to `max_priority`, whose locked home space maps this image's frames
// (ck_boot_info::image_physical) at the same addresses, so that its threads run this
// image's functions on the same globals. `ring_frame` is a free page for its writeback
// ring. Up to 2 of its threads may be locked. status is the first call that failed.
struct ImageKernel {
  int32_t status;
  ck_id kernel;
  ck_id home;
};
ImageKernel load_kernel_on_image(uint32_t ring_frame, uint32_t percent, uint32_t max_priority);
// Unloads a kernel the first kernel loaded, whole: a restartable unload goes on over
// several calls (CK_E_PARTIAL: 4 objects each at most) and may wait for this kernel's
// own ring (CK_E_RETRY), which is read in between and its records dropped. The last
// status.
int32_t unload_kernel_whole(ck_id kernel);
// Loads a mapping whose load may displace another kernel's mapping into that kernel's
// full writeback ring (CK_E_RETRY until it reads it): `drain` reads this kernel's own
// ring between attempts, and after 8 a tick passes between them for another kernel to
// read its own (1,000 attempts, about a second, in all). The last status.
int32_t load_mapping_draining(ck_id space, uint32_t va, uint32_t pa, uint32_t flags, void (*drain)());

// Reads the records the Cache Kernel wrote to a writeback ring (paper §2).
class WritebackReader {
 public:
  explicit WritebackReader(uint32_t ring_address) : ring_(reinterpret_cast<ck_ring_header*>(ring_address)) {}
  // The next record (and for threads their state), or false when the ring is empty. A
  // CK_WB_OVERFLOW record (the first kernel's ring only) brings the record it wraps in
  // `inner`, and a wrapped thread's state in `state`.
  bool next(ck_writeback* record, ck_thread_state* state = nullptr, ck_writeback* inner = nullptr);

 private:
  ck_ring_header* ring_;
};

// Writeback dispatch (paper §3): one virtual function per kind of record; an
// application kernel overrides those it acts on (the rest are dropped).
class WritebackHandler {
 public:
  virtual void mapping(const ck_writeback&) {}
  virtual void thread(const ck_writeback&, const ck_thread_state&) {}
  virtual void space(const ck_writeback&) {}
  virtual void kernel(const ck_writeback&) {}  // the SRM's: kernel objects it loaded
  virtual void fault(const ck_writeback&) {}   // the SRM's: a kernel's unhandled fault
  // The SRM's: a fault in the home space of a kernel it pages (CK_KERNEL_HOME_PAGED).
  virtual void home_fault(const ck_writeback&) {}
  // The SRM's: a record for the kernel `wrapper.id` that its full ring could not take
  // (`state`: a thread's, when `record` is one).
  virtual void overflow(const ck_writeback& wrapper, const ck_writeback& record, const ck_thread_state& state) {
    (void)wrapper;
    (void)record;
    (void)state;
  }

  // Hands every record waiting in `ring` to its function; how many there were.
  uint32_t dispatch(WritebackReader& ring);

 protected:
  ~WritebackHandler() = default;
};

}  // namespace ak
