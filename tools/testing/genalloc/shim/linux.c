// SPDX-License-Identifier: GPL-2.0-only
/*
 * The run-time half of the userspace kernel shim: allocation with leak
 * counting and fault injection, printk/WARN bookkeeping, a small RCU,
 * devres, a fake device tree and the export table.
 *
 * Everything here is shared by every program built on the shim (the unit
 * tests, the differential test against upstream, benchmarks, fuzzers), so
 * it knows nothing about genalloc.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <link.h>
#include <sched.h>
#include <stdalign.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/export.h>
#include <linux/rcupdate.h>
#include <linux/device.h>
#include <linux/platform_device.h>
#include <linux/of.h>
#include <linux/of_platform.h>

int shim_verbose;

/* ---- printk and WARN ---- */

unsigned long shim_nr_printk;
char shim_last_printk[512];
unsigned long shim_nr_warnings;
unsigned int shim_warn_generation = 1;
char shim_last_warning[512];
static pthread_mutex_t shim_msg_lock = PTHREAD_MUTEX_INITIALIZER;

static const char *skip_level(const char *fmt)
{
	while (fmt[0] == KERN_SOH[0] && fmt[1])
		fmt += 2;
	return fmt;
}

int printk(const char *fmt, ...)
{
	char buf[sizeof(shim_last_printk)];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), skip_level(fmt), ap);
	va_end(ap);
	pthread_mutex_lock(&shim_msg_lock);
	shim_nr_printk++;
	memcpy(shim_last_printk, buf, sizeof(buf));
	pthread_mutex_unlock(&shim_msg_lock);
	if (shim_verbose)
		fprintf(stderr, "%s", buf);
	return n;
}

static void record_warning(const char *file, int line, const char *cond,
			   const char *msg)
{
	pthread_mutex_lock(&shim_msg_lock);
	shim_nr_warnings++;
	snprintf(shim_last_warning, sizeof(shim_last_warning),
		 "WARNING: %s:%d: %s%s%s", file, line, cond,
		 msg[0] ? ": " : "", msg);
	pthread_mutex_unlock(&shim_msg_lock);
	if (shim_verbose)
		fprintf(stderr, "%s\n", shim_last_warning);
}

void shim_warn(const char *file, int line, const char *cond,
	       const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), skip_level(fmt), ap);
	va_end(ap);
	msg[strcspn(msg, "\n")] = '\0';
	record_warning(file, line, cond, msg);
}

void shim_warn_on(const char *file, int line, const char *cond)
{
	record_warning(file, line, cond, "");
}

void shim_bug(const char *file, int line, const char *cond)
{
	fprintf(stderr, "kernel BUG at %s:%d: %s\n", file, line, cond);
	abort();
}

void shim_reset_warnings(void)
{
	pthread_mutex_lock(&shim_msg_lock);
	shim_nr_warnings = 0;
	shim_last_warning[0] = '\0';
	shim_nr_printk = 0;
	shim_last_printk[0] = '\0';
	pthread_mutex_unlock(&shim_msg_lock);
	__atomic_add_fetch(&shim_warn_generation, 1, __ATOMIC_RELAXED);
}

/* ---- execution context ---- */

__thread int shim_preempt_count;
__thread int shim_irq_count;
__thread int shim_nmi_count;
__thread int shim_irqs_disabled;

/* ---- allocation ---- */

#define SHIM_ALLOC_MAGIC	0x5eed5eedUL
#define SHIM_FREED_MAGIC	0xdeadf4eeUL

struct shim_alloc_hdr {
	struct shim_alloc_hdr *next, *prev;
	size_t size;
	const char *func;
	int line;
	int kind;
	unsigned long magic;
};

/* Header size rounded up so the user part keeps malloc's alignment. */
#define SHIM_HDR_SIZE \
	ALIGN(sizeof(struct shim_alloc_hdr), alignof(max_align_t))

