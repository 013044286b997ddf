# blogbind: binds a blog's source folder into an EPUB 3 book.
# Targets: all run check test bench fuzz install uninstall clean deps.

VERSION   = 0.1.0
PREFIX    = /usr/local
BINDIR    = $(PREFIX)/bin
LIBDIR    = $(PREFIX)/lib
INCDIR    = $(PREFIX)/include
DATADIR   = $(PREFIX)/share/blogbind
MANPREFIX = $(PREFIX)/share/man
DESTDIR   =

CC      ?= cc
PKGS     = libcmark-gfm libxml-2.0 libzip yaml-0.1 zlib libdeflate libcurl duktape vips nettle
# Read when a compile or link needs them, not when make starts: `make run`
# on a fresh machine installs pkg-config and the -dev packages first (the
# targets that install run the build in a sub-make, after `deps`).
# libcurl and libvips are opened when first needed (src/curlapi.c,
# src/vipsapi.c: dlopen by soname), so only their headers are used here:
# linked, they brought ~65 libraries and ld.so's time to every run.
DL_PKGS  = libcurl vips
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(filter-out $(DL_PKGS),$(PKGS)) 2>/dev/null)
# dlopen: in libc since glibc 2.34, in libdl before (no NEEDED when unused)
DL_LIBS    = -Wl,--push-state,--as-needed -ldl -Wl,--pop-state
# -O3 and inlining within a file (only the bb_* functions are exported,
# src/blogbind.map): a --jobs 1 bind of the 1k bench blog runs 2.2 % fewer
# instructions than at -O2 -g
CFLAGS  ?= -O3 -g -fno-semantic-interposition
WARN     = -std=c99 -Wall -Wextra -pedantic -Wno-unused-parameter
ALL_CFLAGS = $(WARN) $(CPPFLAGS) $(CFLAGS) -Iinclude -Isrc -Ibuild $(PKG_CFLAGS) -DBB_VERSION='"$(VERSION)"' -pthread -fPIC
LIBS     = -lcmark-gfm-extensions $(PKG_LIBS) $(DL_LIBS) -lpthread
B        = build
# The shared library: only the bb_* functions of include/blogbind.h are
# exported (src/blogbind.map); the program itself links the static one in
# the build folder (build/blogbind runs from there) and the shared one when
# installed (build/blogbind-shared, installed as bin/blogbind; a LIBDIR the
# loader does not search by itself is written into it as its run path).
SONAME   = libblogbind.so.0
SOFILE   = libblogbind.so.$(VERSION)
COMPDIR  = $(PREFIX)/share
SHARED_RPATH = $(if $(filter /usr/lib /usr/lib/% /lib /lib/%,$(LIBDIR)),,-Wl,-rpath,$(LIBDIR))

