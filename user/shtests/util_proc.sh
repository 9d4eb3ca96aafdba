#!/bin/sh
# util_proc: ps (its header, a sleeping job with state S under its command name, gone once
# killed), kill (default TERM, -9, -KILL, -SIGTERM, -s, -N, several pids, -l, errors),
# sleep (whole and fractional seconds, errors), true, false, free (its rows).
sleep 5 &
P=$!
sleep 0.2
ps | grep -c '^  PID S CMD$'
ps | grep -c ' S sleep$'
kill $P; wait $P; echo TERM: $?
ps | grep -c ' sleep$'
sleep 5 & kill -9 $!; wait $!; echo -9: $?
sleep 5 & kill -KILL $!; wait $!; echo -KILL: $?
sleep 5 & kill -SIGUSR1 $!; wait $!; echo -SIGUSR1: $?
sleep 5 & kill -s HUP $!; wait $!; echo -s HUP: $?
sleep 5 & kill -15 $!; wait $!; echo -15: $?
sleep 5 & A=$!; sleep 5 & B=$!; kill $A $B; wait $A; echo first $?; wait $B; echo second $?
kill -l | grep -c '^9) SIGKILL$'
kill -NOSUCH 1; echo status $?
kill abc; echo status $?
kill; echo status $?
sleep 0.1; echo slept a tenth: $?
sleep 0; echo slept nothing: $?
sleep 0.05 0.05; echo two arguments: $?
sleep soon; echo status $?
true; echo true: $?
false; echo false: $?
true ignores arguments && false ignores them too || echo and so: $?
free | grep -c '^ *total *used *free *buff/cache *available$'
free | grep -c '^Mem: *[0-9]* *[0-9]* *[0-9]* *[0-9]* *[0-9]*$'
free | grep -c '^Swap:'
