// Kernel log with levels (see log.h).
#include "log.h"

namespace ck::klog {

namespace {

Sink* g_sink = nullptr;
LogLevel g_level = LogLevel::Info;

constexpr StrView kNames[] = {"error", "warn", "info", "debug", "trace"};

}  // namespace

void set_sink(Sink* sink) { g_sink = sink; }

void set_level(LogLevel level) { g_level = level <= kCompiledLogLevel ? level : kCompiledLogLevel; }

LogLevel level() { return g_level; }

StrView level_name(LogLevel level) { return kNames[static_cast<u8>(level)]; }

bool parse_level(StrView text, LogLevel* out) {
  for (u8 i = 0; i < sizeof kNames / sizeof kNames[0]; ++i) {
    if (text == kNames[i]) {
      *out = static_cast<LogLevel>(i);
      return true;
    }
  }
  return false;
}

bool enabled_at_runtime(LogLevel level) { return g_sink != nullptr && level <= g_level; }

void vwrite(LogLevel level, StrView fmt, const FormatArg* args, usize count) {
  format(*g_sink, "[{:>5}] ", level_name(level));
  vformat(*g_sink, fmt, args, count);
  g_sink->put('\n');
}

}  // namespace ck::klog
