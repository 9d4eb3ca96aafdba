#!/bin/sh
# util_text: cat (files, standard input, `-`, a missing file), echo (-n, no arguments),
# wc (-l -w -c alone and together, several files and their total, standard input).
T=/tmp/util_text; rm -rf $T; mkdir -p $T; cd $T
cat /data/hello.txt
cat /data/hello.txt /data/sub/inner.txt /data/hello.txt
echo piped in | cat
echo dash | cat /data/sub/inner.txt - /data/sub/deeper/leaf.txt
cat /data/empty
cat /nosuch /data/hello.txt; echo status $?
echo -n no newline; echo ' <- then this'
echo
echo -n
echo -x -n
echo 'a  b' c
wc /data/hello.txt
wc -l /data/pages.txt
wc -w /data/pages.txt
wc -c /data/pages.txt
wc -lc /data/pages.txt
wc -l -w /data/hello.txt /data/pages.txt
wc < /data/hello.txt
echo one two | wc -w
wc -c /data/empty
echo '  leading and   inner   blanks  ' | wc -w
wc /nosuch; echo status $?
