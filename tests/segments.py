#!/usr/bin/env python3
"""Posts written in continued segments, bound and read back.

Binds the fixture blog tests/segments/blog (posts of our own, in English and
Japanese, cut by ---END--- lines mid-sentence, restating earlier paragraphs
whole or inside a paragraph, repeating sections, headings with and without a
space after '#') and the shared sample allforces (BB_SHARED), then parses
each post's chapter and compares it with the source:
  - no marker is left;
  - every complete sentence of every segment is in the chapter;
  - no sentence of 8 characters or more, and no run of two sentences, is
    there twice;
  - no paragraph equals another or stands inside another;
  - each heading is there once, in the order of its first appearance;
  - every paragraph ends a sentence and none starts in the middle of one
    (each cut was joined to its continuation).
The sentences are split here independently of the program: after 。！？, and
after . ! ? followed by a space or the end, but not after an abbreviation
(e.g., Dr., a single initial). The fixture book also goes through EPUBCheck.
Prints one line per check and "segments: N passed, N failed".
"""
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import BIN, BUILD, ROOT, check, done, epubcheck, epubcheck_missing, shared, skip  # noqa: E402

OUT = os.path.join(BUILD, "segments")
FIXTURE = os.path.join(ROOT, "tests", "segments", "blog")
XNS = "{http://www.w3.org/1999/xhtml}"
MARKER = re.compile(r"^---END---[ \t\r]*$", re.M)
ABBREV = {"e.g", "i.e", "etc", "dr", "mr", "mrs", "ms", "prof", "st", "vs", "cf", "fig", "no", "vol", "jr", "sr"}
CJK_END = "。！？"
CLOSERS = "」』）)\"'”’"


def is_cjk(ch):
    o = ord(ch)
    return 0x3000 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0xFF00 <= o <= 0xFFEF or o >= 0x20000


def sentences(text):
    """(complete sentences, trailing fragment) of one block of plain text."""
    out, start, i, n = [], 0, 0, len(text)
    while i < n:
        c = text[i]
        end = None
        if c in CJK_END:
            j = i + 1
            while j < n and (text[j] in CJK_END or text[j] in "!?"):
                j += 1
            k = j
            while k < n and text[k] in CLOSERS:
                k += 1
            # 「…。」と言った: a quote's end inside a sentence
            if k == j or k == n or text[k].isspace() or text[k] in "「『（(":
                end = k
        elif c in ".!?":
            j = i + 1
            while j < n and text[j] in ".!?":
                j += 1
            k = j
            while k < n and text[k] in CLOSERS:
                k += 1
            if k == n or text[k].isspace():
                word = re.search(r"(\S*)$", text[start:i]).group(1).lower()
                nxt = text[k:].lstrip()[:1]
                abbrev = c == "." and (word in ABBREV or re.fullmatch(r"[a-z]", word) or "." in word)
                if not abbrev and not (nxt and nxt.islower()):
                    end = k
        elif c.isspace() and i > 0 and is_cjk(text[i - 1]) and i + 1 < n and is_cjk(text[i + 1]):
            # a line break folded into a space between two CJK characters:
            # a headline glued to what follows
            end = i
        if end is not None:
            s = text[start:end].strip()
            if s:
                out.append(s)
            start = end
            i = max(end, i + 1)
            continue
        i += 1
    return out, text[start:].strip()


def norm(s):
    s = s.translate(str.maketrans("\u2018\u2019\u201c\u201d", "''\"\""))
    return re.sub(r"\s+", "", s)


def plain(md):
    """The text of a Markdown block as the chapter shows it."""
    md = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", md)
    md = re.sub(r"<[^>]+>", "", md)
    return re.sub(r"[*`_]", "", md)


def heading(line):
    m = re.match(r"^ {0,3}(#{1,6})(?!#)[ \t]*(.+?)[ \t#]*$", line)
    return plain(m.group(2)).strip() if m else None


def source_blocks(body):
    """Per segment: its blocks as (kind, text), kind "h" or "p"."""
    segs = []
    for seg in MARKER.split(body):
        blocks, cur = [], []
        for line in seg.split("\n") + [""]:
            h = heading(line)
            if h is not None or not line.strip():
                if cur:
                    blocks.append(("p", " ".join(cur)))
                    cur = []
                if h is not None:
                    blocks.append(("h", h))
            else:
                cur.append(line.strip())
        segs.append(blocks)
    return segs


def chapter_blocks(xhtml):
    """(title, paragraphs, headings) of a chapter, front matter lists left out."""
    root = ET.fromstring(xhtml.encode("utf-8"))
    h1 = root.find(".//%sh1" % XNS)
    title = "".join(h1.itertext()).strip() if h1 is not None else ""
    paras, heads = [], []
    skip_ids = set()
    for el in root.iter():
        if el.tag in (XNS + "header",) or "post-meta" in (el.get("class") or ""):
            skip_ids.update(id(x) for x in el.iter())
    for el in root.iter():
        if id(el) in skip_ids:
            continue
        tag = el.tag.replace(XNS, "")
        if tag in ("p", "li"):
            paras.append("".join(el.itertext()).strip())
        elif re.fullmatch(r"h[2-6]", tag):
            heads.append("".join(el.itertext()).strip())
    return title, [p for p in paras if p], heads


def chapters(book):
    z = zipfile.ZipFile(book)
    opf = ET.fromstring(z.read("EPUB/content.opf"))
    ons = "{http://www.idpf.org/2007/opf}"
    items = {i.get("id"): i.get("href") for i in opf.iter(ons + "item")}
    out = {}
    for ref in opf.iter(ons + "itemref"):
        href = items[ref.get("idref")]
        text = z.read("EPUB/" + href).decode("utf-8")
        if 'class="post-meta"' in text or "<article" in text:
            title, paras, heads = chapter_blocks(text)
            if title:
                out.setdefault(title, (text, paras, heads, title))
    return out


