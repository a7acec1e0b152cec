#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# patch.sh [STEP] - write our work as a `git format-patch` series against
# the pristine Linux 6.12 tree into $BUILD/patches, and check it:
#
#   1. genalloc: rewrite ...       include/linux/genalloc.h, lib/genalloc.c,
#                                  DEBUG_GENALLOC in lib/Kconfig.debug
#   2. genalloc: add KUnit tests   lib/tests/, GENALLOC_KUNIT_TEST in
#                                  lib/Kconfig.debug, lib/Makefile,
#                                  a MAINTAINERS entry
#   3. Documentation: genalloc: ...  Documentation/
#   4. tools/testing/genalloc: ...  the userspace harness (its tests and
#                                  shim; the differential test, benchmarks,
#                                  fuzzer and stress test stay here)
#
# The commit messages are tools/genalloc/series/*.msg; the author and
# Signed-off-by are the repository's git identity (GENALLOC_AUTHOR="Name
# <mail>" overrides it).  Checks, one test each: the series applies with
# `git am` to the pristine files; the result is byte for byte the tree that
# the KUnit runs and the checkers build ($BUILD/linux); `git apply --check`
# accepts it on the whole pristine tree; checkpatch.pl --strict is clean on
# every patch (but for undocumented "test,..." DT compatibles of the KUnit
# overlay, and in the harness what checkpatch-accepted.txt lists and the
# shim's kernel headers); our objects build from the
# patched files; the harness builds and passes in the patched files.
set -u

step=${1:-}
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${BUILD:-$TOP/build}
export TOP BUILD
T=$TOP/tools/genalloc
PRISTINE=$BUILD/linux-pristine
out=$BUILD/patches
g=$BUILD/patch-git
v=$BUILD/patch-verify
label="patch.sh"
# shellcheck source=counts.sh
. "$T/counts.sh"

# The series is always made against the pristine tree and checked against
# $BUILD/linux, whatever KDIR says.
work=$(env -u KDIR "$T/tree.sh" 2>"$BUILD/patch-tree.log" | tail -n 1)
if [ -z "$work" ] || [ ! -f "$PRISTINE/.genalloc-unpacked" ]; then
	cat "$BUILD/patch-tree.log"
	fail "tree.sh could not prepare the trees"
	finish
fi

