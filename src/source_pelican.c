/* source_pelican.c: a Pelican site: pelicanconf.py read as data (simple
 * assignments of strings, numbers and booleans; never run), Markdown
 * articles under PATH (ARTICLE_PATHS) with "Key: value" metadata lines,
 * {static} and {filename} links, drafts by Status; reStructuredText
 * articles are named and left out. */
#define _POSIX_C_SOURCE 200809L
#include "source.h"
#include "postindex.h"
#include "post.h"
#include "util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct pelican {
	char *path;            /* PATH, "content" by default */
	char *paths[16];       /* ARTICLE_PATHS, relative to PATH; none: all of PATH */
	size_t npaths;
	char *skip[16];        /* PAGE_PATHS and STATIC_PATHS: not articles */
	size_t nskip;
	int page_paths;        /* PAGE_PATHS was set (else "pages") */
	int folder_category;   /* USE_FOLDER_AS_CATEGORY (default true) */
} pelican;

static int
S_bid(const char *path, int is_dir)
{
	return is_dir && bb_path_is(path, "pelicanconf.py", 0) ? 95 : 0;
}

/* A Python string literal at s ('...' or "..."; a u/r prefix allowed) into
 * out; returns the byte after it, or NULL when s holds none. */
static const char *
S_pystring(const char *s, bb_buf *out)
{
	char q;
	int raw = 0;
	while (*s == 'u' || *s == 'r' || *s == 'U' || *s == 'R')
		raw |= *s == 'r' || *s == 'R', s++;
	if (*s != '"' && *s != '\'')
		return NULL;
	q = *s++;
	for (; *s && *s != q && *s != '\n'; s++) {
		if (*s == '\\' && s[1] && !raw) {
			s++;
			bb_buf_putc(out, *s == 'n' ? '\n' : *s == 't' ? '\t' : *s);
		} else
			bb_buf_putc(out, *s);
	}
	return *s == q ? s + 1 : NULL;
}

/* One NAME = value line of pelicanconf.py: the list settings into pc, the
 * strings the common code reads into vals (by keys' order). */
static void
S_conf_line(pelican *pc, const char *line, char **vals)
{
	static const char *const py[] = { "SITENAME", "AUTHOR", "DEFAULT_LANG", "SITEURL", "SITESUBTITLE",
					   "SITE_DESCRIPTION" };
	static const int slot[] = { 0, 1, 2, 3, 4, 4 };
	char name[64];
	size_t n = 0, k;
	const char *v;
	bb_buf val = BB_BUF_INIT;
	while (isupper((unsigned char)line[n]) || line[n] == '_' || isdigit((unsigned char)line[n]))
		n++;
	if (!n || n >= sizeof name)
		return;
	memcpy(name, line, n);
	name[n] = '\0';
	for (v = line + n; *v == ' '; v++)
		;
	if (*v != '=' || v[1] == '=')
		return;
	for (v++; *v == ' '; v++)
		;
	if (strcmp(name, "PATH") == 0 && S_pystring(v, &val)) {
		free(pc->path);
		pc->path = bb_buf_detach(&val, NULL);
	} else if ((strcmp(name, "ARTICLE_PATHS") == 0 || strcmp(name, "PAGE_PATHS") == 0 ||
		    strcmp(name, "STATIC_PATHS") == 0) && *v == '[') {
		int art = name[0] == 'A';
		pc->page_paths |= name[0] == 'P';
		for (v++; *v && *v != ']';) {
			const char *e;
			bb_buf_reset(&val);
			if ((e = S_pystring(v, &val))) {
				if (art && pc->npaths < 16)
					pc->paths[pc->npaths++] = bb_xstrdup(val.data ? val.data : "");
				else if (!art && pc->nskip < 16)
					pc->skip[pc->nskip++] = bb_xstrdup(val.data ? val.data : "");
				v = e;
			} else
				v++;
		}
	} else if (strcmp(name, "USE_FOLDER_AS_CATEGORY") == 0) {
		pc->folder_category = strncmp(v, "False", 5) != 0;
	} else {
		for (k = 0; k < sizeof py / sizeof *py; k++)
			if (strcmp(name, py[k]) == 0 && !vals[slot[k]] && S_pystring(v, &val) && val.data) {
				vals[slot[k]] = bb_buf_detach(&val, NULL);
				break;
			}
	}
	bb_buf_free(&val);
}

/* The settings of pelicanconf.py: simple assignments of strings and lists
 * of strings; anything else (code, expressions, imports) is passed over,
 * never run. */
static bb_fm_node *
S_read_conf(bb_blog *b, pelican *pc)
{
	static const char *const keys[] = { "title", "author", "lang", "url", "description" };
	char *path = bb_xasprintf("%s/pelicanconf.py", b->root), *text = NULL, *line, *save = NULL;
	char *vals[5] = { NULL, NULL, NULL, NULL, NULL };
	size_t len, k;
	bb_fm_node *t = NULL;
	if (bb_read_file(path, 1u << 20, &text, &len) == 0) {
		for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
			S_conf_line(pc, line, vals);
		t = bb_config_from_pairs(keys, (const char *const *)vals, 5);
	}
	for (k = 0; k < 5; k++)
		free(vals[k]);
	free(text);
	free(path);
	return t;
}

