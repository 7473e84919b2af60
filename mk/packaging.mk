# SPDX-License-Identifier: GPL-2.0
#
# Packaging targets of taskmonitor, included by the top-level Makefile:
#   make dist            build/packages/taskmonitor-<version>.tar.gz
#   make deb             build/packages/taskmonitor-dkms_<version>_all.deb and
#                        taskmonitor-tools_<version>_<arch>.deb
#   make rpm             build/packages/taskmonitor-dkms-<version>-1.noarch.rpm
#                        and taskmonitor-tools-<version>-1.<arch>.rpm
#   make lint-packages   lintian and rpmlint on them
#   make check-packages  all of the above, then install, upgrade, load and
#                        remove them in a Debian 12 chroot and QEMU guests
#
# The top-level VERSION file is the single version source: it names the
# tarball and fills in dkms.conf's PACKAGE_VERSION (placeholder
# #MODULE_VERSION#); src/Kbuild reads it for MODULE_VERSION; make dist
# refuses to run if the spec's Version disagrees, debian/rules if
# debian/changelog does.
#
# The tarball holds this file, the top-level Makefile and debian/: in
# the extracted tarball of a release, with no git, make dist, deb and rpm
# work as in the checkout, and so does rpmbuild -ba taskmonitor.spec.

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
DEB_ARCH := $(shell dpkg --print-architecture 2>/dev/null)
TOOLS_DEB_FILE := $(PKG_OUT)/taskmonitor-tools_$(TM_VERSION)_$(DEB_ARCH).deb
RPM_FILE := $(PKG_OUT)/taskmonitor-dkms-$(TM_VERSION)-1.noarch.rpm
RPM_ARCH := $(shell rpm --eval '%{_arch}' 2>/dev/null)
TOOLS_RPM_FILE := $(PKG_OUT)/taskmonitor-tools-$(TM_VERSION)-1.$(RPM_ARCH).rpm

