# SPDX-License-Identifier: GPL-2.0
#
# netns-core: build, boot and judge the patched 6.12 kernel.
#
#   make run     install what is needed, build (configs/run.config), boot
#                QEMU and play the demo
#   make check   build the debug kernel (configs/test.config), boot it and
#                run every suite; ends with "N passed, N failed"
#   make shell   boot the run kernel to an interactive shell
#
# Variables: KSRC_VERSION pins the linux-source-6.12 package version,
# JOBS sets build parallelism, CHECK_TIMEOUT/RUN_TIMEOUT bound the guest.

SHELL    := /bin/bash
TOP      := $(CURDIR)
BUILD    := $(TOP)/build
TREE     := $(BUILD)/linux
JOBS     ?= $(shell nproc)
CHECK_TIMEOUT ?= 2400
BENCH_TIMEOUT ?= 7200
RUN_TIMEOUT   ?= 600

# An exact net_namespace count in /proc/slabinfo, for the benchmark's
# self-check (its drain signal must agree with the slab).
BENCH_CHECK_CMDLINE ?= slab_nomerge slub_debug=F,net_namespace

export KSRC_VERSION KSRC_PKG

GUEST_BIN := $(BUILD)/guest-bin
SELFTESTS := tools/testing/selftests/net/netns-core
KSFT_INC  := $(TREE)/tools/testing/selftests
GUEST_CFLAGS := -O2 -Wall -Wextra -static -D_GNU_SOURCE

.PHONY: all run check shell deps src kernel-run kernel-test guest-bin \
	compat kunitmod modules-compat modules-kunitmod bench bench-kernels \
	bench-without profile upstream-selftests upstream-bin lint series series-check \
	clean distclean

all: check

deps:
	@bash scripts/deps.sh

# The source tree is re-synced on every invocation: cheap, and it is what
# makes an edit to one of our files rebuild incrementally.
src: deps
	@bash scripts/prepare-src.sh

# kernel-<name>: configure build/out-<name> from the fragments and build it.
define kernel_rule
kernel-$(1): src
	@bash scripts/kconfig.sh $(TREE) $(BUILD)/out-$(1) $(2)
	@echo "make: building the $(1) kernel in build/out-$(1)"
	@$(MAKE) -s -C $(TREE) O=$(BUILD)/out-$(1) -j$(JOBS) bzImage
endef
$(eval $(call kernel_rule,run,configs/run.config))
$(eval $(call kernel_rule,test,configs/run.config configs/test.config))

# make bench: the same source and config built twice, without our series
# (build/pristine) and with it, booted BENCH_RUNS times each, one table.
# BENCH_CASES is netns_bench's --cases (e.g. contended, whose batch size is
# each L but 0).
BENCH_RUNS ?= 2
BENCH_L    ?= 0,1000,10000
BENCH_C    ?= 1000
BENCH_CASES ?= all
BENCH_MEM  ?= 8G
BENCH_DIR  := $(BUILD)/bench
BENCH_CFG  := configs/run.config configs/bench.config
export BENCH_RUNS BENCH_L BENCH_C BENCH_CASES BENCH_MEM BENCH_TIMEOUT

bench-kernels: src
	@bash scripts/kconfig.sh $(BUILD)/pristine $(BUILD)/out-bench-stock $(BENCH_CFG)
	@bash scripts/kconfig.sh $(TREE) $(BUILD)/out-bench-ours $(BENCH_CFG)
	@echo "make: building the stock bench kernel in build/out-bench-stock"
	@$(MAKE) -s -C $(BUILD)/pristine O=$(BUILD)/out-bench-stock -j$(JOBS) bzImage
	@echo "make: building the netns-core bench kernel in build/out-bench-ours"
	@$(MAKE) -s -C $(TREE) O=$(BUILD)/out-bench-ours -j$(JOBS) bzImage

bench: bench-kernels $(BUILD)/initramfs.cpio.gz
	@bash scripts/bench-boots.sh $(BENCH_DIR) bench stock ours

# make bench-without WITHOUT=NNNN[,NNNN]: what those patches/ files do on
# their own. The series without them (scripts/without.sh, build/
# linux-without) and the whole series, both with the bench config, are
# booted BENCH_RUNS times each, alternately, with BENCH_CASES at BENCH_L;
# the table, baseline "without", lands in build/bench-without/report.md.
WITHOUT     ?=
WITHOUT_DIR := $(BUILD)/bench-without

