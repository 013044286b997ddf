#!/usr/bin/env python3
"""wordpress.py: a WordPress export written here for the tests, bound end to
end: posts by type and status (drafts with --drafts, pages with --pages,
private never), the body as WordPress shows it (blocks, wpautop, [caption]
as a figure with no <dl>/<dt> left, [gallery] from the attachments, [embed],
[audio], [video], [code], [sourcecode], an unknown shortcode's text kept with
a warning placed in the export), links by ?p=ID, permalink and attachment
page resolved inside the book, comments on and off (approved only,
threaded), and media read from an uploads folder beside the export or from
a folder named with --media outside it (and nothing else outside it)."""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import BIN, BUILD, check, done, epubcheck, epubcheck_missing  # noqa: E402

OUT = os.path.join(BUILD, "wordpress")
os.makedirs(OUT, exist_ok=True)

PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c63000100000500010d0a2db40000000049454e44ae426082")


def png(seed):
    """A distinct valid 1x1 PNG per seed (the pixel differs, the CRC is recomputed)."""
    import struct
    import zlib
    raw = zlib.compress(b"\x00" + bytes([seed & 255, 40, 80, 255]))
    idat = struct.pack(">I", len(raw)) + b"IDAT" + raw + struct.pack(">I", zlib.crc32(b"IDAT" + raw) & 0xffffffff)
    return PNG[:33] + idat + PNG[-12:]


def item(pid, title, body, kind="post", status="publish", parent=0, link=None, url=None, comments="", date=None,
         slug=None):
    slug = slug or re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    link = link or "http://example.org/2020/01/%s/" % slug
    date = date or "2020-01-%02d 10:00:00" % (pid % 28 + 1)
    att = "<wp:attachment_url>%s</wp:attachment_url>" % url if url else ""
    return """<item><title>%s</title><link>%s</link><dc:creator><![CDATA[ann]]></dc:creator>
<guid isPermaLink="false">http://example.org/?p=%d</guid>
<content:encoded><![CDATA[%s]]></content:encoded><excerpt:encoded><![CDATA[]]></excerpt:encoded>
<wp:post_id>%d</wp:post_id><wp:post_date>%s</wp:post_date><wp:post_date_gmt>%s</wp:post_date_gmt>
<wp:post_name>%s</wp:post_name><wp:status>%s</wp:status><wp:post_parent>%d</wp:post_parent>
<wp:post_type>%s</wp:post_type>%s
<category domain="category" nicename="news"><![CDATA[News]]></category>
%s</item>
""" % (title, link, pid, body, pid, date, date, slug, status, parent, kind, att, comments)


def comment(cid, author, text, approved="1", parent=0, ctype=""):
    return """<wp:comment><wp:comment_id>%d</wp:comment_id><wp:comment_author><![CDATA[%s]]></wp:comment_author>
<wp:comment_date>2020-02-0%d 08:00:00</wp:comment_date><wp:comment_date_gmt>2020-02-0%d 08:00:00</wp:comment_date_gmt>
<wp:comment_content><![CDATA[%s]]></wp:comment_content><wp:comment_approved>%s</wp:comment_approved>
<wp:comment_type>%s</wp:comment_type><wp:comment_parent>%d</wp:comment_parent></wp:comment>
""" % (cid, author, cid, cid, text, approved, ctype, parent)


UP = "http://example.org/wp-content/uploads/2020/01/"

BODY_A = (
    "First paragraph line one\nline two of it.\n\nSecond paragraph, see <a href=\"http://example.org/?p=12\">"
    "the second post</a>, <a href=\"http://example.org/2020/01/third-post/\">the third</a> and "
    "<a href=\"http://example.org/?attachment_id=31\">the photo page</a>.\n\n"
    "[caption id=\"attachment_31\" align=\"alignnone\" width=\"300\"]<img class=\"size-medium wp-image-31\" "
    "src=\"" + UP + "photo.png\" alt=\"a photo\" width=\"300\" height=\"200\" /> The photo caption[/caption]\n\n"
    "[gallery ids=\"32,33\"]\n\n"
    "[embed]https://www.youtube.com/watch?v=abc123[/embed]\n\n"
    "[audio mp3=\"http://example.org/wp-content/uploads/2020/01/a.mp3\"][/audio]\n\n"
    "[video src=\"https://example.org/v.mp4\"]\n\n"
    "[code language=\"python\"]if a < b:\n    print('[gallery]')[/code]\n\n"
    "[sourcecode lang=\"c\"]int x = 1;[/sourcecode]\n\n"
    "[myshortcode foo=\"bar\"]Inner words kept[/myshortcode]\n\n"
    "Last paragraph."
)
BODY_B = ("<!-- wp:paragraph -->\n<p>Block paragraph of the second post.</p>\n<!-- /wp:paragraph -->\n\n"
          "<!-- wp:image {\"id\":33} -->\n<figure class=\"wp-block-image\"><img src=\"" + UP + "two.png\" "
          "alt=\"two\" class=\"wp-image-33\"/></figure>\n<!-- /wp:image -->")


