#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# tree.sh - prepare a Linux 6.12 tree that builds our genalloc.
#
#   tree.sh            unpack Debian's linux-source-6.12 once into
#                      $BUILD/linux-pristine (never modified afterwards),
#                      keep a work copy in $BUILD/linux, lay our files over
#                      it and wire our Kconfig symbols and objects in
#   KDIR=/path tree.sh lay our files over that tree instead
#   tree.sh wire-kconfig IN OUT SYM...
#                      write IN (a lib/Kconfig.debug) to OUT with our
#                      entries for SYM... (from the repository's Kconfig)
#                      inserted; entries already there are replaced
#   tree.sh wire-makefile IN OUT
#                      write IN (a lib/Makefile) to OUT with lib/tests/
#                      wired in
#
# Only files whose content changed are rewritten, so a second run leaves
# every timestamp alone and Kbuild rebuilds only what changed.  Files are
# replaced by rename, never written in place: the work copy shares its
# unchanged files with the pristine tree through hard links.
set -eu

TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${BUILD:-$TOP/build}
TARBALL=${TARBALL:-/usr/src/linux-source-6.12.tar.xz}
PRISTINE=$BUILD/linux-pristine

# Our files, relative to the repository and to the kernel tree.
our_files() {
	(cd "$TOP" && find include lib Documentation -type f \
		! -name '*.o' ! -name '*.cmd' ! -name '*.dtbo' \
		! -name '*.dtbo.S' ! -name '*.ko' ! -name '*.mod*' \
		! -name '*~' ! -name '.*.sw?' 2>/dev/null | LC_ALL=C sort)
}

# install_if_changed SRC DST: replace DST by SRC unless they are equal.
install_if_changed() {
	if ! cmp -s "$1" "$2"; then
		mkdir -p "$(dirname "$2")"
		cp "$1" "$2.genalloc-tmp.$$"
		mv -f "$2.genalloc-tmp.$$" "$2"
		echo "  UPDATE  $2" >&2
	fi
}

# kconfig_entry SYM: our entry for SYM from the repository's Kconfig, from
# its "config" line up to the next entry, without trailing blank lines.
kconfig_entry() {
	awk -v sym="$1" '
		/^(config|menuconfig) / { on = ($2 == sym) }
		on { buf[n++] = $0 }
		END {
			while (n > 0 && buf[n - 1] ~ /^[ \t]*$/)
				n--
			for (i = 0; i < n; i++)
				print buf[i]
			if (!n)
				exit 1
		}' "$TOP/Kconfig"
}

# strip_entries FILE SYM...: FILE without the entries for SYM...
strip_entries() {
	file=$1
	shift
	awk -v syms=" $* " '
		/^(config|menuconfig|menu|endmenu|if|endif|choice|endchoice|comment|source)( |$)/ {
			skip = ($1 == "config" && index(syms, " " $2 " "))
		}
		!skip' "$file"
}

# wire-kconfig IN OUT SYM...: DEBUG_GENALLOC joins the "Debug kernel data
# structures" menu after DEBUG_MAPLE_TREE; GENALLOC_KUNIT_TEST joins the
# runtime tests next to the other data-structure KUnit tests.
wire_kconfig() {
	in=$1
	out=$2
	shift 2
	tmp=$out.genalloc-new.$$
	strip_entries "$in" DEBUG_GENALLOC GENALLOC_KUNIT_TEST > "$tmp.base"
	: > "$tmp.debug"
	: > "$tmp.test"
	for sym in "$@"; do
		case $sym in
		DEBUG_GENALLOC)
			{ kconfig_entry "$sym"; echo; } > "$tmp.debug" ;;
		GENALLOC_KUNIT_TEST)
			{ kconfig_entry "$sym"; echo; } > "$tmp.test" ;;
		*)
			echo "tree.sh: unknown symbol $sym" >&2
			exit 1 ;;
		esac
	done
	awk -v debug="$tmp.debug" -v test="$tmp.test" '
		function emit(f,   l) {
			while ((getline l < f) > 0)
				print l
			close(f)
		}
		/^config DEBUG_MAPLE_TREE$/ { maple = 1 }
		maple && /^endmenu/ { emit(debug); maple = 0; d = 1 }
		/^config HASHTABLE_KUNIT_TEST$/ { emit(test); t = 1 }
		{ print }
		END {
			if (!d || !t) {
				print "tree.sh: lib/Kconfig.debug anchors not found" > "/dev/stderr"
				exit 1
			}
		}' "$tmp.base" > "$tmp"
	rm -f "$tmp.base" "$tmp.debug" "$tmp.test"
	mv -f "$tmp" "$out"
}

