#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# docs.sh [build|check] - build the genalloc documentation with the kernel's
# own Sphinx setup and check that our pages produce no warning.
#
#   build   build Documentation/core-api/genalloc.rst and its zh_CN
#           translation with `make htmldocs SPHINXDIRS=...` in a 6.12 tree
#           holding our files; fail on any warning from our files
#   check   the same, then record the result of the `check-docs` step:
#           one test per page (English, Chinese) plus one for both pages
#           built together in one Sphinx project, which is how a full
#           `make htmldocs` sees them (no duplicate C declarations)
#
# DOCS_FAST=1 skips the two `make htmldocs` runs and judges each page from
# the one-project build alone, which uses the kernel's conf.py and Sphinx
# extensions too (seconds instead of a minute or more when cold).
#
# tree.sh prepares the tree: $BUILD/linux, unpacked from Debian's
# linux-source-6.12, or $KDIR if set, with our files laid over it.  The
# HTML lands in $BUILD/docs/Documentation/output, or in the tree's own
# Documentation/output when the tree has an in-tree configuration (which
# rules out O=).
set -u

mode=${1:-build}
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${BUILD:-$TOP/build}
OUT=$BUILD/docs
LOGS=$OUT/logs

EN=Documentation/core-api/genalloc.rst
ZH=Documentation/translations/zh_CN/core-api/genalloc.rst
FILES="$EN $ZH lib/genalloc.c include/linux/genalloc.h"

die() {
	echo "docs.sh: $*" >&2
	exit 1
}

# --- the tree -------------------------------------------------------------

prepare_tree() {
	[ -x "$TOP/tools/genalloc/tree.sh" ] || die "tools/genalloc/tree.sh missing"
	# tree.sh unpacks the tree (or takes $KDIR), lays all our files over
	# it and prints the tree's path last.
	"$TOP/tools/genalloc/tree.sh" >"$LOGS/tree.out" 2>"$LOGS/tree.log" ||
		{ cat "$LOGS/tree.log" >&2; die "tree.sh failed"; }
	TREE=$(tail -n 1 "$LOGS/tree.out")
	[ -f "$TREE/Makefile" ] || die "tree.sh gave no kernel tree ($TREE)"
	for f in $FILES; do
		cmp -s "$TOP/$f" "$TREE/$f" ||
			die "$TREE/$f differs from the repository's"
	done
	# Make Sphinx read our pages again, so that their warnings (kernel-doc
	# ones included) are printed on every run, not only the first.  Our
	# files are never hard links into the pristine tree (tree.sh installs
	# them by rename), so touching them is safe.
	touch "$TREE/$EN" "$TREE/$ZH"
	for idx in Documentation/core-api/index.rst \
		   Documentation/translations/zh_CN/core-api/index.rst; do
		grep -q '^ *genalloc$' "$TREE/$idx" ||
			die "$idx does not list genalloc in its toctree"
	done
}

# --- building -------------------------------------------------------------

# Warnings and errors of Sphinx, docutils and kernel-doc about our files.
our_warnings() {
	grep -E '(WARNING|ERROR|CRITICAL|SEVERE|warning|error)' "$1" |
		grep -E 'genalloc' || true
}

# sphinx_dir LOGNAME SPHINXDIR: one `make htmldocs` run for one directory.
sphinx_dir() {
	if [ -f "$TREE/.config" ]; then
		# An in-tree configuration forbids O=; build in the tree.
		HTML=$TREE/Documentation/output
		make -C "$TREE" -j"$(nproc)" htmldocs SPHINXDIRS="$2" \
			>"$LOGS/$1.log" 2>&1
	else
		HTML=$OUT/Documentation/output
		make -C "$TREE" O="$OUT" -j"$(nproc)" htmldocs \
			SPHINXDIRS="$2" >"$LOGS/$1.log" 2>&1
	fi
}

# Names of the functions lib/genalloc.c exports; each must be documented.
exported() {
	sed -n 's/^EXPORT_SYMBOL\(_GPL\)\{0,1\}(\([a-z_0-9]*\));$/\2/p' \
		"$TOP/lib/genalloc.c"
}

