# Kernel sources that are pure computation: compiled into the guest image and, natively,
# into the host unit tests (tests/host). Everything else in kernel/ is guest-only.
set(CK_KERNEL_DIR ${CMAKE_CURRENT_LIST_DIR})
# Code user mode shares with the kernel (lib/, the ABI, ELF and PROM-table parsing,
# the application-kernel layout): its own folder, on both include paths.
set(CK_COMMON_DIR ${CMAKE_CURRENT_LIST_DIR}/../common)
set(CK_INCLUDE_DIRS ${CK_KERNEL_DIR} ${CK_COMMON_DIR} ${CK_COMMON_DIR}/include)
set(CK_PURE_SOURCES
    ${CK_COMMON_DIR}/lib/str.cpp
    ${CK_COMMON_DIR}/lib/format.cpp
    ${CK_KERNEL_DIR}/log.cpp
    ${CK_COMMON_DIR}/lib/cmdline.cpp
    ${CK_KERNEL_DIR}/arch/m68k/bootinfo.cpp
    ${CK_KERNEL_DIR}/arch/m68k/exception_frame.cpp
    ${CK_KERNEL_DIR}/arch/m68k/fatal_report.cpp
    ${CK_KERNEL_DIR}/arch/m68k/kernel_stack.cpp
    ${CK_KERNEL_DIR}/arch/m68k/table_pool.cpp
    ${CK_KERNEL_DIR}/arch/m68k/page_table.cpp
    ${CK_KERNEL_DIR}/arch/m68k/user_entry.cpp
    ${CK_KERNEL_DIR}/fault.cpp
    ${CK_KERNEL_DIR}/boot_memory.cpp
    ${CK_KERNEL_DIR}/clock.cpp
    ${CK_KERNEL_DIR}/run_queue.cpp
    ${CK_KERNEL_DIR}/cpu_share.cpp
    ${CK_KERNEL_DIR}/reverse_tlb.cpp
    ${CK_KERNEL_DIR}/page_groups.cpp
    ${CK_KERNEL_DIR}/physmap.cpp
    ${CK_COMMON_DIR}/elf_image.cpp
    ${CK_COMMON_DIR}/prom_table.cpp
)
# The Cache Kernel proper (paper §2, §4): portable, host-tested against a simulated
# machine (tests/host/fake_machine.cpp). Capacities come from config.h (CK_KERNELS, ...).
set(CK_CACHE_SOURCES
    ${CK_KERNEL_DIR}/arch/m68k/user_registers.cpp
    ${CK_KERNEL_DIR}/writeback_ring.cpp
    ${CK_KERNEL_DIR}/user_memory.cpp
    ${CK_KERNEL_DIR}/object_tables.cpp
    ${CK_KERNEL_DIR}/resource_control.cpp
    ${CK_KERNEL_DIR}/memory_map.cpp
    ${CK_KERNEL_DIR}/scheduler.cpp
    ${CK_KERNEL_DIR}/device_table.cpp
    ${CK_KERNEL_DIR}/messaging.cpp
    ${CK_KERNEL_DIR}/writeback.cpp
    ${CK_KERNEL_DIR}/replacement.cpp
    ${CK_KERNEL_DIR}/forwarding.cpp
    ${CK_KERNEL_DIR}/object_caches.cpp
    ${CK_KERNEL_DIR}/kernel_objects.cpp
    ${CK_KERNEL_DIR}/space_objects.cpp
    ${CK_KERNEL_DIR}/thread_objects.cpp
    ${CK_KERNEL_DIR}/mapping_objects.cpp
    ${CK_KERNEL_DIR}/invariants.cpp
    ${CK_KERNEL_DIR}/calls.cpp
    ${CK_KERNEL_DIR}/code_sync.cpp
    ${CK_KERNEL_DIR}/devices.cpp
    ${CK_KERNEL_DIR}/first_kernel.cpp
)
