# SPDX-License-Identifier: GPL-2.0-only
# Sourced by the check scripts: count test outcomes and record them.
#
# The sourcing script sets T (this folder), step (the make check step, or
# empty) and label (the name printed in the summary line).

passed=0
failed=0

pass() {
	passed=$((passed + 1))
	echo "  PASS  $*"
}

fail() {
	failed=$((failed + 1))
	echo "  FAIL  $*"
}

finish() {
	echo "$label: $passed passed, $failed failed"
	[ -n "$step" ] && "$T/result.sh" "$step" "$passed" "$failed"
	[ "$failed" -eq 0 ]
	exit
}
