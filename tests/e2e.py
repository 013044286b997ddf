#!/usr/bin/env python3
"""End-to-end tests: bind real blogs with build/blogbind and check the books.

Every book made here goes through EPUBCheck and the strict "no active
content" oracle (tests/oracles.py). The shared sample and corpora come from
BB_SHARED (default ../shared); one that is missing, or a missing java or
EPUBCheck, is a failure unless BB_ALLOW_SKIP=1 (tests/tap.py). Prints one
line per check and a closing "e2e: N passed, N failed"; exits 1 when a check
failed.

--smoke (make check): only the example blog and the shared sample, each
through EPUBCheck once. Environment: BLOGBIND or BB_BUILD (tests/tap.py),
BB_E2E_OUT (default $BB_BUILD/e2e), BB_E2E_SKIP_EPUBCHECK=1 (only for
tests/run.sh's sanitizer run, whose books run.sh compares byte for byte with
the release books, which went through EPUBCheck).
"""
import concurrent.futures as cf
import hashlib
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import BIN, BUILD, ROOT, SHARED, check, done, epubcheck, epubcheck_missing, shared, skip  # noqa: E402
from oracles import active_content  # noqa: E402

OUT = os.path.abspath(os.environ.get("BB_E2E_OUT") or os.path.join(BUILD, "e2e"))
SMOKE = "--smoke" in sys.argv[1:]
NS = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/",
      "x": "http://www.w3.org/1999/xhtml", "ncx": "http://www.daisy.org/z3986/2005/ncx/"}

def run(args, env=None, cwd=None):
    e = dict(os.environ)
    e.pop("SOURCE_DATE_EPOCH", None)
    if env:
        e.update(env)
    return subprocess.run([BIN] + args, capture_output=True, text=True, env=e, cwd=cwd)


def bind(src, name, *extra, env=None):
    out = os.path.join(OUT, name + ".epub")
    r = run([src, "-o", out, *extra], env=env)
    return r, out


class Book:
    def __init__(self, path):
        self.z = zipfile.ZipFile(path)
        self.names = self.z.namelist()
        self.opf = ET.fromstring(self.z.read("EPUB/content.opf"))
        self.manifest = {i.get("id"): i for i in self.opf.iter("{%s}item" % NS["opf"])}
        self.spine = [i.get("idref") for i in self.opf.iter("{%s}itemref" % NS["opf"])]

    def meta(self, tag):
        return [e.text for e in self.opf.iter("{%s}%s" % (NS["dc"], tag))]

    def chapters(self):
        """Spine documents that are posts (first part of each)."""
        return [self.manifest[i].get("href") for i in self.spine if re.match(r"^p[0-9a-z_-]*$", i)]

    def text(self, name):
        return self.z.read("EPUB/" + name).decode("utf-8")

    def all_xhtml(self):
        return {n: self.z.read(n).decode("utf-8") for n in self.names if n.endswith(".xhtml")}


