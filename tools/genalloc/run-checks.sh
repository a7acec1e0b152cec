#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# run-checks.sh STEP... - run each `make STEP` in order and sum the results.
#
# A step records "PASSED FAILED" in $RESULTS/STEP (see result.sh).  A step
# that exits non-zero without recording anything counts as one failure; a
# step that exits non-zero after recording zero failures counts one more.
set -u
RESULTS=${RESULTS:-build/results}
export RESULTS
MAKE=${MAKE:-make}
rm -rf "$RESULTS"
mkdir -p "$RESULTS"
total_p=0
total_f=0
start=$(date +%s)
for step in "$@"; do
	t0=$(date +%s)
	echo "=== $step"
	$MAKE --no-print-directory "$step"
	rc=$?
	if [ -f "$RESULTS/$step" ]; then
		read -r p f < "$RESULTS/$step"
	else
		p=0
		f=0
	fi
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=$((f + 1))
	fi
	t1=$(date +%s)
	echo "=== $step: $p passed, $f failed ($((t1 - t0)) s, exit $rc)"
	printf '%-24s %6s passed %4s failed %5s s\n' "$step" "$p" "$f" \
		"$((t1 - t0))" >> "$RESULTS/summary"
	total_p=$((total_p + p))
	total_f=$((total_f + f))
done
echo
cat "$RESULTS/summary"
echo "total time: $(($(date +%s) - start)) s"
echo "$total_p passed, $total_f failed"
[ "$total_f" -eq 0 ]
