#!/usr/bin/env python3
"""End-to-end test of --fetch-remote against a loopback HTTP server.

Starts a ThreadingHTTPServer on 127.0.0.1 (port 0) serving a PNG it makes, a
404, a slow answer past the time-out and a body over the size cap; binds a
small Jekyll blog whose posts show those URLs, with and without
--fetch-remote; binds it again with the server stopped (the image must come
from the cache); runs EPUBCheck on every book. Uses loopback addresses only.

Environment: BLOGBIND or BB_BUILD (tests/tap.py), EPUBCHECK_JAR. Prints one
line per check and "fetch: N passed, N failed"; exits 1 when a check failed.
A program without --fetch-remote and --cache-dir in its --help, or no
EPUBCheck, is a failure unless BB_ALLOW_SKIP=1 (tests/tap.py).
"""
import hashlib
import http.server
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import time
import xml.etree.ElementTree as ET
import zipfile
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import BIN, check, done, epubcheck, epubcheck_missing, skip  # noqa: E402
XHTML = "{http://www.w3.org/1999/xhtml}"
TIMEOUT = 2                      # BB_FETCH_TIMEOUT for the runs
SLOW = 8                         # seconds the slow answer waits
CAP = 32 << 20                   # BB_MAX_IMAGE_BYTES, the cap the renderer passes

