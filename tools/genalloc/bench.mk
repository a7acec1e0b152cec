# SPDX-License-Identifier: GPL-2.0-only
# The differential test against upstream's lib/genalloc.c and the
# benchmark that runs both allocators side by side.
#
# Upstream's lib/genalloc.c and include/linux/genalloc.h are extracted from
# Debian's linux-source-6.12 into build/genalloc-diff/upstream/ at build
# time and never committed.  Each allocator is compiled inside
# tools/testing/genalloc/diff/side.c with the same shim; objcopy then
# prefixes every global symbol of each object (ours_, up_) so that both
# link into one program.

GD_SRC		:= $(TOP)/tools/testing/genalloc
GD_OUT		?= $(BUILD)/genalloc-diff
GD_TARBALL	?= /usr/src/linux-source-6.12.tar.xz
GD_UPDIR	:= $(GD_OUT)/upstream/linux-source-6.12
GD_UPSTREAM	:= $(GD_UPDIR)/lib/genalloc.c
GD_UPHDR	:= $(GD_UPDIR)/include/linux/genalloc.h
GD_SHIM		:= $(GD_SRC)/shim
GD_DEPS		:= $(wildcard $(GD_SHIM)/linux/*.h) $(GD_SRC)/diff/side.h \
		   $(GD_SRC)/diff/side.c $(TOP)/include/linux/genalloc.h

GD_CC		?= $(CC)
GD_CFLAGS	:= -g -Wall -Wno-unused-parameter -pthread \
		   -I$(GD_SHIM) -include linux/kconfig.h
GD_OPT		:= -O2
GD_SAN		:= -O1 -fno-omit-frame-pointer \
		   -fsanitize=address,undefined -fno-sanitize-recover=all

# Ours: our header; upstream: its own header ahead of ours.
# GD_OURS_SRC=file.c tests another candidate (e.g. a mutant) against upstream.
GD_OURS_SRC	?= $(TOP)/lib/genalloc.c
GD_ours_FLAGS	:= -I$(TOP)/include -DSIDE_NAME='"ours"' \
		   -DSIDE_SRC='"$(GD_OURS_SRC)"'
GD_up_FLAGS	:= -I$(GD_UPDIR)/include -I$(TOP)/include \
		   -DSIDE_NAME='"upstream"' -DSIDE_SRC='"$(GD_UPSTREAM)"'

$(GD_UPSTREAM): $(GD_TARBALL)
	@mkdir -p $(GD_OUT)/upstream
	tar -xJf $(GD_TARBALL) -C $(GD_OUT)/upstream \
		linux-source-6.12/lib/genalloc.c \
		linux-source-6.12/include/linux/genalloc.h
	@touch $@ $(GD_UPHDR)

$(GD_TARBALL):
	$(TOP)/tools/genalloc/deps.sh linux-source-6.12

# $(call gd_side,VARIANT,ours|up,FLAGS): build/genalloc-diff/VARIANT/side-X.o,
# with every defined global symbol renamed X_symbol.
define gd_side
$(GD_OUT)/$(1)/side-$(2).o: $(GD_DEPS) $(GD_OURS_SRC) $(GD_UPSTREAM)
	@mkdir -p $$(@D)
	$$(GD_CC) $(3) $$(GD_CFLAGS) $$(GD_$(2)_FLAGS) \
		-c $(GD_SRC)/diff/side.c -o $$@.tmp
	nm -g --defined-only $$@.tmp | \
		awk 'NF == 3 { print $$$$3, "$(2)_" $$$$3 }' > $$@.syms
	objcopy --redefine-syms=$$@.syms $$@.tmp $$@
	@rm -f $$@.tmp
endef

define gd_variant
$(call gd_side,$(1),ours,$(2) $(3))
$(call gd_side,$(1),up,$(2))
$(GD_OUT)/$(1)/linux.o: $(GD_SHIM)/linux.c $(GD_DEPS)
	@mkdir -p $$(@D)
	$$(GD_CC) $(2) $$(GD_CFLAGS) -I$(TOP)/include -c $$< -o $$@
$(GD_OUT)/$(1)/$(4): $(GD_SRC)/$(5) $(GD_OUT)/$(1)/side-ours.o \
		$(GD_OUT)/$(1)/side-up.o $(GD_OUT)/$(1)/linux.o $(GD_DEPS)
	$$(GD_CC) $(2) $$(GD_CFLAGS) -I$(GD_SRC)/diff -o $$@ $$< \
		$(GD_OUT)/$(1)/side-ours.o $(GD_OUT)/$(1)/side-up.o \
		$(GD_OUT)/$(1)/linux.o -lm
endef

$(eval $(call gd_variant,o2,$(GD_OPT),-DSIDE_VALIDATE,difftest,diff/difftest.c))
$(eval $(call gd_variant,san,$(GD_SAN),-DSIDE_VALIDATE,difftest,diff/difftest.c))
$(eval $(call gd_variant,m32,$(GD_OPT) -m32,-DSIDE_VALIDATE,difftest,diff/difftest.c))
$(eval $(call gd_variant,bench,$(GD_OPT) -DSIDE_FAST_RCU,,bench,bench/bench.c))

GD_DIFFTEST	:= $(GD_OUT)/o2/difftest
GD_DIFFTEST_SAN	:= $(GD_OUT)/san/difftest
GD_DIFFTEST_32	:= $(GD_OUT)/m32/difftest
GD_BENCH	:= $(GD_OUT)/bench/bench

# Operations per run in `make check`; DIFF_SEED=N replays a run.
DIFF_OPS	?= 3000000
DIFF_SAN_OPS	?= 400000
DIFF_32_OPS	?= 1000000
DIFF_SEED	?=
GD_SEEDARG	= $(if $(DIFF_SEED),-s $(DIFF_SEED))

## difftest         differential test, ours vs upstream's lib/genalloc.c (DIFF_SEED=, DIFF_OPS=)
.PHONY: difftest difftest-san difftest-32 check-difftest bench bench-callgrind \
	check-bench-smoke
difftest: $(GD_DIFFTEST)
	$(GD_DIFFTEST) -n $(DIFF_OPS) $(GD_SEEDARG)

## difftest-san     the differential test built with ASan and UBSan
difftest-san: $(GD_DIFFTEST_SAN)
	$(GD_DIFFTEST_SAN) -n $(DIFF_SAN_OPS) $(GD_SEEDARG)

## difftest-32      the differential test built for 32-bit (-m32)
difftest-32: $(GD_DIFFTEST_32)
	$(GD_DIFFTEST_32) -n $(DIFF_32_OPS) $(GD_SEEDARG)

# Three runs: -O2, ASan+UBSan, -m32.  One test per operation sequence of
# 10000 operations; each run ends with "difftest: N passed, N failed".
CHECK_STEPS += check-difftest
check-difftest:
	@$(MAKE) --no-print-directory $(GD_DIFFTEST) $(GD_DIFFTEST_SAN) \
		$(GD_DIFFTEST_32) >$(GD_OUT).build.log 2>&1 || \
		{ cat $(GD_OUT).build.log; \
		  $(TOP)/tools/genalloc/result.sh $@ 0 1; exit 1; }
	@rc=0; \
	$(GD_DIFFTEST) -n $(DIFF_OPS) $(GD_SEEDARG) >$(GD_OUT).o2.log 2>&1 || rc=1; \
	cat $(GD_OUT).o2.log; \
	$(GD_DIFFTEST_SAN) -n $(DIFF_SAN_OPS) $(GD_SEEDARG) \
		>$(GD_OUT).san.log 2>&1 || rc=1; \
	cat $(GD_OUT).san.log; \
	$(GD_DIFFTEST_32) -n $(DIFF_32_OPS) $(GD_SEEDARG) \
		>$(GD_OUT).m32.log 2>&1 || rc=1; \
	cat $(GD_OUT).m32.log; \
	set -- $$(cat $(GD_OUT).o2.log $(GD_OUT).san.log $(GD_OUT).m32.log | awk \
		'/^difftest: [0-9]+ passed, [0-9]+ failed/ { p += $$2; f += $$4 } \
		 END { print p + 0, f + 0 }'); \
	p=$$1; f=$$2; \
	[ $$rc -eq 0 ] || [ $$f -gt 0 ] || f=1; \
	$(TOP)/tools/genalloc/result.sh $@ $$p $$f; \
	[ $$rc -eq 0 ] && [ $$f -eq 0 ]

## bench            benchmark W1-W8, ours vs upstream, same run, 3 rounds; table in build/bench.md (BENCH_ARGS="-t 2 -r 5 -w W1,W2")
bench: $(GD_BENCH)
	$(GD_BENCH) -o $(BUILD)/bench.md $(BENCH_ARGS)

## bench-callgrind  callgrind instructions per alloc+free step for W1, W2, W5; table in build/bench-callgrind.md
bench-callgrind: $(GD_BENCH)
	$(GD_SRC)/bench/callgrind.sh $(GD_BENCH) $(GD_OUT)/callgrind \
		$(BUILD)/bench-callgrind.md

# A few milliseconds of each workload, only to check that both
# implementations place every block of the benchmark's sequences alike
# (one test per workload, the best-fit extras B1 and B2 included).  No
# timing is checked.
CHECK_STEPS += check-bench-smoke
check-bench-smoke:
	@$(MAKE) --no-print-directory $(GD_BENCH) >$(GD_OUT).bench.log 2>&1 || \
		{ cat $(GD_OUT).bench.log; \
		  $(TOP)/tools/genalloc/result.sh $@ 0 1; exit 1; }
	@rc=0; \
	$(GD_BENCH) -t 0.05 -r 1 -w W1,W2,W3,W4,W5,W6,W7,W8,B1,B2 \
		-o $(GD_OUT)/bench-smoke.md >$(GD_OUT).smoke.log 2>&1 || rc=1; \
	grep '^[WB][0-9]: upstream' $(GD_OUT).smoke.log; \
	p=$$(grep -c '^[WB][0-9]: upstream.*same placements' $(GD_OUT).smoke.log); \
	f=$$(grep -c '^[WB][0-9]: upstream.*PLACEMENTS DIFFER' $(GD_OUT).smoke.log); \
	[ $$rc -eq 0 ] || [ $$f -gt 0 ] || { f=1; cat $(GD_OUT).smoke.log; }; \
	$(TOP)/tools/genalloc/result.sh $@ $$p $$f; \
	[ $$rc -eq 0 ] && [ $$f -eq 0 ]
