#!/usr/bin/env python3
"""oracle.py: blogbind's chapters against the sites' own engines.

For every post of the Jekyll corpora in ../shared/corpora, the post's body
(front matter removed, Liquid handled as below) is rendered with kramdown
(Debian's ruby-kramdown, with ruby-kramdown-parser-gfm), with the site's
`kramdown:` settings (input: GFM unless _config.yml says otherwise, as Jekyll
3+ does); the Hugo corpora are rendered with `hugo` itself (a throw-away site
around the corpus's content with a layout that prints only .Content, and
stubs for the theme's shortcodes). The book blogbind makes of the same
corpus is unzipped; chapters map to posts by the order `blogbind -n -v`
lists them in.

Both HTMLs are reduced to their blocks, in order: headings (level and
text), paragraphs, list items, table cells, definition terms and
definitions, footnote texts and code blocks, each as kind + text with white
space folded and math (`$...$`, `\\(...\\)`, `\\[...\\]`, <math>) replaced by
one token. Agreement of a post = blocks matched in order (difflib) /
blocks in either; a corpus passes at >= 99 % over all its posts.
With --loose, typographic quotes, dashes and ellipses are folded to ASCII
before comparing (the figure without typography).

Liquid on the oracle's side: {% raw %} keeps its text, {% comment %} is
removed, {% highlight %} becomes a fenced code block, {% post_url %} and
{% link %} become a placeholder URL; a post with any other Liquid (tags or
{{ }} outside raw and code) is left out and counted ("liquid"), as the
engines' Liquid with site data and plugins cannot be run the same way here.
In the Hugo corpora posts whose Hugo rendering fails or is missing are
counted likewise.

Usage: python3 tests/oracle.py [--corpus NAME]... [--loose] [--show N]
       [--worst N] [--engine jekyll|kramdown] [--blogbind PATH]
       python3 tests/oracle.py --corpus NAME --post SOURCE   (one post, side by side)
The program is $BLOGBIND, else build/h8/blogbind when it exists (and no
BB_BUILD is set), else $BB_BUILD/blogbind (build/); give another build with
--blogbind to measure a change before it is merged.
Ends with "oracle.py: N passed, N failed" (one check per corpus)."""
import argparse
import collections
import difflib
import html
import html.parser
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tap  # noqa: E402

JEKYLL = ["jekyll-docs", "basically-basic-demo", "kaityo256-blog", "minima-demo",
          "jekyll-chirpy-math", "jekyll-test-fixtures"]
HUGO = ["jessfraz-hugo", "hugo-loveit-bundles"]
PASS_AT = 99.0

# ---------------------------------------------------------------- kramdown

RUBY = r'''
require 'json'
require 'kramdown'
require 'kramdown-parser-gfm'
req = JSON.parse($stdin.read)
out = {}
req['posts'].each do |p|
  opts = {input: req['input'], hard_wrap: false, auto_ids: true,
          smart_quotes: 'lsquo,rsquo,ldquo,rdquo', entity_output: 'as_char',
          math_engine: 'mathjax', syntax_highlighter: nil, footnote_nr: 1,
          show_warnings: false}
  opts.merge!(req['extra'].transform_keys(&:to_sym)) if req['extra']
  begin
    out[p['id']] = Kramdown::Document.new(p['text'], opts).to_html
  rescue StandardError => e
    out[p['id']] = nil
    $stderr.puts "#{p['id']}: #{e.class}: #{e.message}"
  end
end
puts JSON.generate(out)
'''


JEKYLL_RB = r'''
require 'json'
require 'tmpdir'
require 'jekyll'

# Stand-ins for the tags of plugins this harness does not run (safe mode:
# the site's _plugins are never loaded; jekyll-scholar's cite is not in
# Debian): a tag prints U+2063, "the plugin's output, unknown here", a
# block its inner text.
class BbOracleStubTag < Liquid::Tag
  def render(_context) = "\u2063"
end
class BbOracleStubBlock < Liquid::Block
end

ENV['TZ'] = 'UTC'
req = JSON.parse($stdin.read)
# the site's own plugins, where the corpus left them out (SITE_PLUGINS)
eval(req['plugins']) if req['plugins']
Jekyll.logger.log_level = :error
out = {}
Dir.mktmpdir do |dir|
  cfg = Jekyll.configuration('source' => req['source'], 'destination' => File.join(dir, '_site'),
                             'quiet' => true, 'safe' => true, 'theme' => nil, 'plugins' => [],
                             'whitelist' => [], 'future' => true, 'unpublished' => true,
                             'disable_disk_cache' => true, 'cache_dir' => File.join(dir, 'cache'),
                             'plugins_dir' => File.join(dir, 'no-plugins'))
  cfg.delete('theme')            # themes are gems this machine lacks
  cfg['plugins'] = []
  cfg['kramdown'] = (cfg['kramdown'] || {}).merge('syntax_highlighter' => nil)
  site = Jekyll::Site.new(cfg)
  site.read
  docs = {}
  site.posts.docs.each { |d| docs[d.relative_path] = d }
  payload = site.site_payload
  req['posts'].each do |rel|
    d = docs[rel]
    unless d
      out[rel] = { 'error' => 'not a post for Jekyll' }
      next
    end
    begin
      c = d.content.to_s
      c.scan(/\{%-?\s*(\w+)/).flatten.uniq.each do |name|
        # else/elsif/when are parts of if/case/for, not tags: a stub for
        # them would end up in those blocks' bodies
        next if name.start_with?('end') || Liquid::Template.tags[name] || %w[else elsif when].include?(name)
        block = c.match?(/\{%-?\s*end#{Regexp.escape(name)}\s*-?%\}/)
        Liquid::Template.register_tag(name, block ? BbOracleStubBlock : BbOracleStubTag)
      end
      r = Jekyll::Renderer.new(site, d, payload)
      payload['page'] = d.to_liquid
      info = { registers: { site: site, page: payload['page'] }, strict_filters: false, strict_variables: false }
      c = r.render_liquid(c, payload, info, d.path) if d.render_with_liquid?
      out[rel] = { 'html' => r.convert(c) }
    rescue StandardError, SyntaxError => e
      out[rel] = { 'error' => "#{e.class}" }
    end
  end
end
puts JSON.generate(out)
'''


