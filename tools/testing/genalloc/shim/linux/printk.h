/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * printk() and pr_*() for userspace.  Messages go to stderr when the
 * harness is verbose (shim_verbose); the last one is kept in
 * shim_last_printk[] and each is counted in shim_nr_printk so tests can
 * check that something was reported.
 */
#ifndef _SHIM_LINUX_PRINTK_H
#define _SHIM_LINUX_PRINTK_H

#include <linux/compiler.h>

#define KERN_SOH	"\001"
#define KERN_EMERG	KERN_SOH "0"
#define KERN_ALERT	KERN_SOH "1"
#define KERN_CRIT	KERN_SOH "2"
#define KERN_ERR	KERN_SOH "3"
#define KERN_WARNING	KERN_SOH "4"
#define KERN_NOTICE	KERN_SOH "5"
#define KERN_INFO	KERN_SOH "6"
#define KERN_DEBUG	KERN_SOH "7"
#define KERN_CONT	KERN_SOH "c"

#ifndef pr_fmt
#define pr_fmt(fmt) fmt
#endif

extern int shim_verbose;
extern unsigned long shim_nr_printk;
extern char shim_last_printk[512];

__printf(1, 2) int printk(const char *fmt, ...);

#define pr_emerg(fmt, ...)	printk(KERN_EMERG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_alert(fmt, ...)	printk(KERN_ALERT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_crit(fmt, ...)	printk(KERN_CRIT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err(fmt, ...)	printk(KERN_ERR pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...)	printk(KERN_WARNING pr_fmt(fmt), ##__VA_ARGS__)
#define pr_notice(fmt, ...)	printk(KERN_NOTICE pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...)	printk(KERN_INFO pr_fmt(fmt), ##__VA_ARGS__)
#define pr_cont(fmt, ...)	printk(KERN_CONT fmt, ##__VA_ARGS__)
#define pr_debug(fmt, ...)	\
	({ if (0) printk(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__); 0; })
#define pr_devel(fmt, ...)	pr_debug(fmt, ##__VA_ARGS__)
#define pr_warn_once(fmt, ...)	pr_warn(fmt, ##__VA_ARGS__)
#define pr_err_once(fmt, ...)	pr_err(fmt, ##__VA_ARGS__)
#define pr_info_once(fmt, ...)	pr_info(fmt, ##__VA_ARGS__)
#define pr_warn_ratelimited(fmt, ...)	pr_warn(fmt, ##__VA_ARGS__)
#define pr_err_ratelimited(fmt, ...)	pr_err(fmt, ##__VA_ARGS__)
#define no_printk(fmt, ...)	\
	({ if (0) printk(fmt, ##__VA_ARGS__); 0; })

#endif /* _SHIM_LINUX_PRINTK_H */