author=${GENALLOC_AUTHOR:-"$(git -C "$TOP" config user.name) <$(git -C "$TOP" config user.email)>"}
name=${author% <*}
mail=${author#*<}
mail=${mail%>}
date=$(git -C "$TOP" log -1 --format=%cI 2>/dev/null || date -R)
export GIT_AUTHOR_NAME="$name" GIT_AUTHOR_EMAIL="$mail" \
	GIT_COMMITTER_NAME="$name" GIT_COMMITTER_EMAIL="$mail" \
	GIT_AUTHOR_DATE="$date" GIT_COMMITTER_DATE="$date"

ours=$(cd "$TOP" && find include lib Documentation -type f \
	! -name '*.o' ! -name '*.cmd' ! -name '*.dtbo' ! -name '*~' |
	LC_ALL=C sort)
# The harness, without what only this repository runs (those programs
# build on the top Makefile and compare against upstream's file).
harness=$(cd "$TOP" && find tools/testing/genalloc \( -path '*/out' -o \
	-path '*/diff' -o -path '*/bench' -o -path '*/fuzz' -o \
	-path '*/stress' \) -prune -o -type f ! -name '*~' -print |
	LC_ALL=C sort)
touched="$ours $harness lib/Kconfig.debug lib/Makefile MAINTAINERS"

# git_init DIR: a repository holding the pristine version of every file
# the series touches.
git_init() {
	rm -rf "$1"
	mkdir -p "$1"
	git -C "$1" init -q
	git -C "$1" config core.autocrlf false
	for f in $touched; do
		if [ -f "$PRISTINE/$f" ]; then
			mkdir -p "$1/$(dirname "$f")"
			cp "$PRISTINE/$f" "$1/$f"
		fi
	done
	git -C "$1" add -A
	git -C "$1" commit -q -m "Linux 6.12 (Debian linux-source-6.12)"
}

# take FILE...: copy FILE... from the repository into the series.
take() {
	for f in "$@"; do
		mkdir -p "$g/$(dirname "$f")"
		cp "$TOP/$f" "$g/$f"
		git -C "$g" add "$f"
	done
}

commit() {
	git -C "$g" commit -q -s -F "$T/series/$1" ||
		{ fail "commit $1 (nothing to commit?)"; finish; }
}

git_init "$g"
base=$(git -C "$g" rev-parse HEAD)

# 1. The allocator, its header and DEBUG_GENALLOC.
take include/linux/genalloc.h lib/genalloc.c
"$T/tree.sh" wire-kconfig "$PRISTINE/lib/Kconfig.debug" \
	"$g/lib/Kconfig.debug" DEBUG_GENALLOC
git -C "$g" add lib/Kconfig.debug
commit 1-genalloc.msg

# 2. The KUnit suites, their Kconfig and Makefile lines, MAINTAINERS.
# shellcheck disable=SC2046
take $(echo "$ours" | grep '^lib/tests/')
"$T/tree.sh" wire-kconfig "$PRISTINE/lib/Kconfig.debug" \
	"$g/lib/Kconfig.debug" DEBUG_GENALLOC GENALLOC_KUNIT_TEST
"$T/tree.sh" wire-makefile "$PRISTINE/lib/Makefile" "$g/lib/Makefile"
# maintainers [EXTRA-F-LINE]: MAINTAINERS with our entry.
maintainers() {
	awk -v who="$author" -v extra="${1:-}" '
	/^GENERIC ARCHITECTURE TOPOLOGY$/ && !done {
		print "GENERIC ALLOCATOR (GENALLOC)"
		print "M:\t" who
		print "L:\tlinux-mm@kvack.org"
		print "S:\tMaintained"
		print "F:\tDocumentation/core-api/genalloc.rst"
		print "F:\tinclude/linux/genalloc.h"
		print "F:\tlib/genalloc.c"
		print "F:\tlib/tests/genalloc_kunit*"
		if (extra != "")
			print "F:\t" extra
		print ""
		done = 1
	}
	{ print }' "$PRISTINE/MAINTAINERS" > "$g/MAINTAINERS"
}
maintainers
git -C "$g" add lib/Kconfig.debug lib/Makefile MAINTAINERS
commit 2-kunit.msg

# 3. The documentation.
# shellcheck disable=SC2046
take $(echo "$ours" | grep '^Documentation/')
commit 3-docs.msg

# 4. The userspace harness.
# shellcheck disable=SC2086
take $harness
maintainers tools/testing/genalloc/
git -C "$g" add MAINTAINERS
commit 4-harness.msg

rm -rf "$out"
git -C "$g" format-patch -q -o "$out" "$base"..HEAD
echo "patch.sh: series in $out:"
ls "$out" | sed 's/^/  /'

# The series applies with git am to the pristine files.
git_init "$v"
if git -C "$v" am -q "$out"/*.patch > "$BUILD/patch-am.log" 2>&1; then
	pass "git am on pristine 6.12"
else
	cat "$BUILD/patch-am.log"
	git -C "$v" am --abort 2>/dev/null
	fail "git am on pristine 6.12"
fi

# The result is exactly the tree we build and test (and the harness the
# repository runs).
diffs=
for f in $touched; do
	[ "$f" = MAINTAINERS ] && continue
	case $f in
	tools/*) cmp -s "$v/$f" "$TOP/$f" || diffs="$diffs $f" ;;
	*) cmp -s "$v/$f" "$work/$f" || diffs="$diffs $f" ;;
	esac
done
if [ -z "$diffs" ]; then
	pass "patched files identical to the tested tree $work"
else
	fail "patched files differ from $work:$diffs"
fi

# The series applies to the whole pristine tree (nothing is written).
if (cd "$PRISTINE" && git apply --check "$out"/*.patch) \
	> "$BUILD/patch-apply.log" 2>&1; then
	pass "git apply --check on the full pristine tree"
else
	cat "$BUILD/patch-apply.log"
	fail "git apply --check on the full pristine tree"
fi

# The harness builds from the patched files alone, as it would in a
# kernel tree, and its tests pass (gcc, 64- and 32-bit).
if env -u TOP -u BUILD -u KDIR make --no-print-directory \
	-C "$v/tools/testing/genalloc" -j2 COMPILERS=gcc STEP=harness check \
	> "$BUILD/patch-harness.log" 2>&1; then
	pass "in the patched files, make -C tools/testing/genalloc check: $(grep '^harness: ' "$BUILD/patch-harness.log" | tail -n 1)"
else
	tail -n 30 "$BUILD/patch-harness.log"
	fail "harness in the patched files (log $BUILD/patch-harness.log)"
fi

# checkpatch --strict, run from the top of the patched tree.
for p in "$out"/*.patch; do
	(cd "$work" && ./scripts/checkpatch.pl --strict --show-types "$p") \
		> "$p.checkpatch" 2>&1
	# Accepted: a compatible with the vendor prefix "test", which
	# vendor-prefixes.yaml reserves for tests, has no binding (upstream's
	# clk KUnit overlays draw the same warning); in the harness, what
	# checkpatch-accepted.txt lists for "make checkers" (each finding
	# turned into its "FILE: LEVEL:TYPE: message" form), and anything
	# in the shim's headers, which define the kernel's own macros in the
	# kernel's form and which "make checkers" leaves out too.
	other=$(awk '/^(ERROR|WARNING|CHECK)/ { m = $0; getline; print m " @ " $0 }' \
		"$p.checkpatch" |
		grep -vE '^WARNING:UNDOCUMENTED_DT_STRING: DT compatible string "test,[^"]*" appears un-documented' |
		grep -vE ' @ #[0-9]+: FILE: tools/testing/genalloc/shim/(linux|kunit)/' |
		awk -v list="$T/checkpatch-accepted.txt" '
			BEGIN {
				while ((getline l < list) > 0)
					if (l != "" && l !~ /^#/)
						ok[l] = 1
			}
			{
				n = split($0, a, / @ #[0-9]+: FILE: /)
				f = a[2]
				sub(/:[0-9]+:$/, "", f)
				if (n != 2 || !((f ": " a[1]) in ok))
					print
			}')
	if grep -q '^total: 0 errors, 0 warnings, 0 checks' "$p.checkpatch"; then
		pass "checkpatch --strict $(basename "$p")"
	elif [ -z "$other" ]; then
		n=$(grep -cE '^(ERROR|WARNING|CHECK)' "$p.checkpatch")
		if [ "$n" -le 3 ]; then
			grep -E '^(ERROR|WARNING|CHECK)' "$p.checkpatch" |
				sed 's/^/        accepted: /'
		else
			echo "        accepted: $n findings, all in the shim's kernel headers and its printk() ($p.checkpatch)"
		fi
		pass "checkpatch --strict $(basename "$p") (accepted findings only)"
	else
		grep -E '^(ERROR|WARNING|CHECK|total)' "$p.checkpatch"
		fail "checkpatch --strict $(basename "$p") (see $p.checkpatch)"
	fi
done

# Our objects build from the patched files (which are those of $work):
# the kernel the KUnit step boots is one proof, this is a quick one.
if [ -f "$BUILD/objcheck/.config" ]; then
	if make -C "$work" O="$BUILD/objcheck" ARCH=x86_64 \
		CC="$T/cc-diag.sh gcc" -j"$(nproc)" lib/genalloc.o \
		lib/tests/genalloc_kunit_test.o > "$BUILD/patch-build.log" 2>&1; then
		pass "patched lib/genalloc.o and lib/tests/ build (x86_64 allmodconfig)"
	else
		tail -n 30 "$BUILD/patch-build.log"
		fail "patched lib/genalloc.o and lib/tests/ build"
	fi
else
	echo "  (no $BUILD/objcheck yet: run make checkers first for the build test)"
fi
finish
