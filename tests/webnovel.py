#!/usr/bin/env python3
"""Web-novel notation in a bound book.

Binds tests/webnovel/blog (a post of our own written with ｜親文字《るび》,
|親文字《るび》, 漢字《かんじ》, 《《傍点》》, the ｜《 escape, inside emphasis,
links and a heading, and the same notation in code, an indented code block
and an HTML attribute) horizontally and with --vertical, parses the chapter
and checks: each ruby expected, in order, written as <ruby>base<rp>(</rp>
<rt>reading</rt><rp>)</rp></ruby>; the emphasis dots as <em class="bouten">
styled with text-emphasis; nothing changed inside code or attributes; the
escape and Chinese title marks left as text; rubyAnnotations declared in the
package; EPUBCheck 0 errors and 0 warnings for both books.
Prints one line per check and "webnovel: N passed, N failed".
"""
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import BIN, BUILD, ROOT, check, done, epubcheck, epubcheck_missing, skip  # noqa: E402

OUT = os.path.join(BUILD, "webnovel")
FIXTURE = os.path.join(ROOT, "tests", "webnovel", "blog")
X = "{http://www.w3.org/1999/xhtml}"
RUBIES = [("星降る夜", "ほしふるよる"), ("司書長", "ししょちょう"), ("佐々木", "ささき"), ("禁書", "きんしょ"),
          ("古文書", "こもんじょ"), ("二章", "にしょう"), ("夜明", "よあ")]
BOUTEN = ["必ず", "はじまり"]


def post_chapter(z):
    opf = ET.fromstring(z.read("EPUB/content.opf"))
    ons = "{http://www.idpf.org/2007/opf}"
    items = {i.get("id"): i.get("href") for i in opf.iter(ons + "item")}
    for ref in opf.iter(ons + "itemref"):
        text = z.read("EPUB/" + items[ref.get("idref")]).decode("utf-8")
        if "post-header" in text:
            return text
    return ""


def book_checks(name, path):
    z = zipfile.ZipFile(path)
    text = post_chapter(z)
    root = ET.fromstring(text.encode("utf-8"))
    rubies, shapes = [], []
    for r in root.iter(X + "ruby"):
        kids = [c.tag.replace(X, "") for c in r]
        shapes.append(kids == ["rp", "rt", "rp"] and r[0].text == "(" and r[2].text == ")")
        rubies.append(((r.text or "").strip(), "".join(r[1].itertext()) if len(r) > 1 else ""))
    check(rubies == RUBIES, "%s: every ruby form made, in order (%d)" % (name, len(rubies)), str(rubies))
    check(shapes and all(shapes), "%s: each ruby written as <ruby>base<rp>(</rp><rt>…</rt><rp>)</rp></ruby>" % name)
    bouten = ["".join(e.itertext()) for e in root.iter(X + "em") if e.get("class") == "bouten"]
    check(bouten == BOUTEN, "%s: 《《…》》 became emphasis dots (%d)" % (name, len(bouten)), str(bouten))
    inside = {}
    for tag in ("strong", "a", "h2", "em"):
        inside[tag] = sum(1 for e in root.iter(X + tag) for _ in e.iter(X + "ruby"))
    check(all(inside.values()), "%s: ruby inside strong, a link, a heading and emphasis" % name, str(inside))
    code = ["".join(c.itertext()) for c in root.iter(X + "code")]
    check("｜漢字《かんじ》" in code and "｜字下げ《コード》\n" in code,
          "%s: the notation inside code spans and code blocks stays as written" % name, str(code))
    check(not any(list(c.iter(X + "ruby")) or list(c.iter(X + "em")) for c in root.iter(X + "code")),
          "%s: no ruby or dots inside code" % name)
    spans = [s.get("title") for s in root.iter(X + "span") if s.get("title")]
    check(spans == ["漢字《かんじ》"], "%s: an HTML attribute keeps the notation" % name, str(spans))
    plain = "".join(root.itertext())
    check("《これは》" in plain and "｜《" not in plain and "曹雪芹的《红楼梦》" in plain,
          "%s: the ｜《 escape leaves 《 as text; Chinese title marks stay" % name)
    check(not re.search(r"[｜|][^<>\s]*《", text.split("<code>")[0]) and "《《" not in plain,
          "%s: no bar or double bracket of the notation left in the text" % name)
    opf = z.read("EPUB/content.opf").decode("utf-8")
    check("rubyAnnotations" in opf, "%s: the package declares rubyAnnotations" % name)
    css = z.read("EPUB/style.css").decode("utf-8")
    rule = re.search(r"em\.bouten\s*\{([^}]*)\}", css)
    check(rule and all(p in rule.group(1) for p in ("text-emphasis: filled sesame", "-webkit-text-emphasis",
                                                     "-epub-text-emphasis-style")),
          "%s: the stylesheet draws the dots with text-emphasis (and -epub-/-webkit-)" % name)


def main():
    os.makedirs(OUT, exist_ok=True)
    why = epubcheck_missing()
    for name, extra in (("webnovel", []), ("webnovel-vertical", ["--vertical"])):
        path = os.path.join(OUT, name + ".epub")
        r = subprocess.run([BIN, FIXTURE, "-o", path, *extra], capture_output=True, text=True)
        check(r.returncode == 0 and os.path.isfile(path), "%s: the fixture binds" % name, r.stderr[-400:])
        if r.returncode != 0:
            continue
        book_checks(name, path)
        if why:
            skip("%s: EPUBCheck" % name, why)
        else:
            e, w, lines = epubcheck(path)
            check(e == 0 and w == 0, "%s: EPUBCheck 0 errors, 0 warnings (%d, %d)" % (name, e, w), "\n".join(lines[:10]))
    return done("webnovel")


if __name__ == "__main__":
    sys.exit(main())
