#!/bin/sh
# util_files: mkdir (one, several, -p with parents and existing ones, errors), rm (files,
# -r trees, -f on missing ones, a directory without -r), mv (rename, into a directory,
# several into a directory, errors).
T=/tmp/util_files; rm -rf $T; mkdir -p $T; cd $T
mkdir a; ls
mkdir b c; ls
mkdir a; echo status $?
mkdir -p a; echo -p on an existing one: $?
mkdir x/y; echo status $?
mkdir -p x/y/z; ls x/y
mkdir -p a/one a/two; ls a
echo data > a/one/file
rm a; echo status $?
rm -r a; ls
rm nosuch; echo status $?
rm -f nosuch; echo -f status $?
rm -rf nosuch x; ls
echo f > f1; echo g > f2; rm f1 f2; ls
echo moved > old; mv old new; ls; cat new
mv new b; ls; ls b
echo 1 > one; echo 2 > two; mv one two c; ls c
mv c d; ls
mv nosuch elsewhere; echo status $?
mv d/one d/two new-a new-b; echo status $?
mkdir -p deep/er; echo leaf > deep/er/leaf; mv deep b; ls b/deep/er; cat b/deep/er/leaf
rm -r b d; ls
cd /; rm -r $T; ls /tmp/util_files; echo gone: $?