bench-without: bench-kernels $(BUILD)/initramfs.cpio.gz
	@test -n "$(WITHOUT)" || { echo "make: bench-without needs WITHOUT=NNNN[,NNNN]"; exit 2; }
	@bash scripts/without.sh $(TREE) $(BUILD)/linux-without $(WITHOUT)
	@bash scripts/kconfig.sh $(BUILD)/linux-without $(BUILD)/out-bench-without $(BENCH_CFG)
	@echo "make: building the bench kernel without $(WITHOUT) in build/out-bench-without"
	@$(MAKE) -s -C $(BUILD)/linux-without O=$(BUILD)/out-bench-without -j$(JOBS) bzImage
	@mkdir -p $(WITHOUT_DIR)
	@echo "without $(WITHOUT), cases $(BENCH_CASES), L $(BENCH_L), $(BENCH_RUNS) boots each" > $(WITHOUT_DIR)/what
	@bash scripts/bench-boots.sh $(WITHOUT_DIR) bench-without without ours

# make profile: both bench kernels under `perf record -a -g` in the guest,
# one boot each, for the cases in PROFILE_CASES at PROFILE_L live
# namespaces. Flat and inclusive profiles of the teardown kworkers and of
# the benchmark process land in build/profile/<kernel>.txt.
PROFILE_L     ?= 10000
PROFILE_C     ?= 1000
PROFILE_NSID  ?= on
PROFILE_CASES ?= live_teardown
PROFILE_DIR   := $(BUILD)/profile

profile: bench-kernels guest-bin
	@bash scripts/deps.sh linux-perf
	@PROFILE=1 bash scripts/mkinitramfs.sh $(BUILD)/initramfs-profile.cpio.gz
	@mkdir -p $(PROFILE_DIR)
	@for k in stock ours; do \
		echo "make: profiling $$k (L=$(PROFILE_L), cases $(PROFILE_CASES), nsid $(PROFILE_NSID))"; \
		QEMU_MEM=$(BENCH_MEM) KERNEL_CMDLINE_EXTRA="netns_core.bench=--label:$$k:-L:$(PROFILE_L):-C:$(PROFILE_C):--nsid:$(PROFILE_NSID):--cases:$(PROFILE_CASES)" \
		bash scripts/boot.sh $(BUILD)/out-bench-$$k/arch/x86/boot/bzImage \
			$(BUILD)/initramfs-profile.cpio.gz profile $(PROFILE_DIR)/log-$$k $(BENCH_TIMEOUT) || \
			{ echo "make: profile run failed, see $(PROFILE_DIR)/log-$$k"; exit 1; }; \
		tr -d '\r' < $(PROFILE_DIR)/log-$$k/results.log > $(PROFILE_DIR)/$$k.txt; \
		echo "make: $(PROFILE_DIR)/$$k.txt"; \
	done

# make upstream-selftests: the upstream selftests of the subsystems whose
# files our series patches, on both bench kernels (same config), one boot
# each (guest/upstream.sh): rtnetlink.sh and fib_tests.sh subtest by
# subtest, uevent_filtering, /proc/sys listed in readdir order (initial
# and fresh namespace, and device names that test the name comparison),
# and the link/netconf/nsid messages and uevents heard over a namespace's
# life.
# Results in build/upstream/{stock,ours}.txt, their full text in
# {stock,ours}.dump; the table, test by test, in build/upstream/compare.md.
# Fails when a test's result differs, or a test ran on one side only.
# Many subtests fail or skip on both kernels (minimal config and
# userspace): only the difference counts.
UPSTREAM_TIMEOUT ?= 1800
UPSTREAM_DIR     := $(BUILD)/upstream
UPSTREAM_INITRD  := $(BUILD)/initramfs-upstream.cpio.gz

upstream-bin: src
	@mkdir -p $(GUEST_BIN)/upstream
	@gcc -O2 -static -o $(GUEST_BIN)/upstream/uevent_filtering \
		$(TREE)/tools/testing/selftests/uevent/uevent_filtering.c

