"""tap.py: what the Python test suites share: ok/not ok lines and their
count, EPUBCheck, and where the program and the shared material are."""
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.abspath(os.environ.get("BLOGBIND", os.path.join(ROOT, "build", "blogbind")))
SHARED = os.environ.get("BB_SHARED", os.path.join(ROOT, "..", "shared"))
EPUBCHECK = os.environ.get("EPUBCHECK_JAR", "/usr/share/java/epubcheck.jar")

counts = {"passed": 0, "failed": 0}


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


def done(suite):
    """Prints the suite's closing line; returns the exit status."""
    print("%s: %d passed, %d failed" % (suite, counts["passed"], counts["failed"]))
    return 1 if counts["failed"] else 0


def epubcheck(path):
    """Runs EPUBCheck on a book: (fatals + errors, warnings, message lines)."""
    r = subprocess.run(["java", "-jar", EPUBCHECK, "-q", path], capture_output=True, text=True)
    lines = [l for l in (r.stdout + r.stderr).splitlines() if re.match(r"^(FATAL|ERROR|WARNING)", l)]
    errors = sum(1 for l in lines if l.startswith(("FATAL", "ERROR")))
    warnings = sum(1 for l in lines if l.startswith("WARNING"))
    if r.returncode != 0 and errors == 0:
        errors = 1
        lines.append("epubcheck exit %d: %s" % (r.returncode, (r.stdout + r.stderr)[-300:]))
    return errors, warnings, lines
