#!/bin/sh
# sh_signals: a foreground job killed by a signal is reported as dash and bash report it
# (not for SIGINT and SIGPIPE) and $? is 128 + the signal; a shell that gets SIGINT while
# it waits for a job that does not die of it goes on (^C itself: sh_terminal.tty); a
# background job's death is not reported. (The dying processes' own stderr is discarded:
# qemu-m68k writes a line of its own there.)
sh -c 'kill -SEGV $$' 2>/dev/null; echo segv gives $?
sh -c 'kill -9 $$' 2>/dev/null; echo kill gives $?
sh -c 'kill $$' 2>/dev/null; echo term gives $?
sh -c 'kill -ABRT $$' 2>/dev/null; echo abrt gives $?
sh -c 'kill -USR1 $$' 2>/dev/null; echo usr1 gives $?
sh -c 'kill -INT $$; echo the inner shell got SIGINT while it waited: it goes on'; echo status $?
sh -c 'kill -PIPE $$' 2>/dev/null; echo pipe gives $? without a report
echo a | sh -c 'kill -HUP $$' 2>/dev/null; echo the last of a pipeline decides: $?
sh -c 'kill -QUIT $$' 2>/dev/null | true; echo but not the others: $?
sh -c 'kill -KILL $$' 2>/dev/null & wait $!; echo background: $? and no report
sh -c 'sh -c "kill -SEGV \$\$" 2>/dev/null; echo inner saw $?'
echo end