/* Larger requests fail, as they would in the kernel (and under ASan). */
#if BITS_PER_LONG == 64
#define SHIM_ALLOC_MAX	BIT(34)
#else
#define SHIM_ALLOC_MAX	BIT(30)
#endif

long shim_nr_allocated;
unsigned long shim_nr_alloc_calls;
unsigned long shim_nr_alloc_injected;
static unsigned long shim_fail_countdown;
static bool shim_fail_every;
static struct shim_alloc_hdr shim_live = { &shim_live, &shim_live };
static pthread_mutex_t shim_alloc_lock = PTHREAD_MUTEX_INITIALIZER;

void shim_alloc_fail_nth(unsigned long nth)
{
	__atomic_store_n(&shim_fail_countdown, nth, __ATOMIC_SEQ_CST);
}

void shim_alloc_fail_all(bool fail)
{
	__atomic_store_n(&shim_fail_every, fail, __ATOMIC_SEQ_CST);
}

/* True when this allocation attempt must fail. */
static bool shim_should_fail(void)
{
	unsigned long n = __atomic_load_n(&shim_fail_countdown,
					  __ATOMIC_SEQ_CST);

	if (__atomic_load_n(&shim_fail_every, __ATOMIC_SEQ_CST))
		return true;
	while (n) {
		if (__atomic_compare_exchange_n(&shim_fail_countdown, &n, n - 1,
						false, __ATOMIC_SEQ_CST,
						__ATOMIC_SEQ_CST))
			return n == 1;
	}
	return false;
}

void *shim_alloc(size_t size, gfp_t gfp, enum shim_alloc_kind kind,
		 const char *func, int line)
{
	struct shim_alloc_hdr *h;

	if (kind == SHIM_VMALLOC || gfpflags_allow_blocking(gfp))
		might_sleep();
	__atomic_add_fetch(&shim_nr_alloc_calls, 1, __ATOMIC_RELAXED);
	if (shim_should_fail()) {
		__atomic_add_fetch(&shim_nr_alloc_injected, 1,
				   __ATOMIC_RELAXED);
		return NULL;
	}
	if (size > SHIM_ALLOC_MAX)	/* like vmalloc running out of space */
		return NULL;
	h = malloc(SHIM_HDR_SIZE + size);
	if (!h)
		return NULL;
	h->size = size;
	h->func = func;
	h->line = line;
	h->kind = kind;
	h->magic = SHIM_ALLOC_MAGIC;
	pthread_mutex_lock(&shim_alloc_lock);
	h->next = shim_live.next;
	h->prev = &shim_live;
	shim_live.next->prev = h;
	shim_live.next = h;
	pthread_mutex_unlock(&shim_alloc_lock);
	__atomic_add_fetch(&shim_nr_allocated, 1, __ATOMIC_RELAXED);
	if (gfp & __GFP_ZERO)
		memset((char *)h + SHIM_HDR_SIZE, 0, size);
	else
		memset((char *)h + SHIM_HDR_SIZE, 0xa5, size);
	return (char *)h + SHIM_HDR_SIZE;
}

void shim_free(const void *p, enum shim_alloc_kind kind, const char *func,
	       int line)
{
	struct shim_alloc_hdr *h;

	if (!p)
		return;
	h = (struct shim_alloc_hdr *)((char *)p - SHIM_HDR_SIZE);
	if (h->magic != SHIM_ALLOC_MAGIC) {
		fprintf(stderr, "%s:%d: freeing %p: not allocated by the shim%s\n",
			func, line, p,
			h->magic == SHIM_FREED_MAGIC ? " (double free?)" : "");
		abort();
	}
	if (!(h->kind & kind)) {
		fprintf(stderr, "%s:%d: %s() of a block from %s() in %s:%d\n",
			func, line, kind == SHIM_KMALLOC ? "kfree" : "vfree",
			h->kind == SHIM_KMALLOC ? "kmalloc" : "vmalloc",
			h->func, h->line);
		abort();
	}
	pthread_mutex_lock(&shim_alloc_lock);
	h->prev->next = h->next;
	h->next->prev = h->prev;
	pthread_mutex_unlock(&shim_alloc_lock);
	h->magic = SHIM_FREED_MAGIC;
	__atomic_sub_fetch(&shim_nr_allocated, 1, __ATOMIC_RELAXED);
	free(h);
}

