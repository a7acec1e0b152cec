#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# check.sh STEP BINARY... - run each userspace test binary, add up the
# "N tests run, N passed, N failed" lines, print them as one line and
# exit non-zero if anything failed (or a binary crashed before printing
# its summary, which counts as one failure).  In the genalloc repository,
# where tools/genalloc/result.sh exists, the counts are also recorded
# under STEP for its `make check`.  The words of $CHECK_ARGS, if set, are
# passed to every binary (test names).
set -u
step=$1
shift
top=$(cd "$(dirname "$0")/../../.." && pwd)
passed=0
failed=0
for bin in "$@"; do
	name=$(basename "$(dirname "$bin")")
	echo "== genalloc_test ($name)"
	# shellcheck disable=SC2086 # one argument per word
	out=$("$bin" ${CHECK_ARGS:-} 2>&1)
	rc=$?
	# Leak reports list every live block; their count is on the FAIL line.
	printf '%s\n' "$out" | grep -v -e '^ok ' -e '^  live block ' |
		tail -n 60
	line=$(printf '%s\n' "$out" |
		grep -E '^[0-9]+ tests run, [0-9]+ passed, [0-9]+ failed$' |
		tail -n 1)
	if [ -z "$line" ]; then
		echo "$name: no summary (exit $rc)"
		failed=$((failed + 1))
		continue
	fi
	p=$(echo "$line" | sed 's/.*run, \([0-9]*\) passed.*/\1/')
	f=$(echo "$line" | sed 's/.*passed, \([0-9]*\) failed/\1/')
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
done
if [ -x "$top/tools/genalloc/result.sh" ]; then
	"$top/tools/genalloc/result.sh" "$step" "$passed" "$failed"
fi
echo "$step: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