upstream-selftests: bench-kernels guest-bin upstream-bin
	@UPSTREAM=1 bash scripts/mkinitramfs.sh $(UPSTREAM_INITRD)
	@rm -rf $(UPSTREAM_DIR)
	@mkdir -p $(UPSTREAM_DIR)
	@for k in stock ours; do \
		echo "make: upstream selftests on $$k (up to $(UPSTREAM_TIMEOUT) s)"; \
		QEMU_MEM=$(BENCH_MEM) bash scripts/boot.sh $(BUILD)/out-bench-$$k/arch/x86/boot/bzImage \
			$(UPSTREAM_INITRD) upstream $(UPSTREAM_DIR)/log-$$k $(UPSTREAM_TIMEOUT); \
		rc=$$?; \
		[ $$rc -eq 0 ] || echo "make: the $$k guest ended with status $$rc, see $(UPSTREAM_DIR)/log-$$k"; \
		bash scripts/compare-upstream.sh --collect $(UPSTREAM_DIR)/log-$$k $$rc \
			$(UPSTREAM_DIR)/$$k.txt $(UPSTREAM_DIR)/$$k.dump || exit 1; \
	done
	@bash scripts/compare-upstream.sh $(UPSTREAM_DIR)/stock.txt $(UPSTREAM_DIR)/ours.txt | \
		tee $(UPSTREAM_DIR)/compare.md; \
	rc=$${PIPESTATUS[0]}; \
	echo "make: table in $(UPSTREAM_DIR)/compare.md, results in $(UPSTREAM_DIR)/{stock,ours}.txt"; \
	exit $$rc

# Kernels built with modules, not booted: modules-<name> configures
# build/out-<name> from run.config and configs/<name>.config, builds it and
# fails on a warning or error from our files, or on a log line matching $(2).
OUR_FILES_RE := (include/net/net_namespace.h|include/net/netns/generic.h|include/trace/events/netns.h|net/core/net_[a-z_]*\.c|net/core/netns_core.h)
define modules_rule
modules-$(1): src
	@bash scripts/kconfig.sh $(TREE) $(BUILD)/out-$(1) configs/run.config configs/$(1).config
	@echo "make: building the $(1) kernel and modules in build/out-$(1)"
	@$(MAKE) -s -C $(TREE) O=$(BUILD)/out-$(1) -j$(JOBS) bzImage modules 2>&1 | \
		tee $(BUILD)/$(1).log; test $$$${PIPESTATUS[0]} -eq 0
	@if grep -E '$(OUR_FILES_RE).*(warning|error)$(2)' $(BUILD)/$(1).log; then \
		echo "make: warnings from netns-core files"; exit 1; fi
endef

# A broad networking config (netfilter, IPVS, SCTP, MPLS, tunnels, OVS,
# bonding, netdevsim, CAN...) must compile against our core.
$(eval $(call modules_rule,compat,))
compat: modules-compat
	@echo "make: compat build OK"

# The KUnit suite as a module (KUNIT=m, NET_NS_KUNIT_TEST=m): vmlinux must
# link without KUnit, and modpost must resolve every core symbol the test
# uses (EXPORT_SYMBOL_IF_KUNIT) and its namespace import.
KUNITMOD_KO := $(BUILD)/out-kunitmod/net/core/net_namespace_test.ko
$(eval $(call modules_rule,kunitmod,|modpost.*net_namespace_test))
kunitmod: modules-kunitmod
	@test -f $(KUNITMOD_KO) || { echo "make: $(KUNITMOD_KO) was not built"; exit 1; }
	@echo "make: kunitmod build OK ($(KUNITMOD_KO))"

