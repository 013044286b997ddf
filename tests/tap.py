"""tap.py: what the Python test suites share: ok/not ok lines and their
count, the skip policy, EPUBCheck, and where the program and the shared
material are.

The skip policy, the one place for it in Python: a check that needs
something it cannot find (the shared samples or corpora through BB_SHARED,
a tool such as java/EPUBCheck) FAILS, unless BB_ALLOW_SKIP=1; then skip()
prints a visible "skip NAME: reason" line and done() adds ", N skipped".

Environment: BLOGBIND (the program; default $BB_BUILD/blogbind), BB_BUILD
(the build folder, default build), BB_SHARED (default ../shared),
EPUBCHECK_JAR, BB_ALLOW_SKIP."""
import os
import re
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.join(ROOT, os.environ.get("BB_BUILD") or "build")
BIN = os.path.abspath(os.environ.get("BLOGBIND") or os.path.join(BUILD, "blogbind"))
SHARED = os.environ.get("BB_SHARED") or os.path.join(ROOT, "..", "shared")
EPUBCHECK = os.environ.get("EPUBCHECK_JAR", "/usr/share/java/epubcheck.jar")
ALLOW_SKIP = os.environ.get("BB_ALLOW_SKIP") == "1"

counts = {"passed": 0, "failed": 0, "skipped": 0}


def check(cond, what, detail=""):
    """Prints "ok - what" or "not ok - what: detail" and counts it."""
    if cond:
        counts["passed"] += 1
        print("ok - " + what)
    else:
        counts["failed"] += 1
        print("not ok - " + what + (": " + str(detail)[:1500] if detail else ""))
    sys.stdout.flush()
    return cond


def skip(what, reason):
    """The checks WHAT cannot run for REASON: a counted "skip WHAT: reason"
    under BB_ALLOW_SKIP=1, a failure otherwise. Returns False."""
    if ALLOW_SKIP:
        counts["skipped"] += 1
        print("skip %s: %s" % (what, reason))
        sys.stdout.flush()
        return False
    return check(False, what, reason + " (not skipped unless BB_ALLOW_SKIP=1)")


def shared(*parts):
    """The path of a file or folder of the shared material, or None (and a
    skip, see skip()) when it is missing."""
    p = os.path.join(SHARED, *parts)
    if os.path.exists(p):
        return p
    skip(os.path.join(*parts), "not found under BB_SHARED=%s" % SHARED)
    return None


def done(suite):
    """Prints the suite's closing line; returns the exit status."""
    line = "%s: %d passed, %d failed" % (suite, counts["passed"], counts["failed"])
    if ALLOW_SKIP:
        line += ", %d skipped" % counts["skipped"]
    print(line)
    return 1 if counts["failed"] else 0


def epubcheck_missing():
    """Why EPUBCheck cannot run here, or None when it can."""
    if not shutil.which("java"):
        return "java not found (make deps installs it)"
    if not os.path.isfile(EPUBCHECK):
        return "%s not found (make deps installs epubcheck; or set EPUBCHECK_JAR)" % EPUBCHECK
    return None


# EPUBCheck in its own JVM for each book cost some 5 s of CPU a book, most
# of it the JVM's start, the loading of its schemas and the JIT; so each
# test process keeps one JVM (per thread and per set of java_args) that
# checks its books one after another through EPUBCheck's own command line
# (tests/EpubCheckMany.java): ~1 s a small book once warm. The client
# compiler alone and the serial collector suit these short runs best (one
# JVM a book: 14.9 s -> 5.7 s user on the example book; one JVM for eight
# books: 36 s user with them, 52 s with the full JIT). EPUBCHECK_EACH=1: one
# JVM per book, `java -jar epubcheck.jar -q BOOK`, as before; the suite also
# falls back to that when the one JVM cannot start or answer.
JAVA_OPTS = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"]
MANY = os.path.join(ROOT, "tests", "EpubCheckMany.java")
_jvms = {}
_jvm_broken = [os.environ.get("EPUBCHECK_EACH") == "1"]


def _epubcheck_once(path, java_args):
    """EPUBCheck's command line on one book in a JVM of its own: (exit status, output)."""
    r = subprocess.run(["java", *JAVA_OPTS, *java_args, "-jar", EPUBCHECK, "-q", path], capture_output=True, text=True)
    return r.returncode, r.stdout + r.stderr


def _jvm_close():
    for p, _ in _jvms.values():
        p.stdin.close()
        p.wait()


