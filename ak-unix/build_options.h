// Compile-time choices of this build of the UNIX emulator (issue 17), set by
// ak-unix/CMakeLists.txt for each of its builds.
#pragma once

namespace unixemu {

// `unix_window` (UNIX_MEMORY_WINDOW=1) maps its memory as used and keeps a window of it
// (window=N, for small mapping caches); `unix` maps all of it at start and pays nothing
// for a window (physical_memory.h).
inline constexpr bool kWindowBuild = UNIX_MEMORY_WINDOW != 0;

}  // namespace unixemu
