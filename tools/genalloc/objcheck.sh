#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# objcheck.sh checkers|callers [STEP] - the kernel's checkers on our files,
# and the in-tree callers of genalloc compiled against our header.
#
#   checkers  each of our C files with W=1 (no warning, kernel-doc
#             included) and sparse (C=2, no warning); checkpatch.pl
#             --strict --no-tree -f on each of our kernel files (no error,
#             warning or check); scripts/kernel-doc -none -Wall on our .c
#             and .h files (no output).  One test per checker and file,
#             and one more for checkpatch.pl --strict on the userspace
#             test programs (nothing but what checkpatch-accepted.txt
#             lists).
#   callers   every file listed in tools/genalloc/callers.txt compiled in
#             the tree with our genalloc.h; a warning is a failure unless
#             the same warning comes out of the pristine 6.12 tree (built
#             only when needed; callers.txt records the warnings pristine
#             6.12 gives, so that a cold run can skip that build, and
#             CALLERS_PRISTINE=1 forces it).  One test per file.
#   STEP      record the outcome as `make check` step STEP (result.sh)
#
# Objects are built in $BUILD/objcheck with an x86_64 allmodconfig
# (tools/genalloc/callers.config), through cc-diag.sh, which keeps each
# object's compiler output in OBJ.diag.
set -u

mode=${1:?usage: objcheck.sh checkers|callers [STEP]}
step=${2:-}
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${BUILD:-$TOP/build}
export TOP BUILD
JOBS=${JOBS:-$(nproc)}
T=$TOP/tools/genalloc
CC_DIAG="$T/cc-diag.sh gcc"
FRAG=$T/callers.config
bd=$BUILD/objcheck${KDIR:+-$(echo "$KDIR" | cksum | cut -d" " -f1)}
logs=$bd/logs
label="objcheck.sh $mode"
# shellcheck source=counts.sh
. "$T/counts.sh"

# kmake TREE BUILDDIR ARG...: Kbuild in TREE with objects in BUILDDIR.
kmake() {
	local ktree=$1 kdir=$2

	shift 2
	make -C "$ktree" O="$kdir" ARCH=x86_64 CC="$CC_DIAG" -j"$JOBS" "$@"
}

# configure TREE BUILDDIR: the allmodconfig, regenerated when the fragment
# changes (Kbuild itself follows changes of the Kconfig files).
configure() {
	mkdir -p "$2"
	if [ ! -f "$2/.config" ] || ! cmp -s "$FRAG" "$2/.genalloc-fragment"; then
		echo "  CONFIG  $2 (allmodconfig + callers.config)"
		kmake "$1" "$2" KCONFIG_ALLCONFIG="$FRAG" allmodconfig \
			> "$2/config.log" 2>&1 || {
			cat "$2/config.log"
			return 1
		}
		cp "$FRAG" "$2/.genalloc-fragment"
	fi
}

mkdir -p "$logs"
tree=$("$T/tree.sh" 2>"$logs/tree.log" | tail -n 1)
if [ -z "$tree" ] || [ ! -f "$tree/Makefile" ]; then
	cat "$logs/tree.log"
	fail "tree.sh could not prepare the kernel tree"
	finish
fi
configure "$tree" "$bd" || { fail "configure $bd"; finish; }

# Prepare once, so that the per-object builds below only compile.
echo "  PREPARE $bd"
kmake "$tree" "$bd" prepare > "$logs/prepare.log" 2>&1 || {
	tail -n 30 "$logs/prepare.log"
	fail "make prepare"
	finish
}

# diag_lines FILE: the warnings and errors in compiler/checker output.
diag_lines() {
	grep -E '(warning|error|Error):' "$1" || true
}

# build_clean LABEL FLAG FILE.c LOG: rebuild FILE.o with make FLAG and
# pass if that succeeds without a single warning or error.
build_clean() {
	o=${3%.c}.o
	rm -f "$bd/$o"
	kmake "$tree" "$bd" "$2" "$o" > "$4" 2>&1
	rc=$?
	if [ $rc -eq 0 ] && [ -z "$(diag_lines "$4")" ]; then
		pass "$1 $3"
	else
		diag_lines "$4"
		fail "$1 $3 (exit $rc, log $4)"
	fi
}

