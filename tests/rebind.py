#!/usr/bin/env python3
"""rebind.py: binding a blog again after it changed keeps what did not.

Stable rebinds: a generated blog (English and Japanese posts, headings,
links between posts and to other posts' headings, a post long enough to be
split) is bound; then a backdated post is added, a post is edited, a post
is removed, and each time every other chapter file must keep its name and
its bytes, every heading id its value, and the book its identifier; only the
changed post's files, the package document, the navigation and the pages
listing posts may differ.

Incremental rebinds (--cache-dir): books made through the cache are
byte-identical to books made without it, after adding a post, after cache
entries are corrupted or cut off, with two runs sharing one cache, and
after a run killed midway. The entries live in packs, one a run
(src/cachepack.c): a rebind writes only its new entries, a book's packs
are packed into one when they are many or hold entries it no longer uses,
and --cache-max removes the least recently used packs first.
"""
import hashlib
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import time
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import BIN, BUILD, check, done, epubcheck, epubcheck_missing, skip  # noqa: E402

OUT = os.path.join(BUILD, "rebind")
POST_FILE = re.compile(r"^EPUB/(p[0-9_-][0-9a-z_-]*)(\.\d+)?\.xhtml$")
LISTING = {"EPUB/content.opf", "EPUB/nav.xhtml", "EPUB/toc.ncx", "EPUB/title.xhtml", "EPUB/cover.xhtml"}


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def long_body():
    """A post of about 400 KB with headings, which the book splits."""
    out = []
    for i in range(900):
        if i % 60 == 0:
            out.append("## Stretch %d" % (i // 60))
        out.append("Line %d of the long walk: the path turns by the river, the light goes low, " % i +
                   "and the notebook fills with the same few words written again. " * 6)
    return "\n\n".join(out) + "\n"


# The blog: name -> text. Links between posts use the permalink (/YYYY/MM/DD/slug.html),
# Jekyll's post_url, and fragments naming another post's heading.
POSTS = {
    "_posts/2024-01-14-starting-a-notebook.md":
        "---\ntitle: Starting a notebook\n---\nThe first page.\n\n## Why paper\n\nBecause it waits.\n\n"
        "### Pens\n\nAny pen.\n\n## What goes in\n\nSee [the walks](/2024/05/12/morning-walks.html#the-route) "
        "and [the Japanese notes]({% post_url 2024-03-10-日本語の記事 %}).\n",
    "_posts/2024-03-10-日本語の記事.md":
        "---\ntitle: 日本語の記事\nlang: ja\n---\n日本語で書いた記事です。\n\n## はじめに\n\n"
        "最初の[ノート](/2024/01/14/starting-a-notebook.html#why-paper)を読む。\n\n## 道具\n\n紙と鉛筆。\n",
    "_posts/2024-05-12-morning-walks.md":
        "---\ntitle: Morning walks\ncategories: [walks]\n---\nOut before seven.\n\n## The route\n\n"
        "Down to the river and back.[^1]\n\n## The weather\n\nAny.\n\n[^1]: About three kilometres.\n",
    "_posts/2024-06-16-the-long-walk.md":
        "---\ntitle: The long walk\n---\n" + long_body(),
    "_posts/2024-07-30-ten-books.md":
        "---\ntitle: Ten books in a bag\n---\nA list.\n\n## The list\n\n1. One\n2. Two\n\n"
        "Back to [the route](/2024/05/12/morning-walks.html#the-route) and "
        "[the long walk](/2024/06/16/the-long-walk.html#stretch-12).\n",
    "_posts/2024-08-15-朝の読書.md":
        "---\ntitle: 朝の読書\nlang: ja\n---\n朝に本を読む。\n\n## 本の選び方\n\n短いものから。\n\n"
        "## 続き\n\n[はじめに](/2024/03/10/日本語の記事.html#はじめに)も見てください。\n",
    "_posts/2024-09-01-same-day.md":
        "---\ntitle: Same day one\n---\nOne of two posts of a day with one slug.\n\n## First of the day\n\nText.\n",
    "_posts/notes/2024-09-01-same-day.md":
        "---\ntitle: Same day two\n---\nThe other one.\n\n## Second of the day\n\nText.\n",
}
CONFIG = "title: Rebind test\nauthor: Tester\nurl: https://rebind.example\nlang: en\n" \
         "permalink: /:year/:month/:day/:title.html\n"
BACKDATED = ("_posts/2023-11-02-an-older-note.md",
             "---\ntitle: An older note\n---\nFound later, dated earlier.\n\n## Old heading\n\nText.\n")


def make_blog(path, posts, config=CONFIG):
    shutil.rmtree(path, ignore_errors=True)
    write(os.path.join(path, "_config.yml"), config)
    for name, text in posts.items():
        write(os.path.join(path, name), text)


def bind(blog, out, *args, timeout=600):
    if os.path.exists(out):
        os.unlink(out)
    r = subprocess.run([BIN, blog, "-o", out, *args], capture_output=True, text=True, timeout=timeout)
    return r


def entries(path):
    """name -> bytes of every file in the book."""
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def heading_ids(files):
    """post file name -> the ids of its h1..h6, in order."""
    out = {}
    for n, data in files.items():
        if POST_FILE.match(n):
            out[n] = re.findall(r'<h[1-6][^>]*\sid="([^"]+)"', data.decode("utf-8"))
    return out


def identifier(files):
    m = re.search(rb"<dc:identifier[^>]*>([^<]+)<", files.get("EPUB/content.opf", b""))
    return m.group(1).decode() if m else None


def post_files(files):
    return {n for n in files if POST_FILE.match(n)}


def compare(what, before, after, changed_stems, allowed_extra=()):
    """Every post file of before whose stem is not in changed_stems is in
    after with the same bytes; nothing else differs but the listing files,
    group pages and allowed_extra."""
    kept = [n for n in post_files(before) if POST_FILE.match(n).group(1) not in changed_stems]
    same = [n for n in kept if after.get(n) == before[n]]
    check(len(kept) >= 6 and len(same) == len(kept),
          "%s: every other chapter file keeps its name and bytes (%d of %d)" % (what, len(same), len(kept)),
          sorted(set(kept) - set(same))[:6])
    hb, ha = heading_ids(before), heading_ids(after)
    nids = sum(len(hb[n]) for n in kept)
    check(nids >= 20 and all(ha.get(n) == hb[n] for n in kept),
          "%s: every heading id of the other posts unchanged (%d ids)" % (what, nids))
    check(identifier(before) is not None and identifier(before) == identifier(after),
          "%s: the identifier is the same" % what, "%s / %s" % (identifier(before), identifier(after)))
    other = sorted(n for n in set(before) | set(after)
                   if n not in LISTING and not POST_FILE.match(n) and not re.match(r"EPUB/g[0-9a-z_-]*\.xhtml$", n)
                   and n not in allowed_extra and before.get(n) != after.get(n))
    changed_posts = sorted(n for n in set(before) | set(after)
                           if POST_FILE.match(n) and POST_FILE.match(n).group(1) not in changed_stems
                           and before.get(n) != after.get(n))
    check(not other and not changed_posts, "%s: nothing else differs but the package, navigation and listings" % what,
          other + changed_posts)


def stem_of(files, title):
    """The stem of the post file whose title is title."""
    for n, data in files.items():
        m = POST_FILE.match(n)
        if m and not m.group(2) and ('class="post-title" id="' in data.decode("utf-8")) and \
                ">%s</h1>" % title in data.decode("utf-8"):
            return m.group(1)
    return None


def stable_tests():
    blog = os.path.join(OUT, "blog")
    make_blog(blog, POSTS)
    r = bind(blog, os.path.join(OUT, "base.epub"))
    check(r.returncode == 0, "the generated blog binds", r.stderr[-800:])
    base = entries(os.path.join(OUT, "base.epub"))
    names = post_files(base)
    check(len(names) >= 9 and any(re.search(r"\.\d+\.xhtml$", n) for n in names),
          "the book has %d post files, the long post split into parts" % len(names), sorted(names))
    check("EPUB/p20240114-starting-a-notebook.xhtml" in names, "a post's file is named by its date and slug",
          sorted(names))
    alltext = b"".join(base[n] for n in names).decode("utf-8")
    check(re.search(r'href="p20240512-morning-walks\.xhtml#the-route"', alltext) is not None and
          re.search(r'href="p20240616-the-long-walk\.\d+\.xhtml#stretch-12"', alltext) is not None,
          "links to other posts' headings point into the book (also into a later part)")
    same_day = [n for n in names if n.startswith("EPUB/p20240901-same-day")]
    check(len(same_day) == 2 and len(set(same_day)) == 2, "two posts of one date and slug get two names", same_day)

    # a backdated post: nothing else moves
    posts = dict(POSTS)
    posts[BACKDATED[0]] = BACKDATED[1]
    make_blog(blog, posts)
    r = bind(blog, os.path.join(OUT, "added.epub"))
    check(r.returncode == 0, "the blog with a backdated post binds", r.stderr[-800:])
    added = entries(os.path.join(OUT, "added.epub"))
    new = post_files(added) - names
    check(new == {"EPUB/p20231102-an-older-note.xhtml"}, "the backdated post adds one file, named by itself",
          sorted(new))
    compare("backdated post", base, added, {"p20231102-an-older-note"})

    # an edited post: only its files differ
    posts = dict(POSTS)
    posts["_posts/2024-05-12-morning-walks.md"] = posts["_posts/2024-05-12-morning-walks.md"].replace(
        "Out before seven.", "Out before six, now that summer is here.")
    make_blog(blog, posts)
    r = bind(blog, os.path.join(OUT, "edited.epub"))
    edited = entries(os.path.join(OUT, "edited.epub"))
    check(r.returncode == 0 and edited.get("EPUB/p20240512-morning-walks.xhtml") !=
          base.get("EPUB/p20240512-morning-walks.xhtml", b"-"), "the edited post's file changed", r.stderr[-800:])
    compare("edited post", base, edited, {"p20240512-morning-walks"})

    # an edited Japanese post (a name made from the hash of its path)
    ja = stem_of(base, "日本語の記事")
    posts = dict(POSTS)
    posts["_posts/2024-03-10-日本語の記事.md"] = posts["_posts/2024-03-10-日本語の記事.md"].replace(
        "紙と鉛筆。", "紙と鉛筆と消しゴム。")
    make_blog(blog, posts)
    r = bind(blog, os.path.join(OUT, "edited-ja.epub"))
    edited = entries(os.path.join(OUT, "edited-ja.epub"))
    check(r.returncode == 0 and ja is not None and stem_of(edited, "日本語の記事") == ja,
          "a Japanese post keeps its name (%s) when edited" % ja)
    compare("edited Japanese post", base, edited, {ja})

    # a removed post (one no other post links to)
    posts = dict(POSTS)
    del posts["_posts/2024-09-01-same-day.md"]
    gone = [POST_FILE.match(n).group(1) for n in names if n.startswith("EPUB/p20240901-same-day")]
    make_blog(blog, posts)
    r = bind(blog, os.path.join(OUT, "removed.epub"))
    removed = entries(os.path.join(OUT, "removed.epub"))
    check(r.returncode == 0 and len(post_files(removed)) == len(names) - 1, "the removed post's file is gone",
          r.stderr[-800:])
    # the remaining post of that day may take the plain name back: it counts as changed
    compare("removed post", base, removed, set(gone))

    # chapters by year: a post in a new, earlier year renames no group page
    make_blog(blog, POSTS)
    r1 = bind(blog, os.path.join(OUT, "year.epub"), "--chapters", "year")
    posts = dict(POSTS)
    posts[BACKDATED[0]] = BACKDATED[1]
    make_blog(blog, posts)
    r2 = bind(blog, os.path.join(OUT, "year-added.epub"), "--chapters", "year")
    y1, y2 = entries(os.path.join(OUT, "year.epub")), entries(os.path.join(OUT, "year-added.epub"))
    check(r1.returncode == 0 and r2.returncode == 0 and "EPUB/g2024.xhtml" in y1 and
          y1.get("EPUB/g2024.xhtml") == y2.get("EPUB/g2024.xhtml") and "EPUB/g2023.xhtml" in y2,
          "--chapters year: the 2024 group page keeps its name and bytes when 2023 appears",
          sorted(n for n in y2 if n.startswith("EPUB/g")))
    compare("--chapters year, backdated post", y1, y2, {"p20231102-an-older-note"})

    # another selection of the same blog is another book
    r = bind(blog, os.path.join(OUT, "since.epub"), "--since", "2024-05-01")
    since = entries(os.path.join(OUT, "since.epub"))
    check(r.returncode == 0 and identifier(since) and identifier(since) != identifier(base),
          "another selection (--since) gives another identifier")
    why = epubcheck_missing()
    if why:
        skip("rebind: EPUBCheck", why)
    else:
        for b in ("added", "removed", "year-added"):
            errors, warnings, lines = epubcheck(os.path.join(OUT, b + ".epub"))
            check(errors == 0 and warnings == 0, "rebind: %s.epub passes EPUBCheck (%d errors, %d warnings)" %
                  (b, errors, warnings), "\n".join(lines[:10]))


def main():
    if not os.access(BIN, os.X_OK):
        check(False, "blogbind is built", BIN)
        return done("rebind")
    os.makedirs(OUT, exist_ok=True)
    stable_tests()
    if "--stable-only" not in sys.argv:
        cache_tests()
    return done("rebind")


PNG_RED = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
                        "0000000c4944415408d763f8cfc000000301010018dd8db00000000049454e44ae426082")
GIF = bytes.fromhex("47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b")
PNG_BLUE = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
                         "0000000c4944415408d7636060f80f0001030100c6f0e1a40000000049454e44ae426082")


