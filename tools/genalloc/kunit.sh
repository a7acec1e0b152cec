#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# kunit.sh FLAVOUR [STEP] - build a kernel with our genalloc and its KUnit
# suites, boot it under QEMU with tools/testing/kunit/kunit.py and check
# both the KUnit results and the kernel log.
#
#   FLAVOUR  x86_64        x86_64 debug kernel: PROVE_LOCKING,
#                          DEBUG_ATOMIC_SLEEP, KASAN (`make`, `make kunit`)
#            x86_64-fast   x86_64 without the debug options (quick edits)
#            i386          32-bit kernel (unsigned long is 32 bits), with
#                          PROVE_LOCKING and DEBUG_ATOMIC_SLEEP (no KASAN
#                          on 32-bit x86)
#   STEP     record the outcome as `make check` step STEP (result.sh)
#
# Environment: KDIR (tree to use, see tree.sh), SEED (replay the random
# tests: genalloc_kunit_test.seed=SEED), JOBS (default: all CPUs),
# KUNIT_TIMEOUT (seconds for the QEMU run, default 600), KUNIT_ARGS
# (more kunit.py arguments, e.g. a suite glob).
#
# The build directory is $BUILD/kunit-FLAVOUR[-KDIRHASH], so a second run rebuilds
# only what changed.  Counted: every KUnit test case (a parameterised case
# counts once, and passes only if all its parameters do), plus one test
# "kernel log clean": no lockdep report, no sleeping-in-atomic or KASAN
# report, no oops, and no WARNING except those our bad-input tests cause
# on purpose (their message starts with "genalloc:").
set -u

flavour=${1:?usage: kunit.sh x86_64|x86_64-fast|i386 [STEP]}
step=${2:-}
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${BUILD:-$TOP/build}
export TOP BUILD
JOBS=${JOBS:-$(nproc)}
# A tree given with KDIR gets build directories of its own.
bd=$BUILD/kunit-$flavour${KDIR:+-$(echo "$KDIR" | cksum | cut -d" " -f1)}

record() {
	[ -n "$step" ] && "$TOP/tools/genalloc/result.sh" "$step" "$1" "$2"
	[ "$2" -eq 0 ]
}

# Configuration: lib/tests/.kunitconfig, then kunit-x86.config (two CPUs,
# a device tree root node), kunit-slim.config (i386: a smaller kernel),
# kunit-debug.config (lockdep, sleeping in atomic) and
# KASAN on x86_64.
T=$TOP/tools/genalloc
case $flavour in
x86_64)		arch=x86_64; frags="$T/kunit-x86.config $T/kunit-debug.config"
		extra="CONFIG_KASAN=y" ;;
x86_64-fast)	arch=x86_64; frags="$T/kunit-x86.config"; extra= ;;
i386)		arch=i386
		frags="$T/kunit-x86.config $T/kunit-slim.config $T/kunit-debug.config"
		extra= ;;
*)		echo "kunit.sh: unknown flavour $flavour" >&2; exit 2 ;;
esac

mkdir -p "$bd"
tree=$("$TOP/tools/genalloc/tree.sh" 2>"$bd/tree.log" | tail -n 1)
if [ -z "$tree" ] || [ ! -f "$tree/tools/testing/kunit/kunit.py" ]; then
	cat "$bd/tree.log" >&2
	echo "kunit.sh: could not prepare the kernel tree" >&2
	record 0 1
	exit 1
fi

set -- run --arch="$arch" --build_dir="$bd" --jobs="$JOBS" \
	--kunitconfig="$tree/lib/tests" \
	$(for f in $frags; do printf ' --kunitconfig=%s' "$f"; done) \
	--timeout="${KUNIT_TIMEOUT:-600}" \
	--json="$bd/results.json" \
	--qemu_args="-smp 2"
for opt in $extra; do
	set -- "$@" --kconfig_add="$opt"
done
# i386 boots with qboot, like x86_64: without ACPI, the kernel finds the
# CPUs in the BIOS's MP table, and SeaBIOS's lists only the first one.
[ "$arch" = i386 ] && set -- "$@" --qemu_args="-bios qboot.rom"
# QEMU emulates (TCG): nested KVM on these machines hangs the guest.
# KUNIT_QEMU_ARGS adds more, e.g. "-accel kvm" where KVM works.
[ -n "${KUNIT_QEMU_ARGS:-}" ] && set -- "$@" --qemu_args="$KUNIT_QEMU_ARGS"
[ -n "${SEED:-}" ] && set -- "$@" --kernel_args="genalloc_kunit_test.seed=$SEED"
# shellcheck disable=SC2086
set -- "$@" ${KUNIT_ARGS:-}

