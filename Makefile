# The lecture's ten FASM programs and their C twins.
#   make            build B/asm/NAME and B/c/NAME for all ten (B = build)
#   make compare    the main job: build, run each lecture scenario, compare
#   make report     the same comparison as one HTML page, B/report.html
#   make test       the conformance suite (bats)
#   make bench      C/asm ratios: start-up, accept and receive rates, size
#   make fuzz       generated scenarios against both builds, for FUZZ_S seconds
#                   (P=NAME: one program; SEED=N replays a run)
#   make fuzz-check plants one-line defects in copies of the C; fuzz finds each
#   make try        P=NAME: drive both builds side by side, see both outputs
#   make demo       P=NAME: the lecture's scenario, live in tmux panes
#   make grade      SUBMISSIONS=DIR: a class, one folder a student, sandboxed
#   make deps       install every package any goal needs (as root), build nothing
# Quiet by default; V=1 shows the commands. B=DIR builds into and tests DIR.
# P=NAME: one program (test, compare, try, demo). C=DIR, ASM=DIR: a
# student's C translations or asm variants stand in for the project's.
# Use config.mak to override any of the following variables.

# The programs: the first column of tests/programs, the one list.
PROGRAMS := $(shell awk '!/^#/ && NF { print $$1 }' tests/programs)

B = build
C =
ASM =
FASM = fasm
FASM_VIA = auto
CC = musl-gcc
LD = ld
STRIP = strip
CFLAGS = -Os
CFLAGS_ALL = -std=c11 -Wall -Wextra -Werror -Ifunc $(CFLAGS_SMALL) $(CFLAGS)
LDFLAGS_ALL = -static -s $(LDFLAGS_SMALL) $(LDFLAGS)
JOBS = 2
FUZZ_S = 60

-include config.mak

# --- What was typed, checked at the door ---------------------------------------
# A wrong value stops make before any work, in one line: the value, what is
# wrong with it, and what to do.

