/* Fixed user virtual addresses the guest tests and their user programs share
 * (user_programs.S, user_space.h). */
#pragma once

#define USER_DATA_PAGE 0x00400000 /* a test's data page */
#define USER_STACK_TOP 0x00800000 /* the user stack grows down from here, one page */

/* user_register_torture's page: expected registers, round count, FP values. */
#define TORTURE_PAGE USER_DATA_PAGE
#define TORTURE_D1 (TORTURE_PAGE + 0)  /* D1-D7 */
#define TORTURE_A0 (TORTURE_PAGE + 28) /* A0-A6 */
#define TORTURE_SP (TORTURE_PAGE + 56)
#define TORTURE_COUNT (TORTURE_PAGE + 60)
#define TORTURE_FP (TORTURE_PAGE + 64) /* FP0-FP7, 12 bytes each */