def make_png(w, h, seed):
    """A valid RGB PNG whose pixels depend on seed."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff)
    rows = b"".join(b"\0" + bytes(((x * 37 + y * 11 + seed) & 0xff) for x in range(w * 3)) for y in range(h))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


PHOTO = make_png(16, 12, 5)
HUGE_HEAD = make_png(4, 4, 9)


class Handler(http.server.BaseHTTPRequestHandler):
    hits = {}
    lock = threading.Lock()

    def log_message(self, *args):
        pass

    def do_GET(self):
        path = self.path.split("?")[0]
        with Handler.lock:
            Handler.hits[path] = Handler.hits.get(path, 0) + 1
        try:
            if path == "/img/photo.png":
                self.send(200, PHOTO)
            elif path == "/img/slow.png":
                time.sleep(SLOW)
                self.send(200, PHOTO)
            elif path == "/img/huge.png":
                # a real PNG start, then more bytes than the cap allows
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(CAP + 1))
                self.end_headers()
                self.wfile.write(HUGE_HEAD)
                left, block = CAP + 1 - len(HUGE_HEAD), b"\0" * 65536
                while left > 0:
                    n = min(left, len(block))
                    self.wfile.write(block[:n])
                    left -= n
            else:
                self.send(404, b"not found", "text/plain")
        except (BrokenPipeError, ConnectionResetError):
            pass

    def send(self, code, body, ctype="image/png"):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def fnv1a64(s):
    h = 0xcbf29ce484222325
    for c in s.encode():
        h = ((h ^ c) * 0x100000001b3) & 0xffffffffffffffff
    return "%016x" % h


def run(args, env=None, cwd=None):
    e = {k: v for k, v in os.environ.items() if k.lower() not in ("http_proxy", "https_proxy", "all_proxy")}
    e["no_proxy"] = e["NO_PROXY"] = "127.0.0.1"
    if env:
        e.update(env)
    t = time.monotonic()
    r = subprocess.run([BIN] + args, capture_output=True, text=True, env=e, cwd=cwd)
    return r, time.monotonic() - t


class Book:
    def __init__(self, path):
        self.z = zipfile.ZipFile(path)
        self.names = self.z.namelist()
        self.docs = {n: ET.fromstring(self.z.read(n)) for n in self.names if n.endswith(".xhtml")}

    def imgs(self):
        """(alt, bytes of the file src names or None) of every <img> in the posts."""
        out = []
        for n, root in self.docs.items():
            for el in root.iter(XHTML + "img"):
                src = os.path.normpath(os.path.join(os.path.dirname(n), el.get("src") or ""))
                out.append((el.get("alt"), self.z.read(src) if src in self.names else None))
        return out

    def links(self):
        """(href, text) of every <a>."""
        return [(el.get("href"), "".join(el.itertext()).strip())
                for root in self.docs.values() for el in root.iter(XHTML + "a")]

    def image_files(self):
        return [self.z.read(n) for n in self.names if n.startswith("EPUB/img/")]


def write_blog(blog, base):
    os.makedirs(os.path.join(blog, "_posts"))
    with open(os.path.join(blog, "_config.yml"), "w") as f:
        f.write("title: Remote pictures\nauthor: Test\nlang: en\n")
    with open(os.path.join(blog, "_posts", "2024-01-01-pictures.md"), "w") as f:
        f.write("---\ntitle: Pictures\n---\n\nA photo from elsewhere:\n\n"
                "![A photo](%s/img/photo.png)\n\n"
                "![Missing picture](%s/img/missing.png)\n\n"
                "![Slow picture](%s/img/slow.png)\n\n"
                "![Huge picture](%s/img/huge.png)\n" % (base, base, base, base))
    with open(os.path.join(blog, "_posts", "2024-01-02-again.md"), "w") as f:
        f.write("---\ntitle: Again\n---\n\nThe same photo once more:\n\n![The photo again](%s/img/photo.png)\n" % base)


def warned(stderr, name, why):
    return any(re.search(r"\bwarning\b", l) and name in l and why in l for l in stderr.splitlines())


def main():
    try:
        h = subprocess.run([BIN, "--help"], capture_output=True, text=True)
        helptext = h.stdout + h.stderr
    except OSError as e:
        helptext = ""
        print("# cannot run %s: %s" % (BIN, e))
    if "--fetch-remote" not in helptext or "--cache-dir" not in helptext:
        skip("fetch", "%s --help does not mention --fetch-remote and --cache-dir" % BIN)
        return done("fetch")

    tmp = tempfile.mkdtemp(prefix="bb-fetch-")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    port = server.server_address[1]
    th = threading.Thread(target=server.serve_forever, daemon=True)
    th.start()
    base = "http://127.0.0.1:%d" % port
    url = {k: "%s/img/%s.png" % (base, k) for k in ("photo", "missing", "slow", "huge")}
    alt = {"photo": "A photo", "missing": "Missing picture", "slow": "Slow picture", "huge": "Huge picture"}
    blog = os.path.join(tmp, "blog")
    cache = os.path.join(tmp, "cache")
    write_blog(blog, base)
    books = []
    env = {"BB_FETCH_TIMEOUT": str(TIMEOUT)}
    try:
        # --- without --fetch-remote: links to the URLs, and no request at all
        out0 = os.path.join(tmp, "links.epub")
        r, _ = run([blog, "-o", out0, "--cache-dir", cache], env)
        check(r.returncode == 0, "without --fetch-remote: exit 0", r.stderr[-400:])
        check(sum(Handler.hits.values()) == 0, "without --fetch-remote: the server got no request", str(Handler.hits))
        # --cache-dir also keeps rendered chapters (chapters/): no download may be there
        downloads = [f for f in os.listdir(cache) if f != "chapters"] if os.path.isdir(cache) else []
        check(downloads == [], "without --fetch-remote: nothing downloaded into the cache folder", str(downloads))
        if r.returncode == 0:
            books.append(out0)
            b = Book(out0)
            links = b.links()
            for k in url:
                check((url[k], alt[k]) in links, "without --fetch-remote: %s becomes a link showing its alt text" % k)
            check(not b.imgs() and not b.image_files(), "without --fetch-remote: no image embedded")

        # --- with it: the photo embedded, the others links with warnings
        out1 = os.path.join(tmp, "fetched.epub")
        r, secs = run([blog, "-o", out1, "--fetch-remote", "--cache-dir", cache], env)
        check(r.returncode == 0, "--fetch-remote: exit 0", r.stderr[-400:])
        check(secs < SLOW - 1, "--fetch-remote: the slow image waited about BB_FETCH_TIMEOUT=%d s, not %d" % (TIMEOUT, SLOW),
              "%.1f s" % secs)
        print("# first run with --fetch-remote: %.2f s" % secs)
        check(Handler.hits.get("/img/photo.png", 0) >= 1, "--fetch-remote: the photo was requested", str(Handler.hits))
        check(Handler.hits.get("/img/missing.png", 0) >= 1 and Handler.hits.get("/img/slow.png", 0) >= 1 and
              Handler.hits.get("/img/huge.png", 0) >= 1, "--fetch-remote: every remote image was tried", str(Handler.hits))
        if r.returncode == 0:
            books.append(out1)
            b = Book(out1)
            imgs = b.imgs()
            check(("A photo", PHOTO) in imgs and ("The photo again", PHOTO) in imgs,
                  "--fetch-remote: both posts show the photo, embedded with the same bytes",
                  str([(a, d and hashlib.sha1(d).hexdigest()) for a, d in imgs]))
            check(b.image_files() == [PHOTO], "--fetch-remote: the photo is stored once, and nothing else",
                  "%d image files" % len(b.image_files()))
            links = b.links()
            for k in ("missing", "slow", "huge"):
                check((url[k], alt[k]) in links, "--fetch-remote: the %s image becomes a link showing its alt text" % k)
            check(not any(a == alt[k] for a, _ in imgs for k in ("missing", "slow", "huge")),
                  "--fetch-remote: no <img> for the images that failed")
            check(url["photo"] not in [h for h, _ in links], "--fetch-remote: the fetched photo is not also a link")
        check(warned(r.stderr, "missing.png", "HTTP 404"), "--fetch-remote: a warning says missing.png gave HTTP 404", r.stderr[-600:])
        check(warned(r.stderr, "slow.png", "timed out"), "--fetch-remote: a warning says slow.png timed out", r.stderr[-600:])
        check(warned(r.stderr, "huge.png", "larger than the size cap"),
              "--fetch-remote: a warning says huge.png is larger than the size cap", r.stderr[-600:])
        check(not warned(r.stderr, "photo.png", ""), "--fetch-remote: no warning about the photo", r.stderr[-600:])

        # the cache: the photo under its hashed name, complete; nothing else
        files = sorted(f for f in os.listdir(cache) if f != "chapters") if os.path.isdir(cache) else []
        name = fnv1a64(url["photo"]) + ".png"
        check(files == [name], "cache holds exactly the photo, named by the URL's hash", str(files))
        check(os.path.isfile(os.path.join(cache, name)) and open(os.path.join(cache, name), "rb").read() == PHOTO,
              "cache: the photo's bytes are complete")

        # another cache folder, given relative to the current one: the same book
        out1b = os.path.join(tmp, "fetched-again.epub")
        r, _ = run([blog, "-o", out1b, "--fetch-remote", "--cache-dir", "cache2"], env, cwd=tmp)
        check(r.returncode == 0 and os.path.isfile(os.path.join(tmp, "cache2", name)),
              "a relative --cache-dir is taken from the current folder", r.stderr[-400:])
        check(r.returncode == 0 and os.path.exists(out1) and open(out1, "rb").read() == open(out1b, "rb").read(),
              "another cache folder gives a byte-identical book")

        # no --cache-dir: the blog's own .blogbind-cache
        r, _ = run([blog, "-o", os.path.join(tmp, "default-cache.epub"), "--fetch-remote"], env)
        check(r.returncode == 0 and os.path.isfile(os.path.join(blog, ".blogbind-cache", name)),
              "without --cache-dir the cache is BLOG/.blogbind-cache", r.stderr[-400:])
    finally:
        server.shutdown()
        server.server_close()

    # --- the server is gone: the photo comes from the cache
    out2 = os.path.join(tmp, "offline.epub")
    r, secs = run([blog, "-o", out2, "--fetch-remote", "--cache-dir", cache], env)
    print("# second run, server stopped: %.2f s" % secs)
    check(r.returncode == 0, "server stopped: exit 0", r.stderr[-400:])
    if r.returncode == 0:
        books.append(out2)
        b = Book(out2)
        check(("A photo", PHOTO) in b.imgs(), "server stopped: the photo is embedded from the cache, same bytes")
        check(b.image_files() == [PHOTO], "server stopped: only the photo is embedded")
        links = b.links()
        check(all((url[k], alt[k]) in links for k in ("missing", "slow", "huge")),
              "server stopped: the images never fetched are links")
        check(all(warned(r.stderr, k + ".png", "") for k in ("missing", "slow", "huge")),
              "server stopped: each image never fetched has a warning", r.stderr[-600:])
        check(open(out1, "rb").read() == open(out2, "rb").read() if os.path.exists(out1) else False,
              "server stopped: the book is byte-identical to the first run's")

    # --- every book through EPUBCheck
    why = epubcheck_missing()
    if why:
        skip("EPUBCheck of %d books" % len(books), why)
        books = []
    for p in books:
        errors, _, lines = epubcheck(p)
        check(errors == 0, "EPUBCheck: %s has 0 errors" % os.path.basename(p), "; ".join(lines[:5]))

    shutil.rmtree(tmp, ignore_errors=True)
    return done("fetch")


if __name__ == "__main__":
    sys.exit(main())
