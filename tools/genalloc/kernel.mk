# SPDX-License-Identifier: GPL-2.0-only
# genalloc in a real Linux 6.12 kernel: the tree, the KUnit suites under
# QEMU, the kernel's checkers, the in-tree callers and the patch series.
#
# The tree is $(BUILD)/linux (unpacked once from Debian's linux-source-6.12,
# with our files laid over it), or $(KDIR) when given.  Every build
# directory lives under $(BUILD), so a second run rebuilds only what
# changed.

GENALLOC_TOOLS := $(TOP)/tools/genalloc

.PHONY: all tree kunit kunit-fast kunit-i386
.PHONY: check-kunit-x86_64 check-kunit-i386

## all              (default) install what is missing, build 6.12 with our genalloc and run its KUnit suites under QEMU (x86_64 debug kernel)
all: deps kunit

## tree             unpack linux-source-6.12 into build/ once and lay our files over it (KDIR=/path: use that tree)
tree:
	@$(GENALLOC_TOOLS)/tree.sh

## kunit            KUnit suites on x86_64 under QEMU, with PROVE_LOCKING, DEBUG_ATOMIC_SLEEP and KASAN (SEED=n replays)
kunit:
	@$(GENALLOC_TOOLS)/kunit.sh x86_64

## kunit-fast       KUnit suites on x86_64 without the debug options (quicker while editing)
kunit-fast:
	@$(GENALLOC_TOOLS)/kunit.sh x86_64-fast

## kunit-i386       KUnit suites on a 32-bit i386 kernel, with PROVE_LOCKING and DEBUG_ATOMIC_SLEEP
kunit-i386:
	@$(GENALLOC_TOOLS)/kunit.sh i386

CHECK_STEPS += check-kunit-x86_64
check-kunit-x86_64:
	@$(GENALLOC_TOOLS)/kunit.sh x86_64 $@

CHECK_STEPS += check-kunit-i386
check-kunit-i386:
	@$(GENALLOC_TOOLS)/kunit.sh i386 $@

.PHONY: checkers callers patch check-checkers check-callers check-patch

## checkers         W=1 and sparse (C=2) on our objects, checkpatch --strict and kernel-doc -Wall on our files, checkpatch --strict on the userspace test programs: no warning
checkers:
	@$(GENALLOC_TOOLS)/objcheck.sh checkers

## callers          compile every in-tree caller of genalloc.h buildable on x86_64 (tools/genalloc/callers.txt) against our header: no new warning
callers:
	@$(GENALLOC_TOOLS)/objcheck.sh callers

## patch            write the series against pristine 6.12 to build/patches, check git am, checkpatch --strict and the build
patch:
	@$(GENALLOC_TOOLS)/patch.sh

CHECK_STEPS += check-checkers
check-checkers:
	@$(GENALLOC_TOOLS)/objcheck.sh checkers $@

CHECK_STEPS += check-callers
check-callers:
	@$(GENALLOC_TOOLS)/objcheck.sh callers $@

CHECK_STEPS += check-patch
check-patch:
	@$(GENALLOC_TOOLS)/patch.sh $@