def _epubcheck_many(path, java_args):
    """EPUBCheck's command line on one book in this thread's long-lived JVM:
    (exit status, output), or None when that JVM failed (it is dropped)."""
    import tempfile
    import threading
    key = (threading.get_ident(), tuple(java_args))
    if key not in _jvms:
        if not _jvms:
            import atexit
            atexit.register(_jvm_close)
        log = tempfile.TemporaryFile()
        p = subprocess.Popen(["java", *JAVA_OPTS, *java_args, "-cp", EPUBCHECK, MANY],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log)
        _jvms[key] = (p, log)
    p, log = _jvms[key]
    try:
        p.stdin.write(("-q\t%s\n" % path).encode("utf-8", "surrogateescape"))
        p.stdin.flush()
        head = p.stdout.readline().split()
        if len(head) == 3 and head[0] == b"EPUBCHECK":
            return int(head[1]), p.stdout.read(int(head[2])).decode("utf-8", "replace")
    except (OSError, ValueError):
        pass
    del _jvms[key]
    p.kill()
    p.wait()
    log.seek(0)
    print("# EPUBCheck in one JVM failed (%s): one JVM per book from here"
          % log.read().decode("utf-8", "replace").strip()[-300:])
    return None


def epubcheck(path, java_args=()):
    """Runs EPUBCheck on a book: (fatals + errors, warnings, message lines)."""
    res = None
    if not _jvm_broken[0] and "\t" not in path and "\n" not in path:
        res = _epubcheck_many(os.path.abspath(path), java_args)
        _jvm_broken[0] = res is None
    rc, out = res or _epubcheck_once(path, java_args)
    lines = [l for l in out.splitlines() if re.match(r"^(FATAL|ERROR|WARNING)", l)]
    errors = sum(1 for l in lines if l.startswith(("FATAL", "ERROR")))
    warnings = sum(1 for l in lines if l.startswith("WARNING"))
    if rc != 0 and errors == 0:
        errors = 1
        lines.append("epubcheck exit %d: %s" % (rc, out[-300:]))
    return errors, warnings, lines


# @likecoin/epubcheck-ts (EPUBCheck 5's rules, npm), pinned by
# tests/epubcheck-ts/package-lock.json; tests/epubcheck-ts/setup.sh installs it.
EPUBCHECK_TS = os.path.join(ROOT, "tests", "epubcheck-ts", "node_modules", ".bin", "epubcheck-ts")


def epubcheck_ts_missing():
    """Why epubcheck-ts cannot run here, or None when it can."""
    if not shutil.which("node"):
        return "node not found (tests/epubcheck-ts/setup.sh installs it)"
    if not os.path.isfile(EPUBCHECK_TS):
        return "%s not found (run tests/epubcheck-ts/setup.sh)" % EPUBCHECK_TS
    return None


def epubcheck_ts(path):
    """Runs epubcheck-ts on a book: (fatals + errors, warnings, message lines)."""
    import json
    r = subprocess.run([EPUBCHECK_TS, path, "--json", "-", "--quiet"], capture_output=True, text=True)
    try:
        rep = json.loads(r.stdout[r.stdout.index("{"):])
    except ValueError:
        return 1, 0, ["epubcheck-ts exit %d, no report: %s" % (r.returncode, (r.stdout + r.stderr)[-300:])]
    lines = ["%s %s %s: %s" % (m.get("severity", "?").upper(), m.get("ID"),
                               ",".join("%s:%s" % (l.get("path"), l.get("line")) for l in m.get("locations", [])[:2]),
                               m.get("message"))
             for m in rep.get("messages", []) if m.get("severity") in ("fatal", "error", "warning")]
    errors = rep.get("fatals", 0) + rep.get("errors", 0)
    if r.returncode != 0 and errors == 0:
        errors = 1
        lines.append("epubcheck-ts exit %d" % r.returncode)
    return errors, rep.get("warnings", 0), lines


def both_checkers(path, what):
    """EPUBCheck 4.2.6 and epubcheck-ts on a book: each a check that it
    gives 0 errors and 0 warnings (a skip when the checker is missing)."""
    for name, missing, run in (("EPUBCheck 4.2.6", epubcheck_missing, epubcheck),
                               ("epubcheck-ts", epubcheck_ts_missing, epubcheck_ts)):
        why = missing()
        if why:
            skip("%s %s" % (name, what), why)
            continue
        e, w, lines = run(path)
        check(e == 0 and w == 0, "%s 0 errors, 0 warnings: %s" % (name, what),
              "%d errors, %d warnings\n%s" % (e, w, "\n".join(lines[:8])))


def write_files(root, files):
    """Writes each {relative path: text} under root (folders made as
    needed): a test's blog."""
    for rel, text in files.items():
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
