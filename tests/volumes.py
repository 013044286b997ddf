#!/usr/bin/env python3
"""volumes.py: a blog bound as several books (--volumes year|month|N,
--volume-size), their series metadata (also of a --series book), links
between volumes, and the archive's provenance (--source-links, --link-notes).

Every book made here goes through EPUBCheck (0 errors, 0 warnings). The
kaityo256-blog corpus (BB_SHARED) is copied and two posts of this test's own
are added, which link across years; the posts are counted from the source
with a YAML parser, not from blogbind. The other blogs are written here.
Prints one line per check and "volumes: N passed, N failed".
"""
import concurrent.futures as cf
import os
import random
import re
import shutil
import stat
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
import zlib

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import BIN, BUILD, check, done, epubcheck, epubcheck_missing, shared, skip  # noqa: E402

OUT = os.path.abspath(os.environ.get("BB_VOLUMES_OUT") or os.path.join(BUILD, "volumes"))
SDE = "1700000000"  # 2023-11-14
BOUND = "2023-11-14"
OPF = "{http://www.idpf.org/2007/opf}"
DC = "{http://purl.org/dc/elements/1.1/}"
X = "{http://www.w3.org/1999/xhtml}"
EP = "{http://www.idpf.org/2007/ops}"
BOOKS = []  # every book made, for EPUBCheck at the end


def run(args, cwd=None, sde=True):
    env = dict(os.environ)
    env.pop("SOURCE_DATE_EPOCH", None)
    if sde:
        env["SOURCE_DATE_EPOCH"] = SDE
    return subprocess.run([BIN] + args, capture_output=True, text=True, env=env, cwd=cwd)


def fresh(*parts):
    d = os.path.join(OUT, *parts)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    return d


def epubs(d):
    return sorted(f for f in os.listdir(d) if f.endswith(".epub"))


class Book:
    """A book's OPF metadata and its chapters (first files of posts)."""

    def __init__(self, path):
        self.path = path
        z = zipfile.ZipFile(path)
        self.opf = ET.fromstring(z.read("EPUB/content.opf"))
        md = self.opf.find(OPF + "metadata")
        self.title = md.find(DC + "title").text
        self.identifier = md.find(DC + "identifier").text
        metas = md.findall(OPF + "meta")
        coll = [m for m in metas if m.get("property") == "belongs-to-collection"]
        self.series = coll[0].text if len(coll) == 1 else None
        cid = "#" + coll[0].get("id", "") if len(coll) == 1 else None
        refines = {m.get("property"): m.text for m in metas if cid and m.get("refines") == cid}
        self.collection_type = refines.get("collection-type")
        self.position = refines.get("group-position")
        named = {m.get("name"): m.get("content") for m in metas if m.get("name")}
        self.calibre_series = named.get("calibre:series")
        self.calibre_index = named.get("calibre:series_index")
        manifest = {i.get("id"): i.get("href") for i in self.opf.iter(OPF + "item")}
        self.files = {}
        self.chapters = []
        for ref in self.opf.iter(OPF + "itemref"):
            href = manifest[ref.get("idref")]
            doc = ET.fromstring(z.read("EPUB/" + href))
            self.files[href] = doc
            h1 = [h for h in doc.iter(X + "h1") if "post-title" in (h.get("class") or "")]
            if not h1 or "post-continued" in h1[0].get("class"):
                continue
            time = next(doc.iter(X + "time"), None)
            src = [f for f in doc.iter(X + "footer") if f.get("class") == "post-source"]
            url = None
            bound = None
            if src:
                a = src[0].find(".//" + X + "a")
                url = a.get("href") if a is not None else None
                t = src[0].find(".//" + X + "time")
                bound = t.get("datetime") if t is not None else None
            self.chapters.append({"file": href, "title": "".join(h1[0].itertext()).strip(),
                                  "date": time.get("datetime") if time is not None else "",
                                  "url": url, "bound": bound, "doc": doc})

    def hrefs(self, chapter):
        """The links of a chapter's text (not its notes or source line)."""
        out = []
        for p in chapter["doc"].iter(X + "p"):
            for a in p.iter(X + "a"):
                if a.get(EP + "type") in ("noteref", "backlink") or a.get("class") == "url":
                    continue
                out.append((a.get("href"), "".join(a.itertext())))
        return out


