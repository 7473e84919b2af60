# SPDX-License-Identifier: GPL-2.0
# Top-level Makefile of taskmonitor.  `make help` lists the targets.

KDIR ?= /lib/modules/$(shell uname -r)/build

.PHONY: all module clean help

all: module

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR)/src modules

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR)/src clean

help:
	@echo "make          build src/taskmonitor.ko for the running kernel (KDIR= to choose another)"
	@echo "make clean    remove build products"
