/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _SHIM_LINUX_PLATFORM_DEVICE_H
#define _SHIM_LINUX_PLATFORM_DEVICE_H

#include <linux/device.h>

struct platform_device {
	const char *name;
	int id;
	struct device dev;
};

#define to_platform_device(x)	container_of((x), struct platform_device, dev)

static inline void *platform_get_drvdata(const struct platform_device *pdev)
{
	return dev_get_drvdata(&pdev->dev);
}

static inline void platform_set_drvdata(struct platform_device *pdev,
					void *data)
{
	dev_set_drvdata(&pdev->dev, data);
}

/*
 * Test helper: a platform device for @np (may be NULL) that
 * of_find_device_by_node(@np) will return.
 */
void shim_platform_device_init(struct platform_device *pdev, const char *name,
			       struct device_node *np);

#endif /* _SHIM_LINUX_PLATFORM_DEVICE_H */
