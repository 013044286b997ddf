#!/usr/bin/env python3
"""End-to-end test of embeds made static (src/embed.c).

Makes a Jekyll blog in a temporary folder whose posts hold a YouTube frame
(with a title, in a block), a youtu.be frame inside a paragraph, a Vimeo
frame, a tweet's quotation with its widget script, an Instagram script, a
gist script with a file, a gist script whose raw file the server does not
have, and an unknown frame. Binds it:

- without --fetch-remote: no <iframe> or <script> in the book; the YouTube
  frame is a <figure> whose caption links to youtube.com/watch?v=ID with the
  frame's title; the one in a paragraph a link; Vimeo a link to vimeo.com;
  the tweet's text, author and date link kept in a blockquote; the gists are
  links; notes, not warnings, for the recognised embeds (the unknown frame
  keeps its warning);
- with --fetch-remote against a loopback HTTP server (BB_EMBED_ORIGIN): the
  YouTube thumbnail is an image of the book with the served bytes, inside
  the figure; the gist's code is in the book, its text byte-identical to the
  served file, with keyword, string and comment token spans; the missing
  gist stays a link with a warning at its file:line:col;
- again with the server stopped: the same book, byte for byte (the cache);
- EPUBCheck 4.2.6 and epubcheck-ts 0 errors, 0 warnings on both books.

Then jessfraz-hugo (../shared): every tweet quotation of its posts is in the
book as a blockquote with a link to the tweet, no widget script is warned
about, and basically-basic-demo's YouTube post is a figure.

Environment: BLOGBIND or BB_BUILD, BB_SHARED, EPUBCHECK_JAR (tests/tap.py).
Prints one line per check and "embeds: N passed, N failed".
"""
import http.server
import os
import re
import subprocess
import sys
import tempfile
import threading
import xml.etree.ElementTree as ET
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import BIN, BUILD, both_checkers, check, done, shared, write_files  # noqa: E402

X = "{http://www.w3.org/1999/xhtml}"
YT = "l2Of1-d5E5o"
CODE = ('def hello(name):\n    """Greets <you> & co."""\n'
        '    return "hi " + name  # a comment\n\n\nprint(hello("caf\u00e9"))\n')

POST1 = """---
title: Videos
---
A video:

<div class="embed-responsive">
  <iframe width="640" height="360" src="https://www.youtube-nocookie.com/embed/%s?controls=0&amp;" title="A talk on books" frameborder="0" allowfullscreen></iframe>
</div>

In a sentence <iframe src="https://youtu.be/dQw4w9WgXcQ"></iframe> and on.

<iframe src="https://player.vimeo.com/video/12345678" title="vimeo-player"></iframe>

<iframe src="https://example.com/map"></iframe>
""" % YT

POST2 = """---
title: Quotes and gists
---
<blockquote class="twitter-tweet"><p lang="en" dir="ltr">Books are nice to read offline.</p>&mdash; A Person (@aperson) <a href="https://twitter.com/aperson/status/1126131424095100929?ref_src=twsrc%5Etfw">May 8, 2019</a></blockquote> <script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>

<blockquote class="instagram-media"><p><a href="https://www.instagram.com/p/Bx1/">A photo by someone</a></p></blockquote>
<script async src="//www.instagram.com/embed.js"></script>

<script src="https://gist.github.com/someone/0123abcd.js?file=hello.py"></script>

<script src="https://gist.github.com/someone/feed42.js"></script>
"""


class Handler(http.server.BaseHTTPRequestHandler):
    files = {}

    def log_message(self, *args):
        pass

    def do_GET(self):
        body = Handler.files.get(self.path.split("?")[0])
        self.send_response(200 if body is not None else 404)
        self.send_header("Content-Length", str(len(body or b"")))
        self.end_headers()
        self.wfile.write(body or b"")


def bind(blog, out, *args, env=None):
    e = {k: v for k, v in os.environ.items() if k.lower() not in ("http_proxy", "https_proxy", "all_proxy")}
    e["no_proxy"] = e["NO_PROXY"] = "127.0.0.1"
    e.update(env or {})
    return subprocess.run([BIN, "-v", *args, blog, "-o", out], capture_output=True, text=True, env=e)