def check_series(books, name, what):
    """Series metadata right: one collection, series type, positions 1..n
    in order, calibre's the same; identifiers distinct."""
    ok = all(b.series == name and b.collection_type == "series" and b.calibre_series == name for b in books)
    check(ok and books, what + ": every volume is in series %r (belongs-to-collection, collection-type series, "
          "calibre:series)" % name, [(b.series, b.collection_type, b.calibre_series) for b in books])
    pos = [(b.position, b.calibre_index) for b in books]
    check(books and pos == [(str(i), str(i)) for i in range(1, len(books) + 1)],
          what + ": group-position and calibre:series_index run 1..%d in order" % len(books), pos)
    ids = [b.identifier for b in books]
    check(len(ids) >= 2 and len(set(ids)) == len(ids) and all(i.startswith("urn:uuid:") for i in ids),
          what + ": the volumes' identifiers are distinct", ids)


def front(path):
    """The front matter of a post file (a dict), parsed with PyYAML."""
    text = open(path, encoding="utf-8").read()
    m = re.match(r"---\r?\n(.*?)\r?\n---", text, re.S)
    try:
        fm = yaml.safe_load(m.group(1)) if m else {}
    except yaml.YAMLError:
        fm = {}
    return fm if isinstance(fm, dict) else {}


def source_years(posts):
    """{year: [file names]} of the posts that are published, by the date in
    the front matter when it is one, else the file name's."""
    years = {}
    for f in sorted(os.listdir(posts)):
        if not re.match(r"\d{4}-\d{2}-\d{2}-.*\.(md|markdown|html)$", f):
            continue
        fm = front(os.path.join(posts, f))
        if fm.get("published") is False:
            continue
        m = re.match(r"(\d{4})-\d{2}-\d{2}", str(fm.get("date", "")))
        years.setdefault(m.group(1) if m else f[:4], []).append(f)
    return years


# ---- kaityo256-blog: one volume a year ----