# Plugins of a site whose corpus holds its posts only, as the site's Jekyll
# runs them (safe mode above loads no _plugins folder). The test fixtures'
# site (jekyll/jekyll test/source/_plugins) has a tag that prints nothing and
# a block that prints its body, both for its excerpt tests.
SITE_PLUGINS = {
    "jekyll-test-fixtures": """
class BbSiteDoNothingBlock < Liquid::Block; end
class BbSiteDoNothingTag < Liquid::Tag; end
Liquid::Template.register_tag('do_nothing', BbSiteDoNothingBlock)
Liquid::Template.register_tag('do_nothing_other', BbSiteDoNothingTag)
""",
}


def jekyll_available():
    return subprocess.run(["ruby", "-e", "require 'jekyll'"], capture_output=True).returncode == 0


def jekyll_render(corpus, paths):
    """Renders the posts (paths relative to corpus) with Jekyll itself:
    Liquid with the site's config, _data and _includes, then its kramdown.
    Returns {path: {"html": ...} or {"error": ...}}."""
    req = {"source": os.path.abspath(corpus), "posts": paths,
           "plugins": SITE_PLUGINS.get(os.path.basename(os.path.normpath(corpus)))}
    r = subprocess.run(["ruby", "-e", JEKYLL_RB], input=json.dumps(req), capture_output=True, text=True, timeout=1800)
    if r.returncode != 0:
        raise RuntimeError("jekyll failed: " + r.stderr[-2000:])
    return json.loads(r.stdout)


def front_matter(text):
    """The body of a post without its YAML (---) or TOML (+++) front matter."""
    for mark in ("---", "+++"):
        if text.startswith(mark):
            m = re.match(r"\A%s[ \t]*\r?\n.*?^(?:%s|\.\.\.)[ \t]*(?:\r?\n|\Z)" % (re.escape(mark), re.escape(mark)),
                         text, re.S | re.M)
            if m:
                return text[m.end():]
    return text


def jekyll_config(corpus):
    """The kramdown input and the kramdown: options of a Jekyll site."""
    inp, extra = "GFM", {}
    p = os.path.join(corpus, "_config.yml")
    if os.path.exists(p):
        with open(p, encoding="utf-8", errors="replace") as f:
            cfg = f.read()
        m = re.search(r"^kramdown:[ \t]*\n((?:[ \t]+.*\n|[ \t]*\n)*)", cfg, re.M)
        if m:
            for line in m.group(1).splitlines():
                mm = re.match(r"^[ \t]{1,4}(input|hard_wrap|auto_ids|smart_quotes|parse_block_html|parse_span_html"
                              r"|toc_levels|footnote_nr|auto_id_prefix):[ \t]*([^#\n]*)", line)
                if not mm:
                    continue
                k, v = mm.group(1), mm.group(2).strip().strip("'\"")
                if k == "input":
                    inp = v
                elif v in ("true", "false"):
                    extra[k] = v == "true"
                elif v:
                    extra[k] = v
    return inp, extra


LIQUID_OK = {"raw", "endraw", "comment", "endcomment", "highlight", "endhighlight", "post_url", "link"}


