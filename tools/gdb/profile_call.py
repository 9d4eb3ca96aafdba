# gdb extension (run by `cargo xtask profile`): where one Cache Kernel call's instructions
# go. Waits for the call (trap #0 with d0 = OP reaching `call_entry`, or with VECTOR an
# exception from user mode reaching `exception_entry` (`trap_entry` for trap #1-15), after SKIP earlier ones; with AFTER, only once that breakpoint has been hit SKIP times), then single-steps
# it until the processor is back in user mode and prints the instructions executed per
# function and per source line. Counts are the emulator's instructions, as -icount
# counts them; a tick during the call shows up as the run loop's and the clock's lines.
# With CK_PROFILE_TRACE=FILE in the environment, every step (pc, function, line) is also
# written to FILE in the order executed.
import collections
import os
import re

import gdb

op = int(os.environ.get("CK_PROFILE_OP", "-1"))
vector = int(os.environ.get("CK_PROFILE_VECTOR", "-1"))
skip = int(os.environ.get("CK_PROFILE_SKIP", "0"))
after = os.environ.get("CK_PROFILE_AFTER", "")
max_steps = int(os.environ.get("CK_PROFILE_STEPS", "20000"))

# The start: a call of operation `op`, or (vector >= 0) an exception with that vector
# taken in user mode (33: trap #1, 2: an access error), at its first instruction.
# trap #1-15 (vectors 33-47) have their own entry, trap_entry.
if vector >= 0:
    entry = "trap_entry" if 33 <= vector <= 47 else "exception_entry"
    start = ("break %s if (*(unsigned short*)($sp + 6) & 0xfff) == %d"
             " && (*(unsigned short*)$sp & 0x2000) == 0" % (entry, vector * 4))
else:
    start = "break call_entry if $d0 == %d" % op
gdb.execute("set pagination off")
gdb.execute("set architecture m68k:68040")
gdb.execute("target remote localhost:%s" % os.environ.get("CK_PROFILE_PORT", "1234"))
if after:
    gdb.execute("break %s" % after)
    if skip:
        gdb.execute("ignore 1 %d" % skip)
    gdb.execute("continue")
    gdb.execute("delete")
    gdb.execute(start)
else:
    gdb.execute(start)
    if skip:
        gdb.execute("ignore 1 %d" % skip)
gdb.execute("continue")

functions = collections.Counter()
lines = collections.Counter()
steps = 0
trace = open(os.environ["CK_PROFILE_TRACE"], "w") if os.environ.get("CK_PROFILE_TRACE") else None
while steps < max_steps:
    pc = int(gdb.parse_and_eval("$pc")) & 0xFFFFFFFF
    if steps > 0 and (int(gdb.parse_and_eval("$ps")) & 0x2000) == 0:
        break  # back in user mode
    where = gdb.execute("info symbol 0x%x" % pc, to_string=True).split(" in section")[0]
    functions[re.sub(r" \+ \d+$", "", where).strip()] += 1
    sal = gdb.find_pc_line(pc)
    if sal.symtab is not None:
        lines["%s:%d" % (os.path.basename(sal.symtab.filename), sal.line)] += 1
    if trace is not None:
        trace.write("%08x %s %s\n" % (pc, re.sub(r" \+ \d+$", "", where).strip()[:60],
                                       "%s:%d" % (os.path.basename(sal.symtab.filename), sal.line) if sal.symtab else "?"))
    steps += 1
    gdb.execute("stepi", to_string=True)

print("PROFILE %s: %d instructions%s" % ("vector %d" % vector if vector >= 0 else "op %d" % op, steps, " (stopped at the step limit)" if steps >= max_steps else ""))
print("by function:")
for name, n in functions.most_common(40):
    print("%6d  %s" % (n, name[:160]))
print("by source line:")
for name, n in lines.most_common(40):
    print("%6d  %s" % (n, name))
gdb.execute("kill")
