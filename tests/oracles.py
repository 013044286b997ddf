"""oracles.py: the one answer to "does this book hold active content?",
shared by every suite that makes books (e2e.py on every book it makes,
hostile.py on the hostile blog's book).

Every XML document of the book is parsed as XML (not matched as text, so code
shown as text does not count): an active element (script, frames, objects,
forms, SVG animation and handlers...), an on* event handler, a script or
data/file URL in any URL attribute (blanks and control characters ignored, as
browsers do), a meta refresh, a style attribute with script, expression(),
behavior or url(), active CSS in a stylesheet, or a document that is not
well-formed is a problem."""
import re
import xml.etree.ElementTree as ET

ACTIVE = {"script", "iframe", "object", "embed", "form", "frame", "frameset", "applet", "base", "input",
          "button", "textarea", "select", "portal", "isindex", "foreignObject", "handler", "listener",
          "set", "animate"}
URL_ATTRS = {"href", "src", "action", "formaction", "data", "poster", "background", "xlink:href",
             "{http://www.w3.org/1999/xlink}href", "srcset", "codebase", "cite", "longdesc", "content"}


def local(tag):
    """The local name of an ElementTree tag or attribute name."""
    return tag.split("}", 1)[1] if tag.startswith("{") else tag


def bad_url(v):
    """True for a URL a reader would run or that reads local files. What a
    browser does: blanks and control characters anywhere are ignored in the
    scheme, so "java\\tscript:" is javascript:."""
    s = "".join(ch for ch in v if ord(ch) > 0x20).lower()
    return s.startswith(("javascript:", "vbscript:", "data:", "livescript:", "file:"))


def active_content(z):
    """The problems of the book open as zipfile Z: a list of strings, empty
    when the book holds no active content."""
    probs = []
    for n in z.namelist():
        if not n.endswith((".xhtml", ".html", ".svg", ".xml", ".opf", ".ncx")):
            continue
        try:
            root = ET.fromstring(z.read(n))
        except ET.ParseError as ex:
            probs.append("%s: not well-formed: %s" % (n, ex))
            continue
        for el in root.iter():
            if not isinstance(el.tag, str):
                continue
            name = local(el.tag)
            if name in ACTIVE or name.lower() in ACTIVE:
                probs.append("%s: <%s>" % (n, name))
            if name == "meta" and (el.get("http-equiv") or "").lower() == "refresh":
                probs.append("%s: meta refresh" % n)
            for a, v in el.attrib.items():
                an = local(a)
                if an.lower().startswith("on"):
                    probs.append("%s: <%s %s=...>" % (n, name, an))
                if (an in URL_ATTRS or a in URL_ATTRS) and bad_url(v):
                    probs.append("%s: <%s %s=%r>" % (n, name, an, v[:60]))
                if an == "style" and re.search(r"javascript:|expression\s*\(|behavior\s*:|url\s*\(", v, re.I):
                    probs.append("%s: style=%r" % (n, v[:60]))
    for n in z.namelist():
        if n.endswith(".css") and re.search(rb"javascript:|expression\s*\(", z.read(n), re.I):
            probs.append("%s: active CSS" % n)
    return probs
