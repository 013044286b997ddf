#!/usr/bin/env python3
"""End-to-end test of kramdown's attribute lists and {:toc} (src/ial.c).

Makes a tiny Jekyll blog in a temporary folder (a _config.yml and one post
in _posts/ written with kramdown's block IALs, a standing IAL, a list item
IAL, a table IAL, span IALs and a {:toc} with a no_toc heading), binds it
and checks the post's chapter: the classes and ids are on the right
elements, no `{:` text and no marker comment is left, the table of contents
is a <div class="toc bb-toc"> of links to the headings (the no_toc one left
out), a post split into two files links to its second file's heading,
there is one epub:type="toc" nav in the book (the navigation
document's), and EPUBCheck gives 0 errors and 0 warnings.

Environment: BLOGBIND or BB_BUILD (tests/tap.py), EPUBCHECK_JAR. Prints one
line per check and "ial: N passed, N failed"; exits 1 when one failed.
"""
import os
import re
import subprocess
import sys
import tempfile
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import BIN, check, done, epubcheck, epubcheck_missing, skip  # noqa: E402

POST = """---
title: Attributes
---
* TOC
{:toc}

## Introduction
{: .intro-head}

A note for the reader.
{: .note #first-note}

{: .lead}
The paragraph after a standing list.

* {:.done} first item
* second item

| a | b |
|---|---|
| 1 | 2 |
{: .data}

Some *emphasis*{: .hl} and a [link](https://example.com/){: .ext}.

### Details

More text.

## Not listed
{: .no_toc}

The end.
"""


def main():
    if not os.path.isfile(BIN):
        check(False, "blogbind built", BIN)
        return done("ial")
    with tempfile.TemporaryDirectory() as tmp:
        blog = os.path.join(tmp, "blog")
        os.makedirs(os.path.join(blog, "_posts"))
        with open(os.path.join(blog, "_config.yml"), "w") as f:
            f.write("title: IAL test\nauthor: Tester\nmarkdown: kramdown\nkramdown:\n  input: kramdown\n")
        with open(os.path.join(blog, "_posts", "2020-01-01-x.md"), "w") as f:
            f.write(POST)
        # a post split into two files: its table links into the second
        with open(os.path.join(blog, "_posts", "2020-01-02-long.md"), "w") as f:
            f.write("---\ntitle: Long\n---\n{:toc}\n\n# Part one\n\n" +
                    "Filler text that makes the post long enough to be split into files.\n\n" * 4000 +
                    "# Part two\n\nThe end of the long one.\n")
        book = os.path.join(tmp, "book.epub")
        r = subprocess.run([BIN, blog, "-o", book], capture_output=True, text=True)
        if not check(r.returncode == 0 and os.path.isfile(book), "the blog is bound", r.stderr[-800:]):
            return done("ial")
        with zipfile.ZipFile(book) as z:
            names = z.namelist()
            texts = {n: z.read(n).decode("utf-8") for n in names if n.endswith(".xhtml")}
        chapter = [t for t in texts.values() if "A note for the reader" in t]
        if not check(len(chapter) == 1, "the post's chapter is in the book", sorted(texts)):
            return done("ial")
        ch = chapter[0]
        check(re.search(r'<h2[^>]*class="intro-head"', ch) is not None, "heading IAL: class on the h2",
              re.findall(r"<h2[^>]*>", ch))
        check(re.search(r'<p[^>]*class="note"[^>]*id="first-note"|<p[^>]*id="first-note"[^>]*class="note"', ch)
              is not None, "paragraph IAL: class and id", re.findall(r"<p [^>]*>", ch))
        check(re.search(r'<p class="lead">The paragraph after', ch) is not None, "standing IAL: the next block")
        check(re.search(r'<li class="done">', ch) is not None, "list item IAL", re.findall(r"<li[^>]*>", ch))
        check(re.search(r'<table[^>]*class="data"', ch) is not None, "table IAL", re.findall(r"<table[^>]*>", ch))
        check(re.search(r'<em class="hl">emphasis</em>', ch) is not None, "span IAL on em")
        check(re.search(r'<a[^>]*class="ext"', ch) is not None, "span IAL on a", re.findall(r"<a [^>]*>", ch))
        check("{:" not in ch, "no {: text left", ch[ch.find("{:") - 80:ch.find("{:") + 80])
        check("bb-ial" not in ch and "<!--" not in ch, "no marker left")
        toc = re.search(r'<div class="toc bb-toc">(.*?)</div>', ch, re.S)
        if check(toc is not None, "the {:toc} is a div of class toc", ch[:1500]):
            t = toc.group(1)
            check(re.search(r'<a href="#introduction">Introduction</a>\s*<ul>\s*<li>\s*<a href="#details">Details</a>',
                            t) is not None, "toc: nested levels linked to the headings' ids", t)
            check("Not listed" not in t, "toc: the no_toc heading left out", t)
            for href in re.findall(r'href="#([^"]+)"', t):
                check('id="%s"' % href in ch, "toc link #%s has its target" % href)
        first = [n for n, t in texts.items() if "Filler text" in t and 'class="toc bb-toc"' in t]
        if check(len(first) == 1, "the split post's first file has its table", sorted(texts)):
            m = re.search(r'<a href="([^"]*)">Part two</a>', texts[first[0]])
            target = m and m.group(1).split("#")
            check(m is not None and len(target) == 2 and target[0] in [os.path.basename(n) for n in texts]
                  and target[0] != os.path.basename(first[0]) and 'id="%s"' % target[1] in texts.get(
                      [n for n in texts if os.path.basename(n) == target[0]][0], ""),
                  "split post: the table links to the heading in the other file", m and m.group(0))
        check(sum(len(re.findall(r'<nav[^>]*epub:type="toc"', t)) for t in texts.values()) == 1,
              "one epub:type=toc nav in the book (the navigation document's)")
        why = epubcheck_missing()
        if why:
            skip("EPUBCheck", why)
        else:
            e, w, lines = epubcheck(book)
            check(e == 0 and w == 0, "EPUBCheck: %d errors, %d warnings" % (e, w), "\n".join(lines[:10]))
    return done("ial")


if __name__ == "__main__":
    sys.exit(main())