# page_ok NAME LOG HTML ANCHOR-PREFIX: judge one built page.
page_ok() {
	ok=0
	w=$(our_warnings "$2")
	if [ -n "$w" ]; then
		echo "docs.sh: $1: warnings:" >&2
		echo "$w" >&2
		ok=1
	fi
	if [ ! -s "$3" ]; then
		echo "docs.sh: $1: $3 was not written" >&2
		return 1
	fi
	for fn in $(exported); do
		grep -q "id=\"$4$fn\"" "$3" || {
			echo "docs.sh: $1: $fn() is not documented in $3" >&2
			ok=1
		}
	done
	return $ok
}

# Both pages in one Sphinx project with the kernel's conf.py, as a full
# `make htmldocs` builds them: catches clashes between the two pages.
combined() {
	src=$OUT/combined/src
	rm -rf "$OUT/combined"
	mkdir -p "$src/core-api" "$src/translations/zh_CN/core-api"
	cp "$TREE/$EN" "$src/core-api/genalloc.rst"
	cp "$TREE/$ZH" "$src/translations/zh_CN/core-api/genalloc.rst"
	cp "$TREE/Documentation/translations/zh_CN/disclaimer-zh_CN.rst" \
		"$src/translations/zh_CN/"
	cat >"$src/index.rst" <<-EOF
	genalloc documentation
	======================

	.. toctree::

	   core-api/genalloc
	   translations/zh_CN/core-api/genalloc
	EOF
	(cd "$TREE/Documentation" &&
	 sphinx-build -b html -q -c "$TREE/Documentation" \
		-d "$OUT/combined/doctrees" \
		-D kerneldoc_srctree="$TREE" \
		-D kerneldoc_bin="$TREE/scripts/kernel-doc" \
		"$src" "$OUT/combined/html") >"$LOGS/combined.log" 2>&1 || {
		cat "$LOGS/combined.log" >&2
		return 1
	}
	w=$(grep -E '(WARNING|ERROR|CRITICAL|SEVERE|warning|error)' \
		"$LOGS/combined.log")
	if [ -n "$w" ]; then
		echo "docs.sh: both pages together: warnings:" >&2
		echo "$w" >&2
		return 1
	fi
	return 0
}

# --- main -----------------------------------------------------------------

case $mode in
build|check) ;;
*) die "usage: docs.sh [build|check]" ;;
esac

command -v sphinx-build >/dev/null ||
	die "sphinx-build not found (make deps installs python3-sphinx)"
mkdir -p "$LOGS"
prepare_tree

passed=0
failed=0
t0=$(date +%s)

# count CMD...: one test, passed if CMD succeeds.
count() {
	if "$@"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
	fi
}

# full_page NAME SPHINXDIR PAGE ANCHOR-PREFIX: build SPHINXDIR, judge PAGE.
full_page() {
	if ! sphinx_dir "$1" "$2"; then
		tail -20 "$LOGS/$1.log" >&2
		echo "docs.sh: make htmldocs SPHINXDIRS=$2 failed" >&2
		return 1
	fi
	page_ok "$3" "$LOGS/$1.log" "$HTML/$2/genalloc.html" "$4"
}

if [ "${DOCS_FAST:-0}" = 1 ]; then
	# Only the one-project build of both pages: a few seconds instead
	# of a minute or more, and each page judged from its own lines.
	HTML=$OUT/combined/html
	count combined
	grep -v 'translations/zh_CN' "$LOGS/combined.log" >"$LOGS/en.log"
	grep -v 'src/core-api/genalloc.rst' "$LOGS/combined.log" >"$LOGS/zh.log"
	count page_ok "$EN" "$LOGS/en.log" "$HTML/core-api/genalloc.html" "c."
	count page_ok "$ZH" "$LOGS/zh.log" \
		"$HTML/translations/zh_CN/core-api/genalloc.html" "c.zh_CN."
else
	count full_page en core-api "$EN" "c."
	count full_page zh translations/zh_CN/core-api "$ZH" "c.zh_CN."
	[ "$mode" = check ] && count combined
fi
EN_HTML=$HTML/core-api/genalloc.html
ZH_HTML=$HTML/translations/zh_CN/core-api/genalloc.html

echo "docs.sh: $passed passed, $failed failed ($(($(date +%s) - t0)) s)"
echo "docs.sh: English: file://$EN_HTML"
echo "docs.sh: Chinese: file://$ZH_HTML"
echo "docs.sh: logs in $LOGS"

if [ "$mode" = check ]; then
	"$TOP/tools/genalloc/result.sh" check-docs "$passed" "$failed"
fi
[ "$failed" -eq 0 ]
