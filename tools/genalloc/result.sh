#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# result.sh STEP PASSED FAILED - record the outcome of one `make check` step.
set -eu
dir=${RESULTS:-build/results}
mkdir -p "$dir"
printf '%s %s\n' "$2" "$3" > "$dir/$1"
