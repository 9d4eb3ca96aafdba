#!/bin/sh
# sh_background: & runs a job without waiting; wait (all, or one pid through $!) and
# its status; a background job's output after the foreground's; a job killed with kill.
T=/tmp/sh_background; rm -rf $T; mkdir -p $T; cd $T
(sleep 0.3; echo background done) &
echo foreground first
wait
echo after wait
sleep 5 &
P=$!
kill $P
wait $P; echo killed job status $?
(exit 7) &
wait $!; echo job status $?
sh -c 'sleep 0.2; echo late > late' & echo started; wait; cat late
echo a & wait; echo b
false & echo amp status $?
wait
