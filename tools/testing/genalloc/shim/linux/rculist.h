/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * RCU-protected lists: writers publish with release stores, readers follow
 * ->next with acquire loads.  A traversal outside rcu_read_lock() whose
 * optional lockdep condition is false WARNs once, like CONFIG_PROVE_RCU_LIST.
 */
#ifndef _SHIM_LINUX_RCULIST_H
#define _SHIM_LINUX_RCULIST_H

#include <linux/list.h>
#include <linux/rcupdate.h>

#define list_next_rcu(list)	(*((struct list_head __rcu **)(&(list)->next)))

static inline void INIT_LIST_HEAD_RCU(struct list_head *list)
{
	WRITE_ONCE(list->next, list);
	WRITE_ONCE(list->prev, list);
}

static inline void __list_add_rcu(struct list_head *new,
				  struct list_head *prev,
				  struct list_head *next)
{
	new->next = next;
	new->prev = prev;
	rcu_assign_pointer(list_next_rcu(prev), new);
	next->prev = new;
}

static inline void list_add_rcu(struct list_head *new, struct list_head *head)
{
	__list_add_rcu(new, head, head->next);
}

static inline void list_add_tail_rcu(struct list_head *new,
				     struct list_head *head)
{
	__list_add_rcu(new, head->prev, head);
}

static inline void list_del_rcu(struct list_head *entry)
{
	__list_del_entry(entry);
	entry->prev = LIST_POISON2;
}

#define list_entry_rcu(ptr, type, member) \
	container_of(rcu_dereference(ptr), type, member)
#define list_first_or_null_rcu(ptr, type, member) ({			\
	struct list_head *__head = (ptr);				\
	struct list_head *__next = rcu_dereference(__head->next);	\
	__next != __head ? list_entry(__next, type, member) : NULL; })
#define list_next_or_null_rcu(head, ptr, type, member) ({		\
	struct list_head *__head = (head);				\
	struct list_head *__next = rcu_dereference((ptr)->next);	\
	__next != __head ? list_entry(__next, type, member) : NULL; })

/* Evaluates to the caller's lockdep condition, or 0 when there is none. */
#define __shim_rcu_cond(dummy, cond, extra...)	(cond)
#define __shim_list_check_rcu(cond...)					\
	WARN_ONCE(!(__shim_rcu_cond(0, ##cond, 0)) && !rcu_read_lock_held(), \
		  "RCU-list traversed in non-reader section")

#define list_for_each_entry_rcu(pos, head, member, cond...)		\
	for (__shim_list_check_rcu(cond),				\
	     pos = list_entry_rcu((head)->next, typeof(*pos), member);	\
	     &pos->member != (head);					\
	     pos = list_entry_rcu(pos->member.next, typeof(*pos), member))
#define list_for_each_entry_srcu(pos, head, member, cond)		\
	list_for_each_entry_rcu(pos, head, member, cond)
#define list_for_each_entry_lockless(pos, head, member)			\
	for (pos = list_entry_rcu((head)->next, typeof(*pos), member);	\
	     &pos->member != (head);					\
	     pos = list_entry_rcu(pos->member.next, typeof(*pos), member))
#define list_for_each_entry_continue_rcu(pos, head, member)		\
	for (pos = list_entry_rcu(pos->member.next, typeof(*pos), member); \
	     &pos->member != (head);					\
	     pos = list_entry_rcu(pos->member.next, typeof(*pos), member))

#endif /* _SHIM_LINUX_RCULIST_H */
