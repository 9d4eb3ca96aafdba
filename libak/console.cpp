// Console output of an application kernel through the CK_CONSOLE_WRITE call.
#include "libak.h"

namespace ak {
namespace {

class ConsoleSink final : public Sink {
 public:
  void put(char c) override {
    buffer_[length_++] = c;
    if (c == '\n' || length_ == sizeof buffer_) flush();
  }
  void flush() {
    if (length_ == 0) return;
    call(CK_CONSOLE_WRITE, length_, 0, 0, 0, buffer_);
    length_ = 0;
  }

 private:
  char buffer_[128];
  uint32_t length_ = 0;
};

ConsoleSink g_console;

}  // namespace

Sink& console() { return g_console; }
void flush_console() { g_console.flush(); }

}  // namespace ak