def export(tmp):
    comments = (comment(1, "Bo", "Top comment text.") + comment(2, "Cy", "Reply to Bo text.", parent=1) +
                comment(3, "Spam", "Unapproved text.", approved="0") +
                comment(4, "Pinger", "Pingback text.", ctype="pingback"))
    items = [
        item(11, "First post", BODY_A, comments=comments),
        item(12, "Second post", BODY_B),
        item(13, "Third post", "Third body, back to <a href=\"http://example.org/?p=11\">the first</a>."),
        item(14, "Draft post", "Draft body.", status="draft"),
        item(15, "Private post", "Private body.", status="private"),
        item(16, "About page", "Page body.", kind="page", link="http://example.org/about/"),
        item(31, "photo", "", kind="attachment", status="inherit", parent=11, url=UP + "photo.png",
             link="http://example.org/2020/01/first-post/photo/"),
        item(32, "one", "", kind="attachment", status="inherit", parent=11, url=UP + "one.png"),
        item(33, "two", "", kind="attachment", status="inherit", parent=12, url=UP + "two.png"),
    ]
    xml = ("""<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wfw="http://wellformedweb.org/CommentAPI/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Test Press</title><link>http://example.org</link><description>A test</description>
<language>en-US</language><wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>http://example.org</wp:base_site_url><wp:base_blog_url>http://example.org</wp:base_blog_url>
<wp:author><wp:author_login><![CDATA[ann]]></wp:author_login><wp:author_display_name><![CDATA[Ann Author]]>"""
           """</wp:author_display_name></wp:author>
""" + "".join(items) + "</channel></rss>\n")
    d = os.path.join(tmp, "site")
    os.makedirs(d)
    with open(os.path.join(d, "export.xml"), "w") as f:
        f.write(xml)
    return d


def media(root, with_secret=True):
    up = os.path.join(root, "2020", "01")
    os.makedirs(up)
    for i, n in enumerate(("photo.png", "one.png", "two.png")):
        with open(os.path.join(up, n), "wb") as f:
            f.write(png(i + 1))


def bind(src, name, *opts):
    out = os.path.join(OUT, name + ".epub")
    if os.path.exists(out):
        os.remove(out)
    r = subprocess.run([BIN, "-v", *opts, src, "-o", out], capture_output=True, text=True, timeout=300)
    return r, out


def chapters(out):
    z = zipfile.ZipFile(out)
    names = sorted(n for n in z.namelist() if re.search(r"/p\d*[-_][0-9a-z_-]*\.xhtml$", n))
    return z, names, {n: z.read(n).decode() for n in names}


def by_title(texts, title):
    for n, t in texts.items():
        if re.search(r'class="post-title"[^>]*>%s<' % re.escape(title), t):
            return n, t
    return None, ""


CAPTION = r'<figure[^>]*>\s*%s\s*<figcaption[^>]*>\s*The photo caption\s*</figcaption>\s*</figure>'


