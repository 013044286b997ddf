#!/usr/bin/env python3
"""sources.py: every kind of blog blogbind reads, bound from the shared
corpora: one chapter per published post (counted here from the source
itself, never from blogbind), EPUBCheck clean, the right title, author and
language, no source markup left as text, every local image a post shows
embedded, and the detection message. Also small generated blogs of each
kind for what the corpora do not show (dateless Hexo posts, ---js front
matter, Pelican drafts, Zola translations, a folder no source reads)."""
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import BIN, BUILD, check, done, epubcheck, epubcheck_missing, shared, skip  # noqa: E402
from oracles import active_content  # noqa: E402

OUT = os.path.join(BUILD, "sources")
os.makedirs(OUT, exist_ok=True)
OPF = "{http://www.idpf.org/2007/opf}"
DC = "{http://purl.org/dc/elements/1.1/}"


def bind(src, name, *opts):
    out = os.path.join(OUT, name + ".epub")
    if os.path.exists(out):
        os.remove(out)
    r = subprocess.run([BIN, "-v", *opts, src, "-o", out], capture_output=True, text=True, timeout=600)
    return r, out


def book(path):
    """(opf metadata dict, [chapter xhtml texts], names) of a book."""
    z = zipfile.ZipFile(path)
    opf = ET.fromstring(z.read("EPUB/content.opf"))
    meta = {}
    for el in opf.find(OPF + "metadata"):
        meta.setdefault(el.tag.split("}")[-1], el.text)
    spine = [i.get("idref") for i in opf.find(OPF + "spine")]
    hrefs = {i.get("id"): i.get("href") for i in opf.find(OPF + "manifest")}
    chapters = [z.read("EPUB/" + hrefs[s]).decode() for s in spine if re.match(r"p[0-9_-]", s or "") or
                re.match(r"p[0-9_-]", hrefs[s].split("/")[-1])]
    return meta, chapters, z.namelist()


def posts_of(chapters):
    """Distinct posts among the chapter files (a long post has parts p20240101-slug.2)."""
    return chapters


