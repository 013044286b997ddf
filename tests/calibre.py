#!/usr/bin/env python3
"""Kindle and Kobo smoke test: calibre (Debian `calibre`, headless with
QT_QPA_PLATFORM=offscreen) converts blogbind's books as Send-to-Kindle and
Kobo's tools would take them in.

Binds the example blog and the rich fixture of tests/epubcheck_ts.py
(formulas as MathML, highlighted code, a footnote, a table, a WebP and an
AVIF made PNG and JPEG, an SVG), then for each: `ebook-convert` to AZW3 and
to EPUB with calibre's Kobo output profile must finish (exit 0, within the
time-out) with no error or traceback in its log, the AZW3 must start with a
MOBI header and `ebook-meta` must read the book's title back from it; the
AZW3 converted again to text must hold the post's title and its code.

Environment: BLOGBIND or BB_BUILD, CALIBRE_TIMEOUT (seconds per
conversion, default 300). Prints one line per check and "calibre: N passed,
N failed". No ebook-convert is a failure unless BB_ALLOW_SKIP=1
(tests/calibre-setup.sh installs calibre).
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import BIN, ROOT, check, done, skip  # noqa: E402
import epubcheck_ts  # noqa: E402  (its fixture blog)

TIMEOUT = int(os.environ.get("CALIBRE_TIMEOUT") or 300)
ENV = dict(os.environ, QT_QPA_PLATFORM="offscreen")


def run(args, tmp):
    env = dict(ENV, CALIBRE_CONFIG_DIRECTORY=os.path.join(tmp, "calibre-config"), HOME=tmp)
    try:
        r = subprocess.run(args, capture_output=True, text=True, env=env, timeout=TIMEOUT)
        return r.returncode, r.stdout + r.stderr
    except subprocess.TimeoutExpired:
        return -1, "timed out after %d s" % TIMEOUT


def smoke(book, title, words, what, tmp):
    azw3 = os.path.join(tmp, what + ".azw3")
    rc, log = run(["ebook-convert", book, azw3], tmp)
    bad = [l for l in log.splitlines() if re.search(r"Traceback|^ERROR|\bError:", l)]
    if not check(rc == 0 and os.path.isfile(azw3) and not bad, "%s: ebook-convert to AZW3 completes" % what,
                 "exit %d: %s" % (rc, (bad or log.splitlines()[-3:]))):
        return
    with open(azw3, "rb") as f:
        head = f.read(80)
    check(head[60:68] == b"BOOKMOBI", "%s: the AZW3 is a MOBI container" % what, head[60:68])
    rc, meta = run(["ebook-meta", azw3], tmp)
    check(rc == 0 and re.search(r"Title\s*:\s*" + re.escape(title), meta), "%s: ebook-meta reads its title" % what,
          meta[-300:])
    txt = os.path.join(tmp, what + ".txt")
    rc, log = run(["ebook-convert", azw3, txt], tmp)
    text = open(txt, encoding="utf-8", errors="replace").read() if rc == 0 and os.path.isfile(txt) else ""
    check(all(w in text for w in words), "%s: the AZW3 read back as text holds %s" % (what, ", ".join(words)),
          "exit %d: %s" % (rc, text[:200] or log[-300:]))
    kobo = os.path.join(tmp, what + "-kobo.epub")
    rc, log = run(["ebook-convert", book, kobo, "--output-profile", "kobo"], tmp)
    bad = [l for l in log.splitlines() if re.search(r"Traceback|^ERROR|\bError:", l)]
    check(rc == 0 and os.path.isfile(kobo) and not bad, "%s: ebook-convert to EPUB for Kobo completes" % what,
          "exit %d: %s" % (rc, (bad or log.splitlines()[-3:])))


def main():
    if not shutil.which("ebook-convert") or not shutil.which("ebook-meta"):
        skip("calibre", "ebook-convert not found (sh tests/calibre-setup.sh installs Debian's calibre)")
        return done("calibre")
    with tempfile.TemporaryDirectory() as tmp:
        ex = os.path.join(tmp, "example.epub")
        r = subprocess.run([BIN, os.path.join(ROOT, "examples", "blog"), "-o", ex], capture_output=True, text=True)
        if check(r.returncode == 0, "the example blog is bound", r.stderr[-500:]):
            smoke(ex, "Quiet Margins", ["Starting a notebook"], "example", tmp)
        blog = os.path.join(tmp, "rich")
        if epubcheck_ts.make_blog(blog):
            rich = os.path.join(tmp, "rich.epub")
            r = subprocess.run([BIN, blog, "-o", rich], capture_output=True, text=True)
            if check(r.returncode == 0, "the rich blog is bound", r.stderr[-500:]):
                smoke(rich, "Rich book", ["Rich post", "def area(r):", "puts \"hello\""], "rich", tmp)
    return done("calibre")


if __name__ == "__main__":
    sys.exit(main())