def cache_posts():
    """The stable test's blog, with images (one missing), a Liquid list of
    every post (site.posts) and a post linking to a heading of another."""
    posts = dict(POSTS)
    posts["_posts/2024-10-01-pictures.md"] = ("---\ntitle: Pictures\n---\nA red dot: ![red](/img/dot.png)\n\n"
                                              "A dot not drawn yet: ![later](/img/later.png)\n\n## Seen\n\nText.\n")
    posts["_posts/2024-11-01-index.md"] = ("---\ntitle: Every post\n---\n{% for p in site.posts %}- {{ p.title }}\n"
                                           "{% endfor %}\n")
    return posts


def setup_images(blog):
    os.makedirs(os.path.join(blog, "img"), exist_ok=True)
    with open(os.path.join(blog, "img", "dot.png"), "wb") as f:
        f.write(PNG_RED)


def book_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def reused(stderr):
    m = re.search(r"chapter cache: (\d+) of (\d+) posts reused", stderr)
    return (int(m.group(1)), int(m.group(2))) if m else (-1, -1)


def same_as_full(what, blog, cache, *args, expect_reused=None):
    """Binds blog without the cache and with it: the books must be the
    same bytes. Returns the cached run's stderr."""
    full = os.path.join(OUT, "full.epub")
    cached = os.path.join(OUT, "cached.epub")
    r1 = bind(blog, full, "-q", *args)
    r2 = bind(blog, cached, "-v", "--cache-dir", cache, *args)
    ok = r1.returncode == 0 and r2.returncode == 0 and book_bytes(full) == book_bytes(cached)
    got = reused(r2.stderr)
    detail = "%s; exit %d/%d %s" % (got, r1.returncode, r2.returncode, (r1.stderr + r2.stderr)[-600:])
    if expect_reused is not None:
        ok = ok and expect_reused(got)
    check(ok, "--cache-dir: %s: byte-identical to a bind without the cache (%d of %d posts reused)" %
          (what, got[0], got[1]), detail)
    return r2.stderr