# wire-makefile IN OUT: descend into lib/tests/ right after genalloc.o.
wire_makefile() {
	tmp=$2.genalloc-new.$$
	if grep -q '^obj-.*+= *tests/' "$1"; then
		cp "$1" "$tmp"
	else
		awk '{ print }
		/^obj-\$\(CONFIG_GENERIC_ALLOCATOR\) \+= genalloc\.o$/ {
			print "obj-$(CONFIG_KUNIT) += tests/"
			n++
		}
		END {
			if (n != 1) {
				print "tree.sh: lib/Makefile anchor not found" > "/dev/stderr"
				exit 1
			}
		}' "$1" > "$tmp"
	fi
	mv -f "$tmp" "$2"
}

case ${1:-} in
wire-kconfig)
	shift
	wire_kconfig "$@"
	exit 0 ;;
wire-makefile)
	shift
	wire_makefile "$@"
	exit 0 ;;
"") ;;
*)
	echo "usage: tree.sh [wire-kconfig IN OUT SYM...|wire-makefile IN OUT]" >&2
	exit 2 ;;
esac

if [ -n "${KDIR:-}" ]; then
	tree=$(cd "$KDIR" && pwd)
	[ -f "$tree/lib/Kconfig.debug" ] || {
		echo "tree.sh: $KDIR is not a kernel tree" >&2
		exit 1
	}
else
	tree=$BUILD/linux
	mkdir -p "$BUILD"
	if [ ! -f "$PRISTINE/.genalloc-unpacked" ]; then
		[ -f "$TARBALL" ] || {
			echo "tree.sh: $TARBALL missing (make deps)" >&2
			exit 1
		}
		echo "  UNPACK  $TARBALL -> $PRISTINE" >&2
		rm -rf "$PRISTINE" "$PRISTINE.tmp" "$tree"
		mkdir -p "$PRISTINE.tmp"
		tar -xJf "$TARBALL" --strip-components=1 -C "$PRISTINE.tmp"
		touch "$PRISTINE.tmp/.genalloc-unpacked"
		mv "$PRISTINE.tmp" "$PRISTINE"
	fi
	if [ ! -f "$tree/.genalloc-copied" ]; then
		echo "  COPY    $PRISTINE -> $tree (hard links)" >&2
		rm -rf "$tree" "$tree.tmp"
		cp -al "$PRISTINE" "$tree.tmp"
		rm -f "$tree.tmp/.genalloc-unpacked"
		mv "$tree.tmp" "$tree"
		touch "$tree/.genalloc-copied"
	fi
fi

# Lay our files over the tree.  Files we laid before but which have left
# the repository get their original back (or go, if the tree had none).
manifest=$tree/.genalloc-files
our_files > "$manifest.new.$$"
if [ -f "$manifest" ]; then
	LC_ALL=C comm -23 "$manifest" "$manifest.new.$$" | while read -r f; do
		if [ -f "$tree/.genalloc-orig/$f" ]; then
			install_if_changed "$tree/.genalloc-orig/$f" "$tree/$f"
		else
			echo "  REMOVE  $tree/$f" >&2
			rm -f "$tree/$f"
		fi
	done
fi
while read -r f; do
	if [ -f "$tree/$f" ] && [ ! -f "$tree/.genalloc-orig/$f" ] &&
	   ! grep -qxF "$f" "$manifest" 2>/dev/null; then
		mkdir -p "$(dirname "$tree/.genalloc-orig/$f")"
		cp -p "$tree/$f" "$tree/.genalloc-orig/$f"
	fi
	install_if_changed "$TOP/$f" "$tree/$f"
done < "$manifest.new.$$"
mv -f "$manifest.new.$$" "$manifest"

# Wire our symbols into lib/Kconfig.debug and lib/tests/ into lib/Makefile.
kc=$tree/lib/Kconfig.debug
wire_kconfig "$kc" "$kc.wired.$$" DEBUG_GENALLOC GENALLOC_KUNIT_TEST
install_if_changed "$kc.wired.$$" "$kc"
rm -f "$kc.wired.$$"
mk=$tree/lib/Makefile
wire_makefile "$mk" "$mk.wired.$$"
install_if_changed "$mk.wired.$$" "$mk"
rm -f "$mk.wired.$$"

echo "$tree"
