#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# cc-diag.sh CC [ARG...] - run the compiler CC and keep a copy of what it
# prints about object X (its "-o X", X ending in .o) in X.diag, so that
# warnings can be told apart per object in a parallel build.  X.diag is
# removed when the compiler prints nothing.  Used as make CC="cc-diag.sh
# gcc" by objcheck.sh.
out=
prev=
for a in "$@"; do
	[ "$prev" = -o ] && out=$a
	prev=$a
done
case $out in
*.o)
	"$@" 2>"$out.diag"
	rc=$?
	if [ -s "$out.diag" ]; then
		cat "$out.diag" >&2
	else
		rm -f "$out.diag"
	fi
	exit $rc ;;
esac
exec "$@"