void shim_alloc_dump(void)
{
	struct shim_alloc_hdr *h;

	pthread_mutex_lock(&shim_alloc_lock);
	for (h = shim_live.next; h != &shim_live; h = h->next)
		fprintf(stderr, "  live block %p, %zu bytes, from %s:%d\n",
			(char *)h + SHIM_HDR_SIZE, h->size, h->func, h->line);
	pthread_mutex_unlock(&shim_alloc_lock);
}

char *shim_kstrdup(const char *s, gfp_t gfp, const char *func, int line)
{
	size_t len;
	char *p;

	if (!s)
		return NULL;
	len = strlen(s) + 1;
	p = shim_alloc(len, gfp, SHIM_KMALLOC, func, line);
	if (p)
		memcpy(p, s, len);
	return p;
}

void *shim_kmemdup(const void *src, size_t size, gfp_t gfp, const char *func,
		   int line)
{
	void *p = shim_alloc(size, gfp, SHIM_KMALLOC, func, line);

	if (p)
		memcpy(p, src, size);
	return p;
}

/*
 * kstrdup_const()/kfree_const() skip strings in read-only data, as the
 * kernel does for .rodata: here, the main program's PT_LOAD segments that
 * are neither writable nor executable.
 */
static struct {
	uintptr_t start, end;
} shim_ro[8];
static int shim_nr_ro = -1;
static pthread_once_t shim_ro_once = PTHREAD_ONCE_INIT;

static int shim_ro_phdr(struct dl_phdr_info *info, size_t size, void *data)
{
	int i;

	for (i = 0; i < info->dlpi_phnum; i++) {
		typeof(info->dlpi_phdr) ph = &info->dlpi_phdr[i];

		if (ph->p_type != PT_LOAD || (ph->p_flags & (PF_W | PF_X)) ||
		    shim_nr_ro >= (int)ARRAY_SIZE(shim_ro))
			continue;
		shim_ro[shim_nr_ro].start = info->dlpi_addr + ph->p_vaddr;
		shim_ro[shim_nr_ro].end = shim_ro[shim_nr_ro].start +
					  ph->p_memsz;
		shim_nr_ro++;
	}
	return 1;	/* the first object is the main program */
}

static void shim_ro_init(void)
{
	shim_nr_ro = 0;
	dl_iterate_phdr(shim_ro_phdr, NULL);
}

bool shim_is_rodata(const void *p)
{
	uintptr_t a = (uintptr_t)p;
	int i;

	pthread_once(&shim_ro_once, shim_ro_init);
	for (i = 0; i < shim_nr_ro; i++)
		if (a >= shim_ro[i].start && a < shim_ro[i].end)
			return true;
	return false;
}

/* ---- RCU ---- */

static unsigned long shim_rcu_readers[2];
static unsigned int shim_rcu_phase;
static pthread_mutex_t shim_rcu_gp_lock = PTHREAD_MUTEX_INITIALIZER;
static __thread int shim_rcu_depth;
static __thread unsigned int shim_rcu_my_phase;

/*
 * Readers may nest in signal handlers standing in for NMIs.  The outermost
 * reader registers in its phase's counter *before* it raises the depth,
 * and lowers the depth *before* it unregisters: a handler that interrupts
 * it at any point either sees depth 0 and runs a complete, registered
 * section of its own, or sees depth > 0 while the outer reader is
 * registered, so its section is covered either way.  The outer reader
 * records its phase only once the depth is raised (a handler cannot
 * overwrite it after that) and copies it to a local before lowering it.
 */
