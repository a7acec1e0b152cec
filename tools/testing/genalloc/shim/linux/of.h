/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A fake device tree.  Tests build nodes with shim_of_node_init() and
 * attach properties with shim_of_add_prop(); phandle properties hold
 * host-endian u32 phandles.  Nodes are reference counted (of_node_get()/
 * of_node_put()) so tests can check that callers drop what they take.
 */
#ifndef _SHIM_LINUX_OF_H
#define _SHIM_LINUX_OF_H

#include <linux/kernel.h>

struct platform_device;

struct property {
	const char *name;
	int length;
	const void *value;
	struct property *next;
};

struct device_node {
	const char *name;	/* "sram" */
	const char *full_name;	/* "sram@5c000000" */
	phandle phandle;
	struct property *properties;
	struct device_node *parent;
	int refcount;
	struct platform_device *shim_pdev;	/* of_find_device_by_node() */
	struct device_node *shim_next;		/* all nodes, for phandles */
};

/* Test helpers. */
void shim_of_node_init(struct device_node *np, const char *name,
		       const char *full_name, struct device_node *parent,
		       phandle ph);
void shim_of_add_prop(struct device_node *np, struct property *prop);
/* Forget every node (the next test builds a new tree). */
void shim_of_reset(void);

struct device_node *of_node_get(struct device_node *np);
void of_node_put(struct device_node *np);
struct device_node *of_get_parent(const struct device_node *np);
struct device_node *of_find_node_by_phandle(phandle ph);
struct device_node *of_parse_phandle(const struct device_node *np,
				     const char *phandle_name, int index);
struct property *of_find_property(const struct device_node *np,
				  const char *name, int *lenp);
const void *of_get_property(const struct device_node *np, const char *name,
			    int *lenp);
int of_property_read_string(const struct device_node *np,
			    const char *propname, const char **out_string);
int of_property_read_u32_index(const struct device_node *np,
			       const char *propname, u32 index, u32 *out);

static inline int of_property_read_u32(const struct device_node *np,
				       const char *propname, u32 *out)
{
	return of_property_read_u32_index(np, propname, 0, out);
}

static inline bool of_property_read_bool(const struct device_node *np,
					 const char *propname)
{
	return of_find_property(np, propname, NULL) != NULL;
}

static inline bool of_property_present(const struct device_node *np,
				       const char *propname)
{
	return of_property_read_bool(np, propname);
}

static inline const char *of_node_full_name(const struct device_node *np)
{
	return np ? np->full_name : "<no-node>";
}

bool of_node_name_eq(const struct device_node *np, const char *name);

#endif /* _SHIM_LINUX_OF_H */