def liquid_for_oracle(body):
    """Returns the body with the Liquid both sides read the same way replaced,
    or None when the post holds other Liquid."""
    out, pos = [], 0
    # raw first: its text is literal
    parts = re.split(r"(\{%-?\s*raw\s*-?%\}.*?\{%-?\s*endraw\s*-?%\})", body, flags=re.S)
    for i, part in enumerate(parts):
        if i % 2 == 1:
            out.append(re.sub(r"^\{%-?\s*raw\s*-?%\}|\{%-?\s*endraw\s*-?%\}$", "", part))
            continue
        part = re.sub(r"\{%-?\s*comment\s*-?%\}.*?\{%-?\s*endcomment\s*-?%\}", "", part, flags=re.S)

        def hl(m):
            return "\n~~~ %s\n%s\n~~~\n" % (m.group(1), m.group(2).strip("\n"))
        part = re.sub(r"\{%-?\s*highlight\s+(\w+)[^%]*-?%\}\n?(.*?)\{%-?\s*endhighlight\s*-?%\}", hl, part, flags=re.S)
        part = re.sub(r"\{%-?\s*(post_url|link)\s+[^%]*-?%\}", "/bb-oracle-link/", part)
        # what is left: Liquid outside code is another engine's business
        scan = re.sub(r"^(```|~~~).*?^\1[ \t]*$", "", part, flags=re.S | re.M)
        scan = re.sub(r"`[^`\n]*`", "", scan)
        if re.search(r"\{%.*?%\}|\{\{.*?\}\}", scan, re.S):
            return None
        out.append(part)
    return "".join(out)


def kramdown_render(corpus, posts):
    """posts: {id: body}. Returns {id: html or None}."""
    inp, extra = jekyll_config(corpus)
    req = {"input": inp, "extra": extra, "posts": [{"id": k, "text": v} for k, v in posts.items()]}
    r = subprocess.run(["ruby", "-e", RUBY], input=json.dumps(req), capture_output=True, text=True, timeout=900)
    if r.returncode != 0:
        raise RuntimeError("kramdown failed: " + r.stderr[-2000:])
    return json.loads(r.stdout), inp

# ---------------------------------------------------------------- hugo

HUGO_BUILTIN = {"figure", "gist", "highlight", "param", "ref", "relref", "vimeo", "youtube"}
# built-ins that need the network (or were added after Hugo 0.111) get stubs
HUGO_STUB = {"tweet", "twitter", "instagram", "x"}


# the themes' shortcodes blogbind shows as the themes do (admonition.c,
# shortcode_theme.c): stand-ins that print the same words the themes'
# templates do (LoveIt, FixIt, DoIt; Docsy's alert, hugo-book's hint...):
# a box with its title (else the type, capitalised) as a paragraph, then
# the inner Markdown; "New in vX" for version; a link with its text
HUGO_THEME_ADMONITION = (
    '{{ $type := "" }}{{ $title := "" }}'
    '{{ if .IsNamedParams }}{{ $type = .Get "type" }}{{ $title = .Get "title" }}'
    '{{ else }}{{ $type = .Get 0 }}{{ $title = .Get 1 }}{{ end }}'
    '{{ if not $type }}{{ $type = .Name }}{{ if eq $type "admonition" }}{{ $type = "note" }}{{ end }}{{ end }}'
    '<div class="admonition"><p>{{ if $title }}{{ $title }}{{ else }}{{ title $type }}{{ end }}</p>'
    '{{ with .Inner }}{{ . | $.Page.RenderString (dict "display" "block") }}{{ end }}</div>')
HUGO_THEME = {n: "box" for n in ("admonition", "alert", "notice", "callout", "hint", "note", "tip",
                                 "warning", "info", "caution", "danger", "important")}
HUGO_THEME["version"] = ('{{ $v := .Get 0 }}{{ $t := .Get 1 | default "new" }}'
                         '<span class="version">{{ humanize $t }} in v{{ strings.TrimPrefix "v" $v }}</span>')
HUGO_THEME["link"] = ('{{ $h := "" }}{{ $c := "" }}'
                      '{{ if .IsNamedParams }}{{ $h = .Get "href" }}{{ $c = .Get "content" }}'
                      '{{ else }}{{ $h = .Get 0 }}{{ $c = .Get 1 }}{{ end }}'
                      '<a href="{{ $h }}">{{ if $c }}{{ $c }}{{ else }}{{ $h }}{{ end }}</a>')