def published_posts(blog):
    """Counts the posts Jekyll would publish, independently of blogbind."""
    n = 0
    for d, _, files in os.walk(blog):
        if "/_posts" not in d + "/" or "_site" in d:
            continue
        for f in files:
            if not re.match(r"^\d{2,4}-\d{1,2}-\d{1,2}-.+\.[^.]+$", f):
                continue
            if f.lower().endswith((".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".pdf")):
                continue
            text = open(os.path.join(d, f), "rb").read().decode("utf-8", "replace")
            m = re.match(r"^---\s*\n(.*?)\n(---|\.\.\.)\s*\n", text, re.S)
            if m and re.search(r"^published:\s*false\s*$", m.group(1), re.M):
                continue
            n += 1
    return n


def referenced_local_images(blog):
    """sha1 of every local image file a post references that exists."""
    want = {}
    for d, _, files in os.walk(blog):
        if "/_posts" not in d + "/" and "/content/" not in d + "/":
            continue
        for f in files:
            if not f.endswith((".md", ".markdown", ".html")):
                continue
            text = open(os.path.join(d, f), "rb").read().decode("utf-8", "replace")
            refs = re.findall(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)", text) + re.findall(r"<img[^>]*\ssrc=[\"']([^\"']+)", text)
            for ref in refs:
                ref = ref.replace("{{ site.url }}", "").replace("{{ site.baseurl }}", "").replace("{{site.baseurl}}", "")
                if re.match(r"^[a-z]+:|^//", ref) or "{{" in ref:
                    continue
                ref = ref.split("?")[0].split("#")[0]
                cands = [os.path.join(blog, ref.lstrip("/")), os.path.join(blog, "static", ref.lstrip("/"))] if ref.startswith("/") else \
                    [os.path.join(d, ref), os.path.join(blog, re.sub(r"^(\.\./)+", "", ref))]
                for c in cands:
                    c = os.path.normpath(c)
                    if os.path.isfile(c) and c.startswith(os.path.abspath(blog)):
                        data = open(c, "rb").read()
                        if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
                            break  # converted to PNG/JPEG (other bytes): tests/images.py checks those
                        want[hashlib.sha1(data).hexdigest()] = c
                        break
    return want


def book_images(book):
    return {hashlib.sha1(book.z.read(n)).hexdigest() for n in book.names if n.startswith("EPUB/img/")}


def xhtml_blocks(text):
    """(paragraph texts, heading texts h2..h6) of a chapter's post body."""
    root = ET.fromstring(text.encode("utf-8"))
    paras, heads = [], []
    for el in root.iter():
        tag = el.tag.split("}")[-1]
        cls = el.get("class") or ""
        if tag == "header" or "post-meta" in cls:
            continue
        if tag == "p" and "post-meta" not in cls:
            paras.append("".join(el.itertext()))
        elif re.match(r"^h[2-6]$", tag):
            heads.append("".join(el.itertext()).strip())
    return paras, heads


def norm(s):
    return re.sub(r"\s+", "", s)


def sentences(text):
    """Complete sentences: runs ending with a sentence mark."""
    return [m.group(0) for m in re.finditer(r"[^。！？!?\n]*?[。！？!?]", text)]


def stitch_checks(sample, book):
    src = open(sample, encoding="utf-8").read()
    body = re.split(r"^---\s*$", src, maxsplit=2, flags=re.M)[2]
    segments = re.split(r"^---END---\s*$", body, flags=re.M)
    chapter = book.text(book.chapters()[0])
    paras, heads = xhtml_blocks(chapter)
    title = re.search(r'^title:\s*"?(.*?)"?\s*$', src, re.M).group(1)
    h1 = "".join(ET.fromstring(chapter.encode()).find(".//{%s}h1" % NS["x"]).itertext())
    alltext = norm(h1 + "".join(paras) + "".join(heads))
    check("---END---" not in chapter, "stitch: no ---END--- left in the chapter")
    # nothing lost: every complete sentence of every segment (a segment's last,
    # cut sentence is joined to the next segment's first words)
    lost = []
    for seg in segments:
        blocks = [b.strip() for b in re.split(r"\n\s*\n", seg) if b.strip() and not b.strip().startswith("#")]
        for i, b in enumerate(blocks):
            for snt in sentences(re.sub(r"[*`]", "", b)):
                if norm(snt) and norm(snt) not in alltext:
                    lost.append(snt[:40])
    check(not lost, "stitch: every complete sentence of the post is in the book (%d segments)" % len(segments), "; ".join(lost[:3]))
    # nothing repeated
    np_ = [norm(p) for p in paras if norm(p)]
    rep = [a[:30] for i, a in enumerate(np_) for j, b in enumerate(np_) if i != j and a in b]
    check(len(np_) > 5 and not rep, "stitch: no paragraph equals or is contained in another (%d paragraphs)" % len(np_), "; ".join(rep[:3]))
    check(len(heads) == len(set(heads)) and len(heads) > 0, "stitch: no heading twice (%d headings)" % len(heads), str(heads))
    first = []
    for m in re.finditer(r"^#{1,6}\s+(.*?)\s*$", body, re.M):
        if m.group(1) not in first:
            first.append(m.group(1))
    check(heads == first, "stitch: headings keep the order of their first appearance", "%s != %s" % (heads, first))
    check(norm(title) not in np_ and chapter.count(title.replace("&", "&amp;")) <= 2,
          "stitch: the title is shown once, as the chapter title, not repeated in the body")


def nav_tree(book):
    """The toc as nested (label, href, children) lists."""
    root = ET.fromstring(book.z.read("EPUB/nav.xhtml"))
    nav = [n for n in root.iter("{%s}nav" % NS["x"]) if n.get("{http://www.idpf.org/2007/ops}type") == "toc"][0]

    def walk(ol):
        out = []
        for li in ol.findall("{%s}li" % NS["x"]):
            a = li.find("{%s}a" % NS["x"])
            sub = li.find("{%s}ol" % NS["x"])
            out.append(("".join(a.itertext()), a.get("href"), walk(sub) if sub is not None else []))
        return out
    return walk(nav.find("{%s}ol" % NS["x"]))


def write_blog(root, posts, config="title: Test blog\nlang: en\nurl: https://test.example\n"):
    os.makedirs(os.path.join(root, "_posts"), exist_ok=True)
    with open(os.path.join(root, "_config.yml"), "w") as f:
        f.write(config)
    for name, text in posts.items():
        path = os.path.join(root, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)


def collect_jobs_checks():
    """Posts are read on --jobs threads (postindex.c): the same book and the
    same diagnostics in the same order as on one thread."""
    blog = os.path.join(OUT, "collect-jobs-blog")
    posts = {}
    for i in range(150):
        name = "_posts/2021-%02d-%02d-post-%03d.md" % (i % 12 + 1, i % 28 + 1, i)
        fm = "title: Post %d\n" % i
        if i % 7 == 3:
            fm += "date: not a date %d\n" % i
        if i % 11 == 5:
            fm += "title: [a, list]\n"
        text = "---\n" + fm + "---\nText of post %d.\n" % i
        if i % 13 == 6:
            text = "---\ntitle: Never closed %d\n\nText.\n" % i
        if i % 17 == 8:
            name = "_posts/undated-%03d.md" % i
        posts[name] = text
    write_blog(blog, posts)
    runs = {}
    for j in ("1", "2", "3", "5"):
        r, path = bind(blog, "collect-jobs-%s" % j, "--jobs", j)
        with open(path, "rb") as f:
            data = f.read()
        err = [l for l in r.stderr.splitlines() if not l.startswith("blogbind: wrote ")]
        runs[j] = (r.returncode, data, err)
    code, data, err = runs["1"]
    check(code == 0 and sum("warning" in l for l in err) >= 20, "collect on threads: the blog binds with its warnings",
          "exit %d, %d lines" % (code, len(err)))
    for j in ("2", "3", "5"):
        check(runs[j][1] == data, "collect on threads: --jobs %s book byte-identical to --jobs 1" % j)
        check(runs[j][2] == err, "collect on threads: --jobs %s diagnostics in --jobs 1's order" % j,
              "\n".join(runs[j][2][:6]))


def collector_checks():
    blog = os.path.join(OUT, "collector-blog")
    posts = {
        "_posts/2022-03-01-first.md": "---\ntitle: First\ncategories: [alpha]\ntags: [x]\nseries: Saga\npart: 2\n---\nOne. See [the second](/2023/05/02/second.html#a-section).\n",
        "_posts/2023-05-02-second.md": "---\ntitle: Second\ncategories: beta\ntags: [y]\nseries: Saga\npart: 1\n---\n## A section\n\nTwo.\n",
        "_posts/2023-07-09-third.md": "---\ntitle: Third\ncategories: [alpha]\ntags: [x, y]\n---\nThree links to [the first]({% post_url 2022-03-01-first %}).\n",
        "_posts/2024-01-01-hidden.md": "---\ntitle: Hidden\npublished: false\n---\nNot shown.\n",
        "_drafts/a-draft.md": "---\ntitle: Draft\n---\nA draft.\n",
        "ja/news/_posts/2023-08-08-nested.md": "---\ntitle: Nested\n---\nIn a nested _posts folder.\n",
        "assets/cover.png": "",
    }
    write_blog(blog, posts)
    # a real PNG for the cover
    import struct, zlib
    def png():
        raw = b"".join(b"\0" + bytes([x * 8 % 256, 64, 128]) * 16 for x in range(16))
        def chunk(t, d):
            return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
        return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 16, 16, 8, 2, 0, 0, 0)) + \
            chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    with open(os.path.join(blog, "assets", "cover.png"), "wb") as f:
        f.write(png())

    def titles(book):
        return [re.search(r"<h1[^>]*>([^<]*)</h1>", book.text(c)).group(1) for c in book.chapters()]

    r, path = bind(blog, "col-default")
    b = Book(path)
    check(titles(b) == ["First", "Second", "Third", "Nested"], "collector: posts in date order, nested _posts found, unpublished and drafts left out", str(titles(b)))
    nested = b.text(b.chapters()[3])
    check("<li>ja</li>" in nested and "<li>news</li>" in nested, "collector: folders above _posts become categories")
    first = b.text(b.chapters()[0])
    m = re.search(r'href="(p[0-9_-][0-9a-z_-]*\.xhtml)#([^"]+)"', first)
    check(m is not None and m.group(1) == b.chapters()[1] and 'id="%s"' % m.group(2) in b.text(m.group(1)),
          "collector: a permalink link with a fragment points to the heading inside the book", m and m.group(0))
    third = b.text(b.chapters()[2])
    check('href="%s"' % b.chapters()[0] in third, "collector: {% post_url %} becomes a link inside the book")
    r, path = bind(blog, "col-drafts", "--drafts", "--unpublished")
    check(titles(Book(path)) == ["First", "Second", "Third", "Nested", "Hidden", "Draft"], "collector: --drafts and --unpublished add them", str(titles(Book(path))))
    r, path = bind(blog, "col-reverse", "--reverse")
    check(titles(Book(path)) == ["Nested", "Third", "Second", "First"], "collector: --reverse puts the newest first")
    r, path = bind(blog, "col-since", "--since", "2023-01-01", "--until", "2023-07-31")
    check(titles(Book(path)) == ["Second", "Third"], "collector: --since/--until", str(titles(Book(path))))
    r, path = bind(blog, "col-cat", "--category", "alpha")
    check(titles(Book(path)) == ["First", "Third"], "collector: --category")
    first = Book(path).text(Book(path).chapters()[0])
    check('href="https://test.example/2023/05/02/second.html#a-section"' in first,
          "collector: a link to a post left out of the book points to its URL on the blog", re.findall(r'href="[^"]*"', first))
    r, path = bind(blog, "col-tag", "--tag", "y")
    check(titles(Book(path)) == ["Second", "Third"], "collector: --tag")
    r, path = bind(blog, "col-series", "--series", "Saga")
    check(titles(Book(path)) == ["Second", "First"], "collector: --series orders by part", str(titles(Book(path))))
    for how, groups in (("year", ["2022", "2023"]), ("category", ["alpha", "beta", "ja"]), ("month", ["2022-03", "2023-05", "2023-07", "2023-08"])):
        r, path = bind(blog, "col-" + how, "--chapters", how)
        bk = Book(path)
        tree = nav_tree(bk)
        check([t[0] for t in tree] == groups and all(t[2] for t in tree),
              "collector: --chapters %s nests posts under their group in the toc" % how, str([(t[0], len(t[2])) for t in tree]))
        spine_posts = [i for i in bk.spine if re.match(r"^[pg][0-9a-z_-]*$", i)]
        nav_order = []
        for g in tree:
            nav_order.append(g[1].split(".")[0])
            nav_order += [p[1].split(".")[0].split("#")[0] for p in g[2]]
        check(spine_posts == nav_order, "collector: --chapters %s: the spine follows the toc" % how)
        books["col-" + how] = (path, True)
    r, path = bind(blog, "col-cover", "--cover", "assets/cover.png")
    bk = Book(path)
    cover = [i for i in bk.manifest.values() if "cover-image" in (i.get("properties") or "")]
    check(len(cover) == 1 and bk.z.read("EPUB/" + cover[0].get("href")) == open(os.path.join(blog, "assets", "cover.png"), "rb").read(),
          "collector: --cover embeds the image as cover-image")
    books["col-cover"] = (path, True)
    outside = os.path.join(OUT, "outside-cover.png")
    shutil.copy(os.path.join(blog, "assets", "cover.png"), outside)
    r, path = bind(blog, "col-cover-cli", "--cover", outside)
    bk = Book(path)
    cover = [i for i in bk.manifest.values() if "cover-image" in (i.get("properties") or "")]
    check(r.returncode == 0 and len(cover) == 1, "collector: --cover may name an image outside the blog", r.stderr)
    r, path = bind(blog, "col-nocover")
    t = Book(path).text("cover.xhtml")
    check("Test blog" in t and "2022-03-01" in t and "2023-08-08" in t, "collector: without a cover image, a cover page with title and date range")
    books["col-default"] = (os.path.join(OUT, "col-default.epub"), True)
    # toc depth
    r, path = bind(blog, "col-toc1", "--toc-depth", "1")
    check(all(not t[2] for t in nav_tree(Book(path))), "collector: --toc-depth 1 lists posts only")
    r, path = bind(blog, "col-toc2")
    check(any(t[2] for t in nav_tree(Book(path))), "collector: the default toc lists headings under posts")
    # user templates: a copy with a change shows in the book; a broken one is an error with its position
    tdir = os.path.join(OUT, "tpl")
    shutil.copytree(os.path.join(ROOT, "templates"), tdir)
    with open(os.path.join(tdir, "chapter.xhtml"), encoding="utf-8") as f:
        t = f.read()
    with open(os.path.join(tdir, "chapter.xhtml"), "w", encoding="utf-8") as f:
        f.write(t.replace("{{{body}}}", "<p class=\"colophon\">Bound with my own template.</p>\n{{{body}}}"))
    r, path = bind(blog, "col-tpl", "--templates", tdir)
    check(r.returncode == 0 and "Bound with my own template." in Book(path).text(Book(path).chapters()[0]),
          "templates: a user's chapter.xhtml is used")
    books["col-tpl"] = (path, True)
    with open(os.path.join(tdir, "title.xhtml"), "w") as f:
        f.write("<html>\n<body><p>{{title}}</body>\n</html>\n")
    r, path = bind(blog, "col-tpl-bad", "--templates", tdir)
    check(r.returncode == 1 and re.search(r"title\.xhtml:\d+:\d+: error:", r.stderr) is not None and not os.path.exists(path),
          "templates: a template that is not well-formed fails the run, naming line and column", r.stderr)
    r = run([blog, "--templates", os.path.join(OUT, "no-such-dir"), "-o", os.path.join(OUT, "x.epub")])
    check(r.returncode == 1 and "no-such-dir" in r.stderr, "templates: a missing templates folder is an error")
    r, path = bind(blog, "col-until-year", "--until", "2022")
    check(titles(Book(path)) == ["First"], "collector: --until YEAR takes in that whole year")
    r = run([blog, "--tag", "nothing-has-this", "-o", os.path.join(OUT, "none.epub")])
    check(r.returncode == 1 and not os.path.exists(os.path.join(OUT, "none.epub")), "collector: filters that leave no post: exit 1, no book")
    r, path = bind(blog, "col-drafts-year", "--drafts", "--chapters", "year")
    check([t[0] for t in nav_tree(Book(path))][-1] == "Drafts", "collector: undated drafts get a Drafts chapter", str([t[0] for t in nav_tree(Book(path))]))
    # Hugo: TOML front matter, drafts, shortcodes (ref becomes a link in the book)
    hugo = os.path.join(OUT, "hugo-blog")
    os.makedirs(os.path.join(hugo, "content", "post"))
    with open(os.path.join(hugo, "config.toml"), "w") as f:
        f.write('title = "A Hugo blog"\nbaseURL = "https://h.example/"\nlanguageCode = "en-us"\n')
    with open(os.path.join(hugo, "content", "post", "one.md"), "w") as f:
        f.write('+++\ntitle = "One"\ndate = 2020-01-02T10:00:00Z\n+++\nSee [two]({{< ref "two.md" >}}).\n\n{{< myembed 123 >}}\n\n{{% note %}}Kept inner text{{% /note %}}\n\n'
                '{{< tweet user="u" id="123" >}}\n\n{{< highlight toml >}}\n# not a heading\n{{< /highlight >}}\n')
    with open(os.path.join(hugo, "content", "post", "two.md"), "w") as f:
        f.write('+++\ntitle = "Two"\ndate = 2020-01-03\ntags = ["x"]\n+++\nSecond.\n')
    with open(os.path.join(hugo, "content", "post", "three.md"), "w") as f:
        f.write('+++\ntitle = "Three"\ndate = 2020-01-04\ndraft = true\n+++\nA draft.\n')
    r, path = bind(hugo, "hugo")
    bk = Book(path)
    one = bk.text(bk.chapters()[0]) if bk.chapters() else ""
    check(titles(bk) == ["One", "Two"], "hugo: TOML front matter read, drafts left out", str(titles(bk)))
    check('href="p20200103-two.xhtml"' in one and "Kept inner text" in one and "{{" not in one,
          "hugo: ref becomes a link inside the book, other shortcodes removed with their text kept")
    check(re.search(r"one\.md:7:1: warning: Hugo shortcode 'myembed'", r.stderr) is not None, "hugo: a shortcode warning names line and column", r.stderr)
    check('href="https://twitter.com/u/status/123"' in one and "<h1" not in one.split("</header>")[-1] and
          "# not a heading" in one, "hugo: tweet becomes a link, highlight's code stays code", one[-600:])
    books["hugo"] = (path, True)
    # kramdown: a later footnote or link definition overwrites an earlier one
    # (kramdown warns); the warning names the file's own line even after the
    # title's repeated heading is cut from the body
    dup = os.path.join(OUT, "dup-blog")
    write_blog(dup, {"_posts/2020-01-01-dup.md": "---\ntitle: Dup\n---\n\n# Dup\n\nA note[^n] and [a link][a].\n\n"
                     "[^n]: first note\n[a]: https://one.example/\n\n[^n]: second note\n\n[A]: https://two.example/\n"})
    r, path = bind(dup, "dup")
    body = Book(path).text(Book(path).chapters()[0]) if os.path.exists(path) else ""
    check("second note" in body and "first note" not in body and "https://two.example/" in body and
          "one.example" not in body, "kramdown: the later of two definitions wins, as on the site", body[-800:])
    check(re.search(r"2020-01-01-dup\.md:12:1: warning: kramdown: footnote 'n' defined again", r.stderr) is not None and
          re.search(r"2020-01-01-dup\.md:14:1: warning: kramdown: link id 'a' defined again", r.stderr) is not None,
          "kramdown: a duplicate definition warned at its file line", r.stderr)
    # -q says nothing but errors, -v explains what was left out
    r = run([blog, "-q", "-o", os.path.join(OUT, "q.epub")])
    check(r.returncode == 0 and r.stderr == "", "-q: silent on success", r.stderr)
    r = run([blog, "-v", "-o", os.path.join(OUT, "v.epub")])
    check(re.search(r"2024-01-01-hidden\.md: note: left out: published: false", r.stderr) is not None, "-v: says which posts were left out and why", r.stderr[-300:])
    r = run([blog, "-o", os.path.join(OUT, "s.epub")])
    check(re.search(r"^blogbind: wrote .*s\.epub: 4 posts, \d+ chapters?, \d+ images?, 0 warnings, [\d.]+ KB, [\d.]+ s$", r.stderr, re.M) is not None,
          "a one-line summary: posts, chapters, images, warnings, size, time", r.stderr)
    # dry run writes nothing
    r = run([blog, "--dry-run", "-o", os.path.join(OUT, "dry.epub")])
    check(r.returncode == 0 and not os.path.exists(os.path.join(OUT, "dry.epub")) and "2023-05-02" in r.stdout and "Second" in r.stdout,
          "--dry-run prints the plan and writes nothing", r.stdout[-300:])
    # settings from the blogbind: section, the command line winning
    write_blog(blog, {}, "title: Test blog\nlang: en\nblogbind:\n  title: From settings\n  chapters: year\n  reverse: true\n")
    r, path = bind(blog, "col-settings")
    bk = Book(path)
    check(bk.meta("title") == ["From settings"] and [t[0] for t in nav_tree(bk)] == ["2023", "2022"],
          "settings: the blogbind: section of _config.yml applies", str(bk.meta("title")))
    r, path = bind(blog, "col-settings-cli", "--title", "From CLI", "--chapters", "post")
    bk = Book(path)
    check(bk.meta("title") == ["From CLI"] and len(nav_tree(bk)) == 4, "settings: the command line wins over _config.yml")