def body_checks(r, out):
    z, names, texts = chapters(out)
    check(len(names) == 3, "three published posts: no draft, no private post, no page, no attachment",
          [by_title(texts, t)[0] for t in ("First post", "Second post", "Third post")])
    na, a = by_title(texts, "First post")
    nb, b = by_title(texts, "Second post")
    nc, c = by_title(texts, "Third post")
    check(na and nb and nc, "each post is a chapter titled as in the export")
    if not (na and nb and nc):
        return
    fb, fc, fa = (os.path.basename(x) for x in (nb, nc, na))
    check(re.search(r'href="%s"[^>]*>the second post<' % fb, a), "a link by ?p=ID resolves inside the book", a[:0])
    check(re.search(r'href="%s"[^>]*>the third<' % fc, a), "a link by permalink resolves inside the book")
    check(re.search(r'href="%s"[^>]*>the photo page<' % fa, a),
          "a link to an attachment page resolves to the post it belongs to")
    check(re.search(r'href="%s"[^>]*>the first<' % fa, c), "a link back by ?p=ID resolves too")
    # wpautop: two lines of one paragraph joined by <br/>, paragraphs apart
    check(re.search(r"<p>First paragraph line one<br ?/>\s*line two of it.</p>", a), "wpautop: paragraphs and <br/>")
    # [caption] as figure/figcaption, never WordPress's old <dl>/<dt>/<dd>
    check(re.search(CAPTION % r'<a class="remote-image"[^>]*>a photo</a>', a), "[caption]: a figure with its caption", a)
    alltext = "".join(texts.values())
    check(not re.search(r"<(dl|dt|dd)\b", alltext), "no <dl>/<dt>/<dd> left by captions or galleries")
    check(len(re.findall(r'class="gallery-item"', a)) == 2, "[gallery ids]: a figure per attachment")
    check(re.search(r'<a class="remote-image" href="%sphoto.png">a photo</a>' % re.escape(UP), a),
          "without media, the export's own images are links to the web with their alt text")
    check("youtube.com/watch?v=abc123" in a, "[embed]: a link to the video")
    check("a.mp3" in a and "v.mp4" in a, "[audio] and [video]: links to the media")
    pres = [re.sub(r"<[^>]+>", "", x) for x in re.findall(r"<pre\b.*?</pre>", a, re.S)]
    check(any("if a &lt; b:\n    print('[gallery]')" in x.replace("&#39;", "'") for x in pres),
          "[code]: code kept verbatim (a shortcode inside it is text)", pres)
    check(any("int x = 1;" in x for x in pres), "[sourcecode]: code kept verbatim", pres)
    check("Inner words kept" in a and "[myshortcode" not in a, "an unknown shortcode keeps its inner text only")
    check(re.search(r"(^|/)site/export\.xml:\d+:\d+: warning: .*myshortcode", r.stderr, re.M) and
          "export.xml/export.xml" not in r.stderr,
          "the unknown shortcode's warning is placed in the export file", r.stderr[-600:])
    check("Block paragraph of the second post." in b and "wp:paragraph" not in alltext,
          "block comments removed, their content kept")
    plain = re.sub(r"<(pre|code)\b.*?</\1>", "", alltext, flags=re.S)
    check(not re.search(r"\[(caption|gallery|embed|audio|video|code|sourcecode)\b", plain),
          "no shortcode left as text outside code")
    check("Ann Author" in z.read("EPUB/content.opf").decode(), "the author's display name")


def comment_checks(tmp, src):
    r, out = bind(src, "wp-nocomments")
    z, names, texts = chapters(out)
    a = by_title(texts, "First post")[1]
    check("Top comment text." not in a, "comments are off by default")
    r, out = bind(src, "wp-comments", "--comments")
    if not check(r.returncode == 0, "--comments: binds", r.stderr[-400:]):
        return
    z, names, texts = chapters(out)
    a = by_title(texts, "First post")[1]
    check("Top comment text." in a and "Bo" in a, "--comments: an approved comment with its author")
    check(re.search(r"Top comment text\.(?:(?!</li>).)*<ol[^>]*>.*Reply to Bo text\.", a, re.S),
          "--comments: a reply nested inside its parent")
    check("Unapproved text." not in a and "Pingback text." not in a,
          "--comments: unapproved comments and pingbacks left out")
    e = epubcheck_missing() or epubcheck(out)
    if not isinstance(e, str):
        check(e[0] == 0 and e[1] == 0, "--comments: EPUBCheck 0 errors, 0 warnings", "\n".join(e[2][:8]))


def filter_checks(src):
    r, out = bind(src, "wp-drafts-pages", "--drafts", "--pages")
    z, names, texts = chapters(out)
    check(by_title(texts, "Draft post")[0] and by_title(texts, "About page")[0],
          "--drafts --pages: the draft and the page are bound")
    check(not by_title(texts, "Private post")[0] and "Private body." not in "".join(texts.values()),
          "a private post is never bound")


