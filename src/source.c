/* source.c: choosing the source for a path (each kind bids, the surest
 * wins), and what the sources share: settings files, the list of posts,
 * Jekyll-style permalink patterns. */
#define _POSIX_C_SOURCE 200809L
#include "source.h"
#include "post.h"
#include "util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* In the order they are asked; on equal bids the first wins. */
static const bb_source *const S_sources[] = { &bb_source_jekyll, &bb_source_hugo, &bb_source_hexo,
					       &bb_source_pelican, &bb_source_zola, &bb_source_eleventy,
					       &bb_source_markdown, &bb_source_wordpress, &bb_source_blogger,
					       &bb_source_movabletype,
					       NULL };

const bb_source *
bb_source_pick(const char *path, int is_dir, const char *forced, char **why_owned)
{
	const bb_source *best = NULL;
	int top = 0;
	size_t i;
	bb_buf w = BB_BUF_INIT;

	*why_owned = NULL;
	for (i = 0; S_sources[i]; i++) {
		int bid;
		if (forced) {
			if (strcmp(forced, S_sources[i]->name) == 0)
				return S_sources[i];
			continue;
		}
		bid = S_sources[i]->bid(path, is_dir);
		if (bid > top)
			top = bid, best = S_sources[i];
	}
	if (best)
		return best;
	if (forced)
		bb_buf_printf(&w, "'%s' is not a kind of blog blogbind knows; it knows:", forced);
	else
		bb_buf_printf(&w, "not a blog blogbind can read: it looked for");
	for (i = 0; S_sources[i]; i++)
		bb_buf_printf(&w, forced ? "%s %s" : "%s %s (%s)", i ? "," : "", forced ? S_sources[i]->name : S_sources[i]->label,
			      S_sources[i]->looks_for);
	if (!forced)
		bb_buf_puts(&w, "; --source KIND names the kind");
	*why_owned = bb_buf_detach(&w, NULL);
	return NULL;
}

bb_post *
bb_blog_new_post(bb_blog *b)
{
	static const size_t start = 64;
	if (b->nposts == b->capposts) {
		b->capposts = b->capposts ? b->capposts * 2 : start;
		b->posts = bb_xrealloc(b->posts, b->capposts * sizeof *b->posts);
	}
	memset(&b->posts[b->nposts], 0, sizeof *b->posts);
	return &b->posts[b->nposts++];
}

void
bb_blog_drop_post(bb_blog *b)
{
	bb_post_free(&b->posts[--b->nposts]);
	memset(&b->posts[b->nposts], 0, sizeof *b->posts);
}

bb_fm_node *
bb_config_read(bb_blog *b, const char *name, int toml)
{
	char *path = bb_xasprintf("%s/%s", b->root, name), *text = NULL;
	size_t len;
	bb_fm_node *t = NULL;
	bb_fm_problem prob;
	if (bb_read_file(path, 1u << 20, &text, &len) == 0) {
		t = toml ? bb_fm_parse_toml(text, len, 1, &prob) : bb_fm_parse(text, len, 1, &prob);
		if (prob.line)
			bb_diag_add(&b->diags, BB_WARNING, name, prob.line, prob.col, "%s", prob.message);
		if (t && t->kind != BB_FM_MAP) {
			bb_fm_free(t);
			t = NULL;
		}
	}
	free(text);
	free(path);
	return t;
}

int
bb_post_body(const bb_blog *b, const bb_post *p, char **text, size_t *len, size_t *off, unsigned *line,
	     bb_diaglist *dl)
{
	size_t fm, fmlen;
	int toml = 0;
	if (p->body) {
		*text = bb_xstrdup(p->body);
		*len = strlen(p->body);
		*off = 0;
		*line = p->body_line ? p->body_line : 1;
		return 0;
	}
	if (b->post_text) {
		*off = 0;
		return b->post_text(b, p, text, len, line, dl);
	}
	if (bb_post_read(b, p, text, len, dl, 1) != 0)
		return -1;
	if (b->src->split)
		return b->src->split(b, p, text, len, off, line);
	if (bb_fm_split(*text, *len, &fm, &fmlen, off, line, &toml) <= 0)
		*off = 0, *line = 1;
	return 0;
}

