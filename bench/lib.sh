# lib.sh: helpers shared by bench/run.sh and bench/profile.sh (sourced, not run).
# Expects the current folder to be the repository root and BENCH_DIR set.

# bench_install PACKAGE...: installs Debian packages, updating the lists once
# if the first try fails (a fresh machine may have none).
bench_install() {
	echo "bench: installing $*" >&2
	bench_sudo=
	[ "$(id -u)" -eq 0 ] || bench_sudo=sudo
	DEBIAN_FRONTEND=noninteractive $bench_sudo apt-get install -y -qq "$@" >/dev/null 2>&1 ||
		{ $bench_sudo apt-get update -qq >/dev/null 2>&1 &&
		  DEBIAN_FRONTEND=noninteractive $bench_sudo apt-get install -y -qq "$@" >/dev/null; }
}

# bench_need COMMAND PACKAGE: installs PACKAGE when COMMAND is not found.
bench_need() {
	command -v "$1" >/dev/null 2>&1 || bench_install "$2"
	command -v "$1" >/dev/null 2>&1 || { echo "bench: $1 is still missing" >&2; exit 1; }
}

# bench_gen: builds the generator when gen.c changed (it renders the WXR
# export's posts with libcmark-gfm).
bench_gen() {
	mkdir -p "$BENCH_DIR"
	if [ ! -x "$BENCH_DIR/gen" ] || [ -n "$(find bench/gen.c -newer "$BENCH_DIR/gen")" ]; then
		${CC:-cc} -std=c99 -O2 -Wall -Wextra -pedantic -DGEN_WXR $(pkg-config --cflags libcmark-gfm) \
			-o "$BENCH_DIR/gen" bench/gen.c -lcmark-gfm-extensions $(pkg-config --libs libcmark-gfm) -lm >&2
	fi
	bench_key=$(cksum < bench/gen.c | cut -d ' ' -f 1)
}

# bench_blog SEED N [KIND]: prints the folder of a generated blog of N posts
# of KIND (gen -k: default, plain or rich), making it first unless a finished
# one is cached. The cache key holds the seed, N, the kind and a checksum of
# gen.c, so a changed generator makes new blogs.
bench_blog() {
	bench_gen
	bench_kind=${3:-default}
	bench_name=blog-$1-$2
	[ "$bench_kind" = default ] || bench_name=$bench_name-$bench_kind
	bench_dir=$BENCH_DIR/$bench_name-$bench_key
	if [ ! -f "$bench_dir.ok" ]; then
		rm -rf "$BENCH_DIR/$bench_name-"[0-9]*
		"$BENCH_DIR/gen" -k "$bench_kind" "$1" "$2" "$bench_dir" >&2
		: > "$bench_dir.ok"
	fi
	echo "$bench_dir"
}

# bench_wxr SEED N: prints the path of a WordPress export of the same posts
# as bench_blog SEED N (gen -w), making it first unless it is cached.
bench_wxr() {
	bench_gen
	bench_xml=$BENCH_DIR/wxr-$1-$2-$bench_key.xml
	if [ ! -f "$bench_xml.ok" ]; then
		rm -rf "$BENCH_DIR/wxr-$1-$2-"* "$BENCH_DIR/wxr-tmp"
		"$BENCH_DIR/gen" -w "$bench_xml" "$1" "$2" "$BENCH_DIR/wxr-tmp" >&2
		rm -rf "$BENCH_DIR/wxr-tmp"
		: > "$bench_xml.ok"
	fi
	echo "$bench_xml"
}
