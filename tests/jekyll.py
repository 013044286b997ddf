#!/usr/bin/env python3
"""The Jekyll plugin (contrib/jekyll-blogbind) with Debian's jekyll.

`jekyll build` of a copy of examples/blog with the plugin loaded (from its
lib/ folder with -p, then as a gem built from its gemspec and installed into
a temporary GEM_HOME, named under plugins:) must write the book into _site/:
EPUBCheck-valid, the same bytes as blogbind's own run on the blog, at the path
a page links to with {{ site.blogbind_book | relative_url }}, under the name
the blogbind: section's book: gives. A program that cannot run, and a book
path leaving _site/, must fail the build and leave no book. No network: the
gem is built and installed from local files.

jekyll comes from Debian (apt-get install jekyll, tried here when missing);
where it cannot be installed the suite skips (a failure unless
BB_ALLOW_SKIP=1). Environment: BLOGBIND / BB_BUILD (tests/tap.py).
Ends with "jekyll: N passed, N failed".
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import BIN, ROOT, check, done, epubcheck, epubcheck_missing, skip  # noqa: E402

PLUGIN = os.path.join(ROOT, "contrib", "jekyll-blogbind")
EXAMPLE = os.path.join(ROOT, "examples", "blog")
BOOK = "quiet-margins.epub"  # the slug of the example's title


def have_jekyll():
    if shutil.which("jekyll"):
        return True
    if os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(["apt-get", "-o", "DPkg::Lock::Timeout=1200", "install", "-y", "-q",
                        "--no-install-recommends", "jekyll"], capture_output=True,
                       env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))
    return shutil.which("jekyll") is not None


def site(tmp, name, extra_config=""):
    """A copy of the example blog, with a page linking to the book."""
    d = os.path.join(tmp, name)
    shutil.copytree(EXAMPLE, d)
    with open(os.path.join(d, "book.md"), "w") as f:
        f.write("---\ntitle: The book\n---\n\n"
                "<a id=\"book\" href=\"{{ site.blogbind_book | relative_url }}\">the book</a>\n")
    if extra_config:
        with open(os.path.join(d, "_config.yml"), "a") as f:
            f.write(extra_config)
    return d


def build(src, env=None, args=("-p", os.path.join(PLUGIN, "lib"))):
    e = dict(os.environ, BLOGBIND=BIN, LANG="C.UTF-8", JEKYLL_ENV="production")
    e.update(env or {})
    return subprocess.run(["jekyll", "build", "-s", src, "-d", os.path.join(src, "_site"), *args],
                          capture_output=True, text=True, env=e, timeout=600)


def epubs(d):
    out = []
    for dp, _, fs in os.walk(os.path.join(d, "_site")):
        out += [os.path.relpath(os.path.join(dp, f), d) for f in fs if f.endswith(".epub")]
    return sorted(out)


def link(src):
    """The href of the page's link to the book, or None."""
    p = os.path.join(src, "_site", "book.html")
    if not os.path.exists(p):
        return None
    m = re.search(r'<a id="book" href="([^"]*)"', open(p, encoding="utf-8").read())
    return m.group(1) if m else None