void rcu_read_lock(void)
{
	unsigned int ph;

	if (shim_rcu_depth) {
		shim_rcu_depth++;
		return;
	}
	ph = __atomic_load_n(&shim_rcu_phase, __ATOMIC_SEQ_CST) & 1;
	__atomic_add_fetch(&shim_rcu_readers[ph], 1, __ATOMIC_SEQ_CST);
	barrier();
	shim_rcu_depth = 1;
	barrier();
	/* after the depth: a handler before it may have set its own */
	shim_rcu_my_phase = ph;
}

void rcu_read_unlock(void)
{
	unsigned int ph = shim_rcu_my_phase;

	if (WARN_ON_ONCE(shim_rcu_depth <= 0))
		return;
	if (shim_rcu_depth > 1) {
		shim_rcu_depth--;
		return;
	}
	barrier();
	shim_rcu_depth = 0;
	barrier();
	__atomic_sub_fetch(&shim_rcu_readers[ph], 1, __ATOMIC_SEQ_CST);
}

int shim_rcu_read_depth(void)
{
	return shim_rcu_depth;
}

void synchronize_rcu(void)
{
	unsigned int old;

	might_sleep();
	pthread_mutex_lock(&shim_rcu_gp_lock);
	old = __atomic_fetch_add(&shim_rcu_phase, 1, __ATOMIC_SEQ_CST) & 1;
	while (__atomic_load_n(&shim_rcu_readers[old], __ATOMIC_SEQ_CST))
		sched_yield();
	pthread_mutex_unlock(&shim_rcu_gp_lock);
}

void call_rcu(struct rcu_head *head, void (*func)(struct rcu_head *head))
{
	synchronize_rcu();
	func(head);
}

/* ---- exports ---- */

static struct {
	const char *name;
	const char *license;
	const void *addr;
} shim_exports[256];
static int shim_nr_export;

void shim_register_export(const char *name, const char *license,
			  const void *addr)
{
	if (shim_nr_export < (int)ARRAY_SIZE(shim_exports)) {
		shim_exports[shim_nr_export].name = name;
		shim_exports[shim_nr_export].license = license;
		shim_exports[shim_nr_export].addr = addr;
		shim_nr_export++;
	}
}

const char *shim_export_class(const char *name)
{
	int i;

	for (i = 0; i < shim_nr_export; i++)
		if (!strcmp(shim_exports[i].name, name))
			return shim_exports[i].license;
	return NULL;
}

int shim_nr_exports(void)
{
	return shim_nr_export;
}

/* ---- devices and devres ---- */

struct shim_devres {
	struct list_head entry;
	dr_release_t release;
	max_align_t data[];
};

static struct shim_devres *to_devres(void *res)
{
	return container_of(res, struct shim_devres, data);
}

void shim_device_init(struct device *dev, const char *name)
{
	memset(dev, 0, sizeof(*dev));
	dev->init_name = name;
	dev->refcount = 1;
	spin_lock_init(&dev->devres_lock);
	INIT_LIST_HEAD(&dev->devres_head);
}

struct device *get_device(struct device *dev)
{
	if (dev)
		__atomic_add_fetch(&dev->refcount, 1, __ATOMIC_RELAXED);
	return dev;
}

void put_device(struct device *dev)
{
	if (dev)
		WARN_ON(__atomic_sub_fetch(&dev->refcount, 1,
					   __ATOMIC_RELAXED) < 0);
}

void *shim_devres_alloc(dr_release_t release, size_t size, gfp_t gfp,
			const char *func, int line)
{
	struct shim_devres *dr;

	dr = shim_alloc(size_add(sizeof(*dr), size), gfp | __GFP_ZERO,
			SHIM_KMALLOC, func, line);
	if (!dr)
		return NULL;
	INIT_LIST_HEAD(&dr->entry);
	dr->release = release;
	return dr->data;
}

void devres_free(void *res)
{
	struct shim_devres *dr;

	if (!res)
		return;
	dr = to_devres(res);
	WARN_ON(!list_empty(&dr->entry));
	kfree(dr);
}