echo "kunit.sh: $flavour in $bd (tree $tree)"
rm -f "$bd/results.json" "$bd/test.log"
start=$(date +%s)
python3 "$tree/tools/testing/kunit/kunit.py" "$@" 2>&1 | tee "$bd/kunit.out"
end=$(date +%s)
echo "kunit.sh: kunit.py took $((end - start)) s"

python3 - "$bd/results.json" "$bd/test.log" "$bd/counts" <<'EOF'
import json, re, sys

res_path, log_path, out_path = sys.argv[1:4]
passed = failed = skipped = 0
problems = []

# --- KUnit results -------------------------------------------------------
def leaves(group):
    for case in group.get("test_cases", []):
        yield case["status"]
    for sub in group.get("sub_groups", []):
        yield from leaves(sub)

try:
    with open(res_path) as f:
        top = json.load(f)
except (OSError, ValueError) as e:
    top = None
    problems.append(f"no KUnit results ({e})")

if top is not None:
    for suite in top.get("sub_groups", []):
        cases = [(c["name"], [c["status"]]) for c in suite.get("test_cases", [])]
        cases += [(g["name"], list(leaves(g))) for g in suite.get("sub_groups", [])]
        for name, st in cases:
            if any(s in ("FAIL", "ERROR") for s in st) or not st:
                failed += 1
                problems.append(f"{suite['name']}.{name}: {'/'.join(sorted(set(st))) or 'no result'}")
            elif all(s == "SKIP" for s in st):
                skipped += 1
                print(f"kunit.sh: skipped: {suite['name']}.{name}")
            else:
                passed += 1
    if passed + failed == 0:
        problems.append("no KUnit test case ran")
        failed += 1

# --- the kernel log ------------------------------------------------------
bad = re.compile(
    r"WARNING:|BUG:|kernel BUG at|Oops|general protection fault|"
    r"Kernel panic|UBSAN:|possible recursive locking|"
    r"possible circular locking|inconsistent lock state|"
    r"suspicious RCU usage|INFO: task .* blocked|detected stall|"
    r"turning off the locking correctness validator|"
    r"Call Trace:|stack-protector|list_add corruption|list_del corruption")
stamp = re.compile(r"^\s*\[\s*\d+\.\d+\]\s?")
try:
    with open(log_path, errors="replace") as f:
        lines = [stamp.sub("", l.rstrip("\n")) for l in f]
except OSError as e:
    lines = []
    problems.append(f"no kernel log ({e})")

expected = 0
in_expected = False
suite_ends = {}      # suite name -> index of its "ok/not ok N suite" line
lockdep_off = None
for i, line in enumerate(lines):
    s = line.strip()
    if s == "------------[ cut here ]------------":
        nxt = next((l for l in lines[i + 1:i + 4] if l.strip()), "")
        if "genalloc:" in nxt:
            in_expected = True
            expected += 1
            continue
    if in_expected:
        if "---[ end trace" in s:
            in_expected = False
        continue
    m = re.match(r"^(?:not )?ok \d+ (\S+)", line)
    if m:
        suite_ends[m.group(1)] = i
    if "Disabling lock debugging due to kernel taint" in s and lockdep_off is None:
        lockdep_off = i
    if bad.search(s):
        problems.append(f"kernel log line {i + 1}: {s}")

# A WARN taints the kernel, and the first taint switches lockdep off: the
# deliberate WARNs must come after every suite that lockdep should watch.
lockdep_on = any("Lock dependency validator" in l for l in lines)
if lockdep_on and lockdep_off is not None:
    late = sorted(n for n, e in suite_ends.items()
                  if e > lockdep_off and n.startswith("genalloc")
                  and n != "genalloc_bad_input")
    if late:
        problems.append("lockdep was switched off by a WARN (kernel taint) "
                        "before suite(s) " + ", ".join(late) + " ended")

for l in lines:
    m = re.search(r"random seed (\d+)", l)
    if m:
        print(f"kunit.sh: random seed {m.group(1)} (replay: SEED={m.group(1)})")
        break

log_ok = lines and not any(p.startswith("kernel log") or p.startswith("lockdep") or
                           p.startswith("no kernel log") for p in problems)
if log_ok:
    passed += 1
else:
    failed += 1
print(f"kunit.sh: {expected} deliberate genalloc WARN(s) in the kernel log")
for p in problems[:50]:
    print(f"kunit.sh: PROBLEM: {p}")
if len(problems) > 50:
    print(f"kunit.sh: ... {len(problems) - 50} more problems")
print(f"kunit.sh: {passed} passed, {failed} failed, {skipped} skipped "
      f"(KUnit cases + kernel log check)")
with open(out_path, "w") as f:
    f.write(f"{passed} {failed}\n")
EOF
[ -f "$bd/counts" ] || echo "0 1" > "$bd/counts"
read -r p f < "$bd/counts"
record "$p" "$f"
