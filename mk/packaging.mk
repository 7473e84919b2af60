# SPDX-License-Identifier: GPL-2.0
#
# Packaging targets of taskmonitor, included by the top-level Makefile:
#   make dist            build/packages/taskmonitor-<version>.tar.gz
#   make deb             build/packages/taskmonitor-dkms_<version>_all.deb
#   make rpm             build/packages/taskmonitor-dkms-<version>-1.noarch.rpm
#   make lint-packages   lintian and rpmlint on them
#   make check-packages  all of the above, then install, upgrade, load and
#                        remove them in a Debian 12 chroot and QEMU guests
#
# The top-level VERSION file is the single version source: it names the
# tarball and fills in dkms.conf's PACKAGE_VERSION and the spec's Version
# (placeholder #MODULE_VERSION#); src/Kbuild reads it for MODULE_VERSION,
# and debian/rules refuses to build if debian/changelog disagrees.

TM_TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))..)

# Debian packages the packaging targets need, for `make deps`.
PACKAGING_DEPS := debootstrap dkms dh-dkms debhelper lintian rpm rpmlint \
	fakeroot dpkg-dev git gzip tar xz-utils

TM_VERSION := $(shell cat $(TM_TOP)/VERSION)
PKG_OUT := $(TM_TOP)/build/packages
# The Debian 12 system the package test installs into (outside the tree).
TM_PKG_CACHE ?= $(or $(TM_CACHE),/var/cache/taskmonitor)
export TM_PKG_CACHE
DIST_NAME := taskmonitor-$(TM_VERSION)
DIST_TARBALL := $(PKG_OUT)/$(DIST_NAME).tar.gz
DEB_FILE := $(PKG_OUT)/taskmonitor-dkms_$(TM_VERSION)_all.deb
RPM_FILE := $(PKG_OUT)/taskmonitor-dkms-$(TM_VERSION)-1.noarch.rpm

# What the tarball holds: what DKMS needs to build the module (dkms.conf,
# VERSION, the Kbuild sources), what the packages install besides, and
# the spec that rpmbuild -ta reads.  The module's sources are the files
# git tracks under src/ plus the new ones it does not ignore yet, so that
# build products never get in and a file not yet committed does; but not
# src/kunit/, the KUnit tests, which DKMS never builds (see src/Kbuild).
DIST_FILES := VERSION LICENSE README.md docs/interface.md dkms.conf \
	taskmonitor.spec modprobe.d/taskmonitor.conf \
	udev/60-taskmonitor.rules sysusers.d/taskmonitor.conf
DIST_SUBST := dkms.conf taskmonitor.spec

# The date of the last commit, for reproducible archives.
SOURCE_DATE_EPOCH ?= $(shell git -C $(TM_TOP) log -1 --format=%ct 2>/dev/null || date +%s)
export SOURCE_DATE_EPOCH

.PHONY: dist deb rpm lintian rpmlint lint-packages check-packages \
	check-stage-packages packaging-deps clean-packages

