# SPDX-License-Identifier: GPL-2.0-only
#
# genalloc: every entry point of the repository.
#
#   make            build a 6.12 kernel with our genalloc and run the KUnit
#                   suites under QEMU (x86_64)
#   make check      everything: userspace tests, differential test, fuzzer,
#                   KUnit (x86_64 debug, i386), the kernel's checkers, the
#                   in-tree callers, the documentation, the patch series;
#                   ends with "N passed, N failed"
#   make help       the full list
#
# KDIR=/path/to/linux-6.12 builds in that tree instead of one unpacked
# from Debian's linux-source-6.12 under build/.

TOP	:= $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
BUILD	:= $(TOP)/build
RESULTS	:= $(BUILD)/results
export TOP BUILD RESULTS

# Each area of the repository brings its own fragment; the order of the
# includes is the order in which `make check` runs the steps.
CHECK_STEPS :=
include $(TOP)/tools/genalloc/deps.mk
-include $(TOP)/tools/genalloc/userspace.mk
-include $(TOP)/tools/genalloc/bench.mk
-include $(TOP)/tools/genalloc/fuzz.mk
-include $(TOP)/tools/genalloc/kernel.mk
-include $(TOP)/tools/genalloc/docs.mk

.DEFAULT_GOAL := all

.PHONY: check clean help
check:
	@MAKE="$(MAKE)" $(TOP)/tools/genalloc/run-checks.sh $(CHECK_STEPS)

clean:
	rm -rf $(BUILD) $(TOP)/tools/testing/genalloc/out

help:
	@sed -n 's/^## //p' $(MAKEFILE_LIST)
