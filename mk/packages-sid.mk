# SPDX-License-Identifier: GPL-2.0
#
# The package test in Debian sid (issue 18), included by the top-level
# Makefile beside mk/packaging.mk:
#   make check-packages-sid  install the .deb with sid's apt and dkms into
#                            an overlay of the harness's sid chroot, which
#                            has the headers of the sid kernel that
#                            tests/kernels names; boot the module DKMS
#                            built on that kernel in QEMU; purge it
# It is also a stage of `make check`.  See tests/packages/sid.sh.

.PHONY: check-packages-sid check-stage-packages-sid

check-packages-sid: deps-ensure
	@tests/packages/sid.sh

CHECK_STAGES += check-stage-packages-sid
check-stage-packages-sid: check-start
	@echo "== packages in Debian sid: install the .deb, DKMS build, boot on sid's kernel"
	@tests/packages/sid.sh --results $(RESULTS)/packages-sid.txt || [ $$? = 1 ]

help::
	@echo "Package test in Debian sid (mk/packages-sid.mk):"
	@echo "  make check-packages-sid  the .deb in a sid chroot: sid's dkms builds it for sid's"
	@echo "                     kernel, which boots it in QEMU (part of check)"