def kaityo():
    corpus = shared("corpora", "kaityo256-blog")
    if not corpus:
        return
    src = os.path.join(fresh("kaityo-src"), "blog")
    shutil.copytree(corpus, src)
    # the shared corpora may be read-only; the copy is this test's to write
    # (root writes anyway, a user does not)
    for d, _, files in os.walk(src):
        os.chmod(d, os.stat(d).st_mode | stat.S_IWUSR)
        for f in files:
            q = os.path.join(d, f)
            os.chmod(q, os.stat(q).st_mode | stat.S_IWUSR)
    posts = os.path.join(src, "_posts")
    names = sorted(f for f in os.listdir(posts) if f.endswith(".md"))
    first, later = names[0], [f for f in names if f.startswith("2019-")][0]
    # this test's own posts: links to a post of another year, and of the same
    newest = names[-1]
    with open(os.path.join(posts, first[:10] + "-volumes-forward.md"), "w") as f:
        f.write("---\ntitle: Forward link\n---\nSee [a later post]({%% post_url %s %%}) and [the newest]"
                "({%% post_url %s %%}).\n" % (later[:-3], newest[:-3]))
    with open(os.path.join(posts, newest[:10] + "-volumes-back.md"), "w") as f:
        f.write("---\ntitle: Back link\n---\nBack to [the first post]({%% post_url %s %%}); "
                "[this year's]({%% post_url %s %%}).\n" % (first[:-3], newest[:-3]))
    title = yaml.safe_load(open(os.path.join(src, "_config.yml"), encoding="utf-8"))["title"]
    years = source_years(posts)
    out = fresh("kaityo")
    r = run([src, "--volumes", "year", "--source-links", "-o", out + "/"])
    if not check(r.returncode == 0, "kaityo256-blog --volumes year: exit 0", r.stderr[-800:]):
        return
    want = ["%s %s.epub" % (title, y) for y in sorted(years)]
    check(sorted(os.listdir(out)) == want,
          "kaityo256-blog: one book per year (%d), named after the blog and the year, nothing else left" % len(years),
          sorted(os.listdir(out)))
    books = [Book(os.path.join(out, n)) for n in want if os.path.exists(os.path.join(out, n))]
    BOOKS.extend(b.path for b in books)
    check_series(books, title, "kaityo256-blog")
    check([b.title for b in books] == ["%s %s" % (title, y) for y in sorted(years)],
          "kaityo256-blog: each volume's title is the blog's and its year", [b.title for b in books])
    counts = {y: len(b.chapters) for y, b in zip(sorted(years), books)}
    print("# posts per year from the source: " + ", ".join("%s %d" % (y, len(v)) for y, v in sorted(years.items())))
    check(counts == {y: len(v) for y, v in years.items()},
          "kaityo256-blog: each volume holds the posts of its year, counted from the source", counts)
    wrong = [(b.title, c["date"]) for y, b in zip(sorted(years), books) for c in b.chapters if c["date"][:4] != y]
    check(not wrong, "kaityo256-blog: every chapter is dated in its volume's year", wrong[:5])
    urls = [c["url"] for b in books for c in b.chapters]
    total = sum(len(v) for v in years.values())
    check(len(urls) == total and len(set(urls)) == total and None not in urls,
          "kaityo256-blog: every post (%d) in exactly one volume, by its address" % total,
          (len(urls), len(set(urls))))
    site = yaml.safe_load(open(os.path.join(src, "_config.yml"), encoding="utf-8"))["url"].rstrip("/") + "/"
    bad = [u for u in urls if not (u or "").startswith(site)]
    check(not bad, "kaityo256-blog: every post's address is under the blog's url (a 'permalink: name' is /name, "
          "as Jekyll makes it)", bad[:5])
    where = {c["url"]: b.title for b in books for c in b.chapters}
    byname = {c["title"]: (b, c) for b in books for c in b.chapters}
    fwd, back = byname.get("Forward link"), byname.get("Back link")
    if check(fwd and back, "kaityo256-blog: this test's two posts are bound"):
        hs = fwd[0].hrefs(fwd[1])
        check(len(hs) == 2 and all(h in where and where[h] != fwd[0].title for h, _ in hs),
              "kaityo256-blog: links to posts of other years go to their addresses on the blog", hs)
        hs = back[0].hrefs(back[1])
        check(len(hs) == 2 and hs[0][0] in where and where[hs[0][0]] != back[0].title and
              hs[1][0].endswith(".xhtml") and not hs[1][0].startswith("http"),
              "kaityo256-blog: a link to another year goes to the web, one to the same year stays in the book", hs)
    # every link to a post's address is to a post of another volume
    same = [(b.title, h) for b in books for c in b.chapters for h, _ in b.hrefs(c) if where.get(h) == b.title]
    check(not same, "kaityo256-blog: no link goes to the web for a post of its own volume", same[:5])


# ---- a blog written here ----

def png(path, side, seed):
    """An RGB PNG of random pixels (deflate cannot shrink it)."""
    rnd = random.Random(seed)
    raw = b"".join(b"\0" + bytes(rnd.getrandbits(8) for _ in range(side * 3)) for _ in range(side))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)) +
                chunk(b"IDAT", zlib.compress(raw, 1)) + chunk(b"IEND", b""))


DATES = ["2019-03-05", "2019-03-20", "2019-07-01", "2020-01-10", "2020-01-11", "2020-02-29", "2020-11-30",
         "2021-06-15", "2021-06-16", "2021-12-31"]


