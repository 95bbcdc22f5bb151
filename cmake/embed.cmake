# Turns a text file into a C source defining `const char NAME[]`, so that
# the built-in default configuration and référentiel travel inside the
# binaries. Run with -DIN=file -DOUT=file.c -DNAME=symbol.
file(READ "${IN}" hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," body "${hex}")
string(REGEX REPLACE "((0x[0-9a-f][0-9a-f],){16})" "\\1\n  " body "${body}")
file(WRITE "${OUT}" "/* Generated from ${IN}; do not edit. */\nconst char ${NAME}[] = {\n  ${body}0x00};\n")