def front(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def fm_value(text, key):
    m = re.match(r"^(---|\+\+\+)\n(.*?)\n(---|\+\+\+)\n", text, re.S)
    if not m:
        return None
    for line in m.group(2).splitlines():
        k = re.match(r"^%s\s*[:=]\s*(.*)$" % re.escape(key), line)
        if k:
            return k.group(1).strip().strip('"\'')
    return None


LEFT = [(r"\{%", "{%"), (r"\{\{", "{{"), (r"<!--\s*/?wp:", "block comment"), (r"\[caption", "[caption"),
        (r"\[gallery", "[gallery")]
HEADER = [(r"^(Title|Date|Tags|Category):", "a metadata header")]


def text_outside_code(x):
    x = re.sub(r"<(pre|code)\b.*?</\1>", "", x, flags=re.S)
    return re.sub(r"<[^>]+>", "", x)


def common(name, src, expected_posts, title=None, lang=None, label=None, opts=(), left=()):
    r, out = bind(src, name, *opts)
    if not check(r.returncode == 0 and os.path.exists(out), "%s: binds" % name, r.stderr[-800:]):
        return None
    if label:
        check(("found " + label) in r.stderr, "%s: says it found %s" % (name, label), r.stderr[:300])
    meta, chapters, names = book(out)
    n = len({re.sub(r"\.\d+\.xhtml$", ".xhtml", c) for c in names if re.match(r"EPUB/(text/)?p[0-9_-][0-9a-z_-]*(\.\d+)?\.xhtml$", c)})
    nfiles = {re.sub(r"\.\d+\.xhtml$", ".xhtml", c) for c in names if re.search(r"/p[0-9_-][0-9a-z_-]*(\.\d+)?\.xhtml$", c)}
    check(len(nfiles) == expected_posts, "%s: one chapter per published post (%d counted in the source)" %
          (name, expected_posts), "the book has %d" % len(nfiles))
    if title:
        check(meta.get("title") == title, "%s: title %r" % (name, title), meta.get("title"))
    if lang:
        check((meta.get("language") or "").startswith(lang), "%s: language %s" % (name, lang), meta.get("language"))
    bad = []
    z = zipfile.ZipFile(out)
    for c in sorted(nfiles):
        t = text_outside_code(z.read(c).decode())
        for rx, what in LEFT + list(left):
            if re.search(rx, t, re.M):
                bad.append("%s: %s" % (c, what))
    check(not bad, "%s: no source markup left as text" % name, "; ".join(bad[:8]))
    probs = active_content(zipfile.ZipFile(out))
    check(not probs, "%s: no active content" % name, "; ".join(probs[:5]))
    why = epubcheck_missing()
    if why:
        skip("%s: EPUBCheck" % name, why)
    else:
        e, w, lines = epubcheck(out)
        check(e == 0 and w == 0, "%s: EPUBCheck 0 errors, 0 warnings" % name, "\n".join(lines[:8]))
    return out


def hexo():
    src = shared("corpora", "hexo-seaoak-ja")
    if not src:
        return
    posts = [f for f in os.listdir(os.path.join(src, "source", "_posts")) if f.endswith(".md")]
    out = common("hexo", src, len(posts), title="Seaoak's READ", lang="ja", label="a Hexo site")
    # {% asset_img %} outside code fences, counted in the source: each an image of the book
    want = 0
    for f in posts:
        fence = False
        for line in front(os.path.join(src, "source", "_posts", f)).splitlines():
            if line.lstrip().startswith(("```", "~~~")):
                fence = not fence
            elif not fence and re.match(r"\s*\{%\s*asset_img\s", line):
                want += 1
    if out:
        z = zipfile.ZipFile(out)
        got = sum(z.read(n).decode().count("<img") for n in z.namelist() if re.search(r"/p[0-9_-][0-9a-z_-]*(\.\d+)?\.xhtml$", n))
        check(want > 0 and got >= want, "hexo: every {%% asset_img %%} is an image in the book (%d in the source)" % want,
              "%d images" % got)


def pelican():
    src = shared("corpora", "pelican-berrevoets")
    if not src:
        return
    n = 0
    for d, _, fs in os.walk(os.path.join(src, "content")):
        if os.path.relpath(d, os.path.join(src, "content")).split(os.sep)[0] in ("pages", "images"):
            continue
        for f in fs:
            if f.endswith(".md"):
                t = front(os.path.join(d, f))
                if not re.search(r"^Status:\s*(draft|hidden)", t, re.M | re.I):
                    n += 1
    out = common("pelican", src, n, title="Scott Berrevoets", lang="en", label="a Pelican site", left=HEADER)
    # every use of a reference whose definition is a {filename} link (in
    # posts, admonitions included) is a link to a chapter of the book
    want = 0
    for d in ("blog", "til"):
        for f in os.listdir(os.path.join(src, "content", d)):
            if f.endswith(".md"):
                t = front(os.path.join(src, "content", d, f))
                for lab in re.findall(r"^\[([^\]]+)\]:\s*\{filename\}", t, re.M):
                    want += len(re.findall(r"\[%s\](?!:)" % re.escape(lab), t))
    if out:
        z = zipfile.ZipFile(out)
        got = 0
        for c in z.namelist():
            if re.search(r"/p\d*[-_][0-9a-z_-]*\.xhtml$", c):
                body = z.read(c).decode().split("</header>", 1)[-1]
                got += len(re.findall(r'<a href="p\d*[-_][0-9a-z_-]*\.xhtml[^"]*">', body))
        check(want > 0 and got >= want, "pelican: each {filename} reference used (%d) links inside the book" % want, got)


def zola():
    src = shared("corpora", "zola-tabi-demo")
    if not src:
        return
    n = 0
    for d, _, fs in os.walk(os.path.join(src, "content")):
        for f in fs:
            if not f.endswith(".md") or f.startswith("_") or re.search(r"\.[a-z]{2}(-[a-z]+)?\.md$", f):
                continue
            if (fm_value(front(os.path.join(d, f)), "draft") or "").lower() != "true":
                n += 1
    out = common("zola", src, n, title="~/tabi", lang="en", label="a Zola site")
    # the images posts show: Markdown images and the first image a shortcode
    # names, counted in the source outside escaped shortcodes
    want = 0
    for d, _, fs in os.walk(os.path.join(src, "content")):
        for f in fs:
            if not f.endswith(".md") or f.startswith("_") or re.search(r"\.[a-z]{2}(-[a-z]+)?\.md$", f):
                continue
            t = front(os.path.join(d, f))
            want += len(re.findall(r"!\[[^\]]*\]\((?!https?:)[^)]+\)", t))
            for call in re.findall(r"\{[{%] *[a-z_]+\((.*?)\) *[}%]\}", t):
                if re.search(r"""=\s*["'](?!https?:)[^"']+\.(png|jpe?g|gif|webp|svg|avif)["']""", call, re.I):
                    want += 1
    if out:
        z = zipfile.ZipFile(out)
        got = sum(z.read(x).decode().count("<img") for x in z.namelist() if re.search(r"/p\d*[-_][0-9a-z_-]*(\.\d+)?\.xhtml$", x))
        check(want > 0 and got >= want, "zola: every image a post or its shortcodes show is embedded (%d in the source)"
              % want, "%d images" % got)
    return out


def book_text(out):
    """The text of a book's chapters: tags left out, entities read, blanks
    made one space."""
    import html
    z = zipfile.ZipFile(out)
    t = " ".join(z.read(x).decode() for x in z.namelist() if re.search(r"/p\d*[-_][0-9a-z_-]*(\.\d+)?\.xhtml$", x))
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", t)).split()), t


def hugo_args(s):
    """A Hugo shortcode's arguments: (positional list, named dict)."""
    pos, named = [], {}
    for m in re.finditer(r'(?:(\w+)=)?(?:"((?:[^"\\]|\\.)*)"|`([^`]*)`|([^\s"`]+))', s):
        v = m.group(2) if m.group(2) is not None else m.group(3) if m.group(3) is not None else m.group(4)
        v = re.sub(r'\\(.)', r'\1', v) if m.group(2) is not None else v
        if m.group(1):
            named[m.group(1)] = v
        else:
            pos.append(v)
    return pos, named


def theme_shortcodes(tabi_out):
    """Shortcodes of a theme that is not in the blog's folder: no text of
    theirs lost. Counted from the source with the themes' own meaning
    (LoveIt's admonition TYPE TITLE, version X [changed|deleted], link HREF
    [TEXT]; tabi's admonition(type, title, text), image_toggler's two
    images): each admonition's title (else its type) is in the book, each
    version as many times as the source has it, each link's text."""
    src = shared("corpora", "hugo-loveit-bundles")
    if src:
        r, out = bind(src, "loveit-shortcodes")
        if check(r.returncode == 0, "loveit: binds", r.stderr[-300:]):
            text = book_text(out)[0]
            titles, versions, links = [], {}, []
            for d in sorted(os.listdir(os.path.join(src, "content", "posts"))):
                f = os.path.join(src, "content", "posts", d, "index.en.md")
                if not os.path.exists(f):
                    continue
                t = front(f)
                for m in re.finditer(r"\{\{[<%]\s*admonition\b(.*?)\s*[>%]\}\}", t):
                    pos, named = hugo_args(m.group(1))
                    ty = named.get("type") or (pos[0] if pos else "note")
                    titles.append(named.get("title") or (pos[1] if len(pos) > 1 else ty.capitalize()))
                for m in re.finditer(r"\{\{<\s*version\s+v?([0-9][^\s>]*)(?:\s+(\w+))?\s*>\}\}", t):
                    k = "%s in v%s" % ((m.group(2) or "new").capitalize(), m.group(1))
                    versions[k] = versions.get(k, 0) + 1
                for m in re.finditer(r"\{\{<\s*link\s+(.*?)\s*>\}\}", t):
                    pos, named = hugo_args(m.group(1))
                    links.append(named.get("content") or (pos[1] if len(pos) > 1 else named.get("href") or pos[0]))
            lost = [x for x in titles if " ".join(x.split()) not in text]
            check(len(titles) >= 20 and not lost, "loveit: every admonition's title (else its type) is in the book (%d)"
                  % len(titles), lost[:5])
            lost = ["%s: %d of %d" % (k, text.count(k), n) for k, n in versions.items() if text.count(k) < n]
            check(sum(versions.values()) >= 50 and not lost,
                  "loveit: every {{< version >}} reads 'New/Changed/Deleted in vX' in the book (%d)" % sum(versions.values()),
                  lost[:5])
            lost = [x for x in links if x not in text]
            check(len(links) >= 10 and not lost, "loveit: every {{< link >}}'s text (else its address) is in the book (%d)"
                  % len(links), lost[:5])
            n = len(re.findall(r"Hugo shortcode '(admonition|version|link)'", r.stderr))
            check(n == 0, "loveit: admonition, version and link are understood (no warning)", "%d warnings" % n)
    src = shared("corpora", "zola-tabi-demo")
    if src and tabi_out:
        text, x = book_text(tabi_out)
        titles, alts = [], []
        for d, _, fs in os.walk(os.path.join(src, "content")):
            for f in fs:
                if not f.endswith(".md") or f.startswith("_") or re.search(r"\.[a-z]{2}(-[a-z]+)?\.md$", f):
                    continue
                t = front(os.path.join(d, f))
                for m in re.finditer(r"\{[{%]\s*admonition\((.*?)\)\s*[}%]\}", t):
                    a = dict((k, v) for k, _, v in re.findall(r'(\w+)\s*=\s*(["\'])(.*?)\2', m.group(1)))
                    titles.append(a.get("title") or a.get("type", "note").capitalize())
                for m in re.finditer(r"\{\{\s*image_toggler\((.*?)\)\s*\}\}", t):
                    a = dict((k, v) for k, _, v in re.findall(r'(\w+)\s*=\s*(["\'])(.*?)\2', m.group(1)))
                    alts += [a[k] for k in ("default_alt", "toggled_alt") if k in a]
        lost = [x for x in titles if x not in text]
        check(len(titles) >= 10 and not lost, "tabi: every admonition's title (else its type) is in the book (%d)"
              % len(titles), lost[:5])
        boxes = len(re.findall(r'<div class="admonition [a-z]+"><p class="admonition-title">', x))
        check(boxes >= len(titles), "tabi: each admonition is a box (%d)" % len(titles), "%d boxes" % boxes)
        lost = [a for a in alts if 'alt="%s"' % a.replace("&", "&amp;").replace('"', "&quot;") not in x]
        check(len(alts) >= 4 and not lost, "tabi: both images of an image_toggler are in the book (%d)" % len(alts),
              lost[:5])


def eleventy():
    src = shared("corpora", "eleventy-11ty-website-blog")
    if not src:
        return
    n = 0
    for f in os.listdir(os.path.join(src, "src", "blog")):
        if f.endswith(".md") and "pagination:" not in front(os.path.join(src, "src", "blog", f)):
            n += 1
    out = common("eleventy", src, n, label="an Eleventy site")
    # no _data/metadata.json: the author package.json names
    import json
    with open(os.path.join(src, "package.json")) as f:
        a = json.load(f).get("author")
    a = (a.get("name") if isinstance(a, dict) else re.split(r"\s*[<(]", a or "")[0]).strip()
    if out:
        check(a and book(out)[0].get("creator") == a, "eleventy: the author package.json names (%s)" % a,
              book(out)[0].get("creator"))


def local(tag):
    return tag.split("}")[-1]


def wordpress():
    src = shared("corpora", "wordpress-theme-unit-test")
    if not src:
        return
    xml = [f for f in os.listdir(src) if f.endswith(".xml")][0]
    root = ET.parse(os.path.join(src, xml)).getroot()
    n = 0
    for it in root.iter("item"):
        kv = {local(c.tag): (c.text or "") for c in it}
        if kv.get("post_type") == "post" and kv.get("status") == "publish":
            n += 1
    title = root.find("channel").find("title").text
    common("wordpress", os.path.join(src, xml), n, title=title, label="a WordPress export")
    # with --pages and --comments: the published pages too, and each approved
    # comment (not a pingback) of what is bound, counted in the export
    pages = comments = 0
    for it in root.iter("item"):
        kv = {local(c.tag): (c.text or "") for c in it}
        if kv.get("status") != "publish" or kv.get("post_type") not in ("post", "page"):
            continue
        pages += kv.get("post_type") == "page"
        for c in it:
            if local(c.tag) == "comment":
                ck = {local(x.tag): (x.text or "") for x in c}
                comments += ck.get("comment_approved") == "1" and ck.get("comment_type", "") in ("", "comment")
    r, out = bind(os.path.join(src, xml), "wordpress-all", "--pages", "--comments")
    if check(r.returncode == 0, "wordpress --pages --comments: binds", r.stderr[-300:]):
        z = zipfile.ZipFile(out)
        names = {re.sub(r"\.\d+\.xhtml$", ".xhtml", c) for c in z.namelist() if re.search(r"/p\d*[-_][0-9a-z_-]*(\.\d+)?\.xhtml$", c)}
        check(len(names) == n + pages, "wordpress --pages: %d posts and %d pages" % (n, pages), len(names))
        got = sum(z.read(c).decode().count('class="comment-meta"') for c in z.namelist() if c.endswith(".xhtml"))
        check(comments > 0 and got == comments, "wordpress --comments: the %d approved comments" % comments, got)
        e, w, lines = (0, 0, []) if epubcheck_missing() else epubcheck(out)
        check(e == 0 and w == 0, "wordpress --pages --comments: EPUBCheck 0 errors, 0 warnings", "\n".join(lines[:8]))
    # the folder holding the export is read the same way
    r, out = bind(src, "wordpress-folder")
    check(r.returncode == 0 and "found a WordPress export" in r.stderr, "wordpress: the folder holding the export",
          r.stderr[-300:])


def blogger():
    src = shared("corpora", "blogger-pelican-fixture")
    if not src:
        return
    xml = os.path.join(src, [f for f in os.listdir(src) if f.endswith(".xml")][0])
    with open(xml, encoding="utf-8") as f:
        text = f.read()
    n = 0
    for entry in re.findall(r"<entry>.*?</entry>", text, re.S):
        if "kind#post" in entry and not re.search(r"<app:draft>\s*yes", entry):
            n += 1
    common("blogger", xml, n, label="a Blogger export")
    # --drafts --comments: the drafts too, each post's labels as its
    # categories, and the comments on the posts bound, all counted here
    labels, ncom, posts = set(), 0, 0
    for entry in re.findall(r"<entry>.*?</entry>", text, re.S):
        if "kind#post" in entry:
            posts += 1
            labels |= set(re.findall(r'scheme="http://www.blogger.com/atom/ns#" term="([^"]+)"', entry))
        elif "kind#comment" in entry and "in-reply-to" in entry:
            ncom += 1
    r, out = bind(xml, "blogger-all", "--drafts", "--comments")
    if check(r.returncode == 0, "blogger --drafts --comments: binds", r.stderr[-300:]):
        z = zipfile.ZipFile(out)
        allt = " ".join(z.read(c).decode() for c in z.namelist() if re.search(r"/p\d*[-_][0-9a-z_-]*\.xhtml$", c))
        got = len([c for c in z.namelist() if re.search(r"/p\d*[-_][0-9a-z_-]*\.xhtml$", c)])
        check(got == posts, "blogger --drafts: the %d posts" % posts, got)
        cats = set(re.findall(r'<ul class="post-categories"[^>]*>(.*?)</ul>', allt, re.S))
        shown = set(re.findall(r"<li>([^<]*)</li>", " ".join(cats)))
        check(labels and labels <= shown, "blogger: labels are categories %s" % sorted(labels), shown)
        check(ncom > 0 and allt.count('class="comment-meta"') == ncom, "blogger --comments: the %d comments" % ncom,
              allt.count('class="comment-meta"'))


def small(tmp):
    """Generated blogs: what the corpora do not show."""
    # a Markdown folder with ---js and ---json front matter
    d = os.path.join(tmp, "md")
    os.makedirs(os.path.join(d, "posts"))
    with open(os.path.join(d, "posts", "a.md"), "w") as f:
        f.write("---js\n{ title: 'Code', date: '2020-01-01' }\n---\nBody of a.\n")
    with open(os.path.join(d, "posts", "b.md"), "w") as f:
        f.write('---json\n{"title": "From JSON", "date": "2021-02-03"}\n---\nBody of b.\n')
    # an Eleventy site's _data/metadata.json: title, author, language
    el = os.path.join(tmp, "eleventy")
    os.makedirs(os.path.join(el, "src", "posts"))
    os.makedirs(os.path.join(el, "src", "_data"))
    with open(os.path.join(el, "eleventy.config.js"), "w") as f:
        f.write('export default function (c) { return { dir: { input: "src" } }; }\n')
    with open(os.path.join(el, "src", "_data", "metadata.json"), "w") as f:
        f.write('{"title": "Meta Title", "language": "de", "author": {"name": "Meta Author"}}\n')
    with open(os.path.join(el, "src", "posts", "p.md"), "w") as f:
        f.write("---\ntitle: Eins\ndate: 2021-03-04\n---\nText.\n")
    r, out = bind(el, "eleventy-meta")
    if check(r.returncode == 0, "eleventy: a generated site binds", r.stderr[-400:]):
        m = book(out)[0]
        check(m.get("title") == "Meta Title" and m.get("creator") == "Meta Author" and m.get("language") == "de",
              "eleventy: title, author and language from _data/metadata.json", m)
    r, out = bind(d, "md-js")
    if check(r.returncode == 0, "markdown folder: binds", r.stderr[-500:]):
        z = zipfile.ZipFile(out)
        allt = " ".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xhtml"))
        check("title: 'Code'" not in allt and "Body of a." in allt, "---js front matter is never shown as text")
        check("From JSON" in allt, "---json front matter is read as data")
        check("JavaScript front matter" in r.stderr, "---js gives a warning naming it", r.stderr[-300:])
    # a folder no source reads: the message names what was looked for
    e = os.path.join(tmp, "empty")
    os.makedirs(e)
    with open(os.path.join(e, "notes.txt"), "w") as f:
        f.write("x")
    r, out = bind(e, "none")
    check(r.returncode != 0 and "looked for" in r.stderr and "Hexo" in r.stderr and "errno" not in r.stderr,
          "a folder no source reads: a message naming the kinds looked for", r.stderr[-300:])
    # Hexo: a post without a date is warned and placed by its name
    h = os.path.join(tmp, "hexo")
    os.makedirs(os.path.join(h, "source", "_posts", "withimg"))
    with open(os.path.join(h, "_config.yml"), "w") as f:
        f.write("title: H\nlanguage: en\npost_asset_folder: true\n")
    with open(os.path.join(h, "source", "_posts", "nodate.md"), "w") as f:
        f.write("---\ntitle: No date\n---\nText.\n")
    png = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                        "1f15c4890000000d49444154789c63000100000500010d0a2db40000000049454e44ae426082")
    with open(os.path.join(h, "source", "_posts", "withimg", "dot.png"), "wb") as f:
        f.write(png)
    with open(os.path.join(h, "source", "_posts", "withimg.md"), "w") as f:
        f.write("---\ntitle: Image\ndate: 2020-05-05 10:00:00\n---\nIntro.\n<!-- more -->\nRest.<!--more-->End.\n\n"
                "![a dot](dot.png)\n\n{% link Example site https://example.com/ %} "
                "{% iframe https://example.com/frame %} [other]({% post_path nodate %})\n\n"
                "```js\nvar t = '{{ kept }} {% nosuch %}';\n```\n\n~~~~\n{{ also }}\n~~~~\n")
    r, out = bind(h, "hexo-small")
    if check(r.returncode == 0, "hexo: a generated blog binds", r.stderr[-500:]):
        check("no date in the front matter" in r.stderr, "hexo: a dateless post is warned about")
        check(any(n.endswith(".png") for n in zipfile.ZipFile(out).namelist()),
              "hexo: an image in the post's asset folder is embedded")
        z = zipfile.ZipFile(out)
        allt = " ".join(z.read(n).decode() for n in z.namelist() if re.search(r"/p\d*[-_][0-9a-z_-]*\.xhtml$", n))
        vis = text_outside_code(allt)
        check("Intro." in vis and "Rest." in vis and "End." in vis and "more" not in vis,
              "hexo: <!-- more --> is invisible, the text on both sides kept")
        check(re.search(r'<a href="https://example.com/">Example site</a>', allt) and
              'href="https://example.com/frame"' in allt and re.search(r'<a href="p\d*[-_][0-9a-z_-]*\.xhtml">other</a>', allt),
              "hexo: {% link %}, {% iframe %} and {% post_path %} become links", allt[-1500:])
        check("{%" not in vis, "hexo: no tag left as text")
        check("{{ kept }} {% nosuch %}" in allt.replace("&#39;", "'") and "{{ also }}" in allt,
              "hexo: tags in fenced code are text, as Hexo leaves them")
        check("kept" not in r.stderr and "nosuch" not in r.stderr, "hexo: no warning for code's text", r.stderr[-400:])
    # Zola: translations beside their original are not chapters of their own
    zd = os.path.join(tmp, "zola")
    os.makedirs(os.path.join(zd, "content", "blog", "p"))
    with open(os.path.join(zd, "config.toml"), "w") as f:
        f.write('base_url = "https://example.org"\ntitle = "Z"\ndefault_language = "en"\n')
    for fn, t in (("index.md", "Original"), ("index.es.md", "Traducción"), ("index.ar.md", "ترجمة")):
        with open(os.path.join(zd, "content", "blog", "p", fn), "w") as f:
            f.write('+++\ntitle = "%s"\ndate = 2021-01-01\n+++\nText [other](@/blog/p/index.md).\n' % t)
    r, out = bind(zd, "zola-small")
    if check(r.returncode == 0, "zola: a generated blog binds", r.stderr[-500:]):
        n = [x for x in zipfile.ZipFile(out).namelist() if re.search(r"/p[0-9_-][0-9a-z_-]*\.xhtml$", x)]
        check(len(n) == 1, "zola: one chapter for a post and its translations", n)
    zola_shortcodes(tmp, png)
    # Pelican: drafts by Status, rst named and left out, config code never run
    pd = os.path.join(tmp, "pelican")
    os.makedirs(os.path.join(pd, "content", "blog"))
    with open(os.path.join(pd, "pelicanconf.py"), "w") as f:
        f.write('import os\nAUTHOR = "Ann"\nSITENAME = "Pel"\nos.system("touch %s/ran")\nDEFAULT_LANG = "fr"\n' % pd)
    with open(os.path.join(pd, "content", "blog", "a.md"), "w") as f:
        f.write("Title: Un\nDate: 2020-01-02\n\nTexte un.\n<!-- PELICAN_END_SUMMARY -->\n"
                "![s]({static}/images/s.png) ![a]({attach}a.png) [rel]({filename}e.md) [abs]({filename}/blog/e.md)\n")
    with open(os.path.join(pd, "content", "blog", "e.md"), "w") as f:
        f.write("Title: Encore\nDate: 2020-01-04\n\nTexte encore.\n\n!!! warning \"Attention\"\n    Inside **it**, [un].\n\n"
                "[un]: {filename}a.md\n")
    os.makedirs(os.path.join(pd, "content", "images"))
    with open(os.path.join(pd, "content", "images", "s.png"), "wb") as f:
        f.write(png)
    with open(os.path.join(pd, "content", "blog", "a.png"), "wb") as f:
        f.write(png.replace(b"\x63\x00\x01", b"\x63\x00\x02"))
    with open(os.path.join(pd, "content", "blog", "b.md"), "w") as f:
        f.write("Title: Deux\nDate: 2020-01-03\nStatus: draft\n\nTexte deux.\n")
    with open(os.path.join(pd, "content", "blog", "c.rst"), "w") as f:
        f.write("Trois\n#####\n")
    r, out = bind(pd, "pelican-small")
    if check(r.returncode == 0, "pelican: a generated blog binds", r.stderr[-500:]):
        meta, ch, names = book(out)
        check(meta.get("title") == "Pel" and meta.get("creator") == "Ann" and meta.get("language") == "fr",
              "pelican: title, author, language from pelicanconf.py", meta)
        check(len([x for x in names if re.search(r"/p[0-9_-][0-9a-z_-]*\.xhtml$", x)]) == 2, "pelican: a draft is left out")
        un = [zipfile.ZipFile(out).read(x).decode() for x in names if re.search(r"/p[0-9_-][0-9a-z_-]*\.xhtml$", x)]
        un = [x for x in un if "Texte un." in x][0]
        check(len([x for x in names if x.endswith(".png")]) == 2 and un.count("<img") == 2,
              "pelican: {static}/x and {attach}x images embedded", un[-800:])
        check(len(re.findall(r'<a href="p[0-9_-][0-9a-z_-]*\.xhtml">(rel|abs)</a>', un)) == 2,
              "pelican: {filename}x.md (beside the post) and {filename}/x.md (from PATH) link inside the book")
        check("PELICAN_END_SUMMARY" not in text_outside_code(un), "pelican: the summary marker is invisible")
        en = [zipfile.ZipFile(out).read(x).decode() for x in names if re.search(r"/p[0-9_-][0-9a-z_-]*\.xhtml$", x)]
        en = [x for x in en if "Texte encore." in x][0]
        check(re.search(r'<blockquote>\s*<p><strong>Attention</strong>\s*Inside <strong>it</strong>, '
                        r'<a href="p[0-9_-][0-9a-z_-]*\.xhtml">un</a>.</p>\s*</blockquote>', en) and "!!!" not in en,
              "pelican: an admonition (!!! type \"title\") is a titled block quote, its Markdown read", en[-600:])
        check("c.rst" in r.stderr and "reStructuredText" in r.stderr, "pelican: an rst article is named and left out")
        check(not os.path.exists(os.path.join(pd, "ran")), "pelican: pelicanconf.py is never run")
        allt = " ".join(zipfile.ZipFile(out).read(x).decode() for x in names if x.endswith(".xhtml"))
        check("Date: 2020" not in allt, "pelican: metadata lines are not shown as text")


