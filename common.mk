# Rules every Makefile.am shares: include $(top_srcdir)/common.mk
#
# lib/ headers are included by layer ("utils/messages.h"), so one -I
# serves the whole tree.
AUTOMAKE_OPTIONS = nostdinc
AM_CPPFLAGS = -I$(top_srcdir)/lib -I$(top_builddir)
AM_CFLAGS = $(WARN_CFLAGS) $(SANITIZER_CFLAGS)
AM_LDFLAGS = $(SANITIZER_CFLAGS)

# The libraries of lib/, one per layer.  Link a layer's library before
# the layers it uses (appliance, libvirt, options, diskio, ondisk, utils).
GK_UTILS_LIB = $(top_builddir)/lib/utils/libgkutils.a
GK_ONDISK_LIB = $(top_builddir)/lib/ondisk/libgkondisk.a
GK_OPTIONS_LIB = $(top_builddir)/lib/options/libgkoptions.a
GK_LIBVIRT_LIB = $(top_builddir)/lib/libvirt/libgklibvirt.a
GK_DISKIO_LIB = $(top_builddir)/lib/diskio/libgkdiskio.a
GK_APPLIANCE_LIB = $(top_builddir)/lib/appliance/libgkappliance.a

# Tests: C programs and shell scripts, listed together in TESTS.  Shell
# tests get absolute paths, so they work from any directory and can pass
# them on to the programs they run.
TEST_EXTENSIONS = .sh
LOG_COMPILER = $(SHELL) $(top_srcdir)/tests/timed-test.sh
SH_LOG_COMPILER = $(SHELL) $(top_srcdir)/tests/timed-test.sh bash
AM_TESTS_ENVIRONMENT = \
	top_srcdir='$(abs_top_srcdir)'; \
	top_builddir='$(abs_top_builddir)'; \
	srcdir='$(abs_srcdir)'; \
	builddir='$(abs_builddir)'; \
	GUESTKIT_APPLIANCE_TESTS='$(APPLIANCE_TESTS)'; \
	export top_srcdir top_builddir srcdir builddir GUESTKIT_APPLIANCE_TESTS;

# Man pages: TOOL.1 from TOOL.pod.
SUFFIXES = .pod .1
.pod.1:
	$(AM_V_GEN)$(POD2MAN) --section 1 --center "guestkit" \
	  --release "$(PACKAGE_NAME)-$(PACKAGE_VERSION)" \
	  --name "$$(basename $@ .1 | tr a-z A-Z)" $< > $@-t && mv $@-t $@

# Code generated at build time from a source of truth on the build
# machine (e.g. guestfish's command table from the installed libguestfs
# API description): generators live in generator/ and their outputs are
# listed in BUILT_SOURCES of the folder that compiles them.
GENERATOR_DIR = $(top_srcdir)/generator

# What a tool links: every layer, then the libraries they use.
TOOL_LIBS = $(GK_APPLIANCE_LIB) $(GK_LIBVIRT_LIB) $(GK_OPTIONS_LIB) \
	$(GK_DISKIO_LIB) $(GK_ONDISK_LIB) $(GK_UTILS_LIB) \
	$(LIBGUESTFS_LIBS) $(LIBVIRT_LIBS) $(LIBXML2_LIBS) $(LIBNBD_LIBS) \
	-lm -lpthread
