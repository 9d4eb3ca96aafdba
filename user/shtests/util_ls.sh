#!/bin/sh
# util_ls: ls of a directory (sorted, dot files only with -a), of files, of several
# operands (files first, then each directory under a NAME: line), -1, -l (mode, links,
# owner, size, symlink targets; the time is left out: it is the copy's), errors (status 2).
ls /data/sub
ls -1 /data/sub/deeper
ls -a /data/sub
ls -1a /data/sub/deeper
ls /data/hello.txt /data/empty
ls /data/sub /data/hello.txt /data/sub/deeper
ls /data/link-dir
cd /data/sub; ls; ls .; cd /
ls -l /data/hello.txt | grep -c '^-rw-r--r-- 1 root [0-9a-z]* 13 '
ls -l /data/script.sh | grep -c '^-rwxr-xr-x 1 root [0-9a-z]* 42 '
ls -l /data/link-rel | grep -c '^lrwxrwxrwx 1 root .* /data/link-rel -> hello.txt$'
ls -l /data/dangling | grep -c ' /data/dangling -> nowhere$'
ls -l /data | grep -c '^d.* sub$'
ls -l /data | grep -c '^l'
ls -l /data | wc -l
ls /nosuch; echo status $?
ls /data/sub /nosuch; echo status $?