# Static programs for the guest: our tools, our selftests (from the copy in
# the tree, as synced when this make started) built and installed with the
# kselftest runner by the tree's own tools/testing/selftests/Makefile
# (objects in build/out-kselftest, installed tree in guest-bin/kselftest),
# and the upstream selftest programs make check runs.
guest-bin: src
	@rm -rf $(GUEST_BIN)/selftests $(GUEST_BIN)/kselftest
	@mkdir -p $(GUEST_BIN)/tools $(GUEST_BIN)/upstream
	@for t in guest/*.c; do \
		gcc $(GUEST_CFLAGS) -o $(GUEST_BIN)/tools/$$(basename $$t .c) $$t || exit 1; \
	done
	@if [ -f $(TREE)/$(SELFTESTS)/Makefile ]; then \
		$(MAKE) -s -C $(TREE)/tools/testing/selftests O=$(BUILD)/out-kselftest \
			TARGETS=net/netns-core FORCE_TARGETS=1 \
			INSTALL_PATH=$(GUEST_BIN)/kselftest install > /dev/null; \
	fi
	@$(MAKE) -s -C $(TREE)/$(SELFTESTS)/bench KSFT_INC=$(KSFT_INC) OUT=$(GUEST_BIN)/tools
	@gcc -O2 -static -o $(GUEST_BIN)/upstream/so_netns_cookie \
		$(TREE)/tools/testing/selftests/net/so_netns_cookie.c

$(BUILD)/initramfs.cpio.gz: guest-bin FORCE
	@bash scripts/mkinitramfs.sh $@

run: kernel-run $(BUILD)/initramfs.cpio.gz
	@STREAM=1 bash scripts/boot.sh $(BUILD)/out-run/arch/x86/boot/bzImage \
		$(BUILD)/initramfs.cpio.gz run $(BUILD)/log-run $(RUN_TIMEOUT); \
	rc=$$?; \
	if [ $$rc -eq 0 ]; then echo "demo: every step did what it said"; \
	else echo "demo: FAILED (status $$rc); console log: build/log-run/console.log"; fi; \
	exit $$rc

shell: kernel-run $(BUILD)/initramfs.cpio.gz
	@bash scripts/boot.sh $(BUILD)/out-run/arch/x86/boot/bzImage \
		$(BUILD)/initramfs.cpio.gz shell $(BUILD)/log-shell

# Two boots: the run kernel (production-like, exact net_namespace slab
# count) for the benchmark's self-check, then the debug kernel for
# everything else. results.sh judges both.
check: kernel-test kernel-run $(BUILD)/initramfs.cpio.gz
	@echo "make: booting the run kernel for the benchmark self-check"
	@KERNEL_CMDLINE_EXTRA="$(BENCH_CHECK_CMDLINE)" \
	bash scripts/boot.sh $(BUILD)/out-run/arch/x86/boot/bzImage \
		$(BUILD)/initramfs.cpio.gz benchcheck $(BUILD)/log-check-bench $(CHECK_TIMEOUT); \
	echo $$? > $(BUILD)/log-check-bench/status
	@echo "make: booting the test kernel (this takes a few minutes under emulation)"
	@bash scripts/boot.sh $(BUILD)/out-test/arch/x86/boot/bzImage \
		$(BUILD)/initramfs.cpio.gz check $(BUILD)/log-check $(CHECK_TIMEOUT); \
	echo $$? > $(BUILD)/log-check/status
	@bash scripts/results.sh $(BUILD)/log-check-bench $(BUILD)/log-check

# Reviewer's checks on our own files: checkpatch --strict, our net/
# objects compiled with W=1 in the test build directory, and
# Documentation/networking rendered by Sphinx (make htmldocs
# SPHINXDIRS=networking, about 2 minutes here; a warning naming one of our
# files fails lint, others are counted). Any checkpatch
# report fails lint (after all files are checked), with two exceptions:
#  - include/net/net_namespace.h keeps upstream's API, which checkpatch
#    reports: the possible_net_t typedef (NEW_TYPEDEFS) and the two
#    __net_initconst defines (INIT_ATTRIBUTE). Only those types are
#    ignored, and only in that header.
#  - include/trace/events/netns.h is written in the TRACE_EVENT() idiom of
#    every upstream trace header, which checkpatch reports as lines ending
#    in '(' (OPEN_ENDED_LINE) and arguments not aligned with the opening
#    parenthesis (PARENTHESIS_ALIGNMENT): only those, only there.
#  - userspace (selftests, guest tools) is checked with ENOSYS ignored: a
#    test there asks whether the running kernel has a syscall at all, and
#    ENOSYS is exactly that answer.
OUR_C := $(shell find include net -name '*.[ch]' 2>/dev/null)
OUR_OBJ := $(patsubst %.c,%.o,$(filter net/%.c,$(OUR_C)))
NETNS_H := include/net/net_namespace.h
TRACE_H := include/trace/events/netns.h
NETNS_H_IGNORE := NEW_TYPEDEFS,INIT_ATTRIBUTE
TRACE_H_IGNORE := OPEN_ENDED_LINE,PARENTHESIS_ALIGNMENT
USER_IGNORE    := ENOSYS
# The same exceptions, TYPES:path-prefix, for make series-check.
export CHECKPATCH_EXCEPTIONS := $(NETNS_H_IGNORE):$(NETNS_H) \
	$(TRACE_H_IGNORE):$(TRACE_H) $(USER_IGNORE):$(SELFTESTS)/
USER_C = $(shell find $(SELFTESTS) guest -name '*.[ch]')
DOC_FILES_RE := ($(OUR_FILES_RE)|Documentation/networking/netns-core.rst)
CHECKPATCH := $(TREE)/scripts/checkpatch.pl --no-tree --strict --terse

lint: src
	@rc=0; \
	$(CHECKPATCH) -f $(filter-out $(NETNS_H) $(TRACE_H),$(OUR_C)) || rc=1; \
	$(CHECKPATCH) --ignore $(NETNS_H_IGNORE) -f $(NETNS_H) || rc=1; \
	$(CHECKPATCH) --ignore $(TRACE_H_IGNORE) -f $(TRACE_H) || rc=1; \
	$(CHECKPATCH) --ignore $(USER_IGNORE) -f $(USER_C) || rc=1; \
	if [ $$rc -ne 0 ]; then echo "make: checkpatch reported problems"; exit 1; fi
	@echo "make: checkpatch clean"
	@if [ -n "$(OUR_OBJ)" ]; then \
		bash scripts/kconfig.sh $(TREE) $(BUILD)/out-test configs/run.config configs/test.config && \
		$(MAKE) -s -C $(TREE) O=$(BUILD)/out-test W=1 $(OUR_OBJ); \
	fi
	@bash scripts/deps.sh python3-sphinx
	@echo "make: rendering Documentation/networking (make htmldocs SPHINXDIRS=networking)"
	@$(MAKE) -s -C $(TREE) O=$(BUILD)/out-docs htmldocs SPHINXDIRS=networking \
		> $(BUILD)/htmldocs.log 2>&1 || { tail -n 20 $(BUILD)/htmldocs.log; exit 1; }
	@# Even with O=, htmldocs writes the netlink specs' .rst files into the
	@# source tree (the pristine tree has none there): remove them, so that
	@# build/linux stays the tree make series-check compares with.
	@find $(TREE)/Documentation/networking/netlink_spec -name '*.rst' -delete
	@if grep -E '$(DOC_FILES_RE).*(WARNING|ERROR)|(WARNING|ERROR).*$(DOC_FILES_RE)' \
		$(BUILD)/htmldocs.log; then echo "make: documentation warnings from netns-core files"; exit 1; fi
	@echo "make: docs rendered in build/out-docs/Documentation/output/networking/netns-core.html," \
		"$$(grep -c WARNING $(BUILD)/htmldocs.log) warning(s) from other files (build/htmldocs.log)"

# make series: build/series/, git format-patch output with a cover letter,
# generated from the overlay and patches/ by patches/recipe (scripts/series.py).
# SERIES_AUTHOR="Name <email>" sets the author and Signed-off-by; the
# default is git config user.name and user.email.
series: src
	@python3 scripts/series.py

# make series-check: git am the series on a fresh baseline, build after
# every patch (run.config) and boot each kernel that changed with a smoke
# test (guest/smoke.sh), build the end with the test config, give every
# patch's size, checkpatch every patch, and compare the final tree with
# build/linux (scripts/series-check.sh).
series-check: series $(BUILD)/initramfs.cpio.gz
	@bash scripts/deps.sh ccache python3-ply python3-git
	@bash scripts/series-check.sh 2>&1 | tee $(BUILD)/series-check.log; exit $${PIPESTATUS[0]}

clean:
	rm -rf $(BUILD)/out-* $(BUILD)/guest-bin $(BUILD)/initramfs* $(BUILD)/log-*

distclean:
	rm -rf $(BUILD)

FORCE:
