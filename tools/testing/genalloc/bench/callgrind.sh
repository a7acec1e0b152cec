#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# callgrind.sh BENCH OUTDIR MDFILE - instructions per alloc+free pair.
#
# Runs the benchmark's steady state for W1, W2 and W5 under callgrind,
# once per implementation, collecting only the timed steps (the fill and
# the warm-up are excluded with CALLGRIND_TOGGLE_COLLECT).  Each step is
# one allocation and the frees that bring the pool back to its fill.
# "all" counts every instruction of the step; "allocator" leaves out the
# harness's own (self cost of bench.c and side.c: random numbers, the
# list of live blocks, reading the TSC), some 130 per step.  Instruction
# counts do not depend on the machine's load, but they miss what a
# PAUSE costs (upstream executes one per bitmap word it claims or
# releases).
set -eu

bench=$1
out=$2
md=$3
mkdir -p "$out" "$(dirname "$md")"

command -v valgrind >/dev/null || {
	echo "callgrind.sh: valgrind is not installed (make deps)" >&2
	exit 1
}

{
	echo "### genalloc: callgrind instructions per steady-state step (alloc + frees)"
	echo
	echo "| wl | steps | upstream Ir/step, all | ours Ir/step, all | upstream Ir/step, allocator | ours Ir/step, allocator | upstream/ours (allocator) |"
	echo "|---|---:|---:|---:|---:|---:|---:|"
} > "$md"

for w in W1 W2 W5; do
	case $w in
	W2) n=3000 ;;
	W5) n=100000 ;;
	*) n=20000 ;;
	esac
	for impl in upstream ours; do
		valgrind --tool=callgrind --collect-atstart=no \
			--callgrind-out-file="$out/$w.$impl.out" \
			"$bench" -c "$w" -i "$impl" -n "$n" \
			> "$out/$w.$impl.log" 2>&1 || {
			cat "$out/$w.$impl.log" >&2
			exit 1
		}
		ir=$(awk '/^totals:/ { print $2; exit }' "$out/$w.$impl.out")
		h=$(callgrind_annotate --auto=no --threshold=100 \
			--inclusive=no "$out/$w.$impl.out" | awk '
			/=>/ { next }
			/bench\/bench\.c:|diff\/side\.c:|intrin\.h:/ {
				gsub(",", "", $1); s += $1 }
			END { print s + 0 }')
		eval "ir_$impl=$ir"
		eval "h_$impl=$h"
	done
	# shellcheck disable=SC2154
	awk -v w="$w" -v n="$n" -v u="$ir_upstream" -v o="$ir_ours" \
		-v hu="$h_upstream" -v ho="$h_ours" 'BEGIN {
		printf "| %s | %d | %.0f | %.0f | %.0f | %.0f | %.1fx |\n", w, n,
			u / n, o / n, (u - hu) / n, (o - ho) / n,
			(u - hu) / (o - ho) }' >> "$md"
done
cat "$md"