CJK = r"[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef\u3000-\u303f]"


def typography_checks():
    # a post too large for a reader is split into files, still one chapter
    blog = os.path.join(OUT, "big-blog")
    paras = []
    for i in range(2400):
        if i % 40 == 0:
            paras.append("## Part %d" % (i // 40))
        paras.append("Paragraph %d holds words enough to weigh about four hundred bytes. " % i +
                     "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt " * 3 +
                     ("[^n%d]" % i if i % 500 == 7 else ""))
    notes = ["[^n%d]: Note %d, far from its reference." % (i, i) for i in range(2400) if i % 500 == 7]
    write_blog(blog, {"_posts/2024-05-05-huge.md": "---\ntitle: Huge\n---\n" + "\n\n".join(paras + notes) + "\n",
                      "_posts/2024-05-06-small.md": "---\ntitle: Small\n---\nSee [part 50](/2024/05/05/huge.html#part-50).\n"})
    r, path = bind(blog, "big")
    b = Book(path)
    parts = sorted(n for n in b.names if re.match(r"EPUB/p20240505-huge(\.\d+)?\.xhtml$", n))
    sizes = [len(b.z.read(n)) for n in parts]
    check(len(parts) >= 4 and max(sizes) <= 300 * 1024, "split: a 1 MB post becomes %d files of at most %d KB" % (len(parts), max(sizes) // 1024), str(sizes))
    tree = nav_tree(b)
    check(len(tree) == 2 and tree[0][0] == "Huge", "split: still one chapter in the table of contents", str([t[0] for t in tree]))
    text = "".join(b.z.read(n).decode() for n in parts)
    check(all(("Paragraph %d holds" % i) in text for i in range(2400)), "split: every paragraph is in the book, once")
    small = b.text("p20240506-small.xhtml")
    m = re.search(r'href="(p20240505-huge(\.\d+)?\.xhtml)#part-50"', small)
    check(m is not None and 'id="part-50"' in b.z.read("EPUB/" + m.group(1)).decode(), "split: a link to a heading finds the file holding it", m and m.group(0))
    books["big"] = (path, True)

    ex = os.path.join(OUT, "example.epub")
    b = Book(ex)
    ja = [b.text(c) for c in b.chapters() if 'xml:lang="ja"' in b.text(c)]
    check(len(ja) >= 2, "typography: Japanese posts carry lang ja")
    joined = "".join(ja)
    check(re.search(CJK + r"\n" + CJK, "".join(re.findall(r"<p>(.*?)</p>", joined, re.S))) is None,
          "typography: no line break left between two Japanese characters in a paragraph")
    check("<strong>「重要」</strong>です" in joined, "typography: **「重要」**です is emphasised (CJK-friendly emphasis)")
    check('<span class="tcy">53</span>' in joined, "typography: ^53^ becomes tate-chu-yoko")
    check("<rp>" in joined and "<rt>" in joined, "typography: ruby has rt and rp")
    opf = b.z.read("EPUB/content.opf").decode()
    for prop in ("accessMode", "accessModeSufficient", "accessibilityFeature", "accessibilityHazard", "accessibilitySummary"):
        check('property="schema:%s"' % prop in opf, "accessibility: schema:%s in the package" % prop)
    gaps, untitled, noalt = [], [], []
    for n, t in b.all_xhtml().items():
        root = ET.fromstring(t.encode())
        title = root.find(".//{%s}title" % NS["x"])
        if title is None or not (title.text or "").strip():
            untitled.append(n)
        prev = 0
        for el in root.iter():
            tag = el.tag.split("}")[-1]
            if re.match(r"^h[1-6]$", tag):
                lvl = int(tag[1])
                if lvl > prev + 1:
                    gaps.append("%s h%d after h%d" % (n, lvl, prev))
                prev = lvl
            if tag == "img" and el.get("alt") is None:
                noalt.append(n)
    check(not untitled, "accessibility: every page has a title", str(untitled))
    check(not gaps, "accessibility: headings nested without gaps", str(gaps[:3]))
    check(not noalt, "accessibility: every image has an alt attribute", str(noalt))
    nav = b.z.read("EPUB/nav.xhtml").decode()
    check('epub:type="landmarks"' in nav and 'role="doc-toc"' in nav, "accessibility: the nav has landmarks and role doc-toc")

    vert = os.path.join(OUT, "allforces-vertical.epub")
    if not os.path.exists(vert):
        skip("vertical checks", "no %s (the shared sample is missing)" % vert)
    else:
        b = Book(vert)
        opf = b.z.read("EPUB/content.opf").decode()
        check('name="primary-writing-mode" content="vertical-rl"' in opf and 'property="ebpaj:guide-version"' in opf and
              'prefix="ebpaj: http://www.ebpaj.jp/"' in opf, "vertical: primary-writing-mode and ebpaj:guide-version metadata")
        t = b.text(b.chapters()[0])
        check(re.search(r'<span class="tcy">\d\d</span>', t) is not None, "vertical: two-digit numbers set as tate-chu-yoko")
        css = b.z.read("EPUB/style.css").decode()
        check("writing-mode: vertical-rl" in css and "-epub-writing-mode: vertical-rl" in css, "vertical: the stylesheet has both writing-mode forms")
        rule = re.search(r"\.vrtl pre, \.vrtl table[^{]*\{([^}]*)\}", css)
        check(rule is not None and "horizontal-tb" in rule.group(1) and "-epub-writing-mode: horizontal-tb" in rule.group(1),
              "vertical: code and tables stay horizontal so they remain readable")


books = {}  # name -> (path, must have zero warnings)


def main():
    global books
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)

    # --- the example blog kept in the repo
    ex = os.path.join(ROOT, "examples", "blog")
    r, path = bind(ex, "example")
    check(r.returncode == 0, "example blog binds (exit 0)", r.stderr[-500:])
    books["example"] = (path, True)
    b = Book(path)
    check(b.meta("language") == ["en"], "example: dc:language en", str(b.meta("language")))
    check(len(b.chapters()) == published_posts(ex), "example: one chapter per published post",
          "%d chapters, %d posts" % (len(b.chapters()), published_posts(ex)))
    allx = "".join(b.all_xhtml().values())
    check("half a thought" not in allx.lower() and "notes on fonts" not in allx.lower(),
          "example: drafts and published: false posts are left out")
    check("<ruby>" in allx and "<rt>" in allx, "example: DenDen ruby becomes <ruby>")
    check(re.search(r'<html[^>]*xml:lang="ar"[^>]*dir="rtl"', allx) is not None, "example: the Arabic chapter is ar and rtl")
    check(re.search(r'href="p\d{8}-[a-z0-9-]+\.xhtml', allx) is not None, "example: links between posts point inside the book")
    check(re.search(r'<a [^>]*href="https://example\.com/photo\.jpg"', allx) is not None,
          "example: a remote image becomes a link to its URL")
    check(len([n for n in b.names if n.startswith("EPUB/img/")]) == 2, "example: both local images embedded")

    # reproducible: twice, other thread counts, another time zone
    r2, path2 = bind(ex, "example-again", "-j", "1", env={"TZ": "Asia/Tokyo"})
    r3, path3 = bind(ex, "example-j2", "-j", "2", env={"TZ": "America/Los_Angeles"})
    same = open(path, "rb").read() == open(path2, "rb").read() == open(path3, "rb").read()
    check(r2.returncode == 0 and r3.returncode == 0 and same, "example: byte-identical across runs, -j 1/-j 2 and TZ")
    r4, path4 = bind(ex, "example-sde", env={"SOURCE_DATE_EPOCH": "1700000000"})
    m = re.search(r'dcterms:modified">([^<]+)<', zipfile.ZipFile(path4).read("EPUB/content.opf").decode())
    check(m and m.group(1) == "2023-11-14T22:13:20Z", "SOURCE_DATE_EPOCH sets dcterms:modified", str(m and m.group(1)))

    # reproducible on a larger blog with tables and autolinks in every post
    # (the benchmark's generator), whatever the number of threads
    gen = os.path.join(OUT, "gen")
    if SMOKE:
        pass
    elif subprocess.run(["cc", "-O2", "-o", gen, os.path.join(ROOT, "bench", "gen.c"), "-lm"]).returncode == 0:
        synth = os.path.join(OUT, "synth")
        subprocess.run([gen, "7", "300", synth], check=True, capture_output=True)
        outs = []
        for j in ("1", "2", "3", "2"):
            r, p_ = bind(synth, "synth-j" + j + str(len(outs)), "-q", "-j", j)
            outs.append(open(p_, "rb").read() if r.returncode == 0 else b"")
        check(outs[0] and all(o == outs[0] for o in outs), "300 generated posts: byte-identical with -j 1, 2, 3 and again 2")
        books["synth"] = (os.path.join(OUT, "synth-j10.epub"), True)
        # a progress line on a terminal, none when stderr is a file
        import pty
        big = os.path.join(OUT, "synth-big")
        subprocess.run([gen, "8", "2000", big], check=True, capture_output=True)
        master, slave = pty.openpty()
        p_ = subprocess.Popen([BIN, big, "-j", "1", "-o", os.path.join(OUT, "progress.epub")], stdout=slave, stderr=slave)
        os.close(slave)
        seen = b""
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
        p_.wait()
        os.close(master)
        check(p_.returncode == 0 and re.search(rb"\r(\x1b\[K)?blogbind: \d+/2000 posts, [\d.]+ s", seen) is not None,
              "progress: a redrawn line on a terminal (posts done of total, elapsed)", repr(seen[-200:]))
        r, _ = bind(big, "progress-file", "-j", "1")
        check("\r" not in r.stderr and "posts, " not in r.stderr.split("wrote")[0], "progress: no redraws when stderr is not a terminal")
    else:
        check(False, "bench/gen.c compiles")

    # mimetype entry: first, stored, no extra field
    raw = open(path, "rb").read(128)
    check(raw[30:38] == b"mimetype" and raw[8:10] == b"\0\0" and raw[28:30] == b"\0\0" and raw[38:58] == b"application/epub+zip",
          "mimetype is first, stored, without extra field")

    # a failed run leaves an existing book untouched; strict fails on warnings
    victim = os.path.join(OUT, "keep.epub")
    with open(victim, "wb") as f:
        f.write(b"precious")
    r = run([os.path.join(OUT, "no-such-blog"), "-o", victim])
    check(r.returncode == 1 and open(victim, "rb").read() == b"precious", "a failed run (exit 1) leaves the existing book untouched")
    warn_blog = os.path.join(OUT, "warnblog")
    os.makedirs(os.path.join(warn_blog, "_posts"))
    with open(os.path.join(warn_blog, "_posts", "2024-01-01-broken.md"), "w") as f:
        f.write("---\ntitle: [unclosed\ndate: 2024-01-01\n---\nThe text of a post whose front matter is broken.\n")
    r = run([warn_blog, "--strict", "-o", victim])
    check(r.returncode == 1 and open(victim, "rb").read() == b"precious", "--strict with a warning: exit 1, book untouched", r.stderr)
    r, bpath = bind(warn_blog, "broken-fm")
    check(r.returncode == 0 and re.search(r"2024-01-01-broken\.md:\d+:\d+: warning:", r.stderr) is not None,
          "broken front matter: a warning naming file, line and column", r.stderr)
    check(r.returncode == 0 and "whose front matter is broken" in "".join(Book(bpath).all_xhtml().values()),
          "broken front matter: the post still goes in with its text")
    books["broken-fm"] = (bpath, False)
    r = run(["--no-such-option", ex])
    check(r.returncode == 2, "a usage error exits 2")
    r = run(["--help"])
    check(r.returncode == 0 and "--output" in r.stdout and "Examples" in r.stdout, "--help lists options and examples")
    r = run(["--version"])
    check(r.returncode == 0 and re.match(r"blogbind \d+\.\d+", r.stdout) is not None, "--version")
    # without -o the book is named after the title, in the current folder
    cwd = tempfile.mkdtemp(dir=OUT)
    r = run([ex], cwd=cwd)
    check(r.returncode == 0 and os.path.exists(os.path.join(cwd, "Quiet Margins.epub")), "without -o: TITLE.epub here", str(os.listdir(cwd)))

    # --- the shared sample and corpora
    sample = shared("samples", "allforces")
    if sample:
        r, path = bind(sample, "allforces")
        check(r.returncode == 0, "allforces binds", r.stderr[-300:])
        books["allforces"] = (path, True)
        b = Book(path)
        check(b.meta("language") == ["ja"], "allforces: dc:language ja")
        check(b.meta("date") and b.meta("date")[0].startswith("2025-10-27"), "allforces: dc:date is the post's date", str(b.meta("date")))
        stitch_checks(os.path.join(sample, "_posts", os.listdir(os.path.join(sample, "_posts"))[0]), b)
        r, path = bind(sample, "allforces-nostitch", "--no-stitch")
        t = Book(path).text(Book(path).chapters()[0])
        # kramdown (the sample's engine) sets --- as an em dash: ---END--- reads —END—
        check(t.count("---END---") + t.count("\u2014END\u2014") == 5 and len(re.findall(r"<h2", t)) > len(re.findall(r"<h2", Book(os.path.join(OUT, "allforces.epub")).text(Book(os.path.join(OUT, "allforces.epub")).chapters()[0]))),
              "--no-stitch keeps the post as written (markers and repeats)")
        r, path = bind(sample, "allforces-vertical", "--vertical")
        books["allforces-vertical"] = (path, True)
        b = Book(path)
        spine = b.opf.find("{%s}spine" % NS["opf"])
        check(spine.get("page-progression-direction") == "rtl", "allforces --vertical: spine is rtl")
        check('class="vrtl"' in b.text(b.chapters()[0]), "allforces --vertical: chapter pages are vrtl")

    if SMOKE:
        # each of the two books through EPUBCheck once
        books = {n: books[n] for n in ("example", "allforces") if n in books}
    else:
        corpus_checks()
    return finish()


MARKS = re.compile(r"\{\{<|\{\{%|\{%|\{:")


def marks_left(src, path):
    """Hugo shortcode, Liquid and kramdown IAL marks ({{< {{% {% {:) left
    as text outside code in the chapters of the book made of src, as
    [(source, snippet)]. A post Jekyll renders without Liquid
    (render_with_liquid: false) shows its {% as written, as Jekyll does."""
    r = run(["-n", "-v", src])
    srcs = re.findall(r"^  \S.*  \((.+)\)$", r.stdout, re.M)
    b = Book(path)
    firsts = b.chapters()
    left = []
    for k, first in enumerate(firsts):
        stem = first[:-len(".xhtml")]
        post = srcs[k] if k < len(srcs) else first
        try:
            fm = open(os.path.join(src, post), encoding="utf-8", errors="replace").read(4000)
        except OSError:
            fm = ""
        no_liquid = re.search(r"^render_with_liquid:\s*false\s*$", fm, re.M) is not None
        for n in sorted(x for x in b.names if re.search(r"/%s(-\d+)?\.xhtml$" % re.escape(stem.split("/")[-1]), x)):
            t = re.sub(r"<(pre|code)\b.*?</\1>", "", b.z.read(n).decode("utf-8"), flags=re.S)
            t = html.unescape(re.sub(r"<[^>]+>", "", t))
            for m in MARKS.finditer(t):
                if no_liquid and m.group(0) == "{%":
                    continue
                left.append((post, " ".join(t[max(0, m.start() - 30):m.end() + 30].split())))
    return left


def marks_checks(corpora):
    """Every Jekyll and Hugo corpus: no macro or IAL mark left as text
    outside code (the books bound above, the others bound here)."""
    for name in ["jekyll-docs", "minima-demo", "basically-basic-demo", "jekyll-test-fixtures", "kaityo256-blog",
                 "jekyll-chirpy-math", "jessfraz-hugo", "hugo-loveit-bundles"]:
        src = os.path.join(corpora, name)
        if not os.path.isdir(src):
            shared("corpora", name)
            continue
        if name in books:
            path = books[name][0]
        else:
            r, path = bind(src, name)
            if not check(r.returncode == 0, name + ": binds (exit 0)", r.stderr[-300:]):
                continue
            books[name] = (path, False)
        left = marks_left(src, path)
        check(not left, "%s: no {{< {{%% {%% {: left as text outside code" % name,
              "%d left, e.g. %s" % (len(left), "; ".join("%s: %s" % x for x in left[:3])))


# The oracle for mhchem: KaTeX and its mhchem extension as a blog's page
# loads them, in Node itself (CommonJS: mhchem requires "katex", here
# Debian's file), each formula rendered with output 'mathml'. Reads a JSON
# list of [tex, display], prints a JSON list of MathML strings (or null when
# KaTeX throws).
MHCHEM_ORACLE = r"""
const Module = require("module"), K = "/usr/share/javascript/katex/katex.js", res = Module._resolveFilename;
Module._resolveFilename = function (r, ...a) { return r === "katex" ? K : res.call(this, r, ...a); };
const katex = require(K);
require("/usr/share/javascript/katex/contrib/mhchem.js");
const f = JSON.parse(require("fs").readFileSync(0, "utf8"));
console.log(JSON.stringify(f.map(function (x) {
  try { return katex.renderToString(x[0], { displayMode: x[1], output: "mathml", throwOnError: true }); }
  catch (e) { return null; }
})));
"""

# Chemistry as blogs write it with mhchem: formulas, charges, states,
# isotopes, arrows over arrows, hydrates, units; inline and display.
MHCHEM_FORMULAS = [
    ("\\ce{H2O}", False), ("\\ce{SO4^2-}", False), ("\\ce{Fe^{3+}}", False),
    ("\\ce{NaCl(aq)}", False), ("\\ce{^{227}_{90}Th+}", False), ("\\ce{^{14}C}", False),
    ("\\pu{123 kJ/mol}", False), ("\\pu{25 \u00b0C}", False),
    ("K_a = \\frac{[\\ce{H+}][\\ce{A-}]}{[\\ce{HA}]}", False),
    ("\\ce{CO2 + C -> 2 CO}", True), ("\\ce{N2 + 3 H2 <=> 2 NH3}", True),
    ("\\ce{Hg^2+ ->[I-] HgI2 ->[I-] [Hg^{II}I4]^2-}", True),
    ("\\ce{2 H2(g) + O2(g) -> 2 H2O(l)}", True), ("\\ce{CaCO3 ->[\\Delta] CaO + CO2 ^}", True),
    ("\\ce{CuSO4 * 5 H2O}", True), ("\\ce{Ba^2+ + SO4^2- -> BaSO4 v}", True),
    ("\\pu{8.314 J K^-1 mol^-1}", True), ("\\pu{1.2e-3 mol//L}", True),
]


def mhchem_book_formulas(path):
    """{(TeX of the annotation, display): canonical <math>} of a book's chapters."""
    got = {}
    for name, text in Book(path).all_xhtml().items():
        for m in re.finditer(r"<math\b.*?</math>", text, re.S):
            a = re.search(r'<annotation encoding="application/x-tex">(.*?)</annotation>', m.group(0), re.S)
            tex = html.unescape(a.group(1)) if a else None
            got[(tex, 'display="block"' in m.group(0)[:200])] = ET.canonicalize(m.group(0))
    return got


def mhchem_checks():
    """\\ce and \\pu (KaTeX's mhchem extension) become the MathML KaTeX+mhchem
    gives in Node, under Duktape (BB_NODE=none) and under Node."""
    node = shutil.which("node") or shutil.which("nodejs")
    if not node or not os.path.exists("/usr/share/javascript/katex/contrib/mhchem.js"):
        skip("mhchem", "no node or no /usr/share/javascript/katex/contrib/mhchem.js (libjs-katex)")
        return
    o = subprocess.run([node, "-e", MHCHEM_ORACLE], input=json.dumps(MHCHEM_FORMULAS), capture_output=True, text=True)
    want = json.loads(o.stdout) if o.returncode == 0 else None
    if not check(want is not None and all(want), "mhchem: the oracle (KaTeX+mhchem in Node) renders every formula",
                 o.stderr[-300:]):
        return
    body = []
    for i, (tex, display) in enumerate(MHCHEM_FORMULAS):
        body.append(("$$\n%s\n$$\n" if display else "Formula %d: $%s$ here.\n") % ((tex,) if display else (i, tex)))
    blog = os.path.join(OUT, "mhchem-blog")
    write_blog(blog, {"_posts/2024-01-02-chemistry.md": "---\ntitle: Chemistry\n---\n" + "\n".join(body)})
    for engine, env in (("Duktape", {"BB_NODE": "none"}), ("Node", {"BB_NODE": node})):
        r, path = bind(blog, "mhchem-" + engine.lower(), env=env)
        if not check(r.returncode == 0, "mhchem (%s): the blog binds" % engine, r.stderr[-300:]):
            continue
        books["mhchem-" + engine.lower()] = (path, True)
        kept = [l for l in r.stderr.splitlines() if "kept as TeX" in l]
        check(not kept, "mhchem (%s): no formula kept as TeX" % engine, "\n".join(kept[:4]))
        got = mhchem_book_formulas(path)
        check(len(got) == len(MHCHEM_FORMULAS), "mhchem (%s): %d formulas in the book as MathML" % (engine, len(MHCHEM_FORMULAS)),
              "%d found" % len(got))
        for (tex, display), k in zip(MHCHEM_FORMULAS, want):
            m = re.search(r"<math\b.*?</math>", k, re.S)
            w = ET.canonicalize(m.group(0)) if m else None
            check(got.get((tex, display)) == w, "mhchem (%s): %s%s is KaTeX+mhchem's MathML" % (engine, "(display) " if display else "", tex),
                  "book: %s\nKaTeX: %s" % (got.get((tex, display)), w))


def corpus_checks():
    """The collector, typography and the shared corpora (not in --smoke)."""
    mhchem_checks()
    collector_checks()
    collect_jobs_checks()
    typography_checks()

    corpora = os.path.join(SHARED, "corpora")
    for name in ["jekyll-docs", "minima-demo", "basically-basic-demo", "jekyll-test-fixtures", "kaityo256-blog", "jessfraz-hugo"]:
        src = shared("corpora", name)
        if not src:
            continue
        r, path = bind(src, name)
        if not check(r.returncode == 0, name + ": binds (exit 0)", r.stderr[-300:]):
            continue
        books[name] = (path, False)
        b = Book(path)
        if name != "jessfraz-hugo":
            want = published_posts(src)
            check(len(b.chapters()) == want, name + ": one chapter per published post", "%d chapters, %d posts" % (len(b.chapters()), want))
        if name in ("basically-basic-demo", "kaityo256-blog", "jessfraz-hugo"):
            want = referenced_local_images(src)
            have = book_images(b)
            missing = [want[h] for h in want if h not in have]
            check(want and not missing, name + ": every existing local image is embedded (%d)" % len(want), ", ".join(missing[:5]))
        if name == "jekyll-docs":
            t = "".join(b.all_xhtml().values())
            left = re.findall(r"\{%[^%]*%\}", re.sub(r"<pre>.*?</pre>|<code>.*?</code>", "", t, flags=re.S))
            check(not left, "jekyll-docs: no Liquid tag left outside code", str(left[:3]))
            check(len(re.findall(r'href="p[0-9_-][0-9a-z_-]*(\.\d+)?\.xhtml', t)) > 0, "jekyll-docs: links between posts point inside the book")
    if os.path.isdir(os.path.join(corpora, "kaityo256-blog")):
        r, path = bind(os.path.join(corpora, "kaityo256-blog"), "kaityo256-vertical", "--vertical")
        check(r.returncode == 0, "kaityo256-blog --vertical binds")
        books["kaityo256-vertical"] = (path, False)
    marks_checks(corpora)



def finish():
    """The strict active-content oracle on every book made here, then
    EPUBCheck on the books of the books table; returns the exit status."""
    check(len(books) > 0, "books were made (%d)" % len(books))
    made = sorted(os.path.join(d, f) for d, _, fs in os.walk(OUT) for f in fs
                  if f.endswith(".epub") and f != "keep.epub")  # keep.epub: a stand-in, not a book
    check(all(p in made for p, _ in books.values()), "every book of the table is on disk (%d books made)" % len(made))
    for p in made:
        n = os.path.relpath(p, OUT)
        try:
            with zipfile.ZipFile(p) as z:
                probs = active_content(z)
        except (OSError, zipfile.BadZipFile) as e:
            probs = ["cannot open %s: %s" % (p, e)]
        check(not probs, "%s: no active content (tests/oracles.py)" % n, "; ".join(probs[:10]))
    # --- EPUBCheck on every book, two at a time
    todo = books
    why = epubcheck_missing()
    if os.environ.get("BB_E2E_SKIP_EPUBCHECK") == "1":
        print("# EPUBCheck not run here (BB_E2E_SKIP_EPUBCHECK=1): run.sh compares these books with the checked ones")
        todo = {}
    elif why:
        skip("EPUBCheck of %d books" % len(books), why)
        todo = {}
    with cf.ThreadPoolExecutor(max_workers=2) as ex_:
        results = {n: ex_.submit(epubcheck, p) for n, (p, _) in todo.items()}
        for n, fut in results.items():
            errors, warnings, lines = fut.result()
            strict = todo[n][1]
            check(errors == 0 and (warnings == 0 or not strict),
                  "EPUBCheck %s: %d errors, %d warnings%s" % (n, errors, warnings, " (0 allowed)" if strict else ""),
                  "; ".join(lines[:5]))
            for l in lines[:20]:
                print("#   " + l)

    return done("e2e")


if __name__ == "__main__":
    sys.exit(main())
