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


# EPUBCheck is a short run: the client compiler alone and the serial
# collector halve its CPU time (14.9 s -> 5.7 s user on the example book).
JAVA_OPTS = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"]


def epubcheck(path, java_args=()):
    """Runs EPUBCheck on a book: (fatals + errors, warnings, message lines)."""
    r = subprocess.run(["java", *JAVA_OPTS, *java_args, "-jar", EPUBCHECK, "-q", path], capture_output=True, text=True)
    lines = [l for l in (r.stdout + r.stderr).splitlines() if re.match(r"^(FATAL|ERROR|WARNING)", l)]
    errors = sum(1 for l in lines if l.startswith(("FATAL", "ERROR")))
    warnings = sum(1 for l in lines if l.startswith("WARNING"))
    if r.returncode != 0 and errors == 0:
        errors = 1
        lines.append("epubcheck exit %d: %s" % (r.returncode, (r.stdout + r.stderr)[-300:]))
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