def hugo_render(corpus, tmp):
    """Renders every content file of a Hugo corpus with hugo. Returns
    {path relative to the corpus: html}."""
    site = os.path.join(tmp, "hugo-site")
    if os.path.exists(site):
        shutil.rmtree(site)
    os.makedirs(os.path.join(site, "layouts", "_default"))
    os.makedirs(os.path.join(site, "layouts", "shortcodes"))
    shutil.copytree(os.path.join(corpus, "content"), os.path.join(site, "content"))
    # the shared corpora may be read-only, and copytree keeps their modes:
    # the copy is made writable, or removing it fails for a user (not root)
    for d, _, files in os.walk(os.path.join(site, "content")):
        os.chmod(d, 0o755)
        for f in files:
            os.chmod(os.path.join(d, f), 0o644)
    dirs = ""
    for d, key in (("static", "staticDir"), ("assets", "assetDir"), ("data", "dataDir")):
        if os.path.isdir(os.path.join(corpus, d)):
            dirs += "%s = %s\n" % (key, json.dumps(os.path.abspath(os.path.join(corpus, d))))
    conf = None
    for name in ("hugo.toml", "config.toml"):
        if os.path.exists(os.path.join(corpus, name)):
            conf = os.path.join(corpus, name)
    markup = ""
    langs = ""
    if conf:
        with open(conf, encoding="utf-8", errors="replace") as f:
            text = f.read()
        # [markup], [markup.goldmark.renderer], ...: every table of markup
        markup = "".join(re.findall(r"^\[markup[.\]].*?(?=^\[(?!markup[.\]])|\Z)", text, re.S | re.M))
        # languages (page bundles index.en.md / index.zh-cn.md)
        codes = re.findall(r"^[ \t]*\[languages\.([\w-]+)\]", text, re.M)
        if codes:
            langs = "defaultContentLanguage = %s\n" % json.dumps(codes[0]) + "".join(
                "[languages.%s]\nweight = %d\n" % (c, i + 1) for i, c in enumerate(codes))
    with open(os.path.join(site, "hugo.toml"), "w") as f:
        f.write('baseURL = "http://example.org/"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]\n'
                "buildDrafts = true\nbuildFuture = true\nbuildExpired = true\n" + dirs + langs + markup + "\n")
    # (html/template drops comments: the markers are elements)
    single = '<meta name="bb-oracle-src" content="{{ .File.Path }}">\n{{ .Content }}\n<meta name="bb-oracle-end">\n'
    for name in ("single.html", "list.html"):
        with open(os.path.join(site, "layouts", "_default", name), "w") as f:
            f.write(single if name == "single.html" else "{{ range .Pages }}{{ end }}")
    with open(os.path.join(site, "layouts", "index.html"), "w") as f:
        f.write("")
    # the theme's shortcodes: their inner text, as blogbind keeps it
    used, closed = set(), set()
    for root, _, files in os.walk(os.path.join(corpus, "content")):
        for fn in files:
            if fn.endswith((".md", ".markdown")):
                with open(os.path.join(root, fn), encoding="utf-8", errors="replace") as f:
                    t = re.sub(r"\{\{[<%]/\*.*?\*/[>%]\}\}", "", f.read(), flags=re.S)
                used |= set(re.findall(r"\{\{[<%]\s*([\w-]+)", t))
                closed |= set(re.findall(r"\{\{[<%]\s*/\s*([\w-]+)", t))
    for sc in used:
        if sc in HUGO_BUILTIN and sc not in HUGO_STUB:
            continue
        if sc in HUGO_THEME:
            # what the themes that have it show (their templates are not
            # in the corpus): written here from their documented output
            with open(os.path.join(site, "layouts", "shortcodes", sc + ".html"), "w") as f:
                f.write(HUGO_THEME_ADMONITION if HUGO_THEME[sc] == "box" else HUGO_THEME[sc])
            continue
        with open(os.path.join(site, "layouts", "shortcodes", sc + ".html"), "w") as f:
            # a closed one keeps its inner text (as Markdown: blocks when it
            # spans lines, inline within its line), the others print
            # nothing: the theme's own templates are not in the corpus
            if sc in closed:
                f.write('{{ with .Inner }}{{ if in . "\\n" }}{{ . | $.Page.RenderString (dict "display" "block") }}'
                        '{{ else }}{{ . | $.Page.RenderString }}{{ end }}{{ end }}')
            else:
                f.write("")
    r = subprocess.run(["hugo", "--quiet", "-s", site, "-d", os.path.join(tmp, "hugo-public")],
                       capture_output=True, text=True, timeout=900)
    res = {}
    for root, _, files in os.walk(os.path.join(tmp, "hugo-public")):
        for fn in files:
            if not fn.endswith(".html"):
                continue
            with open(os.path.join(root, fn), encoding="utf-8", errors="replace") as f:
                t = f.read()
            for m in re.finditer(r'<meta name="bb-oracle-src" content="(.*?)">\n(.*?)<meta name="bb-oracle-end">', t, re.S):
                res[os.path.join("content", html.unescape(m.group(1)).strip())] = m.group(2)
    if r.returncode != 0:
        print("# hugo: " + r.stderr.strip()[-600:].replace("\n", "\n# "))
    return res

# ---------------------------------------------------------------- blocks

MATH = "\u27e8math\u27e9"
RECORD = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "td", "th", "pre", "figcaption"}
SKIP = {"script", "style", "template", "svg"}   # an SVG drawing (Hugo renders goat diagrams so) is an image, not text
CONTAINERS_FOR_P = {"li", "dd", "dt", "td", "th"}
INLINE = {"a", "abbr", "b", "bdi", "bdo", "cite", "code", "del", "dfn", "em", "i", "img", "ins", "kbd", "mark", "q",
          "rp", "rt", "ruby", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "br", "wbr"}
# blogbind's stand-ins for an image the blog lacks or does not hold (the
# site shows an image there, no text)
STANDIN = {"missing-image", "remote-image"}
GUTTER = {"gutter", "lineno", "rouge-gutter", "gl",   # line numbers beside highlighted code
          "footnote-label"}                         # the book's "1. " before a footnote's text
FOLD = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-",
                      "\u2026": "...", "\u00ab": "<<", "\u00bb": ">>", "\u00a0": " "})


