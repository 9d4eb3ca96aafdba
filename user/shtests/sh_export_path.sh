#!/bin/sh
# sh_export_path: export (with and without a value, listing), what children see, an
# assignment before a command (that command only), PATH search over its entries (in
# order, empty PATH, a missing entry), commands named by path, not found (127), not
# executable (126), a file that is not an ELF run as a script.
X=local; Y=shared
export Y
sh -c 'echo child sees [$X] [$Y]'
export Z=direct; sh -c 'echo Z=$Z'
X=once sh -c 'echo prefix gives $X'; echo and the shell keeps $X
export X; X=changed-after-export; sh -c 'echo $X'
unset Y; sh -c 'echo Y after unset [$Y]'
PATH=/nosuch:/bin; echo found past a missing entry
/bin/echo by absolute path
cd /bin; ./echo by relative path; cd /
nosuchcommand; echo not found gives $?
/etc/passwd; echo not executable gives $?
/nosuch/echo; echo missing path gives $?
PATH=/data:/bin; script.sh; echo script status $?
PATH=; echo builtin-free; echo status $?
PATH=/bin
echo back to normal
