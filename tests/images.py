#!/usr/bin/env python3
"""End-to-end test of images every reader can show (src/image.c).

Makes a small Jekyll blog in a temporary folder whose post shows a WebP with
transparency, a WebP without, an AVIF, a HEIC, a BMP and a TIFF (made at
test time by the unit test's helper, `BB_BUILD/tests/test_image --make`,
which writes them with libvips), plus a PNG whose header claims 100,000 x
100,000 pixels. Binds it with -v and checks: every image is in the book as a
PNG (the transparent ones) or a JPEG, its bytes match its name and its OPF
media type, the chapter's img points to it, nothing WebP/AVIF/HEIC/BMP/TIFF
is left in the book, a note says what was converted, the claimed bomb is
refused with a warning quickly, the book is byte-identical across runs and
--jobs, and EPUBCheck gives 0 errors and 0 warnings. Then --image-max-px
scales every image to its longest side, and a blog with three 3000 x 3000
noisy PNGs (52 MB) is bound with --max-size 10 and must come out under
10,000,000 bytes, saying what it did, and pass EPUBCheck.

Environment: BLOGBIND or BB_BUILD (tests/tap.py), EPUBCHECK_JAR. Prints one
line per check and "images: N passed, N failed"; exits 1 when one failed.
"""
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
import zipfile
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import BIN, BUILD, check, done, epubcheck, epubcheck_missing, skip  # noqa: E402

MAKER = os.path.join(BUILD, "tests", "test_image")
OPF = "{http://www.idpf.org/2007/opf}"
XHTML = "{http://www.w3.org/1999/xhtml}"

# name in the blog, width, height, alpha, the type the book must hold
IMAGES = [
    ("alpha.webp", 320, 200, 1, "image/png"),
    ("photo.webp", 320, 200, 0, "image/jpeg"),
    ("picture.avif", 300, 180, 0, "image/jpeg"),
    ("phone.heic", 240, 320, 0, "image/jpeg"),
    ("old.bmp", 200, 150, 0, "image/jpeg"),
    ("scan.tif", 400, 300, 1, "image/png"),
]


def make(path, w, h, alpha, noise=0):
    r = subprocess.run([MAKER, "--make", path, str(w), str(h), str(alpha), str(noise)],
                       capture_output=True, text=True)
    return r.returncode == 0 and os.path.isfile(path), r.stderr


def bomb_png(path):
    """A PNG whose header says 100,000 x 100,000 pixels: 57 bytes."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 100000, 100000, 8, 2, 0, 0, 0)) +
                chunk(b"IDAT", b"\x78\x9c") + chunk(b"IEND", b""))


def sniff(data):
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    return None


def dims(data):
    """(width, height) of a PNG or JPEG, or None."""
    if data.startswith(b"\x89PNG"):
        return struct.unpack(">II", data[16:24])
    if data.startswith(b"\xff\xd8"):
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                return None
            m = data[i + 1]
            ln = struct.unpack(">H", data[i + 2:i + 4])[0]
            if m in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF):
                h, w = struct.unpack(">HH", data[i + 5:i + 9])
                return w, h
            i += 2 + ln
    return None


def bind(blog, out, *args):
    t0 = time.time()
    r = subprocess.run([BIN, "-v", *args, blog, "-o", out], capture_output=True, text=True)
    return r, time.time() - t0


def book_images(path):
    """{zip name: (media type in the OPF, bytes)} and the chapters' img srcs."""
    z = zipfile.ZipFile(path)
    opf = ET.fromstring(z.read("EPUB/content.opf"))
    items = {}
    for it in opf.iter(OPF + "item"):
        items["EPUB/" + it.get("href")] = it.get("media-type")
    imgs = {n: (items.get(n), z.read(n)) for n in z.namelist() if n.startswith("EPUB/img/")}
    srcs = []
    for n in z.namelist():
        if re.match(r"EPUB/p[0-9_-][0-9a-z_-]*(\.\d+)?\.xhtml$", n):
            doc = ET.fromstring(z.read(n))
            srcs += ["EPUB/" + i.get("src") for i in doc.iter(XHTML + "img")]
    return imgs, srcs, z.namelist()


