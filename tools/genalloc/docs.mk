# SPDX-License-Identifier: GPL-2.0-only
# The documentation: Documentation/core-api/genalloc.rst and its zh_CN
# translation, built with the kernel's own Sphinx setup (make htmldocs
# SPHINXDIRS=...) in the 6.12 tree that holds our files.  check-docs
# counts three tests (each page, and both pages in one Sphinx project);
# DOCS_FAST=1 judges both pages from that one-project build alone.

## docs             build the English and Chinese genalloc pages (HTML under build/docs/Documentation/output)
.PHONY: docs check-docs
docs:
	@$(TOP)/tools/genalloc/docs.sh build

CHECK_STEPS += check-docs
check-docs:
	@$(TOP)/tools/genalloc/docs.sh check