void devres_add(struct device *dev, void *res)
{
	struct shim_devres *dr = to_devres(res);

	spin_lock(&dev->devres_lock);
	WARN_ON(!list_empty(&dr->entry));
	list_add_tail(&dr->entry, &dev->devres_head);
	spin_unlock(&dev->devres_lock);
}

/* Newest matching record; caller holds devres_lock. */
static struct shim_devres *find_devres(struct device *dev,
				       dr_release_t release, dr_match_t match,
				       void *match_data)
{
	struct list_head *pos;

	/* raw links: the head is not embedded in a struct shim_devres */
	list_for_each_prev(pos, &dev->devres_head) {
		struct shim_devres *dr = list_entry(pos, struct shim_devres,
						    entry);

		if (dr->release != release)
			continue;
		if (match && !match(dev, dr->data, match_data))
			continue;
		return dr;
	}
	return NULL;
}

void *devres_find(struct device *dev, dr_release_t release, dr_match_t match,
		  void *match_data)
{
	struct shim_devres *dr;

	spin_lock(&dev->devres_lock);
	dr = find_devres(dev, release, match, match_data);
	spin_unlock(&dev->devres_lock);
	return dr ? dr->data : NULL;
}

void *devres_get(struct device *dev, void *new_res, dr_match_t match,
		 void *match_data)
{
	struct shim_devres *new_dr = to_devres(new_res), *dr;

	spin_lock(&dev->devres_lock);
	dr = find_devres(dev, new_dr->release, match, match_data);
	if (!dr) {
		list_add_tail(&new_dr->entry, &dev->devres_head);
		dr = new_dr;
		new_res = NULL;
	}
	spin_unlock(&dev->devres_lock);
	devres_free(new_res);
	return dr->data;
}

void *devres_remove(struct device *dev, dr_release_t release,
		    dr_match_t match, void *match_data)
{
	struct shim_devres *dr;

	spin_lock(&dev->devres_lock);
	dr = find_devres(dev, release, match, match_data);
	if (dr)
		list_del_init(&dr->entry);
	spin_unlock(&dev->devres_lock);
	return dr ? dr->data : NULL;
}

int devres_destroy(struct device *dev, dr_release_t release,
		   dr_match_t match, void *match_data)
{
	void *res = devres_remove(dev, release, match, match_data);

	if (!res)
		return -ENOENT;
	devres_free(res);
	return 0;
}

int devres_release(struct device *dev, dr_release_t release,
		   dr_match_t match, void *match_data)
{
	void *res = devres_remove(dev, release, match, match_data);

	if (!res)
		return -ENOENT;
	release(dev, res);
	devres_free(res);
	return 0;
}

int devres_release_all(struct device *dev)
{
	struct shim_devres *dr;
	int n = 0;

	for (;;) {
		spin_lock(&dev->devres_lock);
		if (list_empty(&dev->devres_head)) {
			spin_unlock(&dev->devres_lock);
			return n;
		}
		dr = list_last_entry(&dev->devres_head, struct shim_devres,
				     entry);
		list_del_init(&dr->entry);
		spin_unlock(&dev->devres_lock);
		dr->release(dev, dr->data);
		kfree(dr);
		n++;
	}
}

int shim_devres_count(struct device *dev)
{
	int n;

	spin_lock(&dev->devres_lock);
	n = list_count_nodes(&dev->devres_head);
	spin_unlock(&dev->devres_lock);
	return n;
}

static void devm_kmalloc_release(struct device *dev, void *res)
{
}

static int devm_kmalloc_match(struct device *dev, void *res, void *p)
{
	return res == p;
}

void *devm_kmalloc(struct device *dev, size_t size, gfp_t gfp)
{
	void *p = devres_alloc(devm_kmalloc_release, size, gfp);

	if (p)
		devres_add(dev, p);
	return p;
}

void devm_kfree(struct device *dev, const void *p)
{
	WARN_ON(devres_destroy(dev, devm_kmalloc_release, devm_kmalloc_match,
			       (void *)p));
}

