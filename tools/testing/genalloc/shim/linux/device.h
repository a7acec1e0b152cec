/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * struct device with reference counting and a devres list, enough for
 * devm_*() and gen_pool_get().  The kernel's driver core is replaced by
 * three test helpers: shim_device_init() makes a device, and
 * devres_release_all() runs the managed releases (newest first) the way
 * unbinding a driver does.
 */
#ifndef _SHIM_LINUX_DEVICE_H
#define _SHIM_LINUX_DEVICE_H

#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

struct device_node;

struct device {
	const char *init_name;
	struct device *parent;
	struct device_node *of_node;
	void *driver_data;
	int refcount;			/* get_device()/put_device() */
	spinlock_t devres_lock;		/* protects devres_head */
	struct list_head devres_head;	/* managed resources, oldest first */
};

typedef void (*dr_release_t)(struct device *dev, void *res);
typedef int (*dr_match_t)(struct device *dev, void *res, void *match_data);

void shim_device_init(struct device *dev, const char *name);
/* Releases every managed resource, newest first; returns how many. */
int devres_release_all(struct device *dev);
/* Number of managed resources currently registered on @dev. */
int shim_devres_count(struct device *dev);

void *shim_devres_alloc(dr_release_t release, size_t size, gfp_t gfp,
			const char *func, int line);
#define devres_alloc(release, size, gfp) \
	shim_devres_alloc(release, size, gfp, __func__, __LINE__)
#define devres_alloc_node(release, size, gfp, nid) \
	((void)(nid), devres_alloc(release, size, gfp))
void devres_free(void *res);
void devres_add(struct device *dev, void *res);
void *devres_find(struct device *dev, dr_release_t release, dr_match_t match,
		  void *match_data);
void *devres_get(struct device *dev, void *new_res, dr_match_t match,
		 void *match_data);
void *devres_remove(struct device *dev, dr_release_t release,
		    dr_match_t match, void *match_data);
int devres_destroy(struct device *dev, dr_release_t release,
		   dr_match_t match, void *match_data);
int devres_release(struct device *dev, dr_release_t release,
		   dr_match_t match, void *match_data);

void *devm_kmalloc(struct device *dev, size_t size, gfp_t gfp);
#define devm_kzalloc(dev, size, gfp)	devm_kmalloc(dev, size, (gfp) | __GFP_ZERO)
void devm_kfree(struct device *dev, const void *p);

struct device *get_device(struct device *dev);
void put_device(struct device *dev);

static inline const char *dev_name(const struct device *dev)
{
	return dev->init_name ? dev->init_name : "(unnamed)";
}

static inline void *dev_get_drvdata(const struct device *dev)
{
	return dev->driver_data;
}

static inline void dev_set_drvdata(struct device *dev, void *data)
{
	dev->driver_data = data;
}

#define dev_printk(level, dev, fmt, ...) \
	printk(level "%s: " fmt, dev_name(dev), ##__VA_ARGS__)
#define dev_err(dev, fmt, ...)	dev_printk(KERN_ERR, dev, fmt, ##__VA_ARGS__)
#define dev_warn(dev, fmt, ...)	dev_printk(KERN_WARNING, dev, fmt, ##__VA_ARGS__)
#define dev_info(dev, fmt, ...)	dev_printk(KERN_INFO, dev, fmt, ##__VA_ARGS__)
#define dev_notice(dev, fmt, ...) \
	dev_printk(KERN_NOTICE, dev, fmt, ##__VA_ARGS__)
#define dev_dbg(dev, fmt, ...) \
	({ if (0) dev_printk(KERN_DEBUG, dev, fmt, ##__VA_ARGS__); })
#define dev_WARN(dev, fmt, ...)	WARN(1, "%s: " fmt, dev_name(dev), ##__VA_ARGS__)

#endif /* _SHIM_LINUX_DEVICE_H */
