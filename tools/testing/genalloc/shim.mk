# SPDX-License-Identifier: GPL-2.0-only
#
# The userspace kernel shim, for any program that compiles kernel sources
# (lib/genalloc.c, or upstream's copy) in userspace.  Put the shim first on
# the include path so it wins; add the directory holding the real
# linux/genalloc.h after it.
#
#   SHIM_CPPFLAGS  include path and the forced linux/kconfig.h
#   SHIM_CFLAGS    language and warning flags (the kernel's W=1 set, less
#                  the warnings the kernel turns off)
#   SHIM_SRCS      the shim's run-time code, to compile and link once

SHIM_DIR	:= $(abspath $(dir $(lastword $(MAKEFILE_LIST))))/shim
SHIM_CPPFLAGS	:= -I$(SHIM_DIR) -include linux/kconfig.h -D_GNU_SOURCE
SHIM_CFLAGS	:= -std=gnu11 -Wall -Wextra -Wundef -Wmissing-prototypes \
		   -Wno-unused-parameter -Wno-sign-compare \
		   -Wno-missing-field-initializers -Wno-type-limits \
		   -Wno-shift-negative-value -Wno-pointer-sign \
		   -fno-strict-aliasing -fno-common
SHIM_SRCS	:= $(SHIM_DIR)/linux.c