def zola_shortcodes(tmp, png):
    """Zola shortcodes: rendered from the site's templates where they stay
    within what blogbind reads of Tera, else their text kept with a warning
    at their place; escaped ones shown as text."""
    zd = os.path.join(tmp, "zola-sc")
    sc = os.path.join(zd, "templates", "shortcodes")
    post = os.path.join(zd, "content", "blog", "p")
    os.makedirs(sc)
    os.makedirs(post)
    with open(os.path.join(zd, "config.toml"), "w") as f:
        f.write('base_url = "https://example.org"\ntitle = "Z"\n')
    files = {
        "note.html": '<div class="note">\n  {% if title %}<p class="note-title">{{ title }}</p>{% endif %}\n'
                     '  {{ body | markdown | safe }}\n</div>\n',
        "pic.html": '<figure><img src="{{ src }}" alt="{{ alt | default(value=\'\') }}" />'
                    '{% if caption %}<figcaption>{{ caption }}</figcaption>{% endif %}</figure>\n',
        "loop.html": "{% for x in items %}{{ x }}{% endfor %}",
        "sig.md": "*signed {{ who }}*",
    }
    for name, t in files.items():
        with open(os.path.join(sc, name), "w") as f:
            f.write(t)
    with open(os.path.join(post, "dot.png"), "wb") as f:
        f.write(png)
    with open(os.path.join(post, "other.png"), "wb") as f:
        f.write(png.replace(b"\x63\x00\x01", b"\x63\x00\x02"))
    body = ('+++\ntitle = "Shortcodes"\ndate = 2022-02-02\n+++\n'                        # lines 1-4
            "Intro.\n\n"                                                                  # 5-6
            '{% note(title="Heads <up>") %}\nNote with **bold** words.\n{% end %}\n\n'    # 7-10
            '{{ pic(src="dot.png", alt="a dot", caption="The caption") }}\n\n'            # 11-12
            'Say {{ nosuch(text="kept words", kind="x") }} here.\n\n'                     # 13-14
            '{{ loop(items=[1, 2], text="loop text kept") }}\n\n'                         # 15-16
            '{{ gallery(src="other.png", alt="other one") }}\n\n'                         # 17-18
            'Sign: {{ sig(who="Ann") }}\n\n'                                              # 19-20
            'Escaped: `{{/* note(title="x") */}}`\n\n'                                   # 21-22
            '{{ admonition(type="warning", text="Mind *this* here.") }}\n\n'              # 23-24
            '{% admonition(title="Boxed title") %}\nBoxed **body**.\n{% end %}\n\n'       # 25-28
            '{{ toggler(default_src="dot.png", toggled_src="other.png", default_alt="day", toggled_alt="night") }}\n\n'
            '{{ dual(light_src="dot.png", dark_src="other.png", alt="twin") }}\n')
    with open(os.path.join(post, "index.md"), "w") as f:
        f.write(body)
    r, out = bind(zd, "zola-shortcodes")
    if not check(r.returncode == 0, "zola shortcodes: binds", r.stderr[-500:]):
        return
    z = zipfile.ZipFile(out)
    ch = [z.read(n).decode() for n in z.namelist() if re.search(r"/p\d*[-_][0-9a-z_-]*\.xhtml$", n)][0]
    check(re.search(r'<div class="note">\s*<p class="note-title">Heads &lt;up&gt;</p>\s*<p>Note with '
                    r'<strong>bold</strong> words.</p>\s*</div>', ch),
          "zola shortcodes: a block shortcode rendered from its template (its title escaped, its body Markdown)", ch)
    check(re.search(r'<figure>\s*<img [^>]*alt="a dot"[^>]*/>\s*<figcaption>The caption</figcaption>', ch),
          "zola shortcodes: an image shortcode rendered from its template", ch)
    imgs = [n for n in z.namelist() if n.endswith(".png")]
    check(len(imgs) == 2, "zola shortcodes: both images embedded (the template's and the fallback's)", imgs)
    check("Say kept words here." in re.sub(r"<[^>]+>", "", ch), "zola shortcodes: an unknown one keeps its text inline")
    check("p/index.md:13:5: warning: Zola shortcode 'nosuch'" in r.stderr,
          "zola shortcodes: the warning names file:line:col", r.stderr[-800:])
    check("loop text kept" in ch and "'loop': its template has a tag it does not know" in r.stderr,
          "zola shortcodes: a template outside the Tera subset: its text kept, the reason warned")
    check("<em>signed Ann</em>" in ch, "zola shortcodes: a .md template's output is Markdown")
    check('<code>{{ note(title="x") }}</code>' in ch.replace("&quot;", '"'),
          "zola shortcodes: an escaped shortcode is shown as its text")
    check(re.search(r'<div class="admonition warning"><p class="admonition-title"><strong>Warning</strong></p>\s*'
                    r'<p>Mind <em>this</em> here.</p>\s*</div>', ch),
          "zola shortcodes: an admonition with no template is a box titled by its type, its text= Markdown", ch)
    check(re.search(r'<div class="admonition note"><p class="admonition-title"><strong>Boxed title</strong></p>\s*'
                    r'<p>Boxed <strong>body</strong>.</p>\s*</div>', ch),
          "zola shortcodes: a block admonition with no template: its title, its body Markdown", ch)
    check("'admonition'" not in r.stderr, "zola shortcodes: an admonition is understood (no warning)")
    check('alt="day"' in ch and 'alt="night"' in ch, "zola shortcodes: a fallback keeps every image it names")
    check(ch.count('alt="twin"') == 1, "zola shortcodes: a dark twin (dark_src beside light_src) is left out")
    t = text_outside_code(ch)
    check("{{" not in t and "{%" not in t, "zola shortcodes: no shortcode markup left as text", t[:300])
    why = epubcheck_missing()
    if not why:
        e, w, lines = epubcheck(out)
        check(e == 0 and w == 0, "zola shortcodes: EPUBCheck 0 errors, 0 warnings", "\n".join(lines[:8]))


def main():
    if not os.path.exists(BIN):
        check(False, "the program exists", BIN)
        return done("sources")
    hexo()
    pelican()
    theme_shortcodes(zola())
    eleventy()
    wordpress()
    blogger()
    with tempfile.TemporaryDirectory() as tmp:
        small(tmp)
    return done("sources")


if __name__ == "__main__":
    sys.exit(main())