# Installs what is missing of PACKAGING_DEPS (root only).
packaging-deps:
	@missing=$$(for p in $(PACKAGING_DEPS); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | \
			grep -q '^install ok installed$$' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing:" $$missing; \
		apt-get update -q && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; \
	fi

# Always rebuilt (it takes a moment), so that it never lags the tree.
dist:
	@set -e; cd $(TM_TOP); \
	tmp=$(PKG_OUT)/dist.tmp; rm -rf $$tmp; \
	mkdir -p $$tmp/$(DIST_NAME); \
	srcs=$$(git ls-files --cached --others --exclude-standard -- \
		src ':(exclude)src/kunit'); \
	test -n "$$srcs" || { echo "dist: no source under src/" >&2; exit 1; }; \
	for f in $(DIST_FILES) $$srcs; do \
		test -f "$$f" || { echo "dist: $$f is missing" >&2; exit 1; }; \
		install -D -m 0644 "$$f" "$$tmp/$(DIST_NAME)/$$f"; \
	done; \
	for f in $(DIST_SUBST); do \
		sed -i 's/#MODULE_VERSION#/$(TM_VERSION)/g' "$$tmp/$(DIST_NAME)/$$f"; \
	done; \
	tar -C $$tmp --sort=name --owner=0 --group=0 --numeric-owner \
		--mtime=@$(SOURCE_DATE_EPOCH) -cf - $(DIST_NAME) | \
		gzip -9n > $(DIST_TARBALL).tmp; \
	mv $(DIST_TARBALL).tmp $(DIST_TARBALL); rm -rf $$tmp; \
	echo "dist: $(DIST_TARBALL)"

# The .deb is built from the tarball's content plus debian/, so that the
# native source package is exactly that too.
deb: dist
	@set -e; d=$(PKG_OUT)/deb; rm -rf $$d; mkdir -p $$d; \
	tar -C $$d -xzf $(DIST_TARBALL); \
	cp -r $(TM_TOP)/debian $$d/$(DIST_NAME)/; \
	cd $$d/$(DIST_NAME) && \
		dpkg-buildpackage --build=source,all -us -uc >../build.log 2>&1 || \
		{ tail -n 40 ../build.log >&2; exit 1; }; \
	cp $$d/taskmonitor-dkms_$(TM_VERSION)_all.deb $(DEB_FILE); \
	echo "deb: $(DEB_FILE)"

# Packager is a header that the build host sets, not the spec; documents
# go to /usr/share/doc/taskmonitor-dkms/ as on Fedora and openSUSE (the
# default of Debian's rpm adds the version).
TM_PACKAGER := $(shell sed -n 's/^Maintainer: //p' $(TM_TOP)/debian/control)

rpm: dist
	@set -e; d=$(PKG_OUT)/rpm; rm -rf $$d; mkdir -p $$d; \
	rpmbuild -ta --define "_topdir $$d" --define "packager $(TM_PACKAGER)" \
		--define '_docdir_fmt %%{NAME}' \
		$(DIST_TARBALL) \
		>$$d/build.log 2>&1 || { tail -n 40 $$d/build.log >&2; exit 1; }; \
	cp $$d/RPMS/noarch/taskmonitor-dkms-$(TM_VERSION)-1.noarch.rpm $(RPM_FILE); \
	echo "rpm: $(RPM_FILE)"

# No error and no warning from lintian (an override, if ever needed, says
# why in a comment); rpmlint's remaining complaints are each explained in
# tests/packages/rpmlintrc.
LINTIAN_CMD = lintian --fail-on error,warning --info --display-info \
	$(PKG_OUT)/deb/taskmonitor_$(TM_VERSION)_*.changes
RPMLINT_CMD = rpmlint -r $(TM_TOP)/tests/packages/rpmlintrc $(RPM_FILE) \
	$(PKG_OUT)/rpm/SRPMS/taskmonitor-dkms-$(TM_VERSION)-1.src.rpm

# The lint targets lint what deb and rpm last built.
lintian:
	$(LINTIAN_CMD)

rpmlint:
	$(RPMLINT_CMD)

lint-packages: deb rpm
	$(LINTIAN_CMD)
	$(RPMLINT_CMD)

# tests/packages/run.sh builds the tarball and packages (make dist deb
# rpm), lints them and tests them; see the top of that script.
check-packages: packaging-deps
	$(TM_TOP)/tests/packages/run.sh

# The same as a stage of `make check`: results in $(RESULTS)/packages.txt,
# a failed test does not stop the other stages.
CHECK_STAGES += check-stage-packages
check-stage-packages: check-start
	@echo "== packages: build, lint, install in Debian 12, boot the DKMS builds"
	@$(TM_TOP)/tests/packages/run.sh --results $(RESULTS)/packages.txt || [ $$? = 1 ]

clean-packages:
	rm -rf $(PKG_OUT)

help::
	@echo "Packaging (mk/packaging.mk):"
	@echo "  make dist      build/packages/taskmonitor-<version>.tar.gz, what DKMS and rpmbuild need"
	@echo "  make deb       build/packages/taskmonitor-dkms_<version>_all.deb"
	@echo "  make rpm       build/packages/taskmonitor-dkms-<version>-1.noarch.rpm"
	@echo "  make lint-packages  lintian and rpmlint on them"
	@echo "  make check-packages  build, lint, then install into a Debian 12 chroot"
	@echo "                 (cached in $(TM_PKG_CACHE)), upgrade the kernel, boot the"
	@echo "                 DKMS-built modules in QEMU, purge; the same for the .rpm"
