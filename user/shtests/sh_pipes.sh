#!/bin/sh
# sh_pipes: pipelines of two to five commands, big transfers through them, the status of
# the last command, builtins and subshells in pipelines, a reader that quits early.
echo hello | cat
echo one two three | wc -w
cat /data/pages.txt | grep 99 | wc -l
cat /data/pages.txt | cat | cat | cat | wc -c
grep line /data/pages.txt | grep -v 1 | grep -c 5
true | false; echo true-false gives $?
false | true; echo false-true gives $?
echo piped | (read_nothing=1; cat; echo sub done) | cat
(echo a; echo b; echo c) | grep -n b
cd /data | ls /data/sub
echo exit in a pipe | exit 3; echo status $?
cat /data/pages.txt | grep -c line
echo x |
  cat