void shim_platform_device_init(struct platform_device *pdev, const char *name,
			       struct device_node *np)
{
	memset(pdev, 0, sizeof(*pdev));
	pdev->name = name;
	pdev->id = -1;
	shim_device_init(&pdev->dev, name);
	pdev->dev.of_node = np;
	if (np)
		np->shim_pdev = pdev;
}

/* ---- device tree ---- */

static struct device_node *shim_of_nodes;

void shim_of_node_init(struct device_node *np, const char *name,
		       const char *full_name, struct device_node *parent,
		       phandle ph)
{
	memset(np, 0, sizeof(*np));
	np->name = name;
	np->full_name = full_name;
	np->parent = parent;
	np->phandle = ph;
	np->refcount = 1;
	np->shim_next = shim_of_nodes;
	shim_of_nodes = np;
}

void shim_of_add_prop(struct device_node *np, struct property *prop)
{
	prop->next = np->properties;
	np->properties = prop;
}

void shim_of_reset(void)
{
	shim_of_nodes = NULL;
}

struct device_node *of_node_get(struct device_node *np)
{
	if (np)
		__atomic_add_fetch(&np->refcount, 1, __ATOMIC_RELAXED);
	return np;
}

void of_node_put(struct device_node *np)
{
	if (np)
		WARN_ON(__atomic_sub_fetch(&np->refcount, 1,
					   __ATOMIC_RELAXED) < 0);
}

struct device_node *of_get_parent(const struct device_node *np)
{
	return np ? of_node_get(np->parent) : NULL;
}

struct device_node *of_find_node_by_phandle(phandle ph)
{
	struct device_node *np;

	if (!ph)
		return NULL;
	for (np = shim_of_nodes; np; np = np->shim_next)
		if (np->phandle == ph)
			return of_node_get(np);
	return NULL;
}

struct property *of_find_property(const struct device_node *np,
				  const char *name, int *lenp)
{
	struct property *pp;

	for (pp = np ? np->properties : NULL; pp; pp = pp->next) {
		if (!strcmp(pp->name, name)) {
			if (lenp)
				*lenp = pp->length;
			return pp;
		}
	}
	return NULL;
}

const void *of_get_property(const struct device_node *np, const char *name,
			    int *lenp)
{
	struct property *pp = of_find_property(np, name, lenp);

	return pp ? pp->value : NULL;
}

struct device_node *of_parse_phandle(const struct device_node *np,
				     const char *phandle_name, int index)
{
	const u32 *list;
	int len;

	if (index < 0)
		return NULL;
	list = of_get_property(np, phandle_name, &len);
	if (!list || (size_t)len < (index + 1) * sizeof(u32))
		return NULL;
	return of_find_node_by_phandle(list[index]);
}

int of_property_read_string(const struct device_node *np,
			    const char *propname, const char **out_string)
{
	const struct property *pp = of_find_property(np, propname, NULL);

	if (!pp)
		return -EINVAL;
	if (!pp->length || !pp->value)
		return -ENODATA;
	if (strnlen(pp->value, pp->length) >= (size_t)pp->length)
		return -EILSEQ;
	*out_string = pp->value;
	return 0;
}

int of_property_read_u32_index(const struct device_node *np,
			       const char *propname, u32 index, u32 *out)
{
	const struct property *pp = of_find_property(np, propname, NULL);

	if (!pp)
		return -EINVAL;
	if (!pp->value)
		return -ENODATA;
	if ((size_t)pp->length < (index + 1) * sizeof(u32))
		return -EOVERFLOW;
	*out = ((const u32 *)pp->value)[index];
	return 0;
}

bool of_node_name_eq(const struct device_node *np, const char *name)
{
	return np && np->name && !strcmp(np->name, name);
}

struct platform_device *of_find_device_by_node(struct device_node *np)
{
	if (!np || !np->shim_pdev)
		return NULL;
	get_device(&np->shim_pdev->dev);
	return np->shim_pdev;
}