static int
S_config(bb_blog *b)
{
	pelican *pc = bb_xcalloc(1, sizeof *pc);
	b->srcdata = pc;
	pc->path = bb_xstrdup("content");
	pc->folder_category = 1;
	b->config_name = "pelicanconf.py";
	b->config = S_read_conf(b, pc);
	if (!pc->page_paths && pc->nskip < 16)
		pc->skip[pc->nskip++] = bb_xstrdup("pages");
	/* {static}/x and root-relative /x both name PATH/x */
	b->asset_dirs[0] = pc->path;
	return 0;
}

static void
S_release(bb_blog *b)
{
	pelican *pc = b->srcdata;
	size_t i;
	if (!pc)
		return;
	for (i = 0; i < pc->npaths; i++)
		free(pc->paths[i]);
	for (i = 0; i < pc->nskip; i++)
		free(pc->skip[i]);
	free(pc->path);
	free(pc);
	b->srcdata = NULL;
}

/* Markdown articles; reStructuredText ones are named and left out. */
static int
S_accept(const bb_finder *f, const char *rel, const char *name)
{
	const pelican *pc = f->ud;
	size_t i, n = strlen(pc->path) + 1;
	for (i = 0; i < pc->nskip; i++)
		if (strncmp(rel + n, pc->skip[i], strlen(pc->skip[i])) == 0 && rel[n + strlen(pc->skip[i])] == '/')
			return 0;
	if (bb_ext_is(name, (const char *const[]){ "rst", NULL })) {
		bb_diag_add(f->dl, BB_WARNING, rel, 0, 0,
			    "a reStructuredText article: blogbind reads Markdown only; left out");
		return 0;
	}
	return bb_ext_is(name, (const char *const[]){ "md", "markdown", "mkd", "mdown", NULL });
}

static long
S_posts(bb_blog *b)
{
	pelican *pc = b->srcdata;
	bb_finder f;
	size_t i;
	long n;
	bb_finder_init(&f, b->root, b->root_real, &b->diags);
	f.accept = S_accept;
	f.ud = pc;
	if (!pc->npaths)
		bb_walk_posts(&f, pc->path, NULL, 0);
	for (i = 0; i < pc->npaths; i++) {
		char *rel = *pc->paths[i] ? bb_xasprintf("%s/%s", pc->path, pc->paths[i]) : bb_xstrdup(pc->path);
		bb_walk_posts(&f, rel, NULL, 0);
		free(rel);
	}
	n = bb_blog_add_found(b, &f, 0);
	bb_finder_free(&f);
	return n;
}

/* The end of the "Key: value" lines that open a Pelican article (or of
 * YAML front matter, which Pelican's yaml plugin reads). */
static size_t
S_header_end(const char *text, size_t len, unsigned *line)
{
	size_t i = 0;
	*line = 1;
	while (i < len) {
		size_t e = i, k = i;
		while (e < len && text[e] != '\n')
			e++;
		while (k < e && (isalnum((unsigned char)text[k]) || text[k] == '_' || text[k] == '-'))
			k++;
		if (k == i || k >= e || text[k] != ':')
			break;
		i = e < len ? e + 1 : e;
		++*line;
	}
	return i;
}

/* The metadata lines (up to end) as a settings map, keys in lower case. */
static bb_fm_node *
S_header(const char *text, size_t end)
{
	char *keys[64] = { NULL }, *vals[64] = { NULL };
	size_t n = 0, i = 0, k;
	bb_fm_node *t;
	while (i < end && n < 64) {
		size_t e = i, c = i + strcspn(text + i, ":"), v;
		while (e < end && text[e] != '\n')
			e++;
		keys[n] = bb_xstrndup(text + i, c - i);
		for (k = 0; keys[n][k]; k++)
			keys[n][k] = (char)tolower((unsigned char)keys[n][k]);
		for (v = c + 1; v < e && text[v] == ' '; v++)
			;
		vals[n++] = bb_xstrndup(text + v, e - v);
		i = e + 1;
	}
	t = bb_config_from_pairs((const char *const *)keys, (const char *const *)vals, n);
	for (k = 0; k < n; k++)
		free(keys[k]), free(vals[k]);
	return t;
}

static void
S_meta(bb_blog *b, bb_post *p, const bb_fm_node *tree, const char *text, size_t len, int *dated)
{
	pelican *pc = b->srcdata;
	unsigned line;
	size_t end;
	bb_fm_node *h;
	const char *s;
	if (tree)
		return; /* YAML front matter, read already */
	end = S_header_end(text, len, &line);
	if (!(h = S_header(text, end)))
		return;
	bb_post_meta(&b->diags, p, h, dated);
	if ((s = bb_fm_str(h, "status")) && strcasecmp(s, "draft") == 0)
		p->draft = 1;
	if ((s = bb_fm_str(h, "status")) && strcasecmp(s, "hidden") == 0)
		p->published = 0;
	if (!p->ncategories && pc->folder_category) {
		/* the folder the article lies in, under PATH */
		const char *rel = p->path + strlen(pc->path) + 1, *slash = strrchr(rel, '/');
		if (slash) {
			char *c = bb_xstrndup(rel, (size_t)(slash - rel));
			bb_strv_add(&p->categories, &p->ncategories, c);
			free(c);
		}
	}
	bb_fm_free(h);
}