def media_checks(tmp, src):
    # beside the export: wp-content/uploads
    media(os.path.join(src, "wp-content", "uploads"))
    r, out = bind(src, "wp-uploads")
    imgs = [n for n in zipfile.ZipFile(out).namelist() if n.endswith(".png")]
    check(r.returncode == 0 and len(imgs) == 3, "uploads beside the export: the three images embedded", imgs)
    a = by_title(chapters(out)[2], "First post")[1]
    check(re.search(CAPTION % r'<img [^>]*alt="a photo"[^>]*/>', a), "uploads beside the export: the caption's image in its figure")
    shutil.rmtree(os.path.join(src, "wp-content"))
    # without media: the images stay links, nothing embedded
    r, out = bind(src, "wp-nomedia")
    imgs = [n for n in zipfile.ZipFile(out).namelist() if n.endswith(".png")]
    check(r.returncode == 0 and not imgs, "without media: no image embedded (remote ones are linked)", imgs)
    # --media outside the export's folder: read there (the user named it), nothing else
    outside = os.path.join(tmp, "elsewhere", "uploads")
    media(outside)
    secret = os.path.join(tmp, "elsewhere", "secret.png")
    with open(secret, "wb") as f:
        f.write(png(99))
    os.symlink(secret, os.path.join(outside, "2020", "01", "link.png"))
    with open(os.path.join(src, "export.xml")) as f:
        xml = f.read()
    xml = xml.replace("Last paragraph.", "<img src=\"" + UP + "../../../secret.png\" alt=\"climb\" /> "
                      "<img src=\"" + UP + "link.png\" alt=\"symlink\" /> "
                      "<img src=\"http://example.org/wp-content/uploads/%2e%2e/secret.png\" alt=\"encoded\" /> "
                      "Last paragraph.")
    with open(os.path.join(src, "export.xml"), "w") as f:
        f.write(xml)
    r, out = bind(src, "wp-media-outside", "--media", outside)
    if not check(r.returncode == 0, "--media outside the export's folder: binds", r.stderr[-500:]):
        return
    z = zipfile.ZipFile(out)
    imgs = [n for n in z.namelist() if n.endswith(".png")]
    data = [z.read(n) for n in imgs]
    check(len(imgs) == 3, "--media outside: the three images of the posts embedded from the named folder", imgs)
    check(png(99) not in data, "--media outside: no file outside the named folder is read (.., %2e%2e, a symbolic link)")
    check(r.stderr.count("refused") >= 2 and "media folder" in r.stderr,
          "--media outside: the paths leaving it are refused with a warning", r.stderr[-800:])
    e = epubcheck_missing() or epubcheck(out)
    if not isinstance(e, str):
        check(e[0] == 0 and e[1] == 0, "--media outside: EPUBCheck 0 errors, 0 warnings", "\n".join(e[2][:8]))


# The 1 GB export (issue 14): written here, streamed. Each item is a published
# post with a short body and a 1.5 MB post meta value (as page builders
# store theirs). The reader keeps at most 256 MB of field text from one
# export (wxr.c DEF_TOTAL, a bound on the work one file asks for): past it
# it stops with a warning, and the book holds the posts read before. The
# bodies wait in a temporary file, so memory stays far under the bound of
# the hostile blog (512 MB); HUGE_RSS_KB is what this run may take.
HUGE_BYTES = 1 << 30
HUGE_TEXT_BOUND = 256 << 20
HUGE_META = 1536 << 10
HUGE_RSS_KB = 128 << 10
HUGE_SECONDS = 120