def norm(s, loose):
    """The text of a block as a reader sees it, folded for comparison. Math
    is one token: $$..$$, \\[..\\], \\(..\\) and $..$ paired from the left as
    MathJax pairs them (the Jekyll themes' inlineMath ['$','$']: blanks
    inside allowed, "$ x $"); as blogbind's loose dollar rule, a closing $
    is not followed by a digit, so "$5 and $10" stays text."""
    s = re.sub(r"\$\$.+?\$\$", MATH, s, flags=re.S)
    s = re.sub(r"\\\[.+?\\\]|\\\(.+?\\\)", MATH, s, flags=re.S)
    s = re.sub(r"(?<!\\)\$[^$]*?[^$\s][^$]*?\$(?!\d)", MATH, s)
    s = s.replace("\u21a9\ufe0e", "").replace("\u21a9", "")
    # control characters (a backspace pasted into a post): kramdown keeps
    # them, a browser draws nothing for them, XML cannot hold them
    s = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", s)
    # blogbind joins lines of CJK text without a space, as CJK books do
    s = re.sub(r"(?<=[\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef\uac00-\ud7af])\s+"
               r"|\s+(?=[\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef\uac00-\ud7af])", "", s)
    if loose:
        s = s.translate(FOLD)
        s = s.replace("--", "-").replace("---", "-")
    return " ".join(s.split())


class Blocks(html.parser.HTMLParser):
    """Collects (kind, text) blocks of an HTML fragment in document order."""

    def __init__(self, loose):
        super().__init__(convert_charrefs=True)
        self.loose = loose
        self.stack = []      # open elements: [tag, attrs, record-index or None]
        self.rec = []        # [kind, list of text pieces]
        self.open_rec = []   # indices into rec of recording elements, innermost last
        self.skip = 0
        self.fn = 0          # depth inside a footnotes container
        self.math = 0
        self.stray = None    # the block of text outside any block, while it runs

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag not in INLINE:
            self.stray = None
        cls = (a.get("class") or "").split()
        is_fn = "footnotes" in cls or a.get("role") == "doc-endnotes"
        if tag in SKIP or set(cls) & STANDIN or set(cls) & GUTTER:
            self.skip += 1
        if tag == "math":
            if self.open_rec and not self.skip:
                # the formula where it stands: the text around holds its own
                # blanks (kramdown's `$ x $?` reads "x?", as the book's <math>)
                self.rec[self.open_rec[-1]][1].append(MATH)
            elif not self.skip:
                # display math outside any block: a block of its own
                self.rec.append(["p", [MATH]])
            self.math += 1
        if is_fn:
            self.fn += 1
        if tag in ("br",):
            if self.open_rec:
                self.rec[self.open_rec[-1]][1].append(" ")
            return
        if tag in ("img", "hr", "input", "meta", "link", "col", "wbr", "source"):
            return
        idx = None
        if tag in RECORD and not self.skip and not self.math:
            kind = tag
            if tag in ("td", "th"):
                kind = "cell"
            if tag == "figcaption":
                kind = "p"
            if tag == "p" and self.stack:
                # a paragraph directly inside an item counts as the item
                parents = [t for t, _, _, _ in self.stack if t in CONTAINERS_FOR_P or t in ("ul", "ol", "dl")]
                if parents and parents[-1] in CONTAINERS_FOR_P:
                    kind = parents[-1] if parents[-1] not in ("td", "th") else "cell"
            if self.fn and kind in ("li", "p"):
                kind = "fn"
            if tag == "pre":
                kind = "code"
            self.rec.append([kind, []])
            idx = len(self.rec) - 1
            self.open_rec.append(idx)
        self.stack.append((tag, a, idx, is_fn))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in ("br", "img", "hr", "input", "meta", "link", "col", "wbr", "source"):
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag not in INLINE:
            self.stray = None
        # close up to the matching open element (HTML from kramdown/hugo is well nested)
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                while len(self.stack) > i:
                    t, _, idx, is_fn = self.stack.pop()  # noqa: F841
                    if t in SKIP or set((_.get("class") or "").split()) & (STANDIN | GUTTER):
                        self.skip -= 1
                    if t == "math":
                        self.math -= 1
                    if is_fn:
                        self.fn -= 1
                    if idx is not None and self.open_rec and self.open_rec[-1] == idx:
                        self.open_rec.pop()
                    if t in RECORD and self.open_rec and idx is None and t not in ("pre",):
                        pass
                    if t in ("p", "li", "dt", "dd", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6",
                             "div", "blockquote", "ul", "ol", "dl", "pre", "table", "tr") and self.open_rec:
                        self.rec[self.open_rec[-1]][1].append(" ")
                return

    def handle_data(self, data):
        if self.skip or self.math:
            return
        if self.open_rec:
            self.rec[self.open_rec[-1]][1].append(data)
        elif data.strip() or self.stray is not None:
            # text outside any block (kramdown's display math \[...\], the
            # text of a post Jekyll passes through unconverted): one block
            # until the next block tag, and each display formula a block of
            # its own, as MathJax shows it (even when its TeX holds a blank
            # line). Blank lines between text do not end a block: a browser
            # runs the text on.
            for piece in re.split(r"(\\\[.*?\\\])", data, flags=re.S):
                math = piece.startswith("\\[")
                if math:
                    self.stray = None
                if self.stray is None:
                    if not piece.strip():
                        continue
                    self.rec.append(["p", []])
                    self.stray = len(self.rec) - 1
                self.rec[self.stray][1].append(piece)
                if math:
                    self.stray = None

    def blocks(self):
        out = []
        for kind, parts in self.rec:
            t = norm("".join(parts), self.loose)
            if kind == "li":
                # a task list's box: kramdown an <input>, blogbind a character
                t = re.sub(r"^[\u2610\u2611\u2612] ?", "", t)
            if not t or (kind == "code" and not "".join(parts).strip()):
                continue
            if kind == "code":
                t = " ".join("".join(parts).split())
            out.append((kind, t))
        return out


