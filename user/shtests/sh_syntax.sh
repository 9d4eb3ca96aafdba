#!/bin/sh
# sh_syntax: syntax errors (status 2; a line is parsed whole before it runs, so nothing
# of the bad line runs; earlier lines have run, later ones do not), unterminated quotes,
# an operator with nothing after it, ( ) nesting, a lone ; and a redirection operator.
sh -c 'echo before; echo ('; echo status $?
sh -c 'echo )'; echo status $?
sh -c 'echo "unterminated'; echo status $?
sh -c "echo 'unterminated"; echo status $?
sh -c 'echo a &&'; echo status $?
sh -c 'echo a | | cat'; echo status $?
sh -c '; echo a'; echo status $?
sh -c 'echo a >'; echo status $?
sh -c '(echo nested; (echo deeper; (echo deepest)))'; echo status $?
sh -c 'echo one
echo two; echo (
echo three'; echo status $?
sh -c ''; echo empty gives $?
sh -c '# only a comment'; echo comment gives $?
