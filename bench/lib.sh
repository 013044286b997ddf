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

# bench_blog SEED N: prints the folder of a generated blog of N posts, making
# it first unless a finished one is cached. The cache key holds the seed, N
# and a checksum of gen.c, so a changed generator makes new blogs.
bench_blog() {
	mkdir -p "$BENCH_DIR"
	if [ ! -x "$BENCH_DIR/gen" ] || [ -n "$(find bench/gen.c -newer "$BENCH_DIR/gen")" ]; then
		${CC:-cc} -std=c99 -O2 -Wall -Wextra -pedantic -o "$BENCH_DIR/gen" bench/gen.c -lm >&2
	fi
	bench_key=$(cksum < bench/gen.c | cut -d ' ' -f 1)
	bench_dir=$BENCH_DIR/blog-$1-$2-$bench_key
	if [ ! -f "$bench_dir.ok" ]; then
		rm -rf "$BENCH_DIR/blog-$1-$2-"*
		"$BENCH_DIR/gen" "$1" "$2" "$bench_dir" >&2
		: > "$bench_dir.ok"
	fi
	echo "$bench_dir"
}
