#!/bin/sh
# util_grep: fixed strings, ^ $ . * and [classes], -v -c -n -i (alone and together),
# several files (name: prefixes), standard input, exit statuses 0 (found), 1 (none),
# 2 (a missing file).
T=/tmp/util_grep; rm -rf $T; mkdir -p $T; cd $T
echo 'apple
Banana
cherry pie
apple pie
a.b
axb
grape' > fruit
grep apple fruit
grep pie fruit; echo status $?
grep kiwi fruit; echo status $?
grep '^a' fruit
grep 'e$' fruit
grep 'pie$' fruit
grep '^apple$' fruit
grep 'a.b' fruit
grep 'a\.b' fruit
grep 'ch.*ie' fruit
grep '^[ab]' fruit
grep '^[^a-c]' fruit
grep 'p*le' fruit
grep -v p fruit
grep -c a fruit
grep -n pie fruit
grep -i banana fruit
grep -i '^B' fruit
grep -vc a fruit
grep -in APPLE fruit
grep -n '' fruit | grep -c :
grep line /data/pages.txt | grep -c '^line 0[0-9]*7$'
grep hello /data/hello.txt fruit /data/sub/inner.txt
grep -c e fruit /data/hello.txt
echo from stdin | grep -c stdin
grep x /nosuch fruit; echo status $?
grep; echo status $?
