#!/bin/sh
# sh_andor: && and || (short-circuit, left to right, equal precedence), with pipelines
# and subshells, continued on the next line, and ; and & separating them.
true && echo and-1
false && echo not-printed
false || echo or-1
true || echo not-printed
false && echo no || echo yes
true && echo yes || echo no
false || false || echo third
true && true && echo chained
false && echo no; echo after semicolon $?
echo a | grep -c b && echo no-match-so-not-this || echo grep said $?
(false || exit 4) && echo no; echo subshell $?
true &&
  echo continued
ls /nosuch 2>/tmp/sh_andor.err || echo ls failed with $?
