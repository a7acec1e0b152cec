# SPDX-License-Identifier: GPL-2.0-only
# Installing what the build needs (Debian, as root).

## deps             install the Debian packages every target needs
.PHONY: deps check-deps
deps:
	@$(TOP)/tools/genalloc/deps.sh

CHECK_STEPS += check-deps
check-deps:
	@$(TOP)/tools/genalloc/deps.sh && \
		$(TOP)/tools/genalloc/result.sh $@ 1 0 || \
		{ $(TOP)/tools/genalloc/result.sh $@ 0 1; exit 1; }
