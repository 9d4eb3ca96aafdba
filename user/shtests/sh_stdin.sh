#!/bin/sh
# sh_stdin: commands read from standard input (several lines, an exit status, what the
# commands read is left to them), `sh -c CMD NAME ARGS` ($0, $1, $#, $@), `sh SCRIPT ARGS`,
# no prompt when standard input is not a terminal.
T=/tmp/sh_stdin; rm -rf $T; mkdir -p $T; cd $T
echo 'echo from stdin; X=5; echo X=$X' | sh
echo 'exit 4' | sh; echo piped exit gives $?
sh -c 'echo $0 $1 $2 $#' name first second
sh -c 'echo all: $@ count $#' name a b c
sh -c 'echo "$1"' name 'with  spaces'
echo 'echo script got $# args: $1 $2 and zero is $0' > script
sh script one two
sh $T/script; echo status $?
echo 'echo first line; cat
this line is for cat, not the shell' > reader
cat reader | sh
sh nosuchscript; echo missing script gives $?
echo 'echo a
echo b &&
echo c' | sh
