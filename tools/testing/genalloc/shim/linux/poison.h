/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _SHIM_LINUX_POISON_H
#define _SHIM_LINUX_POISON_H

/* Unmapped addresses: following a deleted entry's links faults at once. */
#define LIST_POISON1	((void *)0x100)
#define LIST_POISON2	((void *)0x122)

#endif /* _SHIM_LINUX_POISON_H */
