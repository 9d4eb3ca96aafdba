// Kernel log with levels: a compile-time ceiling (CK_LOG_MAX_LEVEL) removes calls above it
// entirely; a run-time level (`log=LEVEL` on the command line) filters the rest.
// Portable; host-tested (tests/host/log_test.cpp).
#pragma once

#include "lib/format.h"

#ifndef CK_LOG_MAX_LEVEL
#define CK_LOG_MAX_LEVEL 4
#endif

namespace ck {

enum class LogLevel : u8 { Error = 0, Warn = 1, Info = 2, Debug = 3, Trace = 4 };

inline constexpr LogLevel kCompiledLogLevel = static_cast<LogLevel>(CK_LOG_MAX_LEVEL);

namespace klog {

void set_sink(Sink* sink);
void set_level(LogLevel level);
LogLevel level();
StrView level_name(LogLevel level);
// Accepts the level names ("error" .. "trace"); false for anything else.
bool parse_level(StrView text, LogLevel* out);

bool enabled_at_runtime(LogLevel level);
void vwrite(LogLevel level, StrView fmt, const FormatArg* args, usize count);

template <LogLevel kLevel, typename... Args>
void write(StrView fmt, const Args&... args) {
  if constexpr (kLevel <= kCompiledLogLevel) {
    if (!enabled_at_runtime(kLevel)) return;
    const FormatArgs<Args...> erased(args...);
    vwrite(kLevel, fmt, erased.values, erased.kCount);
  }
}

template <typename... Args>
void error(StrView fmt, const Args&... args) {
  write<LogLevel::Error>(fmt, args...);
}
template <typename... Args>
void warn(StrView fmt, const Args&... args) {
  write<LogLevel::Warn>(fmt, args...);
}
template <typename... Args>
void info(StrView fmt, const Args&... args) {
  write<LogLevel::Info>(fmt, args...);
}
template <typename... Args>
void debug(StrView fmt, const Args&... args) {
  write<LogLevel::Debug>(fmt, args...);
}
template <typename... Args>
void trace(StrView fmt, const Args&... args) {
  write<LogLevel::Trace>(fmt, args...);
}

}  // namespace klog
}  // namespace ck
