#!/bin/sh
# sh_cd_exit: cd (absolute, relative, .., no argument = $HOME, a missing directory), exit
# with and without N (then $?), in subshells and `sh -c`, and the script's own status.
cd /data/sub
ls
cd ..
ls -1 sub
cd deeper 2>/dev/null || echo cd failed with $?
cd sub/deeper && ls && cd ../..
cd /nosuch; echo cd status $?
HOME=/etc; cd; ls
cd /
(exit 5); echo subshell exit $?
(false; exit); echo exit without N keeps $?
sh -c 'exit 300'; echo exit 300 is $?
sh -c 'true; exit'; echo $?
sh -c 'exit 2; echo not reached'; echo $?
(cd /data; ls sub); ls -1 /data/sub
echo last line before exit
exit 3
echo not reached