def gen_blog(d, url=True, images=None):
    """Ten posts over three years; each links to the next post (by URL) and
    the previous (post_url), and to the web. images: {post number: side}."""
    os.makedirs(os.path.join(d, "_posts"))
    os.makedirs(os.path.join(d, "assets"))
    with open(os.path.join(d, "_config.yml"), "w") as f:
        f.write("title: Gen\nauthor: Tester\n" + ("url: https://gen.example.org\n" if url else ""))
    for i, day in enumerate(DATES):
        body = "Post number %d.\n\n" % (i + 1)
        if i + 1 < len(DATES):
            body += "Next: [post %d](/%s/post-%d.html).\n\n" % (i + 2, DATES[i + 1].replace("-", "/"), i + 2)
        if i:
            body += "Previous: [post %d]({%% post_url %s-post-%d %%}).\n\n" % (i, DATES[i - 1], i)
        body += "Read [the spec %d](https://www.w3.org/TR/epub-33/#sec-%d), <https://example.com/auto%d>, " \
                "and [a search](http://example.org/q?a=%d&b=2).\n" % (i, i, i, i)
        if images and i + 1 in images:
            png(os.path.join(d, "assets", "img%d.png" % (i + 1)), images[i + 1], i)
            body += "\n![picture %d](/assets/img%d.png)\n" % (i + 1, i + 1)
        series = "series: Saga\n" if i % 3 == 0 else ""
        with open(os.path.join(d, "_posts", "%s-post-%d.md" % (day, i + 1)), "w") as f:
            f.write("---\ntitle: Post %d\n%s---\n%s" % (i + 1, series, body))


