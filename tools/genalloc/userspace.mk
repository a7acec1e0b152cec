# SPDX-License-Identifier: GPL-2.0-only
# The userspace harness: lib/genalloc.c compiled unmodified against the
# shim in tools/testing/genalloc/shim, built with gcc and clang, 64- and
# 32-bit, under ASan and UBSan.

USERSPACE_DIR	:= $(TOP)/tools/testing/genalloc
USERSPACE_MAKE	:= $(MAKE) --no-print-directory -C $(USERSPACE_DIR) TOP=$(TOP)

## test             the userspace genalloc tests: gcc and clang, 64- and 32-bit, ASan+UBSan (ARGS="-s SEED -v")
## test-userspace   the same
## userspace-selfcheck  run the placement tests against upstream's genalloc.c
.PHONY: test test-userspace userspace-selfcheck check-userspace \
	check-selfcheck
test test-userspace:
	@$(USERSPACE_MAKE) -j2 test

userspace-selfcheck:
	@$(USERSPACE_MAKE) selfcheck

CHECK_STEPS += check-userspace
check-userspace:
	@$(USERSPACE_MAKE) -j2 all || \
		{ $(TOP)/tools/genalloc/result.sh $@ 0 1; exit 1; }
	@$(USERSPACE_MAKE) check STEP=$@

# The tests of upstream behaviour must pass against upstream itself, or
# they test something else.
CHECK_STEPS += check-selfcheck
check-selfcheck:
	@$(USERSPACE_MAKE) selfcheck-build || \
		{ $(TOP)/tools/genalloc/result.sh $@ 0 1; exit 1; }
	@$(USERSPACE_MAKE) selfcheck-check STEP=$@