def post_checks(name, src, chapter, min_repeats, all_continued=True):
    text, paras, heads, title = chapter
    fm = re.match(r"^---\s*\n.*?\n---\s*\n", src, re.S)
    body = src[fm.end():] if fm else src
    segs = source_blocks(body)
    alltext = norm("\n".join([title] + paras + heads))
    check(len(segs) > 1 and "END---" not in text and "\u2014END\u2014" not in text,
          "%s: no marker left in the chapter (%d segments)" % (name, len(segs)))

    # every complete sentence of every segment is kept (a segment's last
    # fragment was cut, and its first may continue the one before)
    want, lost = 0, []
    seen_src = {}
    for blocks in segs:
        for kind, b in blocks:
            if kind != "p":
                continue
            for s in sentences(plain(b))[0]:
                want += 1
                seen_src[norm(s)] = seen_src.get(norm(s), 0) + 1
                if norm(s) not in alltext:
                    lost.append(s[:50])
    check(want > 5 and not lost, "%s: every complete sentence of every segment is kept (%d)" % (name, want),
          "; ".join(lost[:4]))
    # the input does repeat itself, so the check below can fail
    src_repeats = sum(1 for k, v in seen_src.items() if v > 1 and len(k) >= 8)
    check(src_repeats >= min_repeats, "%s: the source restates %d sentences (at least %d)" % (name, src_repeats, min_repeats))

    # nothing repeated at the sentence level
    count, pairs, rep = {}, {}, []
    for p in paras:
        ss = [norm(s) for s in sentences(p)[0]]
        for s in ss:
            count[s] = count.get(s, 0) + 1
            if len(s) >= 8 and count[s] == 2:
                rep.append(s[:40])
        for a, b in zip(ss, ss[1:]):
            pairs[a + b] = pairs.get(a + b, 0) + 1
            if pairs[a + b] == 2:
                rep.append("run " + (a + b)[:40])
    check(not rep, "%s: no sentence or run of sentences is there twice (%d sentences)" % (name, sum(count.values())),
          "; ".join(rep[:4]))
    np_ = [norm(p) for p in paras]
    inside = [a[:30] for i, a in enumerate(np_) for j, b in enumerate(np_) if i != j and a in b]
    check(len(np_) >= 3 and not inside, "%s: no paragraph equals or stands inside another (%d paragraphs)" % (name, len(np_)),
          "; ".join(inside[:3]))

    first = []
    for blocks in segs:
        for kind, b in blocks:
            if kind == "h" and b not in first:
                first.append(b)
    check(heads == first, "%s: headings once, in the order of their first appearance" % name,
          "%s != %s" % (heads, first))
    cut = [p[-30:] for p in paras if sentences(p)[1]]
    if all_continued:
        check(not cut, "%s: every paragraph ends a sentence (each cut joined)" % name,
              "; ".join(cut[:3]))
        # nor starts one in its middle (a continuation left on its own)
        orphan = [p[:30] for p in paras if re.match(r"[a-z]", p)]
        check(not orphan, "%s: no paragraph starts mid-sentence" % name, "; ".join(orphan[:3]))


def main():
    os.makedirs(OUT, exist_ok=True)
    posts = sorted(os.listdir(os.path.join(FIXTURE, "_posts")))
    check(len(posts) >= 3, "segments: %d fixture posts" % len(posts))
    book = os.path.join(OUT, "segments.epub")
    r = subprocess.run([BIN, FIXTURE, "-o", book, "-v"], capture_output=True, text=True)
    check(r.returncode == 0, "the fixture blog binds", r.stderr[-500:])
    if r.returncode != 0:
        return done("segments")
    print("# " + "\n# ".join(l for l in r.stderr.splitlines() if "stitched" in l))
    chs = chapters(book)
    for p in posts:
        src = open(os.path.join(FIXTURE, "_posts", p), encoding="utf-8").read()
        title = re.search(r'^title:\s*"?(.*?)"?\s*$', src, re.M).group(1)
        check(title in chs, "%s: its chapter is in the book" % p, sorted(chs))
        if title in chs:
            post_checks(p, src, chs[title], 2)
    why = epubcheck_missing()
    if why:
        skip("segments: EPUBCheck", why)
    else:
        e, w, lines = epubcheck(book)
        check(e == 0 and w == 0, "segments: EPUBCheck 0 errors, 0 warnings (%d, %d)" % (e, w), "\n".join(lines[:10]))

    sample = shared("samples", "allforces")
    if sample:
        book = os.path.join(OUT, "allforces.epub")
        r = subprocess.run([BIN, sample, "-o", book, "-v"], capture_output=True, text=True)
        check(r.returncode == 0, "allforces binds", r.stderr[-500:])
        if r.returncode == 0:
            print("# " + "\n# ".join(l for l in r.stderr.splitlines() if "stitched" in l))
            d = os.path.join(sample, "_posts")
            p = sorted(os.listdir(d))[0]
            src = open(os.path.join(d, p), encoding="utf-8").read()
            chs = chapters(book)
            check(len(chs) == 1, "allforces: one chapter", sorted(chs))
            if chs:
                # two of its cuts have no continuation: one segment restarts
                # with another section, the last ends the post
                post_checks("allforces", src, list(chs.values())[0], 5, False)
    return done("segments")


if __name__ == "__main__":
    sys.exit(main())
