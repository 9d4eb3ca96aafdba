# CMake toolchain file for the guest: freestanding C++20 on the Motorola 68040,
# built with Debian's m68k-linux-gnu cross GCC (see DESIGN.md §2 for why not Rust).
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR m68k)

set(CMAKE_C_COMPILER m68k-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER m68k-linux-gnu-g++)
set(CMAKE_ASM_COMPILER m68k-linux-gnu-gcc)
set(CMAKE_OBJCOPY m68k-linux-gnu-objcopy CACHE FILEPATH "")
set(CMAKE_SIZE m68k-linux-gnu-size CACHE FILEPATH "")

# No libc, no host sysroot: try_compile must not try to link an executable.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)

set(CK_GUEST_ARCH_FLAGS "-m68040")
set(CMAKE_C_FLAGS_INIT "${CK_GUEST_ARCH_FLAGS} -ffreestanding")
set(CMAKE_CXX_FLAGS_INIT
    "${CK_GUEST_ARCH_FLAGS} -ffreestanding -fno-exceptions -fno-rtti -fno-threadsafe-statics -fno-use-cxa-atexit -fno-asynchronous-unwind-tables")
set(CMAKE_ASM_FLAGS_INIT "${CK_GUEST_ARCH_FLAGS}")
set(CMAKE_EXE_LINKER_FLAGS_INIT
    "-nostdlib -static -Wl,--build-id=none,-z,noexecstack,--no-warn-rwx-segments")