def run_epubcheck(path, what):
    why = epubcheck_missing()
    if why:
        return skip("EPUBCheck " + what, why)
    e, w, lines = epubcheck(path)
    return check(e == 0 and w == 0, "EPUBCheck 0 errors, 0 warnings: " + what, "\n".join(lines[:10]))


def test_convert(tmp):
    blog = os.path.join(tmp, "blog")
    os.makedirs(os.path.join(blog, "_posts"))
    os.makedirs(os.path.join(blog, "img"))
    with open(os.path.join(blog, "_config.yml"), "w") as f:
        f.write("title: Images every reader can show\nauthor: Tester\nlang: en\n")
    body = ["---", "title: Pictures", "---", "Pictures in every format.", ""]
    for name, w, h, alpha, _ in IMAGES:
        ok, err = make(os.path.join(blog, "img", name), w, h, alpha)
        if not check(ok, "made %s with libvips" % name, err):
            return
        body += ["![%s](/img/%s)" % (name, name), ""]
    bomb_png(os.path.join(blog, "img", "bomb.png"))
    body += ["![a bomb](/img/bomb.png)", ""]
    with open(os.path.join(blog, "_posts", "2024-03-01-pictures.md"), "w") as f:
        f.write("\n".join(body))

    out = os.path.join(tmp, "book.epub")
    r, secs = bind(blog, out)
    if not check(r.returncode == 0 and os.path.isfile(out), "the blog with WebP, AVIF, HEIC, BMP, TIFF is bound",
                 r.stderr[-1500:]):
        return
    print("# bound in %.2f s" % secs)
    for line in r.stderr.splitlines():
        if "image (" in line or "40 million" in line:
            print("# " + line)
    imgs, srcs, names = book_images(out)
    check(len(imgs) == len(IMAGES), "%d images in the book" % len(IMAGES), sorted(imgs))
    check(not [n for n in names if re.search(r"\.(webp|avif|heic|bmp|tiff?)$", n, re.I)],
          "no WebP, AVIF, HEIC, BMP or TIFF file left in the book", names)
    for name, w, h, alpha, want in IMAGES:
        stem = name.split(".")[0]
        found = [n for n in imgs if re.search(r"-%s\.(png|jpg)$" % stem, n)]
        if not check(len(found) == 1, "%s is in the book" % name, sorted(imgs)):
            continue
        n = found[0]
        mt, data = imgs[n]
        check(sniff(data) == want and mt == want and n.endswith(".png" if want == "image/png" else ".jpg"),
              "%s became %s (name, bytes and OPF agree)" % (name, want), (n, mt, sniff(data)))
        check(dims(data) == (w, h), "%s keeps its size %d x %d" % (name, w, h), dims(data))
        check(n in srcs, "the chapter shows %s as %s" % (name, n), srcs)
        check(re.search(r"%s: note: .*image \(%d x %d.*\) made a %s" % (re.escape(name), w, h,
                                                                        "PNG" if want == "image/png" else "JPEG"),
                        r.stderr) is not None, "-v says %s was converted" % name)
    check(re.search(r"warning: image '/img/bomb\.png' claims more than 40 million pixels.*refused before decoding", r.stderr) is not None,
          "the PNG claiming 100,000 x 100,000 is refused with a warning", r.stderr[-800:])
    check(secs < 60, "the bind takes less than a minute (%.1f s)" % secs)
    run_epubcheck(out, "converted images")

    again = os.path.join(tmp, "again.epub")
    r2, _ = bind(blog, again, "--jobs", "2")
    r3, _ = bind(blog, os.path.join(tmp, "third.epub"), "--jobs", "1")
    with open(out, "rb") as a, open(again, "rb") as b, open(os.path.join(tmp, "third.epub"), "rb") as c:
        x, y, z = a.read(), b.read(), c.read()
    check(r2.returncode == 0 and r3.returncode == 0 and x == y == z,
          "byte-identical books across runs and --jobs 1/2")

    small = os.path.join(tmp, "small.epub")
    r4, _ = bind(blog, small, "--image-max-px", "100")
    if check(r4.returncode == 0, "--image-max-px 100 binds", r4.stderr[-800:]):
        imgs, srcs, _ = book_images(small)
        sizes = {n: dims(d) for n, (_, d) in imgs.items()}
        check(len(sizes) == len(IMAGES) and all(d and max(d) == 100 for d in sizes.values()),
              "--image-max-px 100: every image's longest side is 100", sizes)
        check(all(n in srcs for n in imgs), "--image-max-px: the chapter shows the scaled images")
        run_epubcheck(small, "--image-max-px 100")


