#!/bin/sh
# run-example.sh: binds the example blog kept in the repo and says where the
# book is and what is in it.
set -eu
out=build/example.epub
./build/blogbind examples/blog -o "$out"
echo
echo "The book: $(pwd)/$out ($(wc -c < "$out" | tr -d ' ') bytes)"
echo "Inside it:"
unzip -l "$out" | sed -n '4,$p' | sed '$d' | sed '$d' | awk '{print "  " $4 "  (" $1 " bytes)"}'
echo "Its table of contents:"
unzip -p "$out" EPUB/nav.xhtml | sed -n '/epub:type="toc"/,/<\/nav>/p' |
	grep -o '<a href="[^"]*">[^<]*</a>' | sed -e 's/<a href="\([^"]*\)">\([^<]*\)<\/a>/  \2  -> \1/'
echo
echo "Bind your own blog: ./build/blogbind PATH/TO/BLOG -o book.epub   (./build/blogbind --help)"
