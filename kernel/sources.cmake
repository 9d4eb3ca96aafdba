# Kernel sources that are pure computation: compiled into the guest image and, natively,
# into the host unit tests (tests/host). Everything else in kernel/ is guest-only.
set(CK_KERNEL_DIR ${CMAKE_CURRENT_LIST_DIR})
set(CK_PURE_SOURCES
    ${CK_KERNEL_DIR}/lib/str.cpp
    ${CK_KERNEL_DIR}/lib/format.cpp
    ${CK_KERNEL_DIR}/lib/log.cpp
    ${CK_KERNEL_DIR}/lib/cmdline.cpp
    ${CK_KERNEL_DIR}/arch/m68k/bootinfo.cpp
    ${CK_KERNEL_DIR}/arch/m68k/exception_frame.cpp
    ${CK_KERNEL_DIR}/arch/m68k/fatal_report.cpp
    ${CK_KERNEL_DIR}/arch/m68k/table_pool.cpp
    ${CK_KERNEL_DIR}/arch/m68k/page_table.cpp
    ${CK_KERNEL_DIR}/arch/m68k/user_entry.cpp
    ${CK_KERNEL_DIR}/fault.cpp
    ${CK_KERNEL_DIR}/boot_memory.cpp
    ${CK_KERNEL_DIR}/clock.cpp
    ${CK_KERNEL_DIR}/run_queue.cpp
    ${CK_KERNEL_DIR}/page_groups.cpp
    ${CK_KERNEL_DIR}/physmap.cpp
)