def main():
    if not have_jekyll():
        skip("jekyll", "jekyll is not installed and apt-get install jekyll did not work")
        return done("jekyll")
    ver = subprocess.run(["jekyll", "--version"], capture_output=True, text=True).stdout.strip()
    tmp = tempfile.mkdtemp(prefix="blogbind-jekyll.")
    try:
        direct = os.path.join(tmp, "direct.epub")
        r = subprocess.run([BIN, "-q", EXAMPLE, "-o", direct], capture_output=True, text=True)
        check(r.returncode == 0, "blogbind binds examples/blog itself", r.stderr[-300:])

        # 1. the plugin from its folder (-p)
        src = site(tmp, "plain")
        r = build(src)
        check(r.returncode == 0, "%s: jekyll build -p contrib/jekyll-blogbind/lib exits 0" % ver,
              (r.stdout + r.stderr)[-800:])
        book = os.path.join(src, "_site", BOOK)
        check(epubs(src) == ["_site/" + BOOK], "the book is _site/%s, the only EPUB" % BOOK, str(epubs(src)))
        check(re.search(r"Blogbind: .*book written to .*%s \(\d+ bytes\)" % re.escape(BOOK), r.stdout) is not None,
              "jekyll's log says where the book was written", r.stdout[-400:])
        if os.path.exists(book):
            why = epubcheck_missing()
            if why:
                skip("epubcheck", why)
            else:
                e, w, lines = epubcheck(book)
                check(e == 0 and w == 0, "_site/%s passes EPUBCheck (%d errors, %d warnings)" % (BOOK, e, w),
                      "\n".join(lines[:10]))
            check(os.path.exists(direct) and open(book, "rb").read() == open(direct, "rb").read(),
                  "the book is the same bytes as blogbind's own run on the blog")
        href = link(src)
        check(href == "/notes/" + BOOK, "a page links to it: {{ site.blogbind_book | relative_url }} is /notes/%s" % BOOK,
              "got %r" % href)
        # a second build over the first one's _site: the same book
        r = build(src)
        check(r.returncode == 0 and os.path.exists(direct) and os.path.exists(book) and
              open(book, "rb").read() == open(direct, "rb").read(),
              "a second build (with _site/ in the source) makes the same book", (r.stdout + r.stderr)[-400:])

        # 2. the name from the blogbind: section, the plugin as a gem
        gemhome = os.path.join(tmp, "gems")
        g = subprocess.run(["gem", "build", "jekyll-blogbind.gemspec"], cwd=PLUGIN,
                           capture_output=True, text=True, env=dict(os.environ, SOURCE_DATE_EPOCH="1700000000"))
        gemfile = os.path.join(PLUGIN, "jekyll-blogbind-0.1.0.gem")
        ok = g.returncode == 0 and os.path.exists(gemfile)
        if ok:
            shutil.move(gemfile, os.path.join(tmp, "jekyll-blogbind-0.1.0.gem"))
            g = subprocess.run(["gem", "install", "--local", "--ignore-dependencies", "--no-document",
                                "--install-dir", gemhome, os.path.join(tmp, "jekyll-blogbind-0.1.0.gem")],
                               capture_output=True, text=True)
            ok = g.returncode == 0
        check(ok, "gem build jekyll-blogbind.gemspec and gem install --local", (g.stdout + g.stderr)[-400:])
        src = site(tmp, "named", "  book: books/notes.epub\nplugins: [jekyll-blogbind]\n")
        r = build(src, env={"GEM_PATH": gemhome + ":" + subprocess.run(
            ["ruby", "-e", "print Gem.path.join(':')"], capture_output=True, text=True).stdout}, args=())
        check(r.returncode == 0 and epubs(src) == ["_site/books/notes.epub"],
              "as a gem under plugins:, with blogbind: book: books/notes.epub: _site/books/notes.epub",
              "exit %d, %s; %s" % (r.returncode, epubs(src), (r.stdout + r.stderr)[-400:]))
        check(link(src) == "/notes/books/notes.epub", "and the page links to /notes/books/notes.epub", str(link(src)))

        # 3. failures fail the build and leave no book
        src = site(tmp, "noprog")
        r = build(src, env={"BLOGBIND": os.path.join(tmp, "no-such-blogbind")})
        check(r.returncode != 0 and "cannot run" in (r.stdout + r.stderr) and epubs(src) == [],
              "BLOGBIND naming no program: jekyll build fails, no book", "exit %d, %s" % (r.returncode, epubs(src)))
        src = site(tmp, "escape", "  book: ../outside.epub\n")
        r = build(src)
        check(r.returncode != 0 and "relative path inside the site" in (r.stdout + r.stderr) and
              not os.path.exists(os.path.join(src, "outside.epub")),
              "book: ../outside.epub: jekyll build fails, nothing written outside _site/",
              "exit %d; %s" % (r.returncode, (r.stdout + r.stderr)[-300:]))
        src = site(tmp, "strict", "  strict: true\n")
        with open(os.path.join(src, "_posts", "2024-01-14-starting-a-notebook.md"), "a") as f:
            f.write("\n![a missing picture](/assets/no-such-picture.png)\n")
        r = build(src)
        check(r.returncode != 0 and epubs(src) == [],
              "a bind that fails (strict: true and a warning) fails jekyll build, no book",
              "exit %d, %s" % (r.returncode, epubs(src)))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return done("jekyll")


if __name__ == "__main__":
    sys.exit(main())