def test_fit_identical(tmp):
    """--max-size 1 on noisy 900 x 900 pictures (a palette PNG, a scaled
    JPEG from a WebP): under 1 MB, and the same bytes across runs and
    --jobs."""
    blog = os.path.join(tmp, "mid")
    os.makedirs(os.path.join(blog, "_posts"))
    os.makedirs(os.path.join(blog, "img"))
    with open(os.path.join(blog, "_config.yml"), "w") as f:
        f.write("title: Middle pictures\nauthor: Tester\nlang: en\n")
    body = ["---", "title: Noise", "---", "Noisy pictures.", ""]
    total = 0
    for name, alpha in (("a.png", 0), ("b.png", 1), ("c.webp", 0)):
        p = os.path.join(blog, "img", name)
        ok, err = make(p, 900, 900, alpha, 1)
        if not check(ok, "made a 900 x 900 noisy " + name, err):
            return
        total += os.path.getsize(p)
        body += ["![%s](/img/%s)" % (name, name), ""]
    with open(os.path.join(blog, "_posts", "2024-03-03-mid.md"), "w") as f:
        f.write("\n".join(body))
    books = []
    for jobs in ("1", "2", "1"):
        out = os.path.join(tmp, "mid%d.epub" % len(books))
        r, secs = bind(blog, out, "--max-size", "1", "--jobs", jobs)
        if not check(r.returncode == 0, "--max-size 1 --jobs %s binds" % jobs, r.stderr[-800:]):
            return
        with open(out, "rb") as f:
            books.append(f.read())
    print("# --max-size 1: %.2f MB of images -> %.3f MB in %.1f s" % (total / 1e6, len(books[0]) / 1e6, secs))
    check(len(books[0]) <= 1000000, "the book is under 1 MB (%d bytes)" % len(books[0]))
    check(books[0] == books[1] == books[2], "--max-size: byte-identical across runs and --jobs")