# The userspace test programs: every .c and .h file under
# tools/testing/genalloc but the shim's imitations of kernel headers
# (shim/linux/, shim/kunit/) and the build output (out/), each through
# checkpatch.pl --strict --no-tree -f.  One test for all of them: it
# passes if every finding is one that checkpatch-accepted.txt lists
# (file, type and message; not the line, which moves).
userspace_checkpatch() {
	what="checkpatch --strict on the userspace test programs"
	log=$logs/checkpatch-userspace.log
	files=$(cd "$TOP" && find tools/testing/genalloc \
		\( -path tools/testing/genalloc/out -o \
		   -path tools/testing/genalloc/shim/linux -o \
		   -path tools/testing/genalloc/shim/kunit \) -prune -o \
		-type f -name '*.[ch]' -print | LC_ALL=C sort)
	: > "$log"
	broken=0
	n=0
	for f in $files; do
		n=$((n + 1))
		out=$(cd "$TOP" && "$tree/scripts/checkpatch.pl" --strict \
			--no-tree --show-types --terse -f "$f" 2>&1)
		rc=$?
		printf '%s\n' "$out" >> "$log"
		# Clean, it prints nothing and exits 0; otherwise it lists
		# the findings and exits 1.
		if [ $rc -ne 0 ] && ! printf '%s\n' "$out" |
		   grep -qE '^[^ ]+:[0-9]+: (ERROR|WARNING|CHECK):'; then
			echo "  (checkpatch.pl failed on $f)"
			broken=$((broken + 1))
		fi
	done
	# Each finding, "accepted" or "new", by its text without the line.
	awk -v list="$T/checkpatch-accepted.txt" '
		BEGIN {
			while ((getline l < list) > 0)
				if (l != "" && l !~ /^#/)
					ok[l] = 1
		}
		/^[^ ]+:[0-9]+: (ERROR|WARNING|CHECK):/ {
			key = $0
			sub(/:[0-9]+: /, ": ", key)
			print ((key in ok) ? "accepted: " : "new: ") $0
		}' "$log" > "$logs/checkpatch-userspace.findings"
	sed -n 's/^accepted: /        accepted: /p' \
		"$logs/checkpatch-userspace.findings"
	if [ "$n" -eq 0 ]; then
		fail "$what (no file found)"
	elif [ "$broken" -ne 0 ]; then
		fail "$what (checkpatch.pl failed on $broken files, log $log)"
	elif grep -q '^new: ' "$logs/checkpatch-userspace.findings"; then
		sed -n 's/^new: /        /p' "$logs/checkpatch-userspace.findings"
		fail "$what (log $log)"
	else
		pass "$what ($n files)"
	fi
}

checkers() {
	cfiles="lib/genalloc.c lib/tests/genalloc_kunit.c"
	for c in $cfiles; do
		name=$(echo "$c" | tr / _)
		if [ ! -f "$tree/$c" ]; then
			fail "W=1 $c (missing)"
			fail "sparse $c (missing)"
			continue
		fi
		build_clean "W=1" W=1 "$c" "$logs/w1-$name.log"
		build_clean "sparse" C=2 "$c" "$logs/sparse-$name.log"
	done

	for f in lib/genalloc.c include/linux/genalloc.h \
		 lib/tests/genalloc_kunit.c lib/tests/genalloc_kunit.dtso \
		 lib/tests/Makefile lib/tests/.kunitconfig; do
		name=$(echo "$f" | tr / _)
		if [ ! -f "$TOP/$f" ]; then
			fail "checkpatch $f (missing)"
			continue
		fi
		(cd "$TOP" && "$tree/scripts/checkpatch.pl" --strict --no-tree \
			--show-types -f "$f") > "$logs/checkpatch-$name.log" 2>&1
		if grep -q '^total: 0 errors, 0 warnings, 0 checks' \
			"$logs/checkpatch-$name.log"; then
			pass "checkpatch --strict $f"
		else
			grep -E '^(ERROR|WARNING|CHECK|total)' \
				"$logs/checkpatch-$name.log"
			fail "checkpatch --strict $f"
		fi
	done

	userspace_checkpatch

	for f in lib/genalloc.c include/linux/genalloc.h \
		 lib/tests/genalloc_kunit.c; do
		name=$(echo "$f" | tr / _)
		if [ ! -f "$TOP/$f" ]; then
			fail "kernel-doc $f (missing)"
			continue
		fi
		(cd "$TOP" && "$tree/scripts/kernel-doc" -none -Wall "$f") \
			> "$logs/kernel-doc-$name.log" 2>&1
		rc=$?
		if [ $rc -eq 0 ] && [ ! -s "$logs/kernel-doc-$name.log" ]; then
			pass "kernel-doc -Wall $f"
		else
			cat "$logs/kernel-doc-$name.log"
			fail "kernel-doc -Wall $f"
		fi
	done
}

# normalise DIAGFILE TREE: warnings without the tree's path and without
# line and column numbers, so that the same warning in the pristine tree
# compares equal.
normalise() {
	[ -f "$1" ] || return 0
	grep -E '(warning|error):' "$1" | sed -E "s|$2/||g" |
		sed -E 's/^([^:]*):[0-9]+:([0-9]+:)?/\1:/' | sort -u
}

callers() {
	list=$T/callers.txt
	objs=
	for c in $(grep -v '^#' "$list" | awk 'NF { print $1 }'); do
		objs="$objs ${c%.c}.o"
	done
	echo "  BUILD   $(echo $objs | wc -w) callers in $bd"
	# shellcheck disable=SC2086
	kmake "$tree" "$bd" -k $objs > "$logs/callers.log" 2>&1
	pristine=
	for o in $objs; do
		c=${o%.o}.c
		if [ -f "$bd/$o" ] && [ ! -f "$bd/$o.diag" ]; then
			pass "$c"
			continue
		fi
		# A warning that callers.txt records for the pristine tree
		# ("pristine: MESSAGE") passes without building that tree,
		# unless CALLERS_PRISTINE=1 asks for the real comparison.
		known=$(awk -F'\t' -v f="$c" '$1 == f' "$list" | sed -n 's/.*pristine: //p')
		if [ -f "$bd/$o" ] && [ -n "$known" ] && [ -z "${CALLERS_PRISTINE:-}" ] &&
		   [ -z "$(normalise "$bd/$o.diag" "$tree" | grep -vF -e "$known")" ]; then
			pass "$c (a warning pristine 6.12 gives too: $known)"
			continue
		fi
		# Something was printed (or the build failed): compare with the
		# same object built in the pristine tree.
		if [ -z "$pristine" ]; then
			pristine=$BUILD/linux-pristine
			pbd=$BUILD/objcheck-pristine
			if [ ! -f "$pristine/.genalloc-unpacked" ]; then
				echo "  (no pristine tree: every warning counts as new)"
				pristine=none
			elif ! configure "$pristine" "$pbd" ||
			     ! kmake "$pristine" "$pbd" prepare \
					> "$logs/prepare-pristine.log" 2>&1; then
				echo "  (pristine tree does not build: every warning counts as new)"
				pristine=none
			fi
		fi
		if [ "$pristine" != none ] && [ ! -f "$pbd/$o" ]; then
			kmake "$pristine" "$pbd" "$o" > "$logs/pristine-$(echo "$o" | tr / _).log" 2>&1
		fi
		new=$(normalise "$bd/$o.diag" "$tree" | {
			if [ "$pristine" != none ]; then
				normalise "$pbd/$o.diag" "$pristine" > "$logs/pristine.tmp"
				grep -vxF -f "$logs/pristine.tmp" || true
			else
				cat
			fi; })
		if [ -f "$bd/$o" ] && [ -z "$new" ]; then
			pass "$c (same warnings as in pristine 6.12)"
		elif [ ! -f "$bd/$o" ] && [ "$pristine" != none ] && [ ! -f "$pbd/$o" ]; then
			fail "$c does not build for x86_64 even in pristine 6.12: take it off callers.txt"
		else
			[ -n "$new" ] && echo "$new" | sed 's/^/        /'
			fail "$c"
		fi
	done
}

case $mode in
checkers) checkers ;;
callers) callers ;;
*) echo "objcheck.sh: unknown mode $mode" >&2; exit 2 ;;
esac
finish