def gen_volumes():
    src = os.path.join(fresh("gen-src"), "blog")
    gen_blog(src)
    months = sorted({d[:7] for d in DATES})
    out = fresh("gen-month")
    r = run([src, "--volumes", "month", "--source-links", "-o", os.path.join(out, "Archive.epub")])
    check(r.returncode == 0, "generated blog --volumes month: exit 0", r.stderr[-500:])
    want = ["Archive %s.epub" % m for m in months]
    check(epubs(out) == want and sorted(os.listdir(out)) == want,
          "--volumes month -o Archive.epub: 'Archive YYYY-MM.epub', one per month", os.listdir(out))
    books = [Book(os.path.join(out, n)) for n in want if os.path.exists(os.path.join(out, n))]
    BOOKS.extend(b.path for b in books)
    check_series(books, "Gen", "--volumes month")
    got = {b.title[4:]: sorted(c["date"] for c in b.chapters) for b in books}
    check(got == {m: [d for d in DATES if d.startswith(m)] for m in months},
          "--volumes month: each volume holds its month's posts, each post once", got)
    # the next post is in another volume unless it is in the same month
    where = {c["url"]: b.title for b in books for c in b.chapters}
    bad = []
    seen = 0
    for b in books:
        for c in b.chapters:
            n = int(c["title"].split()[1])
            for h, text in b.hrefs(c):
                if not text.startswith("post "):
                    continue
                seen += 1
                t = int(text.split()[1]) - 1
                same = DATES[t][:7] == DATES[n - 1][:7]
                if same != (h.endswith(".xhtml") and not h.startswith("http")) or \
                        (not same and where.get(h) != "Gen " + DATES[t][:7]):
                    bad.append((c["title"], text, h))
    check(seen == 18 and not bad, "--volumes month: links to posts (18) of the same month stay in the book, the "
          "others go to the post's address on the blog", (seen, bad))
    # --dry-run names the same volumes, each with its posts, and writes nothing
    dry = fresh("gen-month-dry")
    r = run([src, "--volumes", "month", "--dry-run", "-o", os.path.join(dry, "Archive.epub")])
    files, per, cur = [], {}, None
    for line in r.stdout.splitlines():
        m = re.match(r"^volume \d+, (\S+): \d+ posts? -> (.*)$", line)
        if m:
            cur = m.group(1)
            files.append(os.path.basename(m.group(2)))
            per[cur] = []
        elif cur and re.match(r"^  \d{4}-\d\d-\d\d  ", line):
            per[cur].append(line.split()[0])
    check(r.returncode == 0 and files == want and os.listdir(dry) == [] and
          {k: sorted(v) for k, v in per.items()} == {m: sorted(d for d in DATES if d.startswith(m)) for m in months},
          "--dry-run --volumes month: the volumes the bind writes, each with its posts; nothing written",
          r.stdout[-800:] + r.stderr[-300:])
    # reproducible, and across --jobs
    again = fresh("gen-month-again")
    run([src, "--volumes", "month", "--source-links", "-j", "1", "-o", os.path.join(again, "Archive.epub")])
    diff = [n for n in want if not os.path.exists(os.path.join(again, n)) or
            open(os.path.join(out, n), "rb").read() != open(os.path.join(again, n), "rb").read()]
    check(not diff, "--volumes month: the same volumes byte for byte again (-j 1 against the default)", diff)

    out = fresh("gen-n")
    r = run([src, "--volumes", "4", "-o", out])
    want = ["Gen 1-4.epub", "Gen 5-8.epub", "Gen 9-10.epub"]
    check(r.returncode == 0 and sorted(os.listdir(out)) == want,
          "--volumes 4 -o FOLDER: 'Gen 1-4', 'Gen 5-8', 'Gen 9-10' in the folder", (os.listdir(out), r.stderr[-300:]))
    books = [Book(os.path.join(out, n)) for n in want if os.path.exists(os.path.join(out, n))]
    BOOKS.extend(b.path for b in books)
    check_series(books, "Gen", "--volumes 4")
    got = [[c["title"] for c in b.chapters] for b in books]
    check(got == [["Post %d" % i for i in range(a, z + 1)] for a, z in ((1, 4), (5, 8), (9, 10))],
          "--volumes 4: four posts a volume in book order", got)

    # a new post leaves the older volumes as they were, byte for byte (no
    # SOURCE_DATE_EPOCH: a volume's date is its newest post's)
    before, after = fresh("gen-grow-before"), fresh("gen-grow-after")
    run([src, "--volumes", "year", "-o", before], sde=False)
    new = os.path.join(src, "_posts", "2022-02-02-post-11.md")
    with open(new, "w") as f:
        f.write("---\ntitle: Post 11\n---\nA new year.\n")
    run([src, "--volumes", "year", "-o", after], sde=False)
    os.remove(new)
    old = epubs(before)
    same = [n for n in old if os.path.exists(os.path.join(after, n)) and
            open(os.path.join(before, n), "rb").read() == open(os.path.join(after, n), "rb").read()]
    check(len(old) == 3 and epubs(after) == old + ["Gen 2022.epub"] and same == old,
          "a post in a new year adds a volume and leaves the 3 older ones byte for byte as they were",
          (old, epubs(after), same))

    # a --series book carries the same metadata
    out = fresh("gen-series")
    r = run([src, "--series", "Saga", "-o", os.path.join(out, "saga.epub")])
    if check(r.returncode == 0, "--series Saga: exit 0", r.stderr[-300:]):
        b = Book(os.path.join(out, "saga.epub"))
        BOOKS.append(b.path)
        check((b.series, b.collection_type, b.position, b.calibre_series, b.calibre_index) ==
              ("Saga", "series", "1", "Saga", "1") and len(b.chapters) == 4,
              "--series Saga: the book is in series Saga (4 posts)",
              (b.series, b.collection_type, b.position, b.calibre_series, b.calibre_index, len(b.chapters)))
    return src


