# SPDX-License-Identifier: GPL-2.0-only
# The coverage-guided fuzzer (libFuzzer) and the concurrency stress test of
# lib/genalloc.c, both built on the userspace shim of tools/testing/genalloc.
#
# The fuzzer needs clang with libFuzzer (Debian's clang and
# libclang-rt-14-dev, see deps.sh).  Its working corpus and crash files go
# to build/genalloc-fuzz/; the committed seed corpus is never modified.

GF_SRC		:= $(TOP)/tools/testing/genalloc
GF_OUT		:= $(BUILD)/genalloc-fuzz
GF_CC		?= clang
GF_SHIM_DIR	:= $(GF_SRC)/shim
GF_CPPFLAGS	:= -I$(GF_SHIM_DIR) -include linux/kconfig.h -D_GNU_SOURCE \
		   -I$(TOP)/include
GF_WFLAGS	:= -std=gnu11 -Wall -Wextra -Wno-unused-parameter \
		   -Wno-sign-compare -Wno-missing-field-initializers \
		   -Wno-type-limits -Wno-shift-negative-value \
		   -Wno-pointer-sign -fno-strict-aliasing -fno-common
GF_DEPS		:= $(wildcard $(GF_SHIM_DIR)/linux/*.h) $(GF_SHIM_DIR)/linux.c \
		   $(TOP)/lib/genalloc.c $(TOP)/include/linux/genalloc.h \
		   $(TOP)/tools/genalloc/fuzz.mk
GF_FUZZER	:= $(GF_OUT)/fuzz_genalloc
GF_FUZZER32	:= $(GF_OUT)/fuzz_genalloc32
GF_FUZZER_COV	:= $(GF_OUT)/fuzz_genalloc_cov
GF_CORPUS	:= $(GF_SRC)/fuzz/corpus
GF_WORK		:= $(GF_OUT)/corpus

# Seconds of fuzzing for `make fuzz`, and for the check step (64-bit and
# 32-bit builds).
FUZZ_TIME	?= 600
FUZZ_CHECK_TIME	?= 60
FUZZ32_CHECK_TIME ?= 30
FUZZ_ARGS	?=

$(GF_FUZZER32): GF_M := -m32
$(GF_FUZZER) $(GF_FUZZER32): $(GF_SRC)/fuzz/fuzz_genalloc.c $(GF_DEPS)
	@mkdir -p $(@D)
	$(GF_CC) $(GF_M) -g -O1 -fno-omit-frame-pointer \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		$(GF_CPPFLAGS) $(GF_WFLAGS) -o $@ $< $(GF_SHIM_DIR)/linux.c \
		-pthread

# The same fuzzer with source-based coverage, to replay a corpus.
$(GF_FUZZER_COV): $(GF_SRC)/fuzz/fuzz_genalloc.c $(GF_DEPS)
	@mkdir -p $(@D)
	$(GF_CC) -g -O1 -fsanitize=fuzzer -fprofile-instr-generate \
		-fcoverage-mapping $(GF_CPPFLAGS) $(GF_WFLAGS) -o $@ $< \
		$(GF_SHIM_DIR)/linux.c -pthread

# Run fuzzer $(2) (default the 64-bit one) for $(1) seconds from the seed
# corpus plus the working corpus; new inputs go to the working corpus,
# crashes next to it.  An input running for a minute counts as a hang
# (inputs take milliseconds).
gf_run = mkdir -p $(GF_WORK) && \
	$(or $(2),$(GF_FUZZER)) -max_total_time=$(1) -timeout=60 \
		-print_final_stats=1 -artifact_prefix=$(GF_OUT)/ $(FUZZ_ARGS) \
		$(GF_WORK) $(GF_CORPUS)

.PHONY: fuzz fuzz32 fuzz-build fuzz-cov fuzz-corpus check-fuzz
## fuzz             libFuzzer on lib/genalloc.c against a reference model (FUZZ_TIME=600 s, FUZZ_ARGS=)
fuzz: $(GF_FUZZER)
	$(call gf_run,$(FUZZ_TIME))

## fuzz32           the same fuzzer built with -m32 (32-bit unsigned long)
fuzz32: $(GF_FUZZER32)
	$(call gf_run,$(FUZZ_TIME),$(GF_FUZZER32))

fuzz-build: $(GF_FUZZER) $(GF_FUZZER32) $(GF_FUZZER_COV)

## fuzz-cov         line coverage of lib/genalloc.c by the fuzz corpora (build/genalloc-fuzz/coverage.txt)
fuzz-cov: $(GF_FUZZER_COV)
	@mkdir -p $(GF_WORK)
	LLVM_PROFILE_FILE=$(GF_OUT)/fuzz.profraw $(GF_FUZZER_COV) -runs=0 \
		$(GF_WORK) $(GF_CORPUS) >$(GF_OUT)/cov-run.log 2>&1
	llvm-profdata merge -sparse $(GF_OUT)/fuzz.profraw \
		-o $(GF_OUT)/fuzz.profdata
	llvm-cov report $(GF_FUZZER_COV) -instr-profile=$(GF_OUT)/fuzz.profdata \
		$(TOP)/lib/genalloc.c | tee $(GF_OUT)/coverage.txt
	llvm-cov show $(GF_FUZZER_COV) -instr-profile=$(GF_OUT)/fuzz.profdata \
		-show-line-counts-or-regions $(TOP)/lib/genalloc.c \
		>$(GF_OUT)/genalloc.c.cov

# The regress-* files of the corpus are inputs that once failed; they are
# kept by hand, gen_corpus.py writes the rest.
## fuzz-corpus      regenerate the committed seed corpus with fuzz/gen_corpus.py
fuzz-corpus:
	python3 $(GF_SRC)/fuzz/gen_corpus.py $(GF_CORPUS)

# Two tests: the 64-bit fuzzer runs $(FUZZ_CHECK_TIME) s and the 32-bit
# one $(FUZZ32_CHECK_TIME) s without a finding.
CHECK_STEPS += check-fuzz
check-fuzz:
	@$(MAKE) --no-print-directory $(GF_FUZZER) $(GF_FUZZER32) \
		>$(GF_OUT).build.log 2>&1 || \
		{ cat $(GF_OUT).build.log; \
		  $(TOP)/tools/genalloc/result.sh $@ 0 2; exit 1; }
	@p=0; f=0; \
	for v in 64:$(FUZZ_CHECK_TIME):$(GF_FUZZER) \
		 32:$(FUZZ32_CHECK_TIME):$(GF_FUZZER32); do \
		bits=$${v%%:*}; rest=$${v#*:}; t=$${rest%%:*}; bin=$${rest#*:}; \
		echo "== fuzz_genalloc ($$bits-bit, $$t s)"; \
		if { $(call gf_run,$$t,$$bin); } >$(GF_OUT).$$bits.log 2>&1; then \
			grep -E '^(INFO: Seed|#[0-9]+ +DONE|stat::)' \
				$(GF_OUT).$$bits.log; \
			p=$$((p + 1)); \
		else \
			tail -n 60 $(GF_OUT).$$bits.log; \
			echo "check-fuzz: failed; replay with $$bin <crash file above>"; \
			f=$$((f + 1)); \
		fi; \
	done; \
	$(TOP)/tools/genalloc/result.sh $@ $$p $$f; \
	[ $$f -eq 0 ]

# ---------------------------------------------------------------------
# Concurrency stress: threads and a signal handler standing in for an
# NMI, under ThreadSanitizer (clang) and at -O2 without it.

GS_SRC		:= $(GF_SRC)/stress/stress.c
GS_TSAN		:= $(GF_OUT)/stress_tsan
GS_O2		:= $(GF_OUT)/stress_o2
GS_O2_32	:= $(GF_OUT)/stress_o2_32
STRESS_TIME	?= 10
STRESS_ARGS	?=

$(GS_TSAN): $(GS_SRC) $(GF_DEPS)
	@mkdir -p $(@D)
	$(GF_CC) -g -O1 -fsanitize=thread $(GF_CPPFLAGS) $(GF_WFLAGS) \
		-o $@ $< $(GF_SHIM_DIR)/linux.c -pthread

$(GS_O2_32): GF_M := -m32
$(GS_O2) $(GS_O2_32): $(GS_SRC) $(GF_DEPS)
	@mkdir -p $(@D)
	$(GF_CC) $(GF_M) -g -O2 $(GF_CPPFLAGS) $(GF_WFLAGS) -o $@ $< \
		$(GF_SHIM_DIR)/linux.c -pthread

GS_TSAN_ENV	:= TSAN_OPTIONS="halt_on_error=1 exitcode=66 second_deadlock_stack=1"
# Not a time limit on the test, a guard against a hang (a WARN from the
# signal handler could deadlock on the shim's message lock): a run that
# takes ten times its budget plus two minutes is killed and fails.
GS_GUARD	= timeout -s KILL $$(( $(STRESS_TIME) * 10 + 120 ))

# The runs of `make stress` and `make check-stress`, BINARY:MODE (stress.c's
# -m): the TSan and 64-bit -O2 builds in all four modes, the 32-bit one
# (no reach hints there, so the mode matters less) in mode all.
GS_RUNS		= $(GS_TSAN):all $(GS_TSAN):first $(GS_TSAN):switch \
		  $(GS_TSAN):best $(GS_O2):all $(GS_O2):first \
		  $(GS_O2):switch $(GS_O2):best $(GS_O2_32):all

.PHONY: stress check-stress
## stress           threads + an NMI-like signal handler hammer one pool: TSan and -O2 in modes all, first, switch, best, -O2 -m32 (STRESS_TIME=10 s each, STRESS_ARGS="-s SEED")
stress: $(GS_TSAN) $(GS_O2) $(GS_O2_32)
	@for run in $(GS_RUNS); do \
		bin=$${run%:*}; mode=$${run##*:}; \
		echo "== $$(basename $$bin) -m $$mode"; \
		$(GS_TSAN_ENV) $$bin -t $(STRESS_TIME) $(STRESS_ARGS) -m $$mode || \
			exit 1; \
	done

# Nine tests: the ThreadSanitizer and the 64-bit -O2 runs in modes all,
# first, switch and best, and the 32-bit -O2 run in mode all.
CHECK_STEPS += check-stress
check-stress:
	@$(MAKE) --no-print-directory $(GS_TSAN) $(GS_O2) $(GS_O2_32) \
		>$(GF_OUT).stress-build.log 2>&1 || \
		{ cat $(GF_OUT).stress-build.log; \
		  $(TOP)/tools/genalloc/result.sh $@ 0 9; exit 1; }
	@p=0; f=0; \
	for run in $(GS_RUNS); do \
		bin=$${run%:*}; mode=$${run##*:}; \
		echo "== $$(basename $$bin) -m $$mode"; \
		if $(GS_TSAN_ENV) $(GS_GUARD) $$bin -t $(STRESS_TIME) \
			$(STRESS_ARGS) -m $$mode; then \
			p=$$((p + 1)); \
		else \
			echo "check-stress: $$bin -m $$mode failed"; \
			f=$$((f + 1)); \
		fi; \
	done; \
	$(TOP)/tools/genalloc/result.sh $@ $$p $$f; \
	[ $$f -eq 0 ]
