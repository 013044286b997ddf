/* resolve.c: turning paths written in posts into files inside the blog's
 * folder (never outside it), and registering the images the book embeds. */
#define _XOPEN_SOURCE 700
#include "blog.h"
#include "deps.h"
#include "image.h"
#include "svg.h"
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Joins dir and ref and folds "." and ".." lexically. Returns NULL when the
 * path climbs above the folder. */
static char *
S_normalize(const char *dir, const char *ref)
{
	char *joined = dir && *dir ? bb_xasprintf("%s/%s", dir, ref) : bb_xstrdup(ref);
	char **parts = NULL, *tok, *save = NULL;
	size_t n = 0, i;
	bb_buf out = BB_BUF_INIT;
	for (tok = strtok_r(joined, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
		if (strcmp(tok, ".") == 0)
			continue;
		if (strcmp(tok, "..") == 0) {
			if (n == 0) {
				free(parts);
				free(joined);
				return NULL;
			}
			n--;
			continue;
		}
		parts = bb_xrealloc(parts, (n + 1) * sizeof *parts);
		parts[n++] = tok;
	}
	for (i = 0; i < n; i++) {
		if (i)
			bb_buf_putc(&out, '/');
		bb_buf_puts(&out, parts[i]);
	}
	free(parts);
	free(joined);
	return out.data ? bb_buf_detach(&out, NULL) : NULL;
}

/* 1 when rel names a regular file whose real path stays inside the folder
 * (a symbolic link pointing out is refused). */
static int
S_inside(const bb_blog *b, const char *rel, const char **why)
{
	char *abs = bb_xasprintf("%s/%s", b->root, rel);
	char real[PATH_MAX];
	struct stat st;
	int ok = 0;
	size_t n = strlen(b->root_real);
	if (stat(abs, &st) != 0 || !S_ISREG(st.st_mode)) {
		*why = "does not exist";
	} else if (!realpath(abs, real)) {
		*why = "cannot be resolved";
	} else if (strncmp(real, b->root_real, n) != 0 || (real[n] != '/' && real[n] != '\0')) {
		*why = "leads outside the blog's folder (a symbolic link); refused";
	} else
		ok = 1;
	free(abs);
	return ok;
}

static int
S_hexv(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

char *
bb_resolve_local(const bb_blog *b, const bb_post *p, const char *ref, const char **why)
{
	bb_buf path = BB_BUF_INIT;
	const char *s = ref;
	size_t n, i, ul;
	char *rel = NULL, *cand = NULL;
	const char *prefixes[6];
	size_t np = 0, k;

	*why = "does not exist";
	if (!ref || !*ref)
		return NULL;
	/* root-relative paths lie at the root, then in the source's asset
	 * folders (Hugo's static/, Hexo's source/...) */
	prefixes[np++] = "";
	for (k = 0; k < sizeof b->asset_dirs / sizeof *b->asset_dirs && b->asset_dirs[k]; k++)
		prefixes[np++] = b->asset_dirs[k];
	if (np == 1)
		prefixes[np++] = "static/";
	prefixes[np] = NULL;
	if (strncmp(s, "file:", 5) == 0) {
		*why = "is a file: URL; refused";
		return NULL;
	}
	/* the blog's own absolute URL, then its baseurl */
	if (b->url && (ul = strlen(b->url)) && strncmp(s, b->url, ul) == 0 && (s[ul] == '/' || !s[ul]))
		s += ul;
	else if (strncmp(s, "//", 2) == 0 || strstr(s, "://") || strncmp(s, "data:", 5) == 0) {
		*why = "is not a local file";
		return NULL;
	}
	if (b->baseurl && (ul = strlen(b->baseurl)) && strncmp(s, b->baseurl, ul) == 0 && s[ul] == '/')
		s += ul;
	n = strcspn(s, "?#");
	for (i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n && S_hexv((unsigned char)s[i + 1]) >= 0 && S_hexv((unsigned char)s[i + 2]) >= 0) {
			bb_buf_putc(&path, S_hexv((unsigned char)s[i + 1]) * 16 + S_hexv((unsigned char)s[i + 2]));
			i += 2;
		} else
			bb_buf_putc(&path, s[i]);
	}
	if (!path.data || memchr(path.data, '\0', path.len)) {
		bb_buf_free(&path);
		return NULL;
	}
	if (path.data[0] == '/') {
		/* root-relative: the site root, then the asset folders */
		const char *refused = NULL;
		for (i = 0; prefixes[i] && !rel; i++) {
			cand = S_normalize(prefixes[i], path.data + 1);
			if (!cand) {
				*why = "leaves the blog's folder; refused";
				break;
			}
			if (S_inside(b, cand, why))
				rel = cand, cand = NULL;
			else if (strstr(*why, "refused"))
				refused = *why; /* a link out says so, not "does not exist" */
			free(cand);
			cand = NULL;
		}
		if (!rel && refused)
			*why = refused;
	} else if (p) {
		/* relative to the post's asset folder or its file, then to the
		 * site root */
		char *dir = bb_xstrdup(p->asset_dir ? p->asset_dir : p->path), *slash = strrchr(dir, '/');
		if (p->asset_dir)
			slash = NULL;
		else if (slash)
			*slash = '\0';
		else
			dir[0] = '\0';
		cand = S_normalize(dir, path.data);
		if (cand && S_inside(b, cand, why))
			rel = cand, cand = NULL;
		else if (!cand)
			*why = "leaves the blog's folder; refused";
		free(cand);
		cand = NULL;
		if (!rel) {
			const char *q = path.data;
			const char *keep = *why;
			while (strncmp(q, "../", 3) == 0)
				q += 3;
			for (i = 0; prefixes[i] && !rel; i++) {
				cand = S_normalize(prefixes[i], q);
				if (cand && S_inside(b, cand, why))
					rel = cand, cand = NULL;
				free(cand);
				cand = NULL;
			}
			if (!rel && strstr(keep, "refused"))
				*why = keep;
		}
		free(dir);
	} else {
		cand = S_normalize("", path.data);
		if (cand && S_inside(b, cand, why))
			rel = cand, cand = NULL;
		else if (!cand)
			*why = "leaves the blog's folder; refused";
		free(cand);
	}
	bb_buf_free(&path);
	return rel;
}

/* 1 when CSS text (an SVG's style) loads or runs something: @import,
 * javascript:, expression(), or url() of anything but a fragment. */
static int
S_svg_css_active(const char *v)
{
	const char *u;
	char *low = bb_xstrdup(v), *c;
	int r;
	for (c = low; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	r = strstr(low, "@import") || strstr(low, "javascript:") || strstr(low, "expression(");
	for (u = low; !r && (u = strstr(u, "url(")); u += 4) {
		const char *t = u + 4;
		while (*t == ' ' || *t == '"' || *t == '\'')
			t++;
		r = *t != '#';
	}
	free(low);
	return r;
}

/* Why the SVG file at abs cannot go into the book as it is, or NULL: a book
 * holds no active content (scripts, event handlers, foreign HTML) and no
 * reference out of itself (the reader would follow it, not blogbind). */
static const char *
S_svg_problem(const char *abs)
{
	static const char *const banned[] = { "script", "foreignObject", "iframe", "object", "embed", "handler",
					      "listener", "animate", "set", NULL };
	char *data = NULL;
	size_t len = 0;
	xmlDocPtr d;
	xmlNodePtr n;
	const char *why = NULL;
	if (bb_read_file(abs, BB_MAX_IMAGE_BYTES, &data, &len) != 0) {
		free(data);
		return "cannot be read";
	}
	d = xmlReadMemory(data, (int)len, NULL, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	free(data);
	if (!d)
		return "is an SVG image that is not well-formed XML; not embedded";
	if (d->intSubset && (d->intSubset->entities || d->intSubset->children || d->intSubset->pentities))
		why = "is an SVG image with a DTD of its own (entities); not embedded";
	else if (bb_svg_doctype_kind(d) < 0)
		/* EPUB forbids a document type naming an outside DTD: one the
		 * SVG can do without is removed when the book is written
		 * (image.c), one it needs the file is refused for */
		why = "is an SVG image that needs the outside DTD its document type names, which EPUB forbids; not embedded";
	for (n = xmlDocGetRootElement(d); n && !why;) {
		if (n->type == XML_ELEMENT_NODE) {
			xmlAttrPtr a;
			size_t i;
			for (i = 0; banned[i]; i++)
				if (strcmp((const char *)n->name, banned[i]) == 0)
					why = "is an SVG image with scripts or embedded content; not embedded";
			if (strcmp((const char *)n->name, "style") == 0) {
				xmlChar *t = xmlNodeGetContent(n);
				if (t && S_svg_css_active((const char *)t))
					why = "is an SVG image whose style loads something; not embedded";
				xmlFree(t);
			}
			for (a = n->properties; a && !why; a = a->next) {
				const char *an = (const char *)a->name;
				xmlChar *v = xmlNodeGetContent((xmlNodePtr)a);
				const char *vs = v ? (const char *)v : "";
				while (*vs && (unsigned char)*vs <= 0x20)
					vs++;
				if (tolower((unsigned char)an[0]) == 'o' && tolower((unsigned char)an[1]) == 'n')
					why = "is an SVG image with event handlers; not embedded";
				else if ((strcmp(an, "href") == 0 || strcmp(an, "src") == 0) && vs[0] != '#' &&
					 strncmp(vs, "data:image/", 11) != 0)
					why = "is an SVG image that refers to other files or URLs; not embedded";
				else if (strcmp(an, "style") == 0 && S_svg_css_active(vs))
					why = "is an SVG image whose style loads something; not embedded";
				xmlFree(v);
			}
		}
		if (n->children && n->type == XML_ELEMENT_NODE) {
			n = n->children;
			continue;
		}
		while (n && !n->next)
			n = n->parent && n->parent->type == XML_ELEMENT_NODE ? n->parent : NULL;
		if (n)
			n = n->next;
	}
	xmlFreeDoc(d);
	return why;
}

/* Registers the image in file under key (thread-safe): a new one is
 * checked (size, type from its bytes) and named in the book from a hash of
 * hash_from and the slug of base (base_len bytes). Returns its index or -1
 * with *why. */
static long
S_register(bb_blog *b, const char *key, const char *file, const char *hash_from, const char *base, size_t base_len,
	   const char **why)
{
	size_t idx;
	long r = -1;
	bb_image *im;
	FILE *f;
	unsigned char head[1024];
	size_t n = 0, k;
	struct stat st;
	const char *ext = NULL;
	bb_image_info info;

	pthread_mutex_lock(&b->lock);
	if (bb_map_get(&b->by_image, key, &idx)) {
		im = &b->images[idx];
		r = im->ok ? (long)idx : -1;
		if (!im->ok)
			*why = "is not an image blogbind can embed";
		goto out;
	}
	if (b->nimages == b->capimages) {
		b->capimages = b->capimages ? b->capimages * 2 : 32;
		b->images = bb_xrealloc(b->images, b->capimages * sizeof *b->images);
	}
	idx = b->nimages++;
	im = &b->images[idx];
	memset(im, 0, sizeof *im);
	im->src = bb_xstrdup(key);
	bb_map_put(&b->by_image, key, idx);
	if (!(f = fopen(file, "rb"))) {
		*why = "cannot be read";
		goto out;
	}
	n = fread(head, 1, sizeof head, f);
	if (fstat(fileno(f), &st) != 0)
		st.st_size = 0;
	fclose(f);
	if ((unsigned long long)st.st_size > BB_MAX_IMAGE_BYTES) {
		*why = "is larger than 32 MB";
		goto out;
	}
	/* the type from the bytes (the extension can lie), the size from
	 * the header: no pixel is decoded here (image.c) */
	if (bb_image_probe(file, head, n, b->opt.image_max_px, &info, why) != 0)
		goto out;
	im->media_type = info.media_type;
	ext = info.ext;
	if (strcmp(ext, "svg") == 0) {
		/* an SVG is a document: it must be inert and self-contained too */
		const char *bad = S_svg_problem(file);
		if (bad) {
			*why = bad;
			im->media_type = NULL;
			goto out;
		}
	}
	{
		/* a hash (stable whatever order the posts are rendered in) and
		 * the file's own name made an ASCII slug */
		unsigned long long h = bb_fnv1a(BB_FNV_SEED, hash_from, strlen(hash_from));
		bb_buf nm = BB_BUF_INIT;
		bb_buf_printf(&nm, "img/i%08llx-", h & 0xffffffffULL);
		for (k = 0; k < base_len && base[k] != '.' && k < 40; k++)
			bb_buf_putc(&nm, isalnum((unsigned char)base[k]) ? tolower((unsigned char)base[k]) : '-');
		if (k == 0)
			bb_buf_puts(&nm, "remote");
		bb_buf_printf(&nm, ".%s", ext);
		im->name = bb_buf_detach(&nm, NULL);
		snprintf(im->id, sizeof im->id, "i%08llx", h & 0xffffffffULL);
	}
	im->ok = 1;
	r = (long)idx;
out:
	pthread_mutex_unlock(&b->lock);
	return r;
}

/* For the chapter cache: which image a rendering registered, and the name
 * it got ("" when none), so a reuse can check the image is the same. */
static void
S_record(bb_blog *b, int kind, const char *path, const char *from, const char *base, size_t base_len, long idx)
{
	char name[512] = "";
	if (idx >= 0)
		bb_image_name(b, idx, name, sizeof name);
	bb_deps_image(kind, path, from, base, base_len, name);
}

long
bb_image_add(bb_blog *b, const char *rel, const char **why)
{
	char *abs = bb_xasprintf("%s/%s", b->root, rel);
	const char *base = strrchr(rel, '/');
	long r;
	base = base ? base + 1 : rel;
	r = S_register(b, rel, abs, rel, base, strlen(base), why);
	free(abs);
	if (bb_deps_recording())
		S_record(b, 0, rel, NULL, NULL, 0, r);
	return r;
}

long
bb_image_add_file(bb_blog *b, const char *path, const char *hash_from, const char *base, size_t base_len,
		  const char **why)
{
	char real[PATH_MAX];
	long r = -1;
	if (!realpath(path, real))
		*why = "cannot be read";
	else
		r = S_register(b, real, real, hash_from, base, base_len, why);
	if (bb_deps_recording())
		S_record(b, 1, path, hash_from, base, base_len, r);
	return r;
}

void
bb_image_name(bb_blog *b, long idx, char *out, size_t cap)
{
	pthread_mutex_lock(&b->lock);
	snprintf(out, cap, "%s", b->images[idx].name);
	pthread_mutex_unlock(&b->lock);
}

long
bb_image_add_media(bb_blog *b, const char *src, const char **why)
{
	static const char up[] = "/wp-content/uploads/";
	char *rel, *path, real[PATH_MAX];
	const char *base;
	size_t n = strlen(b->media_real ? b->media_real : ""), i;
	long idx = -1;
	struct stat st;
	if (!b->media_real || !src || strncmp(src, up, sizeof up - 1) != 0)
		return -2;
	src += sizeof up - 1;
	rel = bb_xstrndup(src, strcspn(src, "?#"));
	/* percent-decoded, then folded: nothing may climb out */
	for (i = 0; rel[i]; i++)
		if (rel[i] == '%' && S_hexv((unsigned char)rel[i + 1]) >= 0 && S_hexv((unsigned char)rel[i + 2]) >= 0) {
			rel[i] = (char)(S_hexv((unsigned char)rel[i + 1]) * 16 + S_hexv((unsigned char)rel[i + 2]));
			memmove(rel + i + 1, rel + i + 3, strlen(rel + i + 3) + 1);
		}
	path = S_normalize("", rel);
	free(rel);
	if (!path || !*path) {
		free(path);
		*why = "leaves the media folder; refused";
		return -1;
	}
	rel = bb_xasprintf("%s/%s", b->media_real, path);
	if (stat(rel, &st) != 0 || !S_ISREG(st.st_mode) || !realpath(rel, real))
		*why = "does not exist in the media folder";
	else if (strncmp(real, b->media_real, n) != 0 || real[n] != '/')
		*why = "leads outside the media folder (a symbolic link); refused";
	else {
		char *hash = bb_xasprintf("wp-content/uploads/%s", path);
		base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
		idx = bb_image_add_file(b, real, hash, base, strlen(base), why);
		free(hash);
	}
	free(rel);
	free(path);
	return idx;
}
