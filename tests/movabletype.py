#!/usr/bin/env python3
"""movabletype.py: a Movable Type / TypePad export written for the tests
(tests/movabletype/export.txt) bound end to end: detected by content as a
file and in a folder, one chapter per published entry (counted from the file
here, not from blogbind), drafts with --drafts, CONVERT BREAKS 1 and
__default__ as wpautop paragraphs, 0 as HTML, markdown as Markdown, the
extended body after the body, keywords not shown, titles, authors,
categories, tags and dates from the fields, comments with --comments only,
no line of the format left as text, EPUBCheck 0 errors and 0 warnings."""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import BIN, check, done, epubcheck, epubcheck_missing  # noqa: E402
from wordpress import bind  # noqa: E402  (books under build/wordpress/)

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURE = os.path.join(HERE, "movabletype", "export.txt")


def entries(path):
    """The entries of the export as dicts of their metadata, read here."""
    text = open(path, encoding="utf-8").read()
    out = []
    for chunk in re.split(r"^--------$", text, flags=re.M):
        meta = chunk.strip().split("\n-----\n")[0]
        fields = dict(re.findall(r"^([A-Z ]+): ?(.*)$", meta, re.M))
        if fields:
            out.append(fields)
    return out


def chapters(out):
    z = zipfile.ZipFile(out)
    names = sorted(n for n in z.namelist() if re.search(r"/p\d+[-_][0-9a-z_-]*\.xhtml$", n))
    return z, {n: z.read(n).decode() for n in names}


def chapter(texts, title):
    for n, t in texts.items():
        if re.search(r'class="post-title"[^>]*>%s<' % re.escape(title), t):
            return n, t
    return None, ""


def body_checks(out, published):
    z, texts = chapters(out)
    check(len(texts) == len(published), "one chapter per published entry (%d, counted from the file)" % len(published),
          sorted(texts))
    for e in published:
        n, t = chapter(texts, re.sub(r"<[^>]+>", "", e["TITLE"]))
        if not check(n is not None, "'%s' is a chapter titled as in the export" % e["TITLE"]):
            continue
        mo, d, y = e["DATE"].split()[0].split("/")
        check('datetime="%s-%s-%s"' % (y, mo, d) in t, "'%s' dated %s-%s-%s" % (e["TITLE"], y, mo, d))
        check(e["AUTHOR"] in t, "'%s' by %s" % (e["TITLE"], e["AUTHOR"]))
    _, a = chapter(texts, "Lanterns on the river")
    check(re.search(r"<p>The lanterns went out one by one\.<br ?/>\s*A boat passed under the bridge\.</p>\s*"
                    r"<p>MTMARK-breaks-second-paragraph", a),
          "CONVERT BREAKS 1: paragraphs at blank lines, <br/> at single newlines", a[-600:])
    check(re.search(r"MTMARK-breaks-second-paragraph.*</p>\s*<p>MTMARK-extended text", a, re.S),
          "the extended body follows the body, a paragraph of its own")
    check(re.search(r'post-categories.*<li>Travel</li><li>Evenings</li>', a), "the primary category first, no repeat")
    check(re.search(r'post-tags.*<li>paper lanterns</li><li>river</li><li>summer</li>', a),
          "TAGS: a quoted tag with a space, then the others")
    _, h = chapter(texts, "A page of markup")
    check(re.search(r'<p>MTMARK-html-paragraph written as HTML, with <a href="http://example.org/">a link</a>\.</p>', h)
          and re.search(r"<li>MTMARK-html-item one</li>", h) and "<br" not in h,
          "CONVERT BREAKS 0: the HTML as written, no <br/> added", h[-500:])
    _, m = chapter(texts, "Written in Markdown")
    check(re.search(r"<h2[^>]*>MTMARK-md-heading</h2>", m) and "<em>MTMARK-md-emphasis</em>" in m and
          re.search(r"<li>first MTMARK-md-item</li>", m) and "<code>MTMARK-md-code</code>" in m,
          "CONVERT BREAKS markdown: Markdown rendered (heading, emphasis, list, code)", m[-600:])
    _, j = chapter(texts, "川の灯り")
    check(re.search(r"<p>MTMARK-japanese 灯りが一つずつ消えた。<br ?/>\s*橋の下を舟が通った。</p>", j),
          "CONVERT BREAKS __default__: as 1")
    alltext = "".join(texts.values())
    check("MTMARK-keywords-not-shown" not in alltext, "KEYWORDS are not shown")
    check("MTMARK-draft" not in alltext, "a draft is left out")
    check("MTMARK-comment" not in alltext, "comments are off by default")
    check(not re.search(r"^(-----|--------|BODY:|EXTENDED BODY:|EXCERPT:|COMMENT:)$|CONVERT BREAKS|ALLOW COMMENTS|"
                        r"BASENAME:|PRIMARY CATEGORY", alltext, re.M), "no line of the format left as text")
    e = epubcheck_missing() or epubcheck(out)
    if not isinstance(e, str):
        check(e[0] == 0 and e[1] == 0, "EPUBCheck 0 errors, 0 warnings", "\n".join(e[2][:8]))


def main():
    if not check(os.path.exists(BIN) and os.path.exists(FIXTURE), "the program and the fixture exist"):
        return done("movabletype")
    all_entries = entries(FIXTURE)
    published = [e for e in all_entries if e.get("STATUS") == "Publish"]
    check(len(published) >= 4 and len(all_entries) > len(published), "the fixture holds published entries and a draft")
    r, out = bind(FIXTURE, "mt")
    if check(r.returncode == 0 and "found a Movable Type export" in r.stderr, "an export.txt binds, found by its content",
             r.stderr[-600:]):
        body_checks(out, published)
    r, out = bind(FIXTURE, "mt-drafts", "--drafts")
    z, texts = chapters(out) if r.returncode == 0 else (None, {})
    check(len(texts) == len(all_entries) and "MTMARK-draft body." in "".join(texts.values()),
          "--drafts: the draft too", r.stderr[-400:])
    r, out = bind(FIXTURE, "mt-comments", "--comments")
    z, texts = chapters(out) if r.returncode == 0 else (None, {})
    _, a = chapter(texts, "Lanterns on the river")
    check(re.search(r"<b>Ren</b> 2009-07-15</p>\s*<p>MTMARK-comment-one I was there too\.<br ?/>\s*"
                    r"Second line of the comment\.</p>", a) and "<b>Sora</b> 2009-07-16" in a and
          "ren@example.org" not in a and "192.0.2.1" not in a,
          "--comments: each comment's author, date and text (no e-mail, no IP)", a[-800:])
    with tempfile.TemporaryDirectory() as tmp:
        d = os.path.join(tmp, "blog")
        os.makedirs(d)
        shutil.copy(FIXTURE, os.path.join(d, "backup.txt"))
        r, out = bind(d, "mt-folder")
        check(r.returncode == 0 and "found a Movable Type export" in r.stderr and
              len(chapters(out)[1]) == len(published), "a folder holding the export binds the same", r.stderr[-400:])
        with open(os.path.join(tmp, "notes.txt"), "w") as f:
            f.write("Just some notes\nwith lines\n")
        r, _ = bind(os.path.join(tmp, "notes.txt"), "mt-not")
        check(r.returncode != 0 and "Movable Type" in r.stderr, "a plain text file is not taken for an export",
              r.stderr[-400:])
    return done("movabletype")


if __name__ == "__main__":
    sys.exit(main())