SRC  := $(filter-out src/main.c,$(wildcard src/*.c))
OBJ  := $(SRC:src/%.c=$(B)/obj/%.o) $(B)/obj/templates_data.o
TPL  := $(sort $(wildcard templates/*))
# the program's own files: --preview's server and its viewer
PREVIEW := share/preview/index.html share/preview/epub.min.js share/preview/jszip.min.js
CLI  := src/cli/preview.c $(B)/preview_data.c
CLI_CFLAGS = $(shell pkg-config --cflags libmicrohttpd 2>/dev/null)
CLI_LIBS   = $(shell pkg-config --libs libmicrohttpd 2>/dev/null || echo -lmicrohttpd)
UNIT := $(patsubst tests/unit/%.c,$(B)/tests/%,$(wildcard tests/unit/test_*.c))

all: $(B)/blogbind $(B)/$(SONAME) $(B)/libblogbind.so

$(B)/obj/%.o: src/%.c $(wildcard src/*.h) include/blogbind.h $(B)/obj/pic.ok | $(B)/obj $(B)/pkgs.ok
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# Says which package is missing instead of a compiler error about a header.
$(B)/pkgs.ok:
	@mkdir -p $(B)
	@pkg-config --exists $(PKGS) 2>/dev/null || { echo "blogbind: missing build packages ($(PKGS)): run 'make deps' (or 'make run', which installs them)" >&2; pkg-config --print-errors --exists $(PKGS); exit 1; }
	@touch $@

# The default templates are compiled in, so the program works from anywhere;
# --templates DIR overrides them file by file.
$(B)/templates_data.c: $(TPL) tools/embed.sh
	sh tools/embed.sh $(TPL) > $@

$(B)/obj/templates_data.o: $(B)/templates_data.c $(B)/obj/pic.ok | $(B)/obj
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# The chapter cache's entries name the sources of the program that made
# them (src/settingskey.c), so a rebuilt program never reuses another's chapters.
$(B)/buildid.h: $(SRC) src/main.c $(wildcard src/*.h) $(TPL) | $(B)/obj
	@printf '#define BB_BUILD_ID "%s"\n' "$$(cat $^ | sha256sum | cut -c1-32)" > $@.tmp && mv $@.tmp $@

$(B)/obj/settingskey.o: $(B)/buildid.h

$(B)/libblogbind.a: $(OBJ)
	rm -f $@
	ar rcs $@ $(OBJ)

# Objects made before -fPIC joined the flags are made again, once.
$(B)/obj/pic.ok: | $(B)/obj
	@touch $@

$(B)/$(SOFILE): $(OBJ) src/blogbind.map
	$(CC) -shared -Wl,-soname,$(SONAME) -Wl,--version-script=src/blogbind.map -Wl,--no-undefined -o $@ $(OBJ) $(LDFLAGS) $(LIBS)

$(B)/$(SONAME) $(B)/libblogbind.so: $(B)/$(SOFILE)
	ln -sf $(SOFILE) $@

$(B)/blogbind: src/main.c $(CLI) $(B)/libblogbind.a
	$(CC) $(ALL_CFLAGS) $(CLI_CFLAGS) -o $@ src/main.c $(CLI) $(B)/libblogbind.a $(LDFLAGS) $(LIBS) $(CLI_LIBS)

$(B)/blogbind-shared: src/main.c $(CLI) $(B)/libblogbind.so
	$(CC) $(ALL_CFLAGS) $(CLI_CFLAGS) -o $@ src/main.c $(CLI) -L$(B) -lblogbind $(LDFLAGS) -lpthread $(CLI_LIBS) $(SHARED_RPATH)

# --preview (the program's only, src/cli/): libmicrohttpd serves the book and
# the epub.js viewer of share/preview/, compiled in like the templates.
$(B)/preview_data.c: $(PREVIEW) tools/embed.sh | $(B)/obj
	EMBED_NAME=bb_preview_files sh tools/embed.sh $(PREVIEW) > $@

$(B)/tests/%: tests/unit/%.c $(B)/libblogbind.a tests/unit/tap.h | $(B)/tests
	$(CC) $(ALL_CFLAGS) -o $@ $< $(B)/libblogbind.a $(LDFLAGS) $(LIBS) $(UNIT_LIBS)

# test_image draws and reads its pictures with libvips itself
$(B)/tests/test_image: UNIT_LIBS = $(shell pkg-config --libs vips 2>/dev/null)

$(B)/obj $(B)/tests:
	mkdir -p $@

unit: $(UNIT)

# AddressSanitizer + UndefinedBehaviorSanitizer build of the whole program.
asan:
	$(MAKE) B=$(B)/asan CC=clang CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" LDFLAGS="-fsanitize=address,undefined" $(B)/asan/blogbind

deps:
	sh tools/install-deps.sh

# Each installs first, then builds in a sub-make that reads the package
# flags afresh (safe with -j: the steps run in order).
run:
	$(MAKE) deps
	$(MAKE) all
	sh tools/run-example.sh

# make test and make check build on two cores unless make was given -j
BUILD_JOBS = $(if $(filter -j%,$(MAKEFLAGS)),,-j2)

# The installs and the Debian 12 base of the chroot tests start first, in
# the background (tests/prepare.sh); the build waits for the packages only.
test:
	BB_BUILD=$(B) sh tests/prepare.sh start
	BB_BUILD=$(B) sh tests/prepare.sh wait deps
	$(MAKE) $(BUILD_JOBS) all unit asan
	BB_BUILD=$(B) sh tests/run.sh

# The fast loop: the unit tests and an end-to-end smoke (the example blog and
# the shared sample, each through EPUBCheck once).
check:
	$(MAKE) deps
	$(MAKE) $(BUILD_JOBS) all unit
	BB_BUILD=$(B) sh tests/run.sh --check

bench:
	$(MAKE) deps
	$(MAKE) all
	sh bench/run.sh

fuzz:
	sh tests/fuzz/run.sh

install: all $(B)/blogbind-shared
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCDIR) $(DESTDIR)$(DATADIR)/templates $(DESTDIR)$(MANPREFIX)/man1
	cp -f $(B)/blogbind-shared $(DESTDIR)$(BINDIR)/blogbind
	cp -f $(B)/libblogbind.a $(B)/$(SOFILE) $(DESTDIR)$(LIBDIR)/
	ln -sf $(SOFILE) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libblogbind.so
	mkdir -p $(DESTDIR)$(COMPDIR)/bash-completion/completions $(DESTDIR)$(COMPDIR)/zsh/site-functions
	cp -f contrib/completion/blogbind.bash $(DESTDIR)$(COMPDIR)/bash-completion/completions/blogbind
	cp -f contrib/completion/_blogbind $(DESTDIR)$(COMPDIR)/zsh/site-functions/_blogbind
	cp -f include/blogbind.h $(DESTDIR)$(INCDIR)/
	cp -f $(TPL) $(DESTDIR)$(DATADIR)/templates/
	cp -f doc/blogbind.1 $(DESTDIR)$(MANPREFIX)/man1/
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' -e 's|@INCDIR@|$(INCDIR)|' -e 's|@VERSION@|$(VERSION)|' -e 's|@LIBS@|$(LIBS)|' doc/blogbind.pc.in > $(DESTDIR)$(LIBDIR)/pkgconfig/blogbind.pc

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/blogbind $(DESTDIR)$(LIBDIR)/libblogbind.a $(DESTDIR)$(INCDIR)/blogbind.h
	rm -f $(DESTDIR)$(LIBDIR)/$(SOFILE) $(DESTDIR)$(LIBDIR)/$(SONAME) $(DESTDIR)$(LIBDIR)/libblogbind.so
	rm -f $(DESTDIR)$(COMPDIR)/bash-completion/completions/blogbind $(DESTDIR)$(COMPDIR)/zsh/site-functions/_blogbind
	rm -f $(DESTDIR)$(MANPREFIX)/man1/blogbind.1 $(DESTDIR)$(LIBDIR)/pkgconfig/blogbind.pc
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf $(B)

.PHONY: all unit asan deps run check test bench fuzz install uninstall clean