def huge_export(path):
    """Writes about HUGE_BYTES of WXR to path, item by item; returns (items, field text bytes an item holds)."""
    head = ("""<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Huge Press</title><link>http://example.org</link><description>1 GB</description>
<language>en-US</language><wp:wxr_version>1.2</wp:wxr_version>
""")
    meta = ("builder row %d " * (HUGE_META // 16))[:HUGE_META]
    n = 0
    text = 0
    with open(path, "w") as f:
        f.write(head)
        size = len(head)
        while size < HUGE_BYTES:
            n += 1
            body = ("Huge post %d first paragraph, HUGEMARK%dEND.\n\nSecond paragraph of post %d." % (n, n, n))
            it = item(n, "Huge post %d" % n, body, date="2015-%02d-%02d 10:00:00" % (n % 12 + 1, n % 28 + 1),
                      slug="huge-%d" % n)
            head_, tail = it.rsplit("</item>", 1)
            parts = (head_, "<wp:postmeta><wp:meta_key>_builder_data</wp:meta_key><wp:meta_value><![CDATA[", meta,
                     "]]></wp:meta_value></wp:postmeta>\n</item>", tail)
            for x in parts:
                f.write(x)
                size += len(x)
            if n == 1:
                # the text of an item's fields, as the reader counts it
                flat = re.sub(r">\s+<", "><", "".join(parts).replace("<![CDATA[", "").replace("]]>", ""))
                text = len(re.sub(r"<[^>]*>", "", flat))
        f.write("</channel></rss>\n")
    return n, text


def huge_checks():
    import threading
    import time
    d = tempfile.mkdtemp(prefix="huge-", dir=OUT)
    try:
        path = os.path.join(d, "export.xml")
        t0 = time.time()
        n, per_item = huge_export(path)
        size = os.path.getsize(path)
        print("# 1 GB export: %d items, %.0f MB written in %.1f s" % (n, size / 1048576.0, time.time() - t0))
        out = os.path.join(d, "huge.epub")
        # this run's own figures (wait4), not the largest of every child so far (EPUBCheck's JVM)
        errpath = os.path.join(d, "stderr.txt")
        t0 = time.time()
        with open(errpath, "w") as err:
            p = subprocess.Popen([BIN, path, "-o", out, "-j", "2"], stdout=subprocess.DEVNULL, stderr=err)
            timer = threading.Timer(HUGE_SECONDS * 3, p.kill)
            timer.start()
            _, status, ru = os.wait4(p.pid, 0)
            timer.cancel()
            p.returncode = os.waitstatus_to_exitcode(status)
        dt = time.time() - t0
        r = subprocess.CompletedProcess(p.args, p.returncode, "", open(errpath).read())
        cpu = ru.ru_utime + ru.ru_stime
        rss = ru.ru_maxrss
        print("# 1 GB export bound: exit %d, %.1f s, %.1f s cpu, peak RSS %.0f MB" % (r.returncode, dt, cpu, rss / 1024.0))
        check(r.returncode == 0 and os.path.exists(out), "1 GB export: a book of what was read", r.stderr[-600:])
        check(re.search(r"export\.xml:\d+:\d+: warning: the export holds more than 262144 KB of text: the rest is not "
                        r"read", r.stderr) is not None, "1 GB export: a warning says only the first part was read",
              r.stderr[-600:])
        check(dt < HUGE_SECONDS, "1 GB export: bound within %d s (%.1f s)" % (HUGE_SECONDS, dt))
        check(rss < HUGE_RSS_KB, "1 GB export: peak RSS under %d MB (%.0f MB)" % (HUGE_RSS_KB >> 10, rss / 1024.0))
        if not os.path.exists(out):
            return
        z = zipfile.ZipFile(out)
        text = "".join(z.read(m).decode() for m in z.namelist() if m.endswith(".xhtml"))
        got = sorted(int(m) for m in re.findall(r"HUGEMARK(\d+)END", text))
        # the posts read before the bound: a run from the first, none after
        want = HUGE_TEXT_BOUND // per_item
        check(got == list(range(1, len(got) + 1)) and want * 0.98 <= len(got) <= want * 1.02 and len(got) < n,
              "1 GB export: the posts before the bound are all in the book, none after (%d of %d, about %d expected)"
              % (len(got), n, want))
        e = epubcheck_missing() or epubcheck(out)
        if not isinstance(e, str):
            check(e[0] == 0 and e[1] == 0, "1 GB export: EPUBCheck 0 errors, 0 warnings", "\n".join(e[2][:8]))
    finally:
        shutil.rmtree(d, ignore_errors=True)
    check(not os.path.exists(d), "1 GB export: removed after")


def main():
    if not os.path.exists(BIN):
        check(False, "the program exists", BIN)
        return done("wordpress")
    with tempfile.TemporaryDirectory() as tmp:
        src = export(tmp)
        r, out = bind(os.path.join(src, "export.xml"), "wp")
        if check(r.returncode == 0 and "found a WordPress export" in r.stderr, "a written WXR binds", r.stderr[-600:]):
            body_checks(r, out)
            e = epubcheck_missing() or epubcheck(out)
            if not isinstance(e, str):
                check(e[0] == 0 and e[1] == 0, "EPUBCheck 0 errors, 0 warnings", "\n".join(e[2][:8]))
        comment_checks(tmp, src)
        filter_checks(src)
        media_checks(tmp, src)
    huge_checks()
    return done("wordpress")


if __name__ == "__main__":
    sys.exit(main())