def relevel(out):
    """Heading levels as depths in the post's outline: a heading is one
    deeper than the nearest heading before it of a higher level (its
    parent), or at depth 1. blogbind moves a post's headings under the
    chapter title and closes skipped levels (an h1 after h2s cannot go
    above them there); the outline, which heading is under which, is what
    must agree."""
    stack = []      # (level, depth) of the open parents
    res = []
    for k, t in out:
        if re.match(r"h[1-6]$", k):
            lv = int(k[1])
            while stack and stack[-1][0] >= lv:
                stack.pop()
            d = stack[-1][1] + 1 if stack else 1
            stack.append((lv, d))
            k = "h%d" % d
        res.append((k, t))
    return res


def blocks_of(fragment, loose):
    p = Blocks(loose)
    p.feed(fragment)
    p.close()
    return p.blocks()


def chapter_title(xhtml):
    m = re.search(r'<h1 class="post-title"[^>]*>(.*?)</h1>', xhtml, re.S)
    return norm(html.unescape(re.sub(r"<[^>]+>", "", m.group(1))), False) if m else None


def drop_title(a, b, title, loose):
    """A post starting with its own title as a heading: blogbind shows the
    title once, as the chapter's; the oracle's copy is left out, unless the
    book kept it too (as a heading of any level: the book's levels are
    moved under its title; a post repeating the title in its next heading
    keeps the second)."""
    def bare(t):
        return re.sub(r"[\W_]+", "", t)
    if title is not None and a and a[0][0].startswith("h") and bare(a[0][1]) == bare(norm(title, loose)) and \
            not (b and b[0][0].startswith("h") and b[0][1] == a[0][1] and
                 not (len(a) > 1 and a[1][0].startswith("h") and a[1][1] == a[0][1])):
        a = a[1:]
    return relevel(a), relevel(b)


def chapter_body(xhtml):
    """The part of a chapter the post's body makes: after the post header."""
    m = re.search(r"</header>(.*)</section>\s*</body>", xhtml, re.S)
    if m:
        return m.group(1)
    m = re.search(r"<body[^>]*>(.*)</body>", xhtml, re.S)
    return m.group(1) if m else xhtml

# ---------------------------------------------------------------- compare


def classify(a, b, loose):
    """One kind of difference between oracle block a and blogbind block b
    (either may be None), with an example."""
    if a and not b:
        return "missing %s" % a[0]
    if b and not a:
        if "{:" in b[1]:
            return "extra %s holding {: (IAL shown)" % b[0]
        if re.search(r"\{%|\{\{", b[1]):
            return "extra %s holding Liquid/shortcode" % b[0]
        return "extra %s" % b[0]
    if a[0] != b[0]:
        return "%s shown as %s" % (a[0], b[0])
    if a[1].translate(FOLD).replace("---", "-").replace("--", "-") == b[1].translate(FOLD).replace("---", "-").replace("--", "-"):
        return "%s: typography (quotes, dashes, ...)" % a[0]
    if "{:" in b[1] and "{:" not in a[1]:
        return "%s: IAL shown as text" % a[0]
    if re.match(r"#+", b[1]) and not re.match(r"#+", a[1]):
        return "%s: heading marks shown" % a[0]
    if MATH in a[1] or MATH in b[1]:
        return "%s: math" % a[0]
    if re.sub(r"\W", "", a[1]) == re.sub(r"\W", "", b[1]):
        return "%s: punctuation/spacing" % a[0]
    return "%s: text differs" % a[0]


STUB = "\u2063"      # where a plugin tag the oracle cannot run printed its (unknown) output
STUB_MATCHED = collections.Counter()


def stub_match(a, b):
    """True when oracle block a, holding plugin stubs, is book block b with
    any text (or none) where each stub stands."""
    if a[0] != b[0]:
        return False
    pat = ".*?".join(re.escape(part.strip()) for part in a[1].split(STUB))
    return re.fullmatch(pat, b[1], re.S) is not None