def packs_of(cache):
    """The pack files of DIR/chapters, by name."""
    d = os.path.join(cache, "chapters")
    if not os.path.isdir(d):
        return []
    return sorted(os.path.join(d, n) for n in os.listdir(d) if n.startswith("pack-"))


def pack_entries(path):
    """A pack's entries read one by one from its head, as cachepack.c reads
    a pack whose index is broken: [(key, offset, length)]."""
    with open(path, "rb") as f:
        data = f.read()
    out = []
    if data[:8] != b"BBPACK01":
        return out
    off = 48
    while off + 64 <= len(data) and data[off:off + 8] == b"BBCHAP03":
        n = 48 + struct.unpack("<Q", data[off + 40:off + 48])[0] + 16
        if off + n > len(data):
            break
        out.append((data[off + 8:off + 40], off, n))
        off += n
    return out


def pack_index(path):
    """The number of entries a pack's index (its end) says, or None when
    there is no index: the checksum is the program's to check."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 48 + 32 or data[-24:-16] != b"BBPKEND1":
        return None
    return struct.unpack("<Q", data[-32:-24])[0]


def entries_of(cache):
    """Every entry of every pack: [(pack, key, offset, length)]."""
    return [(p,) + e for p in packs_of(cache) for e in pack_entries(p)]


def cache_blog(name, cache_name):
    """A new test blog of cache_posts() with its images, and an empty
    cache folder for it: (blog, cache, posts)."""
    blog = os.path.join(OUT, name)
    cache = os.path.join(OUT, cache_name)
    shutil.rmtree(cache, ignore_errors=True)
    posts = cache_posts()
    make_blog(blog, posts)
    setup_images(blog)
    return blog, cache, posts


def cache_tests():
    blog, cache, posts = cache_blog("cblog", "cache")
    n = len(posts)
    same_as_full("a first bind (empty cache)", blog, cache, expect_reused=lambda g: g == (0, n))
    check(len(entries_of(cache)) == n, "--cache-dir: one entry a post in DIR/chapters (%d)" % len(entries_of(cache)))
    same_as_full("a second bind", blog, cache, expect_reused=lambda g: g == (n, n))

    # a backdated post: only it and the post listing every post are rendered
    posts[BACKDATED[0]] = BACKDATED[1]
    make_blog(blog, posts)
    setup_images(blog)
    # (and the post whose {% post_url %} makes it a Liquid post, which may read site.posts)
    same_as_full("a backdated post added", blog, cache, expect_reused=lambda g: g == (n - 2, n + 1))

    # a heading other posts link to is renamed: the posts linking to it are
    # rendered again (their links now point to the post's start)
    posts["_posts/2024-05-12-morning-walks.md"] = posts["_posts/2024-05-12-morning-walks.md"].replace(
        "## The route", "## The path")
    make_blog(blog, posts)
    setup_images(blog)
    same_as_full("a heading other posts link to renamed", blog, cache,
                 expect_reused=lambda g: 0 < g[0] <= n + 1 - 3)

    # an image's bytes change; a missing image appears
    with open(os.path.join(blog, "img", "dot.png"), "wb") as f:
        f.write(PNG_BLUE)
    # (a file's name in the book comes from its path and type: the chapter is the same)
    same_as_full("an image's bytes changed", blog, cache, expect_reused=lambda g: g[0] == g[1])
    with open(os.path.join(blog, "img", "dot.png"), "wb") as f:
        f.write(GIF)
    same_as_full("an image's type changed (a GIF under .png)", blog, cache, expect_reused=lambda g: g[0] == g[1] - 1)
    with open(os.path.join(blog, "img", "later.png"), "wb") as f:
        f.write(PNG_RED)
    same_as_full("a missing image appeared", blog, cache, expect_reused=lambda g: g[0] == g[1] - 1)
    with open(os.path.join(blog, "img", "dot.png"), "wb") as f:
        f.write(PNG_RED)

    # an option that changes every chapter
    same_as_full("--no-highlight --toc-depth 3", blog, cache, "--no-highlight", "--toc-depth", "3")
    # (the picture post's entry of those keys names the GIF: it is rendered again)
    same_as_full("the options back", blog, cache, expect_reused=lambda g: g[0] == g[1] - 1)

    # broken entries: flipped bytes, one bit flipped, a pack cut off, files
    # that are no pack
    shutil.rmtree(cache, ignore_errors=True)
    bind(blog, os.path.join(OUT, "cached.epub"), "-q", "--cache-dir", cache)
    packs = packs_of(cache)
    live = entries_of(cache)
    check(len(packs) == 1 and len(live) == len(posts) and pack_index(packs[0]) == len(live),
          "--cache-dir: a first bind writes one pack, its index naming its %d entries" % len(live),
          (len(packs), len(live), pack_index(packs[0]) if packs else None))
    pack = packs[0]
    with open(pack, "r+b") as f:
        # a byte in the middle of the first entry
        _, _, off, n = live[0]
        f.seek(off + n // 2)
        c = f.read(1)
        f.seek(off + n // 2)
        f.write(bytes([c[0] ^ 0x5a]))
        # one bit each: the payload's first byte (after magic, key,
        # length), its middle, the entry's last byte (the checksum's)
        for (_, _, off, n), where in zip(live[1:4], (48, None, -1)):
            at = off + (48 if where == 48 else n // 2 + 1 if where is None else n - 1)
            f.seek(at)
            c = f.read(1)
            f.seek(at)
            f.write(bytes([c[0] ^ 0x01]))
        # cut in the middle of the seventh entry: the index goes too
        _, _, off, n = live[6]
        f.truncate(off + n // 2)
    bits = [e[1].hex() for e in live[1:4]]
    garbage = [os.path.join(cache, "chapters", "pack-garbage"), os.path.join(cache, "chapters", "0" * 64)]
    for g in garbage:
        with open(g, "wb") as f:
            f.write(b"not an entry")
    err = same_as_full("entries flipped, a pack cut off, foreign files", blog, cache,
                       expect_reused=lambda g: g[0] == 2)
    notes = [ln for ln in err.splitlines() if "cache entry" in ln or "chapter cache" in ln]
    check(sum("corrupted (checksum)" in ln for ln in notes) == 4 and any("no sound index" in ln for ln in notes),
          "--cache-dir: -v names each broken entry (4 corrupted) and the pack read one by one", "\n".join(notes))
    check(all(any(k[:12] in ln and "corrupted (checksum)" in ln for ln in notes) for k in bits),
          "--cache-dir: one bit flipped at an entry's payload start, middle or checksum: caught by the checksum",
          "\n".join(notes))
    check(os.path.exists(garbage[0]) and not os.path.exists(garbage[1]),
          "--cache-dir: a file named as a pack but not one is left alone; an older program's entry file is removed")
    os.unlink(garbage[0])
    same_as_full("after the repairs", blog, cache, expect_reused=lambda g: g[0] == g[1])

    # two runs on one cache at once
    shutil.rmtree(cache, ignore_errors=True)
    full = os.path.join(OUT, "full.epub")
    bind(blog, full, "-q")
    procs = [subprocess.Popen([BIN, blog, "-o", os.path.join(OUT, "conc%d.epub" % i), "-q", "--cache-dir", cache],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE) for i in range(2)]
    rcs = [p.wait(timeout=600) for p in procs]
    check(rcs == [0, 0] and all(book_bytes(os.path.join(OUT, "conc%d.epub" % i)) == book_bytes(full) for i in range(2)),
          "--cache-dir: two runs on one cache at once both make the full bind's book", rcs)
    same_as_full("after two runs at once", blog, cache, expect_reused=lambda g: g[0] == g[1])

    index_test()
    index_order_test()
    kill_test()
    bound_test()
    packs_test()


def index_hits(stderr):
    m = re.search(r"post index: (\d+) of (\d+) post files unchanged", stderr)
    return (int(m.group(1)), int(m.group(2))) if m else (-1, -1)


def index_test():
    """The post index (DIR/chapters/.posts) spares reading unchanged post
    files; a post edited in place with its size and mtime put back (touch
    -d) is still read again: its ctime changed."""
    blog, cache, posts = cache_blog("iblog", "icache")
    n = len(posts)
    time.sleep(2.5)  # files changed just before a bind are not indexed (postindex.c: RACY_NS); well past it
    same_as_full("post index: a first bind", blog, cache)
    err = same_as_full("post index: a second bind", blog, cache, expect_reused=lambda g: g == (n, n))
    check(index_hits(err) == (n, n), "--cache-dir: the post index spares reading every unchanged post file",
          index_hits(err))
    name = "_posts/2024-05-12-morning-walks.md"
    path = os.path.join(blog, name)
    st = os.stat(path)
    with open(path, "rb") as f:
        old = f.read()
    new = old.replace(b"route", b"ROUTE", 1)
    if new == old:
        new = old[:-2] + (b"X" if old[-2:-1] != b"X" else b"Y") + old[-1:]
    with open(path, "r+b") as f:
        f.write(new)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    st2 = os.stat(path)
    check(st2.st_size == st.st_size and st2.st_mtime_ns == st.st_mtime_ns and st2.st_ino == st.st_ino and new != old,
          "post index: the edit keeps the file's size, mtime and inode",
          (st.st_size, st2.st_size, st.st_mtime_ns, st2.st_mtime_ns))
    err = same_as_full("post index: a post edited with its size and mtime put back (touch -d)", blog, cache)
    check(index_hits(err) == (n - 1, n), "post index: the edited post is read again (its ctime changed), the others not",
          index_hits(err))
    with zipfile.ZipFile(os.path.join(OUT, "cached.epub")) as z:
        text = "".join(z.read(i).decode("utf-8", "replace") for i in z.namelist() if i.endswith(".xhtml"))
    check(("ROUTE" in text) == (b"ROUTE" in new), "post index: the book holds the edited text")
    # a broken index is only a miss
    with open(os.path.join(cache, "chapters", ".posts"), "r+b") as f:
        f.seek(60)
        c = f.read(1)
        f.seek(60)
        f.write(bytes([c[0] ^ 0x5a]))
    err = same_as_full("post index: flipped bytes in the index", blog, cache)
    check("post index" in err and "not used" in err and index_hits(err)[0] == 0,
          "post index: a corrupted index is not used (-v says so)", index_hits(err))


def order_posts():
    """70 posts (five batches of postindex.c's 16): every 7th with a title
    that warns, every 11th with a NUL byte (warns too)."""
    posts = {}
    for i in range(70):
        name = "_posts/2022-%02d-%02d-post-%02d.md" % (1 + i // 28, 1 + i % 28, i)
        title = "[%d, 2]" % i if i % 7 == 3 else "Post %d" % i
        posts[name] = "---\ntitle: %s\n---\nPost %d.\n\n## Heading %d\n\nText.\n" % (title, i, i)
        if i % 11 == 5:
            posts[name] = "---\ntitle: Bad %d\n---\nA NUL \0 here.\n" % i
    return posts


def warnings_of(stderr):
    return [ln for ln in stderr.splitlines() if "warning:" in ln]


def index_order_test():
    """The post index's entries are read on the render's threads: the
    posts, the book and the warnings they replay (in the files' order,
    those of files read again between them) do not depend on --jobs."""
    blog = os.path.join(OUT, "oblog")
    posts = order_posts()
    make_blog(blog, posts)
    time.sleep(2.5)  # files changed just before a bind are not indexed (postindex.c: RACY_NS)
    full = os.path.join(OUT, "ofull.epub")
    r = bind(blog, full, "-j", "1")
    want = warnings_of(r.stderr)
    check(r.returncode == 0 and len(want) == 15, "post index order: the blog warns 15 times", r.stderr[-600:])
    cache = os.path.join(OUT, "ocache")
    shutil.rmtree(cache, ignore_errors=True)
    bind(blog, os.path.join(OUT, "ofirst.epub"), "-q", "--cache-dir", cache)
    def edit():
        """three files changed since: read again, between the index's (each
        run, as a run may index them once their time is past)"""
        for k in (10, 31, 54):
            name = sorted(posts)[k]
            write(os.path.join(blog, name), posts[name] + "\nMore.\n")
    edit()
    r1 = bind(blog, full, "-j", "1")
    check(len(warnings_of(r1.stderr)) == 15, "post index order: the edited blog warns 15 times")
    for jobs in ("1", "2", "3"):
        edit()
        out = os.path.join(OUT, "ocached.epub")
        r2 = bind(blog, out, "-v", "-j", jobs, "--cache-dir", cache)
        hits = index_hits(r2.stderr)
        check(r2.returncode == 0 and book_bytes(out) == book_bytes(full) and hits == (len(posts) - 3, len(posts)),
              "post index order: -j %s, 3 files read again: the book of a bind without the cache" % jobs,
              (hits, r2.stderr[-400:]))
        check(warnings_of(r2.stderr) == warnings_of(r1.stderr),
              "post index order: -j %s: the warnings in the files' order" % jobs,
              "\n".join(warnings_of(r2.stderr)[:8]))


def kill_test():
    """A run killed (SIGKILL) midway leaves a cache the next runs use."""
    blog = os.path.join(OUT, "kblog")
    cache = os.path.join(OUT, "kcache")
    shutil.rmtree(cache, ignore_errors=True)
    posts = {}
    para = "Words enough to make the post weigh a few kilobytes, with *emphasis* and `code`. " * 12
    for i in range(1500):
        posts["_posts/2023-%02d-%02d-post-%04d.md" % (1 + i % 12, 1 + i % 28, i)] = (
            "---\ntitle: Post %d\n---\n## Part one\n\n%s\n\n## Part two\n\n%s\n\n```c\nint x = %d;\n```\n"
            % (i, para, para, i))
    make_blog(blog, posts)
    out = os.path.join(OUT, "killed.epub")
    if os.path.exists(out):
        os.unlink(out)
    p = subprocess.Popen([BIN, blog, "-o", out, "-q", "--cache-dir", cache], stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    t0 = time.time()
    while time.time() - t0 < 300 and p.poll() is None:
        packs = packs_of(cache)
        if packs and len(pack_entries(packs[0])) >= 300:
            break
        time.sleep(0.02)
    was_running = p.poll() is None
    p.send_signal(signal.SIGKILL)
    p.wait()
    made = len(entries_of(cache))
    check(was_running and 0 < made < 1500 and not os.path.exists(out) and
          all(pack_index(pk) is None for pk in packs_of(cache)),
          "a run killed midway (SIGKILL) after %d of 1500 entries left no book, and its pack no index" % made)
    same_as_full("after a run was killed midway", blog, cache,
                 expect_reused=lambda g: made <= g[0] < g[1] == 1500)
    same_as_full("and once more", blog, cache, expect_reused=lambda g: g == (1500, 1500))



def bound_test():
    """--cache-max bounds the folder: the least recently used packs go
    first, down to 90 % of the bound; the other books' recent packs and
    this run's stay."""
    def noise(b, i):
        """6.4 KB of hex digits (packs of some MB: --cache-max counts MB)"""
        h = hashlib.sha256(b"%d-%d" % (b, i)).hexdigest()
        out = []
        for _ in range(100):
            h = hashlib.sha256(h.encode()).hexdigest()
            out.append(h)
        return "\n\n".join(" ".join(out[k:k + 4]) for k in range(0, 100, 4))
    caches = os.path.join(OUT, "bcache")
    shutil.rmtree(caches, ignore_errors=True)
    blogs = []
    for b in range(3):
        blog = os.path.join(OUT, "bblog%d" % b)
        make_blog(blog, {"_posts/2023-%02d-%02d-post-%04d.md" % (1 + i % 12, 1 + i % 28, i):
                         "---\ntitle: Post %d of blog %d\n---\n## One\n\n%s\n" % (i, b, noise(b, i))
                         for i in range(400)})
        r = bind(blog, os.path.join(OUT, "b%d.epub" % b), "-q", "--cache-dir", caches)
        check(r.returncode == 0, "--cache-max: blog %d bound into the shared cache" % b, r.stderr[-300:])
        blogs.append(blog)
    packs = packs_of(caches)
    check(len(packs) == 3, "--cache-max: three books, three packs", packs)
    if len(packs) != 3:
        return
    # the packs in the order the runs made them: a pack's name starts with
    # the time it was made
    made = sorted(packs)
    sizes = [os.path.getsize(pk) for pk in made]
    for pk, t in zip(made, (1000000000, 1500000000, 4000000000)):
        os.utime(pk, (t, t))
    r = bind(blogs[0], os.path.join(OUT, "b0.epub"), "-q", "--cache-dir", caches, "--cache-max", "0")
    check(r.returncode == 0 and packs_of(caches) == packs, "--cache-max 0: no bound (%d packs)" % len(packs))
    for pk, t in zip(made, (1000000000, 1500000000, 4000000000)):
        os.utime(pk, (t, t))
    # a run on another blog: it uses none of these packs; the bound is the
    # smallest that the two newer packs (and its own) fit under at 90 %
    tiny = os.path.join(OUT, "tinyblog")
    make_blog(tiny, {"_posts/2024-01-01-x.md": "---\ntitle: X\n---\nX.\n"})
    limit = -(-(sizes[1] + sizes[2] + 20000) * 10 // 9 // 1000000)
    check(sum(sizes) > limit * 1000000, "--cache-max: the three packs (%d KB) are over %d MB" % (sum(sizes) // 1024, limit))
    r = bind(tiny, os.path.join(OUT, "tiny.epub"), "-q", "--cache-dir", caches, "--cache-max", str(limit))
    left = packs_of(caches)
    now = sum(os.path.getsize(pk) for pk in left)
    check(r.returncode == 0 and now <= limit * 900000 and made[0] not in left and made[1] in left and made[2] in left
          and len(left) == 3,
          "--cache-max %d: packs of %d KB are kept under 90 %% of %d MB (%d KB left), the least recently used "
          "removed, the newer two and the run's own kept" % (limit, sum(sizes) // 1024, limit, now // 1024),
          (r.stderr[-300:], [os.path.basename(p) for p in left]))
    same_as_full("after --cache-max removed a pack", blogs[0], caches, "--cache-max", str(limit),
                 expect_reused=lambda g: g == (0, 400))
    same_as_full("and the blog whose pack stayed", blogs[2], caches, "--cache-max", str(limit),
                 expect_reused=lambda g: g == (400, 400))


def packs_test():
    """A rebind adds a pack of only its new entries and leaves the others as
    they were; a book of more than eight packs has all but its largest
    packed into one, and a book whose packs hold a quarter of bytes it no
    longer uses has all packed into one, by a complete run; a killed run's
    stale temporary files and an older program's files are removed."""
    blog, cache, posts = cache_blog("pblog", "pcache")
    chapters = os.path.join(cache, "chapters")
    same_as_full("packs: a first bind", blog, cache)
    first = packs_of(cache)
    check(len(first) == 1, "packs: a first bind writes one pack", first)
    if len(first) != 1:
        return
    st = os.stat(first[0])
    stale = os.path.join(chapters, ".tmp-pack-1-1-1")
    fresh = os.path.join(chapters, ".tmp-pack-2-2-2")
    older = [os.path.join(chapters, "ab" * 32), os.path.join(chapters, ".sizes")]
    for f in [stale, fresh] + older:
        write(f, "left over")
    os.utime(stale, (time.time() - 7200, time.time() - 7200))
    posts["_posts/2024-10-02-one-more.md"] = "---\ntitle: One more\n---\nA post added.\n\n## Its heading\n\nText.\n"
    make_blog(blog, posts)
    setup_images(blog)
    same_as_full("packs: a post added", blog, cache, expect_reused=lambda g: g[0] < g[1])
    now = packs_of(cache)
    new = [pk for pk in now if pk not in first]
    st2 = os.stat(first[0]) if os.path.exists(first[0]) else None
    check(len(now) == 2 and len(new) == 1 and 1 <= len(pack_entries(new[0])) <= 3 and st2 is not None and
          (st2.st_size, st2.st_mtime_ns) == (st.st_size, st.st_mtime_ns),
          "packs: a rebind adds a pack of its new entries only (%d), the first pack untouched" %
          (len(pack_entries(new[0])) if new else -1), [os.path.basename(p) for p in now])
    check(not os.path.exists(stale) and os.path.exists(fresh) and not any(os.path.exists(o) for o in older),
          "packs: a killed run's temporary file over 10 minutes old is removed, a fresh one kept, an older "
          "program's entry and size files removed")
    # most posts edited: their old entries are unused; all packed into one
    for name in sorted(posts)[:len(posts) * 2 // 3]:
        posts[name] = posts[name] + "\nAn edit.\n"
    make_blog(blog, posts)
    setup_images(blog)
    same_as_full("packs: two thirds of the posts edited", blog, cache, expect_reused=lambda g: g[0] < g[1])
    now = packs_of(cache)
    keys = [e[1] for e in entries_of(cache)]
    check(len(now) == 1 and pack_index(now[0]) == len(keys) == len(set(keys)) and len(keys) <= len(posts),
          "packs: entries no longer used (over a quarter of the bytes) are left out when packing into one "
          "(%d entries, none twice, %d posts)" % (len(keys), len(posts)), [os.path.basename(p) for p in now])
    same_as_full("packs: after packing", blog, cache, expect_reused=lambda g: g[0] == g[1])

    # a blog that grows by a post a run: its first, large pack stays as it
    # is, the small ones are packed into one past eight
    blog, cache = os.path.join(OUT, "gblog"), os.path.join(OUT, "gcache")
    shutil.rmtree(cache, ignore_errors=True)
    para = "Words enough to make the post weigh some kilobytes, with *emphasis* and `code`. " * 12
    grow = {"_posts/2023-01-%02d-post-%d.md" % (1 + i, i): "---\ntitle: Post %d\n---\n%s\n\n## Two\n\n%s %d\n" %
            (i, para, para, i) for i in range(25)}
    make_blog(blog, grow)
    same_as_full("packs: a growing blog, first bind", blog, cache)
    big = packs_of(cache)
    counts = []
    for k in range(9):
        grow["_posts/2024-02-%02d-added-%d.md" % (1 + k, k)] = "---\ntitle: Added %d\n---\nA short post %d.\n" % (k, k)
        make_blog(blog, grow)
        same_as_full("packs: a growing blog, post %d added" % (k + 1), blog, cache,
                     expect_reused=lambda g: g[0] == g[1] - 1)
        counts.append(len(packs_of(cache)))
    now = packs_of(cache)
    keys = [e[1] for e in entries_of(cache)]
    # (a ninth pack would make nine: the run packs the eight small ones)
    check(len(big) == 1 and counts == [2, 3, 4, 5, 6, 7, 8, 2, 3] and big[0] in now and
          len(keys) == len(set(keys)) == len(grow) and all(pack_index(pk) is not None for pk in now),
          "packs: a blog growing by a post a run keeps its first pack; past eight packs the small ones are "
          "packed into one (packs after each run: %s; %d entries, none twice)" % (counts, len(keys)),
          [os.path.basename(p) for p in now])


if __name__ == "__main__":
    sys.exit(main())
