#!/bin/sh
# sh_redirect: <, >, >> (append), 2>&1 and its order, 2> and N>&M, > on a builtin, a
# redirection alone, a file that cannot be opened.
T=/tmp/sh_redirect; rm -rf $T; mkdir -p $T; cd $T
echo first > out
echo second >> out
cat out
cat < out
wc -l < out
echo replaced > out; cat out
ls nosuch > listing 2>&1; echo ls status $?
cat listing
ls nosuch 2> errors; echo errors: ; cat errors
ls nosuch 2>&1 > stdout-only; echo went to the terminal above, file has:; cat stdout-only
echo to stderr 1>&2
echo both > both; ls nosuch >> both 2>&1; cat both
> created; ls created
echo to-five 5> five >&5; cat five
cd / > cdout; echo cd printed nothing: ; cat $T/cdout; cd $T
cat < nosuch; echo status $?
echo x > /nosuchdir/file; echo status $?
echo "a b" > "spaced name"; cat "spaced name"
F=fromvar; echo via variable > $F; cat fromvar
