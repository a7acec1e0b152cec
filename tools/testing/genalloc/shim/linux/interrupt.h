/* SPDX-License-Identifier: GPL-2.0-only */
#include <linux/preempt.h>
#include <linux/processor.h>