def chapters(path):
    z = zipfile.ZipFile(path)
    docs = {n: ET.fromstring(z.read(n)) for n in z.namelist() if re.match(r"EPUB/p\d+.*\.xhtml$", n)}
    return z, docs


def text(el):
    return "".join(el.itertext())


def test_offline(blog, tmp):
    out = os.path.join(tmp, "offline.epub")
    r = bind(blog, out)
    if not check(r.returncode == 0, "the blog with embeds is bound", r.stderr[-800:]):
        return
    z, docs = chapters(out)
    raw = b"".join(z.read(n) for n in docs)
    check(b"<iframe" not in raw and b"<script" not in raw, "no iframe or script in the book")
    figs = [f for d in docs.values() for f in d.iter(X + "figure") if "video" in (f.get("class") or "")
            and "(YouTube)" in text(f)]
    links = [a.get("href") for f in figs for a in f.iter(X + "a")]
    check(len(figs) == 1 and links == ["https://www.youtube.com/watch?v=" + YT]
          and "A talk on books" in text(figs[0]), "the YouTube frame is a figure linking to the video, with its title",
          [ET.tostring(f)[:300] for f in figs])
    hrefs = {a.get("href"): text(a) for d in docs.values() for a in d.iter(X + "a")}
    paras = [p for d in docs.values() for p in d.iter(X + "p") if "In a sentence" in text(p)]
    check(paras and any(a.get("href") == "https://www.youtube.com/watch?v=dQw4w9WgXcQ" for a in paras[0].iter(X + "a")),
          "the youtu.be frame in a paragraph is a link inside it", [ET.tostring(p)[:300] for p in paras])
    check(hrefs.get("https://vimeo.com/12345678") == "Vimeo video 12345678",
          "the Vimeo frame is a link to the video (its player's default title left out)",
          hrefs.get("https://vimeo.com/12345678"))
    quotes = [q for d in docs.values() for q in d.iter(X + "blockquote") if "twitter-tweet" in (q.get("class") or "")]
    check(len(quotes) == 1 and "Books are nice to read offline." in text(quotes[0]) and "@aperson" in text(quotes[0])
          and any(a.get("href", "").startswith("https://twitter.com/aperson/status/1126131424095100929")
                  and text(a) == "May 8, 2019" for a in quotes[0].iter(X + "a")),
          "the tweet keeps its text, author and dated link in a quotation")
    check(hrefs.get("https://gist.github.com/someone/0123abcd") == "Gist someone/0123abcd: hello.py"
          and "https://gist.github.com/someone/feed42" in hrefs, "the gists are links", sorted(hrefs))
    warns = [l for l in r.stderr.splitlines() if ": warning: " in l]
    check(len(warns) == 1 and "example.com/map" not in warns[0] and "<iframe>" in warns[0],
          "one warning: the unknown frame (the recognised embeds are notes)", warns)
    check(all(re.search(p, r.stderr) for p in (r"note: YouTube video %s made a static figure" % YT,
                                                r"note: the widget script .*widgets\.js was left out",
                                                r"note: the widget script .*instagram\.com/embed\.js was left out",
                                                r"note: Gist someone/0123abcd: hello\.py becomes a link")),
          "notes say what became of each embed", r.stderr[-1500:])
    both_checkers(out, "embeds, offline")