def compare(oracle, book, loose):
    """Returns (matched, union, [(kind, example)]). An oracle block holding
    a plugin stub matches the book's block of the same kind in the same
    stretch of differences whose text agrees around the stub (counted in
    STUB_MATCHED)."""
    sa = ["%s\x00%s" % x for x in oracle]
    sb = ["%s\x00%s" % x for x in book]
    sm = difflib.SequenceMatcher(None, sa, sb, autojunk=False)
    matched = sum(bl.size for bl in sm.get_matching_blocks())
    diffs = []
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            continue
        a, b = list(oracle[i1:i2]), list(book[j1:j2])
        # plugin stubs first: they pair in order
        at = 0
        for i, x in enumerate(a):
            if STUB not in x[1]:
                continue
            for j in range(at, len(b)):
                if b[j] is not None and stub_match(x, b[j]):
                    a[i] = b[j] = None
                    matched += 1
                    STUB_MATCHED["blocks"] += 1
                    at = j + 1
                    break
        a = [x for x in a if x is not None]
        b = [y for y in b if y is not None]
        for k in range(max(len(a), len(b))):
            x = a[k] if k < len(a) else None
            y = b[k] if k < len(b) else None
            diffs.append((classify(x, y, loose), x, y))
    return matched, len(sa) + len(sb) - matched, diffs

# ---------------------------------------------------------------- books


def book_chapters(blog, corpus, tmp, name):
    """Binds corpus; returns [(source path, chapter xhtml)] in book order,
    or raises."""
    out = os.path.join(tmp, name + ".epub")
    r = subprocess.run([blog, "-q", corpus, "-o", out], capture_output=True, text=True, timeout=1800)
    if r.returncode != 0 or not os.path.exists(out):
        raise RuntimeError("blogbind failed (%d): %s" % (r.returncode, r.stderr[-800:]))
    r = subprocess.run([blog, "-n", "-v", corpus], capture_output=True, text=True, timeout=600)
    srcs = re.findall(r"^  \S.*  \((.+)\)$", r.stdout, re.M)
    with zipfile.ZipFile(out) as z:
        opf_name = [n for n in z.namelist() if n.endswith(".opf")][0]
        opf = z.read(opf_name).decode("utf-8")
        base = os.path.dirname(opf_name)
        manifest = dict(re.findall(r'<item [^>]*?id="([^"]+)"[^>]*?href="([^"]+)"', opf))
        manifest.update({i: h for h, i in re.findall(r'<item [^>]*?href="([^"]+)"[^>]*?id="([^"]+)"', opf)})
        spine = re.findall(r'<itemref [^>]*idref="([^"]+)"', opf)
        chapters = []
        for idref in spine:
            href = manifest.get(idref, "")
            if not re.match(r"p[0-9_-][0-9a-z_-]*\.xhtml$", os.path.basename(href)):
                continue
            chapters.append(z.read(os.path.join(base, href) if base else href).decode("utf-8"))
    if len(chapters) != len(srcs):
        raise RuntimeError("%d chapters but %d posts listed by -n -v" % (len(chapters), len(srcs)))
    return list(zip(srcs, chapters))


