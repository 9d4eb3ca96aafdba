#!/bin/sh
# sh_basics: words, comments, ';', quoting ('...', "..." with $ inside, \), variables
# (X=1, $X, ${X}, unset, splitting of unquoted expansions), $?, $#, $0.
echo hello world   # a comment after a command
# a comment line
echo one; echo two ;echo three
echo   spaced     out
echo 'single $X "quoted"' "double 'quoted'"
echo "back\\slash \"quote\" \$dollar" back\ slash\;semi
echo it''s joined"together"'too'
X=1
echo X is $X and ${X}0 and "${X}" and '$X'
X=two; Y="a  b   c"
echo $X $Y
echo "$Y"
echo "[$Z]" [$Z] "${Z}x"
E=""; echo "[$E]" [$E]
X=1 Y=2; echo $X$Y
A=one B=$A; echo $B
unset X; echo "X now [$X]"
true; echo true gives $?
false; echo false gives $?
echo $? is zero after echo
echo cost \$5 and $ alone and a$
echo "$#" args
echo done
