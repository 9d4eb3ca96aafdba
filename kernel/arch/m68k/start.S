/* Reset entry of the Cache Kernel and its vector table (DESIGN.md §1, §5).
 *
 * The image is linked at physical 0 so that, as on a real 68040 board booting from
 * PROM, its first two longwords are the reset SSP and PC. QEMU's virt machine instead
 * jumps to the ELF entry with SP = 0: both paths arrive at _start in supervisor mode.
 * The vector table proper starts page 1 (linker/virt.ld: page 0 is invalid for
 * supervisor data once the MMU is on, and vector fetches are data reads). */

    .section .reset, "a"
    .long   __boot_stack_top        /* reset SSP */
    .long   _start                  /* reset PC */

    .section .vectors, "a"
    .globl  __vectors
__vectors:
    .long   __boot_stack_top        /* 0: reset SSP (only the copy at address 0 is used) */
    .long   _start                  /* 1: reset PC */
    .rept   5                       /* 2..6: faults */
    .long   exception_entry
    .endr
    .long   trapcc_entry            /* 7: TRAPcc, the kernel's stack-limit checks */
    .rept   24                      /* 8..31: faults and interrupts */
    .long   exception_entry
    .endr
    .long   call_entry              /* 32: trap #0, a Cache Kernel call from user mode */
    .rept   15                      /* 33..47: trap #1-15, forwarded from the card */
    .long   trap_entry
    .endr
    .rept   208                     /* 48..255: reserved, FPU, MMU, user */
    .long   exception_entry
    .endr

    .section .text.start, "ax"
    .globl  _start
_start:
    /* No stack yet: set one, mask interrupts, stay in supervisor mode. */
    move.w  #0x2700, %sr
    lea     __boot_stack_top, %sp

    /* Known machine state: caches off and invalidated, MMU and transparent translation
     * off, ATC empty. QEMU starts this way; a board coming out of a monitor may not. */
    moveq   #0, %d0
    movec   %d0, %cacr
    cinva   %bc
    movec   %d0, %tc
    movec   %d0, %itt0
    movec   %d0, %itt1
    movec   %d0, %dtt0
    movec   %d0, %dtt1
    pflusha

    /* Copy .data from its load address (PROM on a board) to RAM; a no-op under QEMU,
     * where both are the same. */
    lea     __data_load, %a0
    lea     __data_start, %a1
    lea     __data_end, %a2
    cmpa.l  %a0, %a1
    beq.s   2f
1:  cmpa.l  %a2, %a1
    bcc.s   2f
    move.l  (%a0)+, (%a1)+
    bra.s   1b

    /* Clear .bss (the boot stack lives there too; nothing is on it yet). */
2:  lea     __bss_start, %a0
    lea     __bss_end, %a1
3:  cmpa.l  %a1, %a0
    bcc.s   4f
    clr.l   (%a0)+
    bra.s   3b

4:  lea     __vectors, %a0
    movec   %a0, %vbr

    /* QEMU places the bootinfo list at the first even address past the image. */
    move.l  #_end + 1, %d0
    andi.l  #0xfffffffe, %d0
    move.l  %d0, -(%sp)             /* stack: bootinfo address (argument) */
    jsr     arch_boot               /* never returns */
5:  stop    #0x2700
    bra.s   5b
