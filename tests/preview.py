#!/usr/bin/env python3
"""preview.py: blogbind --preview binds the book, serves it and the bundled
epub.js viewer on 127.0.0.1 only, answers nothing else (../, %2e%2e,
absolute paths, a symlink in the blog pointing out of it), and stops on
SIGINT. Uses the example blog (examples/blog), copied with a symlink added."""
import http.client
import json
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import BIN, BUILD, ROOT, check, done, skip  # noqa: E402

SECRET = "bb-preview-secret-4711"


def get(port, path, method="GET"):
    """(status, content type, body) of one request with path sent as is."""
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    c.putrequest(method, path, skip_host=False, skip_accept_encoding=True)
    c.endheaders()
    r = c.getresponse()
    body = r.read()
    c.close()
    return r.status, r.getheader("Content-Type") or "", body


def listening_addresses(port):
    """The local addresses of the listening TCP sockets on port (/proc/net/tcp*)."""
    found = []
    for name in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(name) as f:
                next(f)
                for line in f:
                    cols = line.split()
                    addr, p = cols[1].split(":")
                    if cols[3] == "0A" and int(p, 16) == port:
                        found.append(addr)
        except OSError:
            pass
    return found


def start(blog, book, *args):
    """The running preview and its URL (None when no URL came within 60 s)."""
    p = subprocess.Popen([BIN, blog, "-o", book, "--preview", *args], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    ready, _, _ = select.select([p.stdout], [], [], 60)
    url = p.stdout.readline().strip() if ready else None
    return p, url


def stop(p):
    """Sends SIGINT; the exit status and stderr (None, "" when it hung)."""
    p.send_signal(signal.SIGINT)
    try:
        _, err = p.communicate(timeout=15)
        return p.returncode, err
    except subprocess.TimeoutExpired:
        p.kill()
        p.communicate()
        return None, ""


def traversal(port, tmp):
    """Every path outside the served names gets 404 and no byte of the secret."""
    paths = [
        "/../../../../etc/passwd", "/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "/..%2f..%2f..%2fetc%2fpasswd", "//etc/passwd", "/etc/passwd", tmp + "/secret.txt",
        "/" + tmp + "/secret.txt", "/secret.txt", "/leak.txt", "/assets/leak.txt", "/blog/assets/leak.txt",
        "/book.epub%00", "/book.epub/", "/./book.epub", "/index.html/../book.epub", "/%62ook.epub",
        "/EPUB/content.opf", "/book.epub/../../etc/passwd", "/..\\..\\etc\\passwd",
    ]
    bad = []
    for path in paths:
        st, _, body = get(port, path)
        if st != 404 or SECRET.encode() in body or b"root:" in body:
            bad.append("%s -> %d (%d bytes)" % (path, st, len(body)))
    check(not bad, "%d paths outside the book and viewer get 404 and none of the secret (../, %%2e%%2e, absolute, "
          "a symlink in the blog, %%00)" % len(paths), "; ".join(bad))
    # an absolute-form request target naming another file
    st, _, body = get(port, "http://127.0.0.1:%d/../../etc/passwd" % port)
    check(st != 200 and b"root:" not in body, "an absolute-form target outside the book is refused (%d)" % st)
    st, _, _ = get(port, "/book.epub", method="POST")
    check(st == 405, "POST is refused (%d)" % st)


def viewer(url, webkit):
    """The bundled viewer, in chromium or WebKitGTK (tests/reader), shows the
    book: its toc in the menu and a chapter's text in epub.js's iframe."""
    here = os.path.join(ROOT, "tests", "reader")
    engine = "webkit" if webkit else "chromium"
    if not os.path.isdir(os.path.join(here, "node_modules", "playwright-core")):
        skip("the viewer in %s" % engine, "tests/reader/setup.sh has not run")
        return
    shot = os.path.join(BUILD, "artifacts", "preview-%s.png" % engine)
    os.makedirs(os.path.dirname(shot), exist_ok=True)
    cmd = ["node", os.path.join(here, "preview-view.js"), url, shot]
    if webkit:
        cmd = ["xvfb-run", "-a", "-s", "-screen 0 1280x1024x24"] + cmd + ["--webkit"]
    env = dict(os.environ)
    node20 = os.path.join(here, ".node20", "node_modules", ".bin")
    if os.path.isdir(node20):
        env["PATH"] = node20 + os.pathsep + env.get("PATH", "")
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=180, env=env)
    try:
        got = json.loads(r.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        got = {"error": (r.stdout + r.stderr)[-300:]}
    toc = got.get("toc") or []
    text = got.get("text") or ""
    check(len(toc) >= 8 and len(text) > 10,
          "the viewer shows the book in %s: %d toc entries, a chapter's text (%r...), saved as %s"
          % (engine, len(toc), text[:40], shot), got.get("error") or got)


def main():
    tmp = tempfile.mkdtemp(prefix="bb-preview-")
    try:
        blog = os.path.join(tmp, "blog")
        shutil.copytree(os.path.join(ROOT, "examples", "blog"), blog, symlinks=True)
        with open(os.path.join(tmp, "secret.txt"), "w") as f:
            f.write(SECRET + "\n")
        os.makedirs(os.path.join(blog, "assets"), exist_ok=True)
        os.symlink(os.path.join(tmp, "secret.txt"), os.path.join(blog, "assets", "leak.txt"))
        book = os.path.join(tmp, "book.epub")
        t0 = time.time()
        p, url = start(blog, book)
        m = re.match(r"^http://127\.0\.0\.1:(\d+)/$", url or "")
        if not check(m is not None, "--preview prints its URL on 127.0.0.1 (%s, %.1f s after start)" % (url, time.time() - t0),
                     p.stderr.read() if p.poll() is not None else "no URL within 60 s"):
            stop(p)
            return
        port = int(m.group(1))
        addrs = listening_addresses(port)
        check(addrs == ["0100007F"], "it listens on 127.0.0.1 only (%s)" % addrs, "listening on %s" % addrs)
        st, ctype, body = get(port, "/")
        check(st == 200 and ctype.startswith("text/html") and b"epub.min.js" in body and b"book.epub" in body,
              "/ is the viewer page (%d, %s, %d bytes)" % (st, ctype, len(body)))
        for name in ("epub.min.js", "jszip.min.js"):
            with open(os.path.join(ROOT, "share", "preview", name), "rb") as f:
                want = f.read()
            st, ctype, body = get(port, "/" + name)
            check(st == 200 and body == want and "javascript" in ctype,
                  "/%s is share/preview/%s (%d, %d bytes)" % (name, name, st, len(body)))
        with open(book, "rb") as f:
            want = f.read()
        st, ctype, body = get(port, "/book.epub")
        check(st == 200 and ctype == "application/epub+zip" and body == want and len(body) > 1000,
              "/book.epub is the book just written (%d, %s, %d bytes)" % (st, ctype, len(body)))
        traversal(port, tmp)
        viewer(url, False)
        viewer(url, True)
        rc, err = stop(p)
        check(rc == 0 and "preview stopped" in err, "SIGINT stops it (exit %s)" % rc, err[-300:])
        try:
            socket.create_connection(("127.0.0.1", port), timeout=2).close()
            check(False, "the port is closed after it stopped")
        except OSError:
            check(True, "the port is closed after it stopped")

        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        free = s.getsockname()[1]
        s.close()
        p, url = start(blog, book, "--port", str(free))
        check(url == "http://127.0.0.1:%d/" % free, "--port %d is used (%s)" % (free, url))
        rc, _ = stop(p)
        check(rc == 0, "it stops again (exit %s)" % rc)
        r = subprocess.run([BIN, blog, "-o", book, "--preview", "--port", "70000"], capture_output=True, text=True,
                           timeout=60)
        check(r.returncode == 2 and "--port" in r.stderr, "--port 70000 is a usage error (exit %d)" % r.returncode)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
    sys.exit(done("preview"))