# P=NAME names one program, or func; anything else stops make with the list.
ifneq ($(P)$(filter command line,$(origin P)),)
ifneq ($(words $(P))$(filter-out $(PROGRAMS) func,$(P)),1)
$(error $(if $(P),P=$(P) is not one of the lecture's programs,P= is empty); P is one of: $(PROGRAMS), or func)
endif
endif

# FUZZ_S=seconds and SEED=N: whole numbers.
no_digits = $(subst 9,,$(subst 8,,$(subst 7,,$(subst 6,,$(subst 5,,$(subst 4,,$(subst 3,,$(subst 2,,$(subst 1,,$(subst 0,,$(1)))))))))))
check_count = $(if $(filter-out 1,$(words $(2)))$(call no_digits,$(2)),$(error $(1)=$(2) is not a whole number; $(3)))
$(if $(filter-out default file,$(origin FUZZ_S)),$(call check_count,FUZZ_S,$(FUZZ_S),FUZZ_S= is seconds: a fuzz session's length (a graded run's, per program; 0: none)))
$(if $(filter-out undefined file,$(origin SEED)),$(call check_count,SEED,$(SEED),SEED= is the number a fuzz session starts from: SEED=1234))

# C=DIR and ASM=DIR: a folder of a student's files. A ~ the shell left
# unexpanded (C=~/x after a word, or quoted) means the home folder here too,
# for every goal alike.
C_GIVEN := $(filter command line,$(origin C))
ASM_GIVEN := $(filter command line,$(origin ASM))
override C := $(patsubst ~/%,$(HOME)/%,$(C))
override ASM := $(patsubst ~/%,$(HOME)/%,$(ASM))
check_folder = $(if $(2),$(if $(filter-out 1,$(words $(2))),\
	$(error $(1)='$(2)': a path with a space (make cannot build from one); copy the files to a folder without),\
	$(if $(wildcard $(2)),$(if $(wildcard $(2)/.),,\
		$(error $(1)=$(2) is a file; $(1)= names the folder that holds the $(3) files)),\
	$(error $(1)=$(2): no such folder))),\
	$(error $(1)= is empty; $(1)= names the folder that holds the $(3) files))
$(if $(C)$(C_GIVEN),$(call check_folder,C,$(C),NAME.c))
$(if $(ASM)$(ASM_GIVEN),$(call check_folder,ASM,$(ASM),NAME.asm))

# REPORT=FILE (the JUnit report) and PAGE=FILE (make report's page): files
# to write, in a folder that is there and writable.
check_output = $(if $(filter-out 1,$(words $(2))),\
	$(error $(if $(2),$(1)='$(2)': a path with a space; name a file without,$(1)= is empty; $(1)= names the file to write, such as $(3))),\
	$(if $(wildcard $(2)/.),$(error $(1)=$(2) is a folder; $(1)= names the file to write, such as $(2)/$(3)),\
	$(if $(wildcard $(dir $(2)).),$(if $(shell test -w $(dir $(2)) && echo w),,\
		$(error $(1)=$(2): you cannot write in $(dir $(2)); name a file in a folder you can write)),\
	$(error $(1)=$(2): there is no folder $(dir $(2)); make it first, or name a file in a folder that is there))))
$(if $(filter command line,$(origin REPORT)),$(call check_output,REPORT,$(REPORT),report.xml))
$(if $(filter command line,$(origin PAGE)),$(call check_output,PAGE,$(PAGE),report.html))

# SUBMISSIONS=DIR (make grade): a folder of the students' folders.
override SUBMISSIONS := $(patsubst ~/%,$(HOME)/%,$(SUBMISSIONS))
ifneq ($(filter grade,$(MAKECMDGOALS)),)
$(if $(C)$(ASM),$(error make grade takes SUBMISSIONS=DIR, a folder with one folder per student, not C= or ASM=))
$(call check_folder,SUBMISSIONS,$(SUBMISSIONS),students' folders of NAME.c)
# HOSTS=FILE: the machines to grade on, GNU parallel's --sshloginfile
$(if $(filter command line,$(origin HOSTS)),$(if $(wildcard $(HOSTS)),$(if $(wildcard $(HOSTS)/.),\
	$(error HOSTS=$(HOSTS) is a folder; HOSTS= names a file of ssh logins, a line a machine: user@host)),\
	$(error HOSTS=$(HOSTS): no such file; HOSTS= names a file of ssh logins, a line a machine: user@host)))
endif

# C=DIR and ASM=DIR: a student's DIR/NAME.c (or DIR/NAME.asm) stands in for
# c/NAME.c (asm/NAME.asm); what DIR lacks comes from the project, and func/
# is always the project's. Such a build goes to a folder of its own, named
# after the student's files, so build/ is never overwritten (B= still rules).
c_source = $(or $(if $(C),$(wildcard $(C)/$(1).c)),c/$(1).c)
asm_source = $(or $(if $(ASM),$(wildcard $(ASM)/$(1).asm)),asm/$(1).asm)
STUDENT_FILES = $(if $(C),$(wildcard $(PROGRAMS:%=$(C)/%.c))) \
	$(if $(ASM),$(wildcard $(PROGRAMS:%=$(ASM)/%.asm)))
ifneq ($(C)$(ASM),)
ifeq ($(strip $(STUDENT_FILES)),)
$(error $(if $(C),C=$(C))$(if $(ASM), ASM=$(ASM)) holds none of the programs' files; they are named $(PROGRAMS:%=%.$(if $(C),c,asm)))
endif
B := build/graded-$(firstword $(shell (echo $(notdir $(STUDENT_FILES)); cat $(STUDENT_FILES)) | cksum))
endif

ASM_BINS = $(PROGRAMS:%=$(B)/asm/%)
C_BINS = $(PROGRAMS:%=$(B)/c/%)
DRIVERS = $(B)/asm/func_driver $(B)/c/func_driver $(B)/c/with_nofile

# A change of config.mak rebuilds everything.
CONFIG = $(wildcard config.mak)

# Debian's fasm is an i386 program. Where the kernel cannot run one (no IA32
# emulation: exec fails with status 126), it runs under qemu-i386. With
# FASM_VIA=auto this is decided once, when the first object is assembled
# (the packages are in by then); FASM_VIA=native or qemu forces either.
fasm_native = $(FASM)
fasm_qemu = qemu-i386 $(shell command -v $(FASM))
fasm_auto = $(fasm_$(shell $(FASM) >/dev/null 2>&1; [ $$? -eq 126 ] && echo qemu || echo native))
FASM_RUN = $(eval FASM_RUN := $(fasm_$(FASM_VIA)))$(FASM_RUN)

# The C binaries as small as the asm ones, the C untouched: no unwind tables
# or unused sections, and no padding of code and data to pages of their own
# (ld's -z separate-code, which is most of the asm binaries' 9 KiB).
CFLAGS_SMALL = -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables -fno-ident
LDFLAGS_SMALL = -Wl,--gc-sections -Wl,-z,noseparate-code -Wl,-z,norelro -Wl,--build-id=none

# Each command is written once, so that V=1 shows exactly what runs and a
# flag is changed in one place. Each writes a file of its own (NAME.PID),
# then renames it: a second make at once, in the same build, never reads a
# half-written object, nor a failed one a whole.
tmp = $(1).$$$$
install = mv -f $(call tmp,$(1)) $(1)
FASM_CMD = INCLUDE=func $(FASM_RUN) $< $(call tmp,$(basename $@).o) -s $(call tmp,$(basename $@).fas) >/dev/null \
	&& $(call install,$(basename $@).fas) && $(call install,$(basename $@).o) \
	|| { rm -f $(call tmp,$(basename $@).o) $(call tmp,$(basename $@).fas); exit 1; }
CC_CMD = $(CC) $(CFLAGS_ALL) -g -c -o $(call tmp,$@) $< && $(call install,$@)

# A hand-in's source (C= or ASM=) is compiled in the sandbox (tests/lib/sandbox),
# which shows it its own folder, func/ and /usr, read only, and in place of
# the object's folder a fresh one of its own, whose files are then moved in:
# an #include or .incbin of any other file finds nothing.
is_hand_in = $(filter $(addsuffix /%,$(abspath $(C) $(ASM))),$(abspath $<))
box = $(abspath $(call tmp,$@)).box
in_box = (mkdir -m 1777 $(box) && SANDBOX_AS=unlimited tests/lib/sandbox --ro $(abspath $(<D)) --ro $(CURDIR)/func \
	--rw-at $(box) $(abspath $(@D)) -- sh -c '$(1)'; s=$$?; \
	for f in $(box)/*; do [ ! -e "$$f" ] || mv -f "$$f" $(@D)/; done; rm -rf $(box); exit $$s)
boxed = $(if $(is_hand_in),$(call in_box,$(1)),$(1))

ifneq ($(V),1)
Q = @
quiet = @printf '  %-6s %s\n' $(1) $(2);
endif

# B=DIR: a folder this project made (it holds the mark $(B)/.deps-build,
# which every goal writes first), or a new or empty one. make never builds
# into, nor make clean removes, a folder that is someone else's.
B_MARK = $(B)/.deps-build
ifneq ($(words $(B)),1)
$(error $(if $(B),B='$(B)': a path with a space (make cannot build in one),B= is empty); name a build folder without spaces, or leave B out for build/)
endif
ifneq ($(wildcard $(B)),)
ifeq ($(wildcard $(B)/.),)
$(error B=$(B) is a file; B= names a folder to build in)
endif
ifeq ($(wildcard $(B_MARK)),)
ifneq ($(wildcard $(B)/* $(B)/.[!.]*),)
$(error B=$(B) is a folder this project did not make (it has no .deps-build); name a new or empty folder to build in)
endif
endif
endif
# A build folder left by 'sudo make' cannot be written by its owner's make:
# say so once, rather than fail in fasm with "error: write failed".
ifneq ($(shell find $(B) ! -writable -print -quit 2>/dev/null),)
ifneq ($(wildcard $(B_MARK)),)
$(error $(B)/ holds files you cannot write (left by 'sudo make'?). Give it back to yourself, as root: chown -R $(shell id -un): $(B)   (or remove this build: rm -rf $(B)); then run make as yourself: only 'make deps' needs root)
else
$(error B=$(B): you cannot write in it; name a folder you can write)
endif
endif

all: $(ASM_BINS) $(C_BINS)

# The packages the goals on the command line need, checked once a build
# tree: tests/tools/deps installs them (as root) or prints the one command to.
DEPS_GOAL = $(if $(filter test,$(MAKECMDGOALS)),suite,$(if $(filter bench,$(MAKECMDGOALS)),bench,$(if $(filter fuzz fuzz-check,$(MAKECMDGOALS)),fuzz,$(if $(filter demo,$(MAKECMDGOALS)),demo,$(if $(filter compare report try grade,$(MAKECMDGOALS)),test,build)))))
DEPS_STAMP = $(B)/.deps-$(DEPS_GOAL)

# A goal's packages include those of the goals below it: its stamp makes
# theirs too, so that a plain make after make test has nothing to do.
DEPS_BELOW_test = build
DEPS_BELOW_bench = build test
DEPS_BELOW_demo = build test
DEPS_BELOW_fuzz = build test
DEPS_BELOW_suite = build test bench fuzz demo
$(B)/.deps-%: tests/tools/deps | $(B)
	$(Q)tests/tools/deps $*
	$(Q)touch $@ $(DEPS_BELOW_$*:%=$(B)/.deps-%)

# Each object's source is chosen when make needs it (C= or ASM=).
.SECONDEXPANSION:

# fasm writes each object's symbolic information beside it (-s NAME.fas):
# which source line each address came from, for tests/tools/syscall_sites.
$(B)/asm/%.o $(B)/asm/%.fas: $$(call asm_source,$$*) func/func.asm $(CONFIG) | $(DEPS_STAMP) $(B)/asm
	$(call quiet,FASM,$@)$(call boxed,$(FASM_CMD))

$(B)/asm/func_driver.o: tests/drivers/func_driver.asm func/func.asm $(CONFIG) | $(DEPS_STAMP) $(B)/asm
	$(call quiet,FASM,$@)$(FASM_CMD)

# func.asm's helpers sit in fasm's default section, writable and executable:
# that is the lecture's layout, so ld's RWX warning is expected and silenced.
$(B)/asm/%: $(B)/asm/%.o
	$(call quiet,LD,$@)$(LD) --no-warn-rwx-segments -o $(call tmp,$@) $< && $(call install,$@)

# Each C source is compiled once, with -g (which changes no code), into
# $(B)/c-g/NAME.o. Linked with -s, it is the binary that runs, $(B)/c/NAME;
# linked without, the twin with debug information, $(B)/c-g/NAME, for
# addr2line in tests/tools/syscall_sites: one object, so an address in one
# is the same line in the other (syscall_sites checks their loaded bytes).
# A source that no longer builds takes its old binaries with it: the tests
# must never run a binary of an earlier build in its place.
$(B)/c-g/%.o: $$(call c_source,$$*) func/func.h $(CONFIG) | $(DEPS_STAMP) $(B)/c-g $(B)/c
	$(call quiet,CC,$@)$(call boxed,$(CC_CMD)) || { rm -f $(B)/c/$* $(B)/c-g/$*; exit 1; }

$(B)/c-g/func.o: func/func.c func/func.h $(CONFIG) | $(DEPS_STAMP) $(B)/c-g
	$(call quiet,CC,$@)$(CC_CMD)

$(B)/c-g/func_driver.o: tests/drivers/func_driver.c func/func.h $(CONFIG) | $(DEPS_STAMP) $(B)/c-g
	$(call quiet,CC,$@)$(CC_CMD)

# The test drivers written in plain C (libc and all), one file each.
$(B)/c/load_client $(B)/c/with_nofile: $(B)/c/%: tests/drivers/%.c $(CONFIG) | $(DEPS_STAMP) $(B)/c
	$(call quiet,CCLD,$@)$(CC) $(CFLAGS_ALL) $(LDFLAGS_ALL) -o $(call tmp,$@) $< && $(call install,$@)

# strip -R .comment: the compiler's version strings, which libc's objects
# and the C start-up files bring even with -fno-ident.
$(B)/c/%: $(B)/c-g/%.o $(B)/c-g/func.o | $(B)/c
	$(call quiet,CCLD,$@)$(CC) $(LDFLAGS_ALL) -o $(call tmp,$@) $^ && $(STRIP) -R .comment $(call tmp,$@) \
		&& $(call install,$@)

LDFLAGS_G = $(filter-out -s -Wl$(comma)-s -Wl$(comma)--strip-all,$(LDFLAGS_ALL))
comma = ,

$(B)/c-g/%: $(B)/c-g/%.o $(B)/c-g/func.o
	$(call quiet,CCLD,$@)$(CC) $(LDFLAGS_G) -o $(call tmp,$@) $^ && $(call install,$@)

SITES = $(PROGRAMS:%=$(B)/asm/%.fas) $(PROGRAMS:%=$(B)/c-g/%)

$(B) $(B)/asm $(B)/c $(B)/c-g:
	$(Q)mkdir -p $@

.PRECIOUS: $(B)/asm/%.o $(B)/asm/%.fas $(B)/c-g/%.o
.SECONDARY: $(PROGRAMS:%=$(B)/asm/%.o) $(PROGRAMS:%=$(B)/asm/%.fas)

drivers: $(DRIVERS)

# The tests a goal runs: with P=, P's suite, and func's where P uses
# func.asm unless graded (func/ is always the project's: no hand-in changes
# what its tests see); with C= or ASM=, every program's suite; with neither,
# all of them. Each program's scenarios (tests/scenarios/NAME/) come with its
# suite.
uses_func = $(if $(filter-out func,$(1)),$(shell grep -l "^include 'func.asm'" $(call asm_source,$(1))))
TEST_PROGRAMS = $(if $(P),$(filter-out func,$(P)),$(if $(C)$(ASM),$(PROGRAMS)))
TEST_FILES = $(if $(P),$(wildcard tests/suite/$(P).bats) $(if $(C)$(ASM),,$(if $(call uses_func,$(P)),tests/suite/func.bats)),\
	$(if $(C)$(ASM),$(wildcard $(PROGRAMS:%=tests/suite/%.bats))))
# A graded run's fuzz session: GRADE_FUZZ_S seconds a program (FUZZ_S= on
# make's command line sets it; 0: none), from SEED= or a seed the run picks.
GRADE_FUZZ_S = $(if $(filter command line,$(origin FUZZ_S)),$(FUZZ_S),10)
# Whatever a hand-in builds runs in the sandbox (tests/lib/sandbox), in
# every goal that runs programs.
SANDBOX_ENV = $(if $(C)$(ASM),SANDBOX=1)
STUDENT_ENV = $(SANDBOX_ENV) $(if $(C)$(ASM),GRADE_FUZZ_S=$(GRADE_FUZZ_S) $(if $(SEED),SEED=$(SEED))) \
	STUDENT_C=$(if $(C),$(abspath $(C))) STUDENT_ASM=$(if $(ASM),$(abspath $(ASM)))

test: $(if $(C)$(ASM),graded,all drivers $(SITES)) | $(DEPS_STAMP)
	$(Q)$(if $(C)$(ASM),$(GRADED_RUNS)) BUILD=$(abspath $(B)) $(STUDENT_ENV) tests/tools/run --jobs $(JOBS) $(if $(TEST_PROGRAMS),--programs '$(TEST_PROGRAMS)') $(TEST_FILES) \
		$(if $(C)$(ASM),; status=$$?; $(GRADED_PAGE); exit $$status)

# A graded run's runs, kept until its page is drawn, which draws them
# rather than running each program's lecture scenario again; make grade's
# (RESULTS, a class's) where it has them. Ctrl-C ends the shell once the
# suite has stopped, and the runs go with it.
GRADED_RUNS = [ -n "$${RESULTS:-}" ] || { runs=$(abspath $(B))/runs.$$$$; mkdir -p "$$runs" && export RESULTS="$$runs"; \
	trap 'rm -rf "$$runs"' EXIT; trap 'exit 130' INT TERM HUP; };

# A graded run's page (make report's), beside its JUnit report: the
# student's sources, the first difference of each failing program on top.
GRADED_PAGE = junit=$${REPORT:-$(abspath $(B))/report.xml}; page=$${junit%.xml}.html; rm -f "$$page"; \
	BUILD=$(abspath $(B)) $(STUDENT_ENV) PAGE=$$page tests/tools/report $(TEST_PROGRAMS) >$$page.log 2>&1; \
	[ -e "$$page" ] && echo "page: $$page" || echo "page: not written: $$page.log says why"

# A student's file that does not build fails its own program's tests (the
# compiler's message comes first), not the whole run. $(SITES) are for the
# graded page (GRADED_PAGE); -s, unless V=1: make says nothing of the
# files it found up to date.
graded: | $(DEPS_STAMP)
	-$(Q)$(MAKE) -k --no-print-directory $(if $(Q),-s) all drivers $(SITES)

# The files make compare reads to name the line that made each syscall.
sites: $(SITES)

compare: all $(SITES) | $(DEPS_STAMP)
	$(Q)BUILD=$(abspath $(B)) $(STUDENT_ENV) tests/tools/compare $(P)

# The comparison as one HTML page, $(B)/report.html (or PAGE=FILE): every
# program's, or P's.
report: all $(SITES) | $(DEPS_STAMP)
	$(Q)BUILD=$(abspath $(B)) $(STUDENT_ENV) $(if $(PAGE),PAGE=$(abspath $(PAGE))) tests/tools/report $(filter-out func,$(P))

# Both builds of P driven side by side: typed lines, or SEND=, SEND2=, STEPS=.
try: all | $(DEPS_STAMP)
	$(Q)BUILD=$(abspath $(B)) $(SANDBOX_ENV) $(if $(STEPS),STEPS=$(abspath $(STEPS))) tests/tools/try $(P)

# P's lecture scenario, live in tmux panes, on the asm build (BUILD=c: the C).
DEMO_BUILD = $(if $(filter command line,$(origin BUILD)),$(BUILD),asm)
demo: all | $(DEPS_STAMP)
	$(Q)BUILD=$(abspath $(B)) $(SANDBOX_ENV) tests/tools/demo $(P) $(DEMO_BUILD)

# A class: each folder in SUBMISSIONS graded as make test C=FOLDER grades it,
# JOBS at a time (all cores), kept in $(B)/grade by checksum.
grade: all drivers $(SITES) | $(DEPS_STAMP)
	$(Q)BUILD=$(abspath $(B)) JOBS=$(if $(filter command line,$(origin JOBS)),$(JOBS),$(shell nproc)) \
		FUZZ_S=$(GRADE_FUZZ_S) $(if $(SEED),SEED=$(SEED)) $(if $(P),P=$(P)) $(if $(HOSTS),HOSTS=$(abspath $(HOSTS))) \
		tests/tools/grade $(abspath $(SUBMISSIONS))

bench: all $(B)/c/load_client | $(DEPS_STAMP)
	$(Q)BUILD=$(abspath $(B)) $(SANDBOX_ENV) tests/tools/bench

fuzz: all drivers | $(DEPS_STAMP)
	$(Q)BUILD=$(abspath $(B)) $(SANDBOX_ENV) tests/tools/fuzz --seconds $(FUZZ_S) $(if $(SEED),--seed $(SEED)) $(P)

fuzz-check: all drivers | $(DEPS_STAMP)
	$(Q)BUILD=$(abspath $(B)) tests/tools/fuzz-check $(P)

deps:
	$(Q)tests/tools/deps all

# Only a folder this project made (see B_MARK).
clean:
	$(if $(wildcard $(B_MARK)),rm -rf $(B),@echo "nothing to clean: $(B) holds no build of this project")

.PHONY: all drivers sites test graded compare report try demo grade bench fuzz fuzz-check deps clean
