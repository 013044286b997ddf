#!/bin/sh
# floor.sh SOURCE_DIR WORK_DIR: the benchmark's floor, the least work that
# binding a blog takes: render every post with the cmark-gfm command in one
# process, then zip -6 the rendered posts, one file each. run.sh times it whole.
#
# The cmark-gfm command reads all its input files as one document and writes
# one HTML stream; it cannot write a file per input. So one awk pass strips
# each post's front matter (blogbind must read it too) and puts an HTML comment
# naming the post before its text; cmark-gfm passes that comment through as a
# raw HTML block, and a second awk pass splits the HTML at the comments into
# one file per post. The two awk passes cost well under a tenth of the whole.
# A post that left a fenced code block open would swallow the next marker; the
# generator closes every block it opens.
set -eu

src=$1
work=$2
# run.sh empties WORK_DIR before the clock starts: deleting the last run's
# ten thousand files is not part of the floor.
mkdir -p "$work/out"
cd "$src/_posts"
# a hundred thousand names do not fit on one command line: xargs
printf '%s\n' *.md | xargs awk 'FNR == 1 { printf "\n<!-- bb-post %s -->\n\n", FILENAME; fm = /^---[ \t]*$/; next }
fm { if (/^(---|\.\.\.)[ \t]*$/) fm = 0; next }
{ print }' |
	cmark-gfm --unsafe -e table -e strikethrough -e autolink -e tasklist > "$work/all.html"
awk -v dir="$work/out" '
/^<!-- bb-post / { if (f != "") close(f); f = dir "/" $3 ".html"; next }
{ print > f }' "$work/all.html"
cd "$work/out"
zip -6 -q -r ../floor.zip .