# What the tarball holds: what DKMS needs to build the module (dkms.conf,
# VERSION, the Kbuild sources), what the packages install besides, the
# spec that rpmbuild -ta reads, and what `make dist deb rpm` need to run
# again in the extracted tarball (this file, the top-level Makefile that
# includes it, debian/), so that a user of a release can rebuild its
# packages with no git.  The module's sources are found by name, as
# debian/rules does, never with git: src/Kbuild and every C file and
# header under src/ and src/probes/ but the ones Kbuild generates;
# src/kunit/, the KUnit tests, are not shipped, DKMS never builds them
# (see src/Kbuild).  tests/packages/lists.sh checks the result against
# the files git tracks.
# taskmonitorctl (taskmonitor-tools): what builds and installs it; its
# tests stay in the checkout.
CTL_DIST_FILES := ctl/Makefile ctl/taskmonitorctl.1 \
	ctl/taskmonitorctl.bash-completion \
	$(sort $(patsubst $(TM_TOP)/%,%,$(wildcard $(TM_TOP)/ctl/systemd/*))) \
	$(sort $(patsubst $(TM_TOP)/%,%,$(wildcard $(TM_TOP)/ctl/*.[ch])))
DIST_FILES := VERSION LICENSE README.md docs/interface.md dkms.conf \
	taskmonitor.spec modprobe.d/taskmonitor.conf \
	udev/60-taskmonitor.rules sysusers.d/taskmonitor.conf \
	Makefile mk/packaging.mk $(CTL_DIST_FILES)
DIST_SOURCES = src/Kbuild $(sort $(filter-out %.mod.c src/tm_probes.h, \
	$(wildcard src/*.c src/*.h src/probes/*.c)))
DIST_DEBIAN = $(sort $(filter-out debian/source,$(wildcard debian/*)) \
	$(wildcard debian/source/*))
# dkms.conf's PACKAGE_VERSION is filled in here (dh_dkms -V does it for
# the .deb); the spec carries its real Version, which must be VERSION's.
DIST_SUBST := dkms.conf

# The date of the last commit, for reproducible archives; in a tree with
# no git (an extracted release), the newest file of the tarball, so that
# make dist there remakes the release's tarball byte for byte.
SOURCE_DATE_EPOCH ?= $(shell cd $(TM_TOP) && \
	if [ -e .git ]; then git log -1 --format=%ct; \
	else find $(DIST_FILES) $(DIST_SOURCES) $(DIST_DEBIAN) -printf '%Ts\n' | sort -n | tail -n 1; fi)
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
# Refuses a spec whose Version is not VERSION's, as debian/rules refuses
# a changelog that disagrees.
dist:
	@set -e; cd $(TM_TOP); \
	grep -qE '^Version:[[:space:]]+$(subst .,\.,$(TM_VERSION))$$' taskmonitor.spec || \
		{ echo "dist: VERSION says $(TM_VERSION) but taskmonitor.spec says" \
			"$$(sed -n 's/^Version:[[:space:]]*//p' taskmonitor.spec):" \
			"set its Version and add a %changelog entry" >&2; exit 1; }; \
	tmp=$(PKG_OUT)/dist.tmp; rm -rf $$tmp; \
	mkdir -p $$tmp/$(DIST_NAME); \
	for f in $(DIST_FILES) $(DIST_SOURCES) $(DIST_DEBIAN); do \
		test -f "$$f" || { echo "dist: $$f is missing" >&2; exit 1; }; \
		mode=0644; test ! -x "$$f" || mode=0755; \
		install -D -m $$mode "$$f" "$$tmp/$(DIST_NAME)/$$f"; \
	done; \
	for f in $(DIST_SUBST); do \
		sed -i 's/#MODULE_VERSION#/$(TM_VERSION)/g' "$$tmp/$(DIST_NAME)/$$f"; \
	done; \
	tar -C $$tmp --sort=name --owner=0 --group=0 --numeric-owner \
		--mtime=@$(SOURCE_DATE_EPOCH) -cf - $(DIST_NAME) | \
		gzip -9n > $(DIST_TARBALL).tmp; \
	mv $(DIST_TARBALL).tmp $(DIST_TARBALL); rm -rf $$tmp; \
	echo "dist: $(DIST_TARBALL)"

# The .deb is built from the tarball's content, debian/ included, so
# that the native source package is exactly that too.
deb: dist
	@set -e; d=$(PKG_OUT)/deb; rm -rf $$d; mkdir -p $$d; \
	tar -C $$d -xzf $(DIST_TARBALL); \
	cd $$d/$(DIST_NAME) && \
		dpkg-buildpackage --build=full -us -uc >../build.log 2>&1 || \
		{ tail -n 40 ../build.log >&2; exit 1; }; \
	cp $$d/taskmonitor-dkms_$(TM_VERSION)_all.deb $(DEB_FILE); \
	cp $$d/taskmonitor-tools_$(TM_VERSION)_$(DEB_ARCH).deb $(TOOLS_DEB_FILE); \
	echo "deb: $(DEB_FILE) $(TOOLS_DEB_FILE)"

# --nodeps: the BuildRequires (gcc, make, for taskmonitorctl) are Debian
# packages here, which the rpm database of a Debian host does not know.
# Packager is a header that the build host sets, not the spec; documents
# go to /usr/share/doc/taskmonitor-dkms/ as on Fedora and openSUSE (the
# default of Debian's rpm adds the version).
TM_PACKAGER := $(shell sed -n 's/^Maintainer: //p' $(TM_TOP)/debian/control)

rpm: dist
	@set -e; d=$(PKG_OUT)/rpm; rm -rf $$d; mkdir -p $$d; \
	rpmbuild -ta --nodeps --define "_topdir $$d" --define "packager $(TM_PACKAGER)" \
		--define '_docdir_fmt %%{NAME}' \
		$(DIST_TARBALL) \
		>$$d/build.log 2>&1 || { tail -n 40 $$d/build.log >&2; exit 1; }; \
	cp $$d/RPMS/noarch/taskmonitor-dkms-$(TM_VERSION)-1.noarch.rpm $(RPM_FILE); \
	cp $$d/RPMS/$(RPM_ARCH)/taskmonitor-tools-$(TM_VERSION)-1.$(RPM_ARCH).rpm $(TOOLS_RPM_FILE); \
	echo "rpm: $(RPM_FILE) $(TOOLS_RPM_FILE)"

# No error and no warning from lintian (an override, if ever needed, says
# why in a comment); rpmlint's remaining complaints are each explained in
# tests/packages/rpmlintrc.
LINTIAN_CMD = lintian --fail-on error,warning --info --display-info \
	$(PKG_OUT)/deb/taskmonitor_$(TM_VERSION)_*.changes
RPMLINT_CMD = rpmlint -r $(TM_TOP)/tests/packages/rpmlintrc $(RPM_FILE) \
	$(TOOLS_RPM_FILE) $(PKG_OUT)/rpm/SRPMS/taskmonitor-$(TM_VERSION)-1.src.rpm

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
	@echo "  make deb       build/packages/taskmonitor-dkms_<version>_all.deb, taskmonitor-tools_*.deb"
	@echo "  make rpm       build/packages/taskmonitor-dkms-<version>-1.noarch.rpm, taskmonitor-tools-*.rpm"
	@echo "  make lint-packages  lintian and rpmlint on them"
	@echo "  make check-packages  build, lint, then install into a Debian 12 chroot"
	@echo "                 (cached in $(TM_PKG_CACHE)), upgrade the kernel, boot the"
	@echo "                 DKMS-built modules in QEMU, purge; the same for the .rpm"