def test_fetched(blog, tmp):
    jpg = os.path.join(tmp, "thumb.jpg")
    mk = subprocess.run([os.path.join(BUILD, "tests", "test_image"), "--make", jpg, "120", "90", "0", "0"],
                        capture_output=True, text=True)
    if not check(mk.returncode == 0, "a thumbnail made with libvips", mk.stderr):
        return
    Handler.files = {"/i.ytimg.com/vi/%s/hqdefault.jpg" % YT: open(jpg, "rb").read(),
                     "/gist.githubusercontent.com/someone/0123abcd/raw/hello.py": CODE.encode()}
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    env = {"BB_EMBED_ORIGIN": "http://127.0.0.1:%d" % srv.server_address[1]}
    cache = os.path.join(tmp, "cache")
    out = os.path.join(tmp, "fetched.epub")
    r = bind(blog, out, "--fetch-remote", "--cache-dir", cache, env=env)
    srv.shutdown()
    srv.server_close()
    if not check(r.returncode == 0, "bound with --fetch-remote against the loopback server", r.stderr[-800:]):
        return
    z, docs = chapters(out)
    figs = [f for d in docs.values() for f in d.iter(X + "figure") if "(YouTube)" in text(f)]
    imgs = [i.get("src") for f in figs for i in f.iter(X + "img")]
    check(len(imgs) == 1 and z.read("EPUB/" + imgs[0]) == Handler.files["/i.ytimg.com/vi/%s/hqdefault.jpg" % YT],
          "the YouTube thumbnail is in the figure, the served bytes", imgs)
    gists = [f for d in docs.values() for f in d.iter(X + "figure") if "gist" in (f.get("class") or "")]
    codes = [c for f in gists for c in f.iter(X + "code")]
    check(len(codes) == 1 and text(codes[0]) == CODE, "the gist's code is in the book, byte-identical",
          [text(c)[:200] for c in codes])
    if codes:
        kinds = {s.get("class") for s in codes[0].iter(X + "span")}
        check({"hljs-keyword", "hljs-string", "hljs-comment"} <= kinds, "the gist's code is highlighted", kinds)
    check(re.search(r"_posts/2024-01-03-quotes\.md:\d+:\d+: warning: the code of Gist someone/feed42 HTTP 404; "
                    r"it stays a link", r.stderr) is not None, "a gist the server lacks: a placed warning, a link",
          r.stderr[-1000:])
    again = os.path.join(tmp, "again.epub")
    r2 = bind(blog, again, "--fetch-remote", "--cache-dir", cache, env=env)
    check(r2.returncode == 0 and open(out, "rb").read() == open(again, "rb").read(),
          "the server stopped: the same book from the cache")
    both_checkers(out, "embeds, fetched")


def test_corpora():
    jf = shared("corpora", "jessfraz-hugo")
    if jf:
        src = 0
        for root, _, files in os.walk(os.path.join(jf, "content")):
            for f in files:
                if f.endswith(".md"):
                    src += len(re.findall(r'<blockquote class="twitter-tweet"', open(os.path.join(root, f),
                                                                                    encoding="utf-8").read()))
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "jf.epub")
            r = bind(jf, out)
            if check(r.returncode == 0, "jessfraz-hugo is bound", r.stderr[-500:]):
                _, docs = chapters(out)
                quotes = [q for d in docs.values() for q in d.iter(X + "blockquote")
                          if "twitter-tweet" in (q.get("class") or "")]
                linked = [q for q in quotes if any(re.match(r"https://twitter\.com/\w+/status/\d+", a.get("href", ""))
                                                   for a in q.iter(X + "a"))]
                check(src > 0 and len(quotes) == src and len(linked) == src,
                      "jessfraz-hugo: all %d tweet quotes in the book, each with its link" % src,
                      (len(quotes), len(linked)))
                check("<script> element was removed" not in r.stderr, "jessfraz-hugo: no widget script warned about",
                      [l for l in r.stderr.splitlines() if "script" in l][:5])
    bb = shared("corpora", "basically-basic-demo")
    if bb:
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "bb.epub")
            r = bind(bb, out)
            if check(r.returncode == 0, "basically-basic-demo is bound", r.stderr[-500:]):
                _, docs = chapters(out)
                yt = [a.get("href") for d in docs.values() for f in d.iter(X + "figure")
                      if "video" in (f.get("class") or "") for a in f.iter(X + "a")]
                check(any(h.startswith("https://www.youtube.com/watch?v=") for h in yt),
                      "basically-basic-demo: its YouTube frame is a figure", yt)


def main():
    with tempfile.TemporaryDirectory() as tmp:
        blog = os.path.join(tmp, "blog")
        write_files(blog, {"_config.yml": "title: Embeds\nauthor: Tester\nlang: en\n",
                           "_posts/2024-01-02-videos.md": POST1, "_posts/2024-01-03-quotes.md": POST2})
        test_offline(blog, tmp)
        test_fetched(blog, tmp)
    test_corpora()
    return done("embeds")


if __name__ == "__main__":
    sys.exit(main())