def test_max_size(tmp):
    blog = os.path.join(tmp, "big")
    os.makedirs(os.path.join(blog, "_posts"))
    os.makedirs(os.path.join(blog, "img"))
    with open(os.path.join(blog, "_config.yml"), "w") as f:
        f.write("title: Large pictures\nauthor: Tester\nlang: en\n")
    body = ["---", "title: Noise", "---", "Three large noisy pictures.", ""]
    total = 0
    for i in range(3):
        p = os.path.join(blog, "img", "noise%d.png" % i)
        ok, err = make(p, 3000, 3000, 0, 1)
        if not check(ok, "made a 3000 x 3000 noisy PNG", err):
            return
        total += os.path.getsize(p)
        body += ["![noise %d](/img/noise%d.png)" % (i, i), ""]
    with open(os.path.join(blog, "_posts", "2024-03-02-noise.md"), "w") as f:
        f.write("\n".join(body))
    limit = 10
    check(total > limit * 1000000, "the images (%.1f MB) are over the limit without --max-size" % (total / 1e6))
    out = os.path.join(tmp, "fit.epub")
    r, secs = bind(blog, out, "--max-size", str(limit))
    if not check(r.returncode == 0 and os.path.isfile(out), "--max-size %d binds" % limit, r.stderr[-1500:]):
        return
    size = os.path.getsize(out)
    print("# --max-size %d: %.1f MB of images -> a book of %.2f MB in %.1f s" % (limit, total / 1e6, size / 1e6, secs))
    for line in r.stderr.splitlines():
        if "max-size" in line:
            print("# " + line)
    check(size <= limit * 1000000, "the book (%d bytes) is under --max-size %d MB" % (size, limit))
    check(re.search(r"note: --max-size 10: .*recompressed.*scaled to at most \d+ px", r.stderr) is not None,
          "--max-size says what it did", r.stderr[-800:])
    imgs, srcs, _ = book_images(out)
    check(len(imgs) == 3 and all(sniff(d) == "image/png" and mt == "image/png" for mt, d in imgs.values()),
          "the three images are still PNGs, named and typed alike", {n: (mt, sniff(d)) for n, (mt, d) in imgs.items()})
    check(all(d and max(dims(d)) < 3000 for _, d in imgs.values()), "they were scaled down",
          [dims(d) for _, d in imgs.values()])
    check(all(n in srcs for n in imgs), "the chapter shows them")
    run_epubcheck(out, "--max-size")


def test_no_libvips(tmp):
    """libvips is loaded only when an image needs it (dlopen): when it cannot
    be (BLOGBIND_LIBVIPS names a missing file), each image says why, the
    book is still written, and --strict writes none."""
    blog = os.path.join(tmp, "blog")
    if not os.path.isdir(blog):
        return
    env = dict(os.environ, BLOGBIND_LIBVIPS="/nonexistent/libvips.so.42")
    out = os.path.join(tmp, "novips.epub")
    r = subprocess.run([BIN, blog, "-o", out], capture_output=True, text=True, env=env)
    if not check(r.returncode == 0 and os.path.isfile(out), "without libvips the blog is still bound", r.stderr[-1500:]):
        return
    # a post lists five problems of a kind, then says more are not listed
    refused = re.findall(r"image '/img/([^']+)' cannot be checked nor converted \(/nonexistent/libvips\.so\.42 "
                         r"cannot be loaded", r.stderr)
    check(len(refused) == min(5, len(IMAGES)) and set(refused) <= {n for n, _, _, _, _ in IMAGES},
          "without libvips the WebP, AVIF, HEIC, BMP and TIFF images are refused with warnings naming the library",
          r.stderr[-1500:])
    check(re.search(r"bomb\.png: warning: PNG image goes in as it is, its size unchecked: /nonexistent/libvips",
                    r.stderr) is not None, "without libvips a PNG goes in as it is, with a warning naming it",
          r.stderr[-1500:])
    imgs, _, _ = book_images(out)
    with open(os.path.join(blog, "img", "bomb.png"), "rb") as f:
        png = f.read()
    check([d for _, d in imgs.values()] == [png], "the book holds the PNG's own bytes, nothing else", sorted(imgs))
    strict = os.path.join(tmp, "novips-strict.epub")
    r = subprocess.run([BIN, "--strict", blog, "-o", strict], capture_output=True, text=True, env=env)
    check(r.returncode != 0 and not os.path.exists(strict), "without libvips --strict writes no book",
          r.stderr[-800:])


def main():
    if not os.path.isfile(BIN):
        skip("images", "%s not built" % BIN)
        return done("images")
    if not os.access(MAKER, os.X_OK):
        skip("images", "%s not built (make unit)" % MAKER)
        return done("images")
    tmp = tempfile.mkdtemp(prefix="bb-images-")
    try:
        test_convert(tmp)
        test_no_libvips(tmp)
        test_fit_identical(tmp)
        test_max_size(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return done("images")


if __name__ == "__main__":
    sys.exit(main())
