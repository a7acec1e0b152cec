/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _SHIM_LINUX_OF_PLATFORM_H
#define _SHIM_LINUX_OF_PLATFORM_H

#include <linux/of.h>
#include <linux/platform_device.h>

/* The platform device bound to @np, with a reference held; NULL if none. */
struct platform_device *of_find_device_by_node(struct device_node *np);

#endif /* _SHIM_LINUX_OF_PLATFORM_H */
