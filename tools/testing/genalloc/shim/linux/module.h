/* SPDX-License-Identifier: GPL-2.0-only */
#include <linux/export.h>
#include <linux/kernel.h>
#define MODULE_LICENSE(x)
#define MODULE_AUTHOR(x)
#define MODULE_DESCRIPTION(x)
