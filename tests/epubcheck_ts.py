#!/usr/bin/env python3
"""Books with math, code and images through both checkers: EPUBCheck 4.2.6
and @likecoin/epubcheck-ts (EPUBCheck 5's rules; tests/epubcheck-ts pins it).

Makes a Jekyll blog in a temporary folder with inline and display formulas
(an align environment too), code in three languages, a footnote, a table, a
WebP with transparency and an AVIF (made by libvips through
BB_BUILD/tests/test_image --make), a PNG, and an SVG whose document type
names the SVG 1.1 DTD (EPUB forbids it). Binds it and checks: MathML in the
chapter and properties="mathml" in the manifest, token spans in the code,
the WebP and AVIF made PNG and JPEG, the SVG in the book without its
document type; both checkers 0 errors and 0 warnings. Then the same for
kaityo256-blog, jekyll-chirpy-math and jessfraz-hugo (../shared); in the
first two every formula is MathML (at least as many <math> as test_math
converts) and no TeX delimiter ($$, \(, \[, \begin{, $...$) is left in
the chapters' text outside code; KaTeX's refusals are listed as comments.

A control shows epubcheck-ts reads the books: the fixture book with
role="doc-endnote" put back on its footnote and a link to a missing file
must give at least one warning (RSC-017) and one error (RSC-007).

The fixture book is kept as BB_BUILD/rich/rich.epub for the reader check
(tests/run.sh runs tests/reader/run.sh on it with --expect-math).

Environment: BLOGBIND or BB_BUILD, BB_SHARED, EPUBCHECK_JAR (tests/tap.py).
Prints one line per check and "epubcheck-ts: N passed, N failed".
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import (BIN, BUILD, both_checkers, check, done, epubcheck_ts,  # noqa: E402
                 epubcheck_ts_missing, shared, skip, write_files)

SVG = ('<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
       '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n'
       '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="60" height="40" '
       'viewBox="0 0 60 40"><defs><circle id="c" r="8"/></defs><rect width="60" height="40" fill="#eee"/>'
       '<use xlink:href="#c" x="20" y="20" fill="#369"/><text x="32" y="25">SVG</text></svg>\n')

POST = r"""---
title: Rich post
---
Energy is $$E = mc^2$$ and a sum follows[^1] ([a source](https://example.org/e)).

$$
\sum_{k=1}^{n} k = \frac{n(n+1)}{2}
$$

$$
\begin{align}
a &= b + c \\
d &= e f
\end{align}
$$

```python
def area(r):
    # a comment
    return 3.14 * r ** 2
```

```c
int main(void) { return 0; /* done */ }
```

```ruby
puts "hello" # greet
```

| a | b |
|---|---|
| 1 | 2 |

![transparent](/img/alpha.webp)

![photo](/img/photo.avif)

![plain](/img/plain.png)

![drawing](/img/drawing.svg)

[^1]: The note.
"""


def bind(blog, out, *args):
    t = time.monotonic()
    r = subprocess.run([BIN, *args, blog, "-o", out], capture_output=True, text=True)
    return r, time.monotonic() - t


def both(path, what):
    """Both checkers on a book (tap.both_checkers), timed."""
    t = time.monotonic()
    both_checkers(path, what)
    print("# both checkers on %s: %.1f s" % (what, time.monotonic() - t))


X = "{http://www.w3.org/1999/xhtml}"
MML = "{http://www.w3.org/1998/Math/MathML}"
# $$, \(, \[, \begin{, or $...$ as MathJax pairs it (no digit after)
DELIMS = re.compile(r"\$\$|\\\(|\\\[|\\begin\{|\$[^\s$][^$\n]{0,200}?[^\s$\\]\$(?!\d)")


BLOCKS = {X + t for t in ("p", "li", "td", "th", "dt", "dd", "div", "blockquote", "figure", "figcaption",
                          "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "section", "aside", "nav")}


def tex_left(path):
    """(formulas as MathML, [TeX delimiters left in chapter text outside
    code and MathML, with some context])."""
    import xml.etree.ElementTree as ET
    z = zipfile.ZipFile(path)
    nmath, left = 0, []

    def walk(e, out):
        if e.tag in (X + "code", X + "pre", X + "kbd", X + "samp", MML + "math"):
            return
        # MathJax pairs delimiters inside one block, never across blocks or
        # table cells: each block's text stands apart (DELIMS stops at \n)
        block = e.tag in BLOCKS
        if block:
            out.append("\n")
        out.append(e.text or "")
        for c in e:
            walk(c, out)
            out.append(c.tail or "")
        if block:
            out.append("\n")
    for n in z.namelist():
        if re.match(r"EPUB/p\d+.*\.xhtml$", n):
            root = ET.fromstring(z.read(n))
            nmath += sum(1 for _ in root.iter(MML + "math"))
            out = []
            walk(root.find(X + "body"), out)
            t = "".join(out)
            left += ["%s: %r" % (n, t[max(0, m.start() - 30):m.end() + 30]) for m in DELIMS.finditer(t)]
    return nmath, left


def make_blog(blog):
    write_files(blog, {"_config.yml": "title: Rich book\nauthor: Tester\nlang: en\n",
                       "_posts/2024-05-01-rich.md": POST, "img/drawing.svg": SVG})
    maker = os.path.join(BUILD, "tests", "test_image")
    for name, w, h, alpha in (("alpha.webp", 80, 50, 1), ("photo.avif", 80, 50, 0), ("plain.png", 40, 30, 0)):
        r = subprocess.run([maker, "--make", os.path.join(blog, "img", name), str(w), str(h), str(alpha), "0"],
                           capture_output=True, text=True)
        if not check(r.returncode == 0, "made %s with libvips" % name, r.stderr):
            return False
    return True


def test_fixture(tmp):
    keep = os.path.join(BUILD, "rich", "rich.epub")
    if os.path.exists(keep):
        os.unlink(keep)   # the reader check never sees an older book
    blog = os.path.join(tmp, "blog")
    if not make_blog(blog):
        return None
    out = os.path.join(tmp, "rich.epub")
    r, _ = bind(blog, out, "-v")
    if not check(r.returncode == 0, "the rich blog is bound", r.stderr[-800:]):
        return None
    z = zipfile.ZipFile(out)
    names = z.namelist()
    opf = z.read("EPUB/content.opf").decode()
    chap = "".join(z.read(n).decode() for n in names if re.match(r"EPUB/p\d+.*\.xhtml$", n))
    check(chap.count("<math") == 3 and 'encoding="application/x-tex"' in chap
          and re.search(r'<item [^>]*properties="[^"]*mathml', opf), "three formulas as MathML, the manifest says so")
    check(all(k in chap for k in ("hljs-keyword", "hljs-comment", "hljs-string")), "code has token spans")
    imgs = [n for n in names if n.startswith("EPUB/img/")]
    check(any(re.search(r"-alpha\.png$", n) for n in imgs) and any(re.search(r"-photo\.jpg$", n) for n in imgs)
          and not any(n.endswith((".webp", ".avif")) for n in imgs), "WebP made PNG, AVIF made JPEG", imgs)
    svgs = [n for n in imgs if n.endswith(".svg")]
    if check(len(svgs) == 1, "the SVG with a DTD in its document type is in the book", (imgs, r.stderr[-600:])):
        data = z.read(svgs[0]).decode()
        check("<!DOCTYPE" not in data and "<use xlink:href=\"#c\"" in data and ">SVG</text>" in data,
              "the book's SVG has no document type, the rest kept", data[:300])
        check('media-type="image/svg+xml"' in opf and svgs[0][5:] in chap, "the SVG is in the manifest and shown")
    check(re.search(r"drawing\.svg: note: SVG image: its document type names an outside DTD", r.stderr) is not None,
          "-v says the SVG's document type was removed", r.stderr[-800:])
    both(out, "math, code, WebP, AVIF, SVG with a DTD")
    # the note-making options: link notes and the post's footnote as asides
    notes = os.path.join(tmp, "rich-notes.epub")
    r, _ = bind(blog, notes, "--link-notes", "--source-links")
    if check(r.returncode == 0, "the rich blog is bound with --link-notes --source-links", r.stderr[-800:]):
        z = zipfile.ZipFile(notes)
        chap = "".join(z.read(n).decode() for n in z.namelist() if re.match(r"EPUB/p\d+.*\.xhtml$", n))
        asides = re.findall(r'<aside id="[^"]*" class="(footnote|link-note)"[^>]* epub:type="footnote" '
                            r'role="doc-footnote">', chap)
        check(sorted(set(asides)) == ["footnote", "link-note"] and "doc-endnote\"" not in chap,
              "the footnote and the link's note are footnote asides, no doc-endnote", asides)
        both(notes, "--link-notes --source-links")
    # kept for the reader check (tests/run.sh: reader-rich)
    os.makedirs(os.path.dirname(keep), exist_ok=True)
    shutil.copyfile(out, keep)
    return out


def control(book, tmp):
    """The book with a deprecated role and a broken link: epubcheck-ts must see both."""
    if epubcheck_ts_missing():
        return skip("epubcheck-ts control", epubcheck_ts_missing())
    bad = os.path.join(tmp, "control.epub")
    with zipfile.ZipFile(book) as zi, zipfile.ZipFile(bad, "w") as zo:
        for info in zi.infolist():
            data = zi.read(info.filename)
            if re.match(r"EPUB/p\d+.*\.xhtml$", info.filename):
                data = data.replace(b'role="doc-footnote"', b'role="doc-endnote"', 1)
                data = data.replace(b"</section>", b'<p><a href="missing.xhtml">gone</a></p></section>', 1)
            zo.writestr(info, data)
    e, w, lines = epubcheck_ts(bad)
    check(e >= 1 and w >= 1 and any("RSC-017" in l for l in lines) and any("RSC-007" in l for l in lines),
          "control: epubcheck-ts finds the deprecated role and the broken link", lines[:6])


def control_tex_left(tmp):
    """tex_left sees a formula left in a paragraph, and does not pair two
    dollars of different table cells (MathJax would not either)."""
    path = os.path.join(tmp, "tex-left.epub")
    page = ('<html xmlns="http://www.w3.org/1999/xhtml"><body><p>a $x+y$ b <code>$c$</code></p>'
            '<table><tr><td>c $</td><td>d$</td></tr></table></body></html>')
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("EPUB/p00001-a.xhtml", page)
    nmath, left = tex_left(path)
    check(nmath == 0 and len(left) == 1 and "$x+y$" in left[0],
          "control: the TeX check finds a formula left in a paragraph, not dollars of two cells", left)


# the formulas of the math corpora (test_math counts them in the source:
# kaityo256-blog has 5,760 $ pairs, 9 of them in lines kramdown makes table
# rows of, single $ being no math to it: the site shows those cells with
# their $ as text, and so does the book)
MATH_MIN = {"kaityo256-blog": 5751, "jekyll-chirpy-math": 769}


def main():
    with tempfile.TemporaryDirectory() as tmp:
        book = test_fixture(tmp)
        if book:
            control(book, tmp)
        control_tex_left(tmp)
        for name in ("kaityo256-blog", "jekyll-chirpy-math", "jessfraz-hugo"):
            src = shared("corpora", name)
            if not src:
                continue
            out = os.path.join(tmp, name + ".epub")
            r, secs = bind(src, out)
            if check(r.returncode == 0 and os.path.isfile(out), "%s is bound" % name, r.stderr[-500:]):
                print("# %s bound in %.1f s" % (name, secs))
                if name in MATH_MIN:
                    nmath, left = tex_left(out)
                    check(nmath >= MATH_MIN[name] and not left,
                          "%s: %d formulas as MathML, no TeX delimiter left in the text outside code" % (name, nmath),
                          "%d left: %s" % (len(left), left[:5]))
                    for line in r.stderr.splitlines():
                        if "a formula kept as TeX" in line:
                            print("# refused by KaTeX: " + line)
                both(out, name)
                os.unlink(out)
    return done("epubcheck-ts")


if __name__ == "__main__":
    sys.exit(main())
