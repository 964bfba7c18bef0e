# The lecture's ten FASM programs and their C twins.
#   make            build build/asm/NAME and build/c/NAME for all ten
#   make compare    the main job: build, run each lecture scenario, compare
#   make test       the conformance suite (bats)
#   make bench      C/asm ratios: start-up, accept and receive rates, size
# Quiet by default; V=1 shows the commands. FASM_VIA=qemu forces fasm under
# qemu-i386 (tools/fasm picks native or qemu by itself otherwise).
# Use config.mak to override any of the following variables.

PROGRAMS = \
	open_sock_1 \
	open_sock_2 \
	bind_sock \
	listen_accept_1 \
	client_connect \
	server \
	server_2 \
	server_3 \
	client_2 \
	server_4

B = build
CC = musl-gcc
CFLAGS = -Os
CFLAGS_ALL = -std=c11 -Wall -Wextra -Werror -Ifunc $(CFLAGS)
LDFLAGS_ALL = -static -s $(LDFLAGS)
FASM_VIA = auto
JOBS = 2

-include config.mak

ASM_BINS = $(PROGRAMS:%=$(B)/asm/%)
C_BINS = $(PROGRAMS:%=$(B)/c/%)
DRIVERS = $(B)/asm/func_driver $(B)/c/func_driver

# Each command is named once, as musl's Makefile does.
FASM_CMD = INCLUDE=func FASM_VIA=$(FASM_VIA) tools/fasm $< $@ >/dev/null
CC_CMD = $(CC) $(CFLAGS_ALL) -c -o $@ $<

ifneq ($(V),1)
Q = @
quiet = @printf '  %-6s %s\n' $(1) $(2);
endif

all: $(ASM_BINS) $(C_BINS)

# Installing is once per build tree: the stamp depends on the list.
$(B)/.deps-%: tools/deps | $(B)
	$(Q)tools/deps $*
	$(Q)touch $@

$(B)/asm/%.o: asm/%.asm func/func.asm tools/fasm $(B)/.deps-build | $(B)/asm
	$(call quiet,FASM,$@)$(FASM_CMD)

$(B)/asm/func_driver.o: tests/drivers/func_driver.asm func/func.asm tools/fasm $(B)/.deps-build | $(B)/asm
	$(call quiet,FASM,$@)$(FASM_CMD)

# func.asm's helpers sit in fasm's default section, writable and executable:
# that is the lecture's layout, so ld's RWX warning is expected and silenced.
$(B)/asm/%: $(B)/asm/%.o
	$(call quiet,LD,$@)ld --no-warn-rwx-segments -o $@ $<

$(B)/c/%.o: c/%.c func/func.h $(B)/.deps-build | $(B)/c
	$(call quiet,CC,$@)$(CC_CMD)

$(B)/c/func.o: func/func.c func/func.h $(B)/.deps-build | $(B)/c
	$(call quiet,CC,$@)$(CC_CMD)

$(B)/c/func_driver.o: tests/drivers/func_driver.c func/func.h $(B)/.deps-build | $(B)/c
	$(call quiet,CC,$@)$(CC_CMD)

$(B)/c/load_client: tools/load_client.c $(B)/.deps-build | $(B)/c
	$(call quiet,CCLD,$@)$(CC) $(CFLAGS_ALL) $(LDFLAGS_ALL) -o $@ $<

$(B)/c/%: $(B)/c/%.o $(B)/c/func.o
	$(call quiet,CCLD,$@)$(CC) $(LDFLAGS_ALL) -o $@ $^

$(B) $(B)/asm $(B)/c:
	$(Q)mkdir -p $@

.PRECIOUS: $(B)/asm/%.o $(B)/c/%.o

drivers: $(DRIVERS)

test: all drivers $(B)/.deps-test
	$(Q)tests/run --jobs $(JOBS)

compare: all $(B)/.deps-test
	$(Q)B=$(B) tools/compare $(P)

bench: all $(B)/c/load_client $(B)/.deps-bench
	$(Q)tools/bench

clean:
	rm -rf $(B)

.PHONY: all drivers test compare bench clean