def gen_failures(src):
    # no url: a link to another volume keeps its text, with a warning
    nourl = os.path.join(fresh("gen-nourl-src"), "blog")
    gen_blog(nourl, url=False)
    out = fresh("gen-nourl")
    r = run([nourl, "--volumes", "year", "-o", out])
    warn = [l for l in r.stderr.splitlines() if "another volume" in l and "warning: " in l]
    placed = [l for l in warn if re.match(r".+post-(3|7)\.md:\d+:\d+: warning: ", l)]
    check(r.returncode == 0 and len(warn) == 4 and len(placed) == 2,
          "no url: each link to another volume (4: between posts 3 and 4, 7 and 8) is a warning naming the post "
          "(with line and column for the 2 written as URLs)", r.stderr[-800:])
    ok = False
    if os.path.exists(os.path.join(out, "Gen 2020.epub")):
        b = Book(os.path.join(out, "Gen 2020.epub"))
        BOOKS.append(b.path)
        c = [c for c in b.chapters if c["title"] == "Post 4"]
        text = "".join(c[0]["doc"].itertext()) if c else ""
        ok = c and "Previous: post 3" in re.sub(r"\s+", " ", text) and \
            not any(t == "post 3" for _, t in b.hrefs(c[0]))
    check(ok, "no url: the link's text is kept, without a link")
    # --strict and a warning in the second volume: no volume, nothing replaced
    out = fresh("gen-strict")
    sentinel = os.path.join(out, "Gen 2019.epub")
    with open(sentinel, "wb") as f:
        f.write(b"an older book")
    with open(os.path.join(src, "_posts", "2020-05-05-broken.md"), "w") as f:
        f.write("---\ntitle: Broken\n---\n![gone](/assets/none.png)\n")
    r = run([src, "--volumes", "year", "--strict", "-o", out])
    os.remove(os.path.join(src, "_posts", "2020-05-05-broken.md"))
    check(r.returncode == 1 and os.listdir(out) == ["Gen 2019.epub"] and open(sentinel, "rb").read() == b"an older book",
          "--strict with a warning in a later volume: exit 1, no volume written, the old book untouched, no "
          "temporary file left", (r.returncode, os.listdir(out)))


def gen_size():
    src = os.path.join(fresh("gen-size-src"), "blog")
    # 250 KB pictures; post 6's is 1.3 MB, more than the bound alone
    gen_blog(src, images={i: (660 if i == 6 else 290) for i in range(1, 11)})
    out = fresh("gen-size")
    r = run([src, "--volume-size", "1", "-o", out])
    if not check(r.returncode == 0, "--volume-size 1: exit 0", r.stderr[-500:]):
        return
    names = sorted(epubs(out), key=lambda n: int(re.match(r"Gen (\d+)", n).group(1)))
    books = [Book(os.path.join(out, n)) for n in names]
    BOOKS.extend(b.path for b in books)
    sizes = {n: os.path.getsize(os.path.join(out, n)) for n in names}
    print("# --volume-size 1: " + ", ".join("%s %d" % kv for kv in sizes.items()))
    alone = [b for b in books if [c["title"] for c in b.chapters] == ["Post 6"]]
    over = [n for n in names if sizes[n] > 1000000]
    check(len(alone) == 1 and over == [os.path.basename(alone[0].path)],
          "--volume-size 1: every volume under 1,000,000 bytes but the one post 6 (1.3 MB of picture) has alone",
          sizes)
    check(len([l for l in r.stderr.splitlines() if "post-6.md" in l and "--volume-size" in l]) == 1,
          "--volume-size: the post larger than the bound is a warning naming it", r.stderr[-500:])
    titles = [c["title"] for b in books for c in b.chapters]
    check(titles == ["Post %d" % i for i in range(1, 11)] and len(books) >= 4,
          "--volume-size: every post once, in order, over %d volumes" % len(books), titles)
    check_series(books, "Gen", "--volume-size")
    full = fresh("gen-size-one")
    run([src, "-o", os.path.join(full, "all.epub")])
    check(os.path.getsize(os.path.join(full, "all.epub")) > 2500000,
          "--volume-size: the same blog as one book is larger than 2.5 MB (the bound did split it)")