bb_fm_node *
bb_config_from_pairs(const char *const *keys, const char *const *vals, size_t n)
{
	bb_buf y = BB_BUF_INIT;
	bb_fm_node *t = NULL;
	bb_fm_problem prob;
	size_t i;
	const char *q;
	for (i = 0; i < n; i++) {
		if (!vals[i] || !*vals[i])
			continue;
		bb_buf_printf(&y, "%s: \"", keys[i]);
		for (q = vals[i]; *q; q++)
			if (*q == '"' || *q == '\\')
				bb_buf_printf(&y, "\\%c", *q);
			else if ((unsigned char)*q >= 0x20)
				bb_buf_putc(&y, *q);
		bb_buf_puts(&y, "\"\n");
	}
	if (y.data)
		t = bb_fm_parse(y.data, y.len, 1, &prob);
	bb_buf_free(&y);
	if (t && t->kind != BB_FM_MAP) {
		bb_fm_free(t);
		t = NULL;
	}
	return t;
}


/* The categories joined by '/', bounded. */
static void
S_cats(const bb_post *p, char *cats, size_t cap)
{
	size_t i;
	cats[0] = '\0';
	for (i = 0; i < p->ncategories; i++) {
		if (strlen(cats) + strlen(p->categories[i]) + 2 >= cap)
			break;
		if (i)
			strcat(cats, "/");
		strcat(cats, p->categories[i]);
	}
}

/* The day of the year of p's date, 1-based. */
static long long
S_yday(const bb_post *p)
{
	bb_date jan1 = p->date, d0 = p->date;
	jan1.mon = 1, jan1.day = 1, jan1.hour = jan1.min = jan1.sec = 0, jan1.tzoff = 0;
	d0.hour = d0.min = d0.sec = 0, d0.tzoff = 0;
	return (bb_date_epoch(&d0) - bb_date_epoch(&jan1)) / 86400 + 1;
}

char *
bb_permalink_expand(const char *pat, const bb_post *p)
{
#define S_PH(k, what) { k, sizeof k - 1, what }
	static const struct { const char *k; size_t len; int what; } ph[] = {
		S_PH(":categories", 1), S_PH(":year", 2), S_PH(":month", 3), S_PH(":day", 4), S_PH(":title", 5),
		S_PH(":slug", 5), S_PH(":output_ext", 6), S_PH(":i_month", 7), S_PH(":i_day", 8),
		S_PH(":short_year", 9), S_PH(":y_day", 10), S_PH(":hour", 11), S_PH(":minute", 12),
		S_PH(":second", 13), S_PH(":name", 5)
	};
#undef S_PH
	bb_buf u = BB_BUF_INIT;
	const char *s;
	char cats[512];

	S_cats(p, cats, sizeof cats);
	for (s = pat; *s;) {
		size_t k, hit = 0;
		if (*s == ':') {
			for (k = 0; k < sizeof ph / sizeof *ph; k++)
				if (s[1] == ph[k].k[1] && strncmp(s, ph[k].k, ph[k].len) == 0 && !isalnum((unsigned char)s[ph[k].len]) &&
				    s[ph[k].len] != '_') {
					hit = k + 1;
					break;
				}
		}
		if (!hit) {
			/* the literal text up to the next placeholder, at once */
			const char *e = strchr(s + 1, ':');
			size_t n = e ? (size_t)(e - s) : strlen(s);
			bb_buf_put(&u, s, n);
			s += n;
			continue;
		}
		switch (ph[hit - 1].what) {
		case 1: bb_buf_puts(&u, cats); break;
		case 2: bb_buf_put_dec(&u, p->date.year, 4); break;
		case 3: bb_buf_put_dec(&u, p->date.mon, 2); break;
		case 4: bb_buf_put_dec(&u, p->date.day, 2); break;
		case 5: bb_buf_puts(&u, p->slug); break;
		case 6: bb_buf_puts(&u, ".html"); break;
		case 7: bb_buf_put_dec(&u, p->date.mon, 0); break;
		case 8: bb_buf_put_dec(&u, p->date.day, 0); break;
		case 9: bb_buf_put_dec(&u, p->date.year % 100, 2); break;
		case 10: bb_buf_put_dec(&u, S_yday(p), 3); break;
		case 11: bb_buf_put_dec(&u, p->date.hour, 2); break;
		case 12: bb_buf_put_dec(&u, p->date.min, 2); break;
		case 13: bb_buf_put_dec(&u, p->date.sec, 2); break;
		}
		s += ph[hit - 1].len;
	}
	/* collapse double slashes left by empty placeholders */
	{
		char *r = u.data ? u.data : bb_xstrdup("/"), *w = r, *q;
		for (q = r; *q; q++)
			if (!(q[0] == '/' && q[1] == '/'))
				*w++ = *q;
		*w = '\0';
		if (!u.data)
			return r;
		/* kept by the post for the whole run: not in the buffer's 64 bytes
		 * or more (100,000 posts: 3 MB) */
		return bb_xrealloc(bb_buf_detach(&u, NULL), (size_t)(w - r) + 1);
	}
}