/* Python-Markdown's admonitions (`!!! type "title"` then lines indented
 * by four spaces), which Pelican sites use, as block quotes headed by the
 * title in bold (the type, capitalised, when none is given; none when it
 * is ""): the same number of lines, so places stay true. Outside fenced
 * code. Returns the new text or NULL when there is none. */
static char *
S_admonitions(const char *t, size_t len, size_t *out_len)
{
	bb_buf o = BB_BUF_INIT;
	size_t i = 0;
	int any = 0, in = 0, fence = 0;
	while (i < len) {
		size_t e = i;
		while (e < len && t[e] != '\n')
			e++;
		if (!in && !fence && e - i > 4 && strncmp(t + i, "!!! ", 4) == 0) {
			const char *a = t + i + 4, *q = memchr(a, '"', (size_t)(t + e - a));
			size_t tl = strcspn(a, " \"\n");
			bb_buf_puts(&o, "> ");
			if (q && memchr(q + 1, '"', (size_t)(t + e - q - 1))) {
				const char *q2 = memchr(q + 1, '"', (size_t)(t + e - q - 1));
				if (q2 > q + 1)
					bb_buf_printf(&o, "**%.*s**", (int)(q2 - q - 1), q + 1);
			} else if (tl && a + tl <= t + e) {
				bb_buf_printf(&o, "**%c%.*s**", toupper((unsigned char)*a), (int)tl - 1, a + 1);
			}
			in = any = 1;
		} else if (in && (e == i || strspn(t + i, " ") >= 4 || (size_t)strspn(t + i, " \t") == e - i)) {
			size_t k = 0;
			while (k < 4 && i + k < e && t[i + k] == ' ')
				k++;
			bb_buf_puts(&o, e - i - k ? "> " : ">");
			bb_buf_put(&o, t + i + k, e - i - k);
		} else {
			in = 0;
			if (strncmp(t + i, "```", 3) == 0 || strncmp(t + i, "~~~", 3) == 0)
				fence = !fence;
			bb_buf_put(&o, t + i, e - i);
		}
		if (e < len)
			bb_buf_putc(&o, '\n');
		i = e + 1;
	}
	if (!any) {
		bb_buf_free(&o);
		return NULL;
	}
	return bb_buf_detach(&o, out_len);
}

/* The body after the metadata lines, with Pelican's link syntax made
 * paths of the blog: {filename}/x.md and {static}/x name PATH/x, and
 * {filename}x.md, {static}x, {attach}x a file beside the post. */
static int
S_split(const bb_blog *b, const bb_post *p, char **text, size_t *len, size_t *off, unsigned *line)
{
	const pelican *pc = b->srcdata;
	size_t fm, fmlen, i;
	int toml = 0;
	bb_buf o = BB_BUF_INIT;
	static const char *const marks[] = { "{filename}", "{static}", "{attach}", "|filename|", "|static|",
					     "|attach|", NULL };
	if (bb_fm_split(*text, *len, &fm, &fmlen, off, line, &toml) <= 0)
		*off = S_header_end(*text, *len, line);
	bb_buf_put(&o, *text, *off);
	for (i = *off; i < *len;) {
		size_t k, hit = 0;
		if ((*text)[i] == '{' || (*text)[i] == '|')
			for (k = 0; marks[k]; k++)
				if (strncmp(*text + i, marks[k], strlen(marks[k])) == 0) {
					hit = strlen(marks[k]);
					break;
				}
		if (hit && (*text)[i + hit] == '/') {
			bb_buf_printf(&o, "/%s", pc->path);
			i += hit;
		} else if (hit) {
			/* without a slash: relative to the post's own folder */
			const char *slash = strrchr(p->path, '/');
			bb_buf_printf(&o, "/%.*s%s", slash ? (int)(slash - p->path) : 0, p->path, slash ? "/" : "");
			i += hit;
		} else
			bb_buf_putc(&o, (*text)[i++]);
	}
	free(*text);
	*text = bb_buf_detach(&o, len);
	{
		size_t n;
		char *adm = S_admonitions(*text + *off, *len - *off, &n);
		if (adm) {
			bb_buf r = BB_BUF_INIT;
			bb_buf_put(&r, *text, *off);
			bb_buf_put(&r, adm, n);
			free(adm);
			free(*text);
			*text = bb_buf_detach(&r, len);
		}
	}
	return 0;
}

static char *
S_url(const bb_blog *b, const bb_post *p)
{
	return bb_permalink_expand("/:slug.html", p);
}

const bb_source bb_source_pelican = {
	"pelican", "a Pelican site", "pelicanconf.py",
	S_bid, S_config, S_posts, S_url, S_meta, S_split, S_release
};