# ---- provenance ----

def provenance():
    src = os.path.join(fresh("prov-src"), "blog")
    gen_blog(src)
    out = fresh("prov")
    path = os.path.join(out, "prov.epub")
    r = run([src, "--source-links", "--link-notes", "-o", path])
    if not check(r.returncode == 0, "--source-links --link-notes: exit 0", r.stderr[-500:]):
        return
    BOOKS.append(path)
    b = Book(path)
    want = ["https://gen.example.org/%s/post-%d.html" % (d.replace("-", "/"), i + 1) for i, d in enumerate(DATES)]
    check([c["url"] for c in b.chapters] == want and all(c["bound"] == BOUND for c in b.chapters),
          "--source-links: each chapter ends with its post's address (url + permalink) and the date bound "
          "(SOURCE_DATE_EPOCH)", [(c["url"], c["bound"]) for c in b.chapters][:3])
    bad = []
    total = 0
    for i, c in enumerate(b.chapters):
        text = open(os.path.join(src, "_posts", "%s-post-%d.md" % (DATES[i], i + 1))).read()
        # the links to the web whose text is not their address, from the source
        web = [u for t, u in re.findall(r"\[([^\]]+)\]\((https?://[^)\s]+)\)", text)]
        doc = c["doc"]
        refs = [a for a in doc.iter(X + "a") if a.get(EP + "type") == "noteref"]
        notes = [n for n in doc.iter(X + "aside") if n.get(EP + "type") == "footnote" and
                 (n.get("id") or "").find("-ln") > 0]
        sections = [s for s in doc.iter(X + "section") if s.get("class") == "link-notes"]
        ids = {e.get("id") for e in doc.iter() if e.get("id")}
        shown = ["".join(li.find(".//" + X + "a[@class='url']").itertext()) for li in notes]
        total += len(refs)
        if shown != web or len(refs) != len(web) or \
                [r_.text for r_ in refs] != [str(k) for k in range(1, len(web) + 1)] or \
                any(r_.get("href")[1:] not in ids or r_.get("role") != "doc-noteref" for r_ in refs) or \
                any(n.get("role") != "doc-footnote" for n in notes) or \
                len(sections) != 1 or sections[0].get("role") != "doc-endnotes" or \
                sections[0].get(EP + "type") != "footnotes":
            bad.append((c["title"], shown, web, len(refs)))
    check(total == 20 and not bad, "--link-notes: each link to the web whose text is not its URL has a numbered "
          "note showing the URL (%d): footnote asides (doc-noteref/doc-footnote roles, not the deprecated doc-endnote) in a doc-endnotes section; autolinks get none" % total,
          bad[:3])
    # without the options: none of it
    plain = os.path.join(out, "plain.epub")
    run([src, "-o", plain])
    b = Book(plain)
    check(all(c["url"] is None for c in b.chapters) and
          not any(a.get(EP + "type") == "noteref" for c in b.chapters for a in c["doc"].iter(X + "a")),
          "without --source-links and --link-notes: no source line, no link note")


def epubcheck_all():
    why = epubcheck_missing()
    if why:
        skip("EPUBCheck of the volumes", why)
        return
    with cf.ThreadPoolExecutor(max_workers=2) as ex:
        res = list(ex.map(epubcheck, BOOKS))
    for path, (err, warn, lines) in zip(BOOKS, res):
        check(err == 0 and warn == 0, "EPUBCheck: %s: 0 errors, 0 warnings" % os.path.relpath(path, OUT), lines[:5])


def main():
    if not os.path.isfile(BIN):
        check(False, "blogbind is built", BIN)
        return done("volumes")
    os.makedirs(OUT, exist_ok=True)
    kaityo()
    src = gen_volumes()
    gen_failures(src)
    gen_size()
    provenance()
    epubcheck_all()
    return done("volumes")


if __name__ == "__main__":
    sys.exit(main())
