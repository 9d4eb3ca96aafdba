/* Start of an application kernel (libak; paper §3). The header tells the Cache
 * Kernel's loader where the kernel starts and where its exception handler is. */
    .section .ak_header, "a"
    .long   0x434b414b              /* 'CKAK' */
    .long   _start                  /* first thread's entry */
    .long   ak_exception_entry      /* exception handler (a C++ function) */
    .long   ak_image_flags          /* kAk* flags (elf_image.h): ak.ld gives 0 unless the link sets it */

    .text
    .globl  _start
/* Stack: the first stack, empty. a0: the ck_boot_info at its top. */
_start:
    move.l  %a0, -(%sp)             /* ak_start(const ck_boot_info*) */
    jsr     ak_start
1:  bra.s   1b                      /* ak_start does not return */

/* A signal function's entry (libak.h, set_signal_handler): the Cache Kernel starts it
 * with d0 = d1 = the signal's address and sp below the interrupted stack. */
    .globl  ak_signal_entry
ak_signal_entry:
    move.l  %d0, -(%sp)             /* ak_signal_dispatch(uint32_t address) */
    jsr     ak_signal_dispatch
    addq.l  #4, %sp
    moveq   #23, %d0                /* CK_SIGNAL_RETURN (checked in signals.cpp) */
    trap    #0
2:  bra.s   2b                      /* signal return does not come back */