def run_corpus(name, args, tmp):
    corpus = os.path.join(tap.SHARED, "corpora", name)
    if not os.path.isdir(corpus):
        tap.shared("corpora", name)
        return None
    try:
        pairs = book_chapters(args.blogbind, corpus, tmp, name)
    except Exception as e:  # noqa: BLE001
        tap.check(False, "%s: the book" % name, str(e))
        return None
    if not pairs:
        tap.check(False, "%s: the book" % name, "no chapters")
        return None
    left = collections.Counter()
    oracle_html = {}
    mode = ""
    if name in HUGO:
        got = hugo_render(corpus, tmp)
        mode = "hugo " + subprocess.run(["hugo", "version"], capture_output=True, text=True).stdout.split()[1]
        for src, _ in pairs:
            if src in got:
                oracle_html[src] = got[src]
            else:
                left["not rendered by hugo"] += 1
    engine = args.engine
    if name not in HUGO and engine == "jekyll":
        inp, _ = jekyll_config(corpus)
        mode = "jekyll %s, kramdown input: %s" % (
            subprocess.run(["ruby", "-e", "require 'jekyll'; print Jekyll::VERSION"], capture_output=True,
                           text=True).stdout, inp)
        try:
            for src, r in jekyll_render(corpus, [src for src, _ in pairs]).items():
                if "html" in r:
                    oracle_html[src] = r["html"]
                else:
                    left["jekyll: " + r["error"]] += 1
        except RuntimeError as e:
            print("# %s: Jekyll cannot read the site (%s): kramdown alone instead" % (
                name, str(e).strip().splitlines()[-1][:200]))
            engine = "kramdown"
    if name in HUGO or engine == "jekyll":
        pass
    else:
        bodies = {}
        for src, _ in pairs:
            try:
                with open(os.path.join(corpus, src), encoding="utf-8", errors="replace") as f:
                    text = f.read()
            except OSError:
                left["unreadable"] += 1
                continue
            if src.endswith(".html"):
                left["HTML post"] += 1
                continue
            body = liquid_for_oracle(front_matter(text.replace("\r\n", "\n")))
            if body is None:
                left["liquid"] += 1
                continue
            bodies[src] = body
        got, inp = kramdown_render(corpus, bodies)
        mode = "kramdown input: " + inp
        for src, h in got.items():
            if h is None:
                left["kramdown error"] += 1
            else:
                oracle_html[src] = h
    tm = tu = 0
    kinds = collections.Counter()
    examples = {}
    worst = []
    for src, xhtml in pairs:
        if src not in oracle_html:
            continue
        b = blocks_of(chapter_body(xhtml), args.loose)
        a, b = drop_title(blocks_of(oracle_html[src], args.loose), b, chapter_title(xhtml), args.loose)
        m, u, diffs = compare(a, b, args.loose)
        tm += m
        tu += u
        if u:
            worst.append((m / u, src))
        for kind, x, y in diffs:
            kinds[kind] += 1
            examples.setdefault(kind, (src, x, y))
    pct = 100.0 * tm / tu if tu else 0.0
    print("# %s (%s): %d posts compared, %d left out %s; blocks matched %d of %d: %.2f %%" % (
        name, mode, len(oracle_html), sum(left.values()), dict(left) if left else "", tm, tu, pct))
    if STUB_MATCHED["blocks"]:
        print("#   of which %d matched around the output of plugin tags the oracle cannot run" %
              STUB_MATCHED["blocks"])
    STUB_MATCHED.clear()
    for kind, n in kinds.most_common(args.show):
        src, x, y = examples[kind]
        print("#   %5d  %s   e.g. %s: oracle %r / book %r" % (
            n, kind, src, (x[0] + ": " + x[1][:70]) if x else None, (y[0] + ": " + y[1][:70]) if y else None))
    if args.worst:
        for r, src in sorted(worst)[:args.worst]:
            print("#   worst %.1f %% %s" % (100 * r, src))
    tap.check(tu > 0 and pct >= PASS_AT, "%s: structure agreement %.2f %% (>= %.0f %%)" % (name, pct, PASS_AT),
              "%d of %d blocks differ" % (tu - tm, tu))
    return pct


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", action="append", help="only this corpus (repeatable)")
    ap.add_argument("--loose", action="store_true", help="fold typographic quotes, dashes and ellipses")
    ap.add_argument("--show", type=int, default=8, help="kinds of difference shown per corpus")
    ap.add_argument("--worst", type=int, default=0, help="list the N posts agreeing least")
    h8 = os.path.join(tap.ROOT, "build", "h8", "blogbind")
    ap.add_argument("--blogbind", default=os.environ.get("BLOGBIND") or (
        h8 if not os.environ.get("BB_BUILD") and os.path.exists(h8) else tap.BIN))
    ap.add_argument("--engine", choices=("jekyll", "kramdown"), default=None,
                    help="Jekyll corpora: jekyll (Liquid and kramdown by Jekyll itself; the default when "
                         "installed) or kramdown (Liquid replaced or the post left out)")
    ap.add_argument("--post", help="print both block lists of the post with this source path (needs --corpus)")
    args = ap.parse_args()
    args.blogbind = os.path.abspath(args.blogbind)
    if args.engine is None:
        args.engine = "jekyll" if shutil.which("ruby") and jekyll_available() else "kramdown"
    names = args.corpus or (JEKYLL + HUGO)
    for tool in ("ruby", "hugo"):
        if not shutil.which(tool):
            tap.check(False, tool + " found", "install ruby-kramdown ruby-kramdown-parser-gfm hugo")
    with tempfile.TemporaryDirectory(prefix="bb-oracle-") as tmp:
        if args.post:
            show_post(args, names[0], tmp)
            return 0
        for name in names:
            if name not in JEKYLL + HUGO:
                tap.check(False, "corpus " + name, "not a Jekyll or Hugo corpus this harness knows")
                continue
            run_corpus(name, args, tmp)
    return tap.done("oracle.py")


def show_post(args, name, tmp):
    """Prints the two block lists of one post side by side (a debugging aid)."""
    corpus = os.path.join(tap.SHARED, "corpora", name)
    pairs = dict(book_chapters(args.blogbind, corpus, tmp, name))
    xhtml = pairs[args.post]
    if name in HUGO:
        oh = hugo_render(corpus, tmp).get(args.post, "")
    elif args.engine == "jekyll":
        oh = jekyll_render(corpus, [args.post])[args.post].get("html", "")
    else:
        with open(os.path.join(corpus, args.post), encoding="utf-8", errors="replace") as f:
            body = liquid_for_oracle(front_matter(f.read()))
        oh = kramdown_render(corpus, {"x": body or ""})[0]["x"]
    b = blocks_of(chapter_body(xhtml), args.loose)
    a, b = drop_title(blocks_of(oh, args.loose), b, chapter_title(xhtml), args.loose)
    sm = difflib.SequenceMatcher(None, ["%s\x00%s" % x for x in a], ["%s\x00%s" % x for x in b], autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        for k in range(max(i2 - i1, j2 - j1)):
            x = a[i1 + k] if i1 + k < i2 else None
            y = b[j1 + k] if j1 + k < j2 else None
            print("%s %-60.60s | %-60.60s" % ("=" if op == "equal" else "!", "%s: %s" % x if x else "", "%s: %s" % y if y else ""))


if __name__ == "__main__":
    sys.exit(main())
