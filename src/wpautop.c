/* wpautop.c: WordPress's wpautop(), ported from wp-includes/formatting.php
 * one regular expression at a time; each step is a linear scan of the
 * previous step's output. */
#include "wpautop_int.h"
#include "entry.h"

/* $allblocks of wpautop. */
static const char *const S_blocks[] = {
	"table", "thead", "tfoot", "caption", "col", "colgroup", "tbody", "tr", "td", "th", "div", "dl", "dd", "dt",
	"ul", "ol", "li", "pre", "form", "map", "area", "blockquote", "address", "math", "style", "p", "h1", "h2",
	"h3", "h4", "h5", "h6", "hr", "fieldset", "legend", "section", "article", "aside", "hgroup", "header",
	"footer", "nav", "figure", "figcaption", "details", "menu", "summary", NULL
};

/* The names of the "<br />" before a tag step. */
static const char *const S_brblocks[] = {
	"p", "li", "div", "dl", "dd", "dt", "th", "pre", "td", "ul", "ol", NULL
};

/* 1 when one of names starts t at i (as the alternation followed by
 * [^>]* matches: "p" matches "<param", "li" matches "<link"). */
static int
S_prefix(text t, size_t i, const char *const *names)
{
	size_t k;
	for (k = 0; names[k]; k++)
		if (bb_wp_at(t, i, names[k]))
			return 1;
	return 0;
}

/* 1 when a name of the set is exactly the [a-z0-9] run at i and the next
 * character is one of \s / > (the "above block tags" step). */
static int
S_block_then(text t, size_t i, size_t *name_end)
{
	size_t j = i, k;
	while (j < t.n && ((t.s[j] >= 'a' && t.s[j] <= 'z') || (t.s[j] >= '0' && t.s[j] <= '9')))
		j++;
	if (j == i || j >= t.n || !(bb_wp_ws(t.s[j]) || t.s[j] == '/' || t.s[j] == '>'))
		return 0;
	for (k = 0; S_blocks[k]; k++)
		if (strlen(S_blocks[k]) == j - i && memcmp(t.s + i, S_blocks[k], j - i) == 0) {
			*name_end = j;
			return 1;
		}
	return 0;
}

/* Matches "</?" BLOCK "[^>]*>" at i (prefix rule); returns the end or 0. */
static size_t
S_block_tag(text t, size_t i, const char *const *names, finder *gt)
{
	size_t j = i, e;
	if (!bb_wp_at(t, j, "<"))
		return 0;
	j++;
	if (j < t.n && t.s[j] == '/')
		j++;
	if (!S_prefix(t, j, names))
		return 0;
	e = bb_wp_next(gt, t, j);
	return e < t.n ? e + 1 : 0;
}
/* '|<br\s*\/?>\s*<br\s*\/?>|' -> "\n\n" */
static size_t
S_br_at(text t, size_t i)
{
	if (!bb_wp_at(t, i, "<br"))
		return 0;
	i = bb_wp_skip_ws(t, i + 3);
	if (i < t.n && t.s[i] == '/')
		i++;
	return i < t.n && t.s[i] == '>' ? i + 1 : 0;
}

static void
S_double_br(bb_buf *in, bb_buf *out)
{
	text t = bb_wp_text(in);
	size_t i = 0;
	while (i < t.n) {
		if (t.s[i] != '<') {
			bb_wp_copy_to(out, t, &i, '<');
			continue;
		}
		size_t a = S_br_at(t, i), b;
		if (a && (b = S_br_at(t, bb_wp_skip_ws(t, a)))) {
			bb_buf_puts(out, "\n\n");
			i = b;
			continue;
		}
		bb_buf_putc(out, t.s[i++]);
	}
	bb_wp_swap(in, out);
}

/* '!(<BLOCK[\s/>])!' -> "\n\n$1", '!(</BLOCK>)!' -> "$1\n\n" and
 * '!(<hr\s*?\/?>)!' -> "$1\n\n", in three passes as WordPress does. */
static void
S_block_breaks(bb_buf *in, bb_buf *out)
{
	text t = bb_wp_text(in);
	size_t i = 0, e;
	while (i < t.n) {
		if (t.s[i] != '<') {
			bb_wp_copy_to(out, t, &i, '<');
			continue;
		}
		if (t.s[i] == '<' && S_block_then(t, i + 1, &e)) {
			bb_buf_puts(out, "\n\n");
			bb_buf_put(out, t.s + i, e + 1 - i);
			i = e + 1;
			continue;
		}
		bb_buf_putc(out, t.s[i++]);
	}
	bb_wp_swap(in, out);
	t = bb_wp_text(in);
	i = 0;
	while (i < t.n) {
		if (t.s[i] != '<') {
			bb_wp_copy_to(out, t, &i, '<');
			continue;
		}
		if (bb_wp_at(t, i, "</")) {
			size_t k;
			for (k = 0; S_blocks[k]; k++) {
				size_t m = strlen(S_blocks[k]);
				if (bb_wp_at(t, i + 2, S_blocks[k]) && i + 2 + m < t.n && t.s[i + 2 + m] == '>')
					break;
			}
			if (S_blocks[k]) {
				size_t m = strlen(S_blocks[k]) + 3;
				bb_buf_put(out, t.s + i, m);
				bb_buf_puts(out, "\n\n");
				i += m;
				continue;
			}
		}
		bb_buf_putc(out, t.s[i++]);
	}
	bb_wp_swap(in, out);
	t = bb_wp_text(in);
	i = 0;
	while (i < t.n) {
		if (t.s[i] != '<') {
			bb_wp_copy_to(out, t, &i, '<');
			continue;
		}
		if (bb_wp_at(t, i, "<hr")) {
			size_t j = bb_wp_skip_ws(t, i + 3);
			if (j < t.n && t.s[j] == '/')
				j++;
			if (j < t.n && t.s[j] == '>') {
				bb_buf_put(out, t.s + i, j + 1 - i);
				bb_buf_puts(out, "\n\n");
				i = j + 1;
				continue;
			}
		}
		bb_buf_putc(out, t.s[i++]);
	}
	bb_wp_swap(in, out);
}

/* The end of the element of get_html_split_regex() that starts with '<'
 * at i: a comment to "-->", CDATA to "]]>", else to the next '>' (each to
 * the end of the text when it has no end). */
static size_t
S_element_end(text t, size_t i, finder *gt, finder *com, finder *cdata)
{
	size_t e;
	if (bb_wp_at(t, i + 1, "!--")) {
		e = bb_wp_next(com, t, i + 2);
		return e < t.n ? e + 3 : t.n;
	}
	if (bb_wp_at(t, i + 1, "![CDATA[")) {
		e = bb_wp_next(cdata, t, i + 9);
		return e < t.n ? e + 3 : t.n;
	}
	e = bb_wp_next(gt, t, i + 1);
	return e < t.n ? e + 1 : t.n;
}

/* wp_replace_in_html_tags($pee, array("\n" => " <!-- wpnl --> ")) */
static void
S_newlines_in_tags(bb_buf *in, bb_buf *out)
{
	text t = bb_wp_text(in);
	finder gt = { ">", 0, 0, 0 }, com = { "-->", 0, 0, 0 }, cd = { "]]>", 0, 0, 0 };
	size_t i = 0;
	while (i < t.n) {
		if (t.s[i] != '<') {
			bb_wp_copy_to(out, t, &i, '<');
			continue;
		}
		if (t.s[i] == '<') {
			size_t e = S_element_end(t, i, &gt, &com, &cd), k;
			for (k = i; k < e; k++) {
				if (t.s[k] == '\n')
					bb_buf_puts(out, " <!-- wpnl --> ");
				else
					bb_buf_putc(out, t.s[k]);
			}
			i = e;
			continue;
		}
		bb_buf_putc(out, t.s[i++]);
	}
	bb_wp_swap(in, out);
}

/* Removes the white space before (when before) and after (when after) each
 * match of a tag: lit followed by [^>]* and '>' (or, when close_bracket, by
 * [^>\]]* and one of > ]). Covers the <option>, <object>, <param>,
 * <embed>, <audio>/<video>, <source>/<track> and <figcaption> steps; each
 * caller runs one regular expression per call, as WordPress does. */
static void
S_collapse(bb_buf *in, bb_buf *out, const char *const *lits, int before, int after, int open_only,
	   int close_bracket)
{
	text t = bb_wp_text(in);
	size_t i = 0, k;
	finder gt = { ">", 0, 0, 0 };
	while (i < t.n) {
		/* a run of white space followed by a match: drop the run */
		size_t j = before ? bb_wp_skip_ws(t, i) : i, e = 0, m = 0;
		for (k = 0; lits[k]; k++)
			if (bb_wp_at(t, j, lits[k])) {
				m = j + strlen(lits[k]);
				break;
			}
		if (lits[k] && !open_only) {
			if (close_bracket) {
				while (m < t.n && t.s[m] != '>' && t.s[m] != ']')
					m++;
				e = m < t.n ? m + 1 : 0;
			} else {
				size_t g = bb_wp_next(&gt, t, m);
				e = g < t.n ? g + 1 : 0;
			}
		} else if (lits[k]) {
			e = m;
		}
		if (e) {
			bb_buf_put(out, t.s + j, e - j);
			i = after ? bb_wp_skip_ws(t, e) : e;
			continue;
		}
		if (before && j > i) {
			/* white space not followed by a match: keep it */
			bb_buf_put(out, t.s + i, j - i);
			i = j;
			continue;
		}
		bb_buf_putc(out, t.s[i++]);
	}
	bb_wp_swap(in, out);
}

/* preg_replace("/\n\n+/", "\n\n") */
static void
S_squeeze(bb_buf *in, bb_buf *out)
{
	text t = bb_wp_text(in);
	size_t i = 0;
	while (i < t.n) {
		if (t.s[i] != '\n') {
			bb_wp_copy_to(out, t, &i, '\n');
			continue;
		}
		if (bb_wp_at(t, i, "\n\n")) {
			bb_buf_puts(out, "\n\n");
			while (i < t.n && t.s[i] == '\n')
				i++;
			continue;
		}
		bb_buf_putc(out, t.s[i++]);
	}
	bb_wp_swap(in, out);
}

/* preg_split('/\n\s*\n/', ..., PREG_SPLIT_NO_EMPTY), each piece wrapped
 * as '<p>' . trim($piece, "\n") . "</p>\n". */
static void
S_paragraphs(bb_buf *in, bb_buf *out)
{
	text t = bb_wp_text(in);
	size_t i = 0, start = 0;
	for (;;) {
		size_t sep = t.n, next = t.n;
		while (i < t.n) {
			const char *q = memchr(t.s + i, '\n', t.n - i);
			if (!q) {
				i = t.n;
				break;
			}
			i = (size_t)(q - t.s);
			{
				size_t j = i + 1, last = 0;
				while (j < t.n && bb_wp_ws(t.s[j])) {
					if (t.s[j] == '\n')
						last = j;
					j++;
				}
				if (last) {
					sep = i;
					next = last + 1;
					break;
				}
			}
			i++;
		}
		if (sep > start) {
			size_t a = start, b = sep;
			while (a < b && t.s[a] == '\n')
				a++;
			while (b > a && t.s[b - 1] == '\n')
				b--;
			bb_buf_puts(out, "<p>");
			bb_buf_put(out, t.s + a, b - a);
			bb_buf_puts(out, "</p>\n");
		}
		if (sep == t.n)
			break;
		i = start = next;
	}
	bb_wp_swap(in, out);
}

/* preg_replace('|<p>\s*</p>|', '') */
static void
S_empty_p(bb_buf *in, bb_buf *out)
{
	text t = bb_wp_text(in);
	size_t i = 0;
	while (i < t.n) {
		if (t.s[i] != '<') {
			bb_wp_copy_to(out, t, &i, '<');
			continue;
		}
		if (bb_wp_at(t, i, "<p>")) {
			size_t j = bb_wp_skip_ws(t, i + 3);
			if (bb_wp_at(t, j, "</p>")) {
				i = j + 4;
				continue;
			}
		}
		bb_buf_putc(out, t.s[i++]);
	}
	bb_wp_swap(in, out);
}

/* preg_replace('!<p>([^<]+)</(div|address|form)>!', '<p>$1</p></$2>') */
static void
S_close_p_in(bb_buf *in, bb_buf *out)
{
	static const char *const names[] = { "</div>", "</address>", "</form>", NULL };
	text t = bb_wp_text(in);
	size_t i = 0, j, k;
	while (i < t.n) {
		if (t.s[i] != '<') {
			bb_wp_copy_to(out, t, &i, '<');
			continue;
		}
		if (bb_wp_at(t, i, "<p>")) {
			for (j = i + 3; j < t.n && t.s[j] != '<'; j++)
				;
			for (k = 0; j > i + 3 && names[k]; k++)
				if (bb_wp_at(t, j, names[k]))
					break;
			if (j > i + 3 && names[k]) {
				bb_buf_put(out, t.s + i, j - i);
				bb_buf_puts(out, "</p>");
				bb_buf_puts(out, names[k]);
				i = j + strlen(names[k]);
				continue;
			}
		}
		bb_buf_putc(out, t.s[i++]);
	}
	bb_wp_swap(in, out);
}

/* '!<p>\s*(</?BLOCK[^>]*>)\s*</p>!' -> '$1' (both_ends) or
 * '!<p>\s*(</?BLOCK[^>]*>)!' -> '$1' */
static void
S_unwrap_block(bb_buf *in, bb_buf *out, int both_ends)
{
	text t = bb_wp_text(in);
	finder gt = { ">", 0, 0, 0 };
	size_t i = 0;
	while (i < t.n) {
		if (t.s[i] != '<') {
			bb_wp_copy_to(out, t, &i, '<');
			continue;
		}
		if (bb_wp_at(t, i, "<p>")) {
			size_t a = bb_wp_skip_ws(t, i + 3), e = S_block_tag(t, a, S_blocks, &gt);
			if (e && !both_ends) {
				bb_buf_put(out, t.s + a, e - a);
				i = e;
				continue;
			}
			if (e) {
				size_t c = bb_wp_skip_ws(t, e);
				if (bb_wp_at(t, c, "</p>")) {
					bb_buf_put(out, t.s + a, e - a);
					i = c + 4;
					continue;
				}
			}
		}
		bb_buf_putc(out, t.s[i++]);
	}
	bb_wp_swap(in, out);
}

/* preg_replace('|<p>(<li.+?)</p>|', '$1'): '.' is any byte but "\n" */
static void
S_li(bb_buf *in, bb_buf *out)
{
	text t = bb_wp_text(in);
	finder close = { "</p>", 0, 0, 0 }, nl = { "\n", 0, 0, 0 };
	size_t i = 0;
	while (i < t.n) {
		if (t.s[i] != '<') {
			bb_wp_copy_to(out, t, &i, '<');
			continue;
		}
		if (bb_wp_at(t, i, "<p><li") && i + 7 <= t.n && t.s[i + 6] != '\n') {
			size_t c = bb_wp_next(&close, t, i + 7), n = bb_wp_next(&nl, t, i + 6);
			if (c < t.n && n >= c) {
				bb_buf_put(out, t.s + i + 3, c - i - 3);
				i = c + 4;
				continue;
			}
		}
		bb_buf_putc(out, t.s[i++]);
	}
	bb_wp_swap(in, out);
}

static int
S_ieq(text t, size_t i, const char *lit)
{
	size_t k, n = strlen(lit);
	if (i + n > t.n)
		return 0;
	for (k = 0; k < n; k++) {
		char c = t.s[i + k];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != lit[k])
			return 0;
	}
	return 1;
}

/* preg_replace('|<p><blockquote([^>]*)>|i', '<blockquote$1><p>') */
static void
S_blockquote(bb_buf *in, bb_buf *out)
{
	text t = bb_wp_text(in);
	finder gt = { ">", 0, 0, 0 };
	size_t i = 0;
	while (i < t.n) {
		if (t.s[i] != '<') {
			bb_wp_copy_to(out, t, &i, '<');
			continue;
		}
		if (S_ieq(t, i, "<p><blockquote")) {
			size_t g = bb_wp_next(&gt, t, i + 14);
			if (g < t.n) {
				bb_buf_puts(out, "<blockquote");
				bb_buf_put(out, t.s + i + 14, g - i - 14);
				bb_buf_puts(out, "><p>");
				i = g + 1;
				continue;
			}
		}
		bb_buf_putc(out, t.s[i++]);
	}
	bb_wp_swap(in, out);
}

/* '!(</?BLOCK[^>]*>)\s*</p>!' -> '$1' (what "</p>") or
 * '!(</?BLOCK[^>]*>)\s*<br />!' -> '$1' (what "<br />") */
static void
S_block_then_drop(bb_buf *in, bb_buf *out, const char *what)
{
	text t = bb_wp_text(in);
	finder gt = { ">", 0, 0, 0 };
	size_t i = 0, k = strlen(what);
	while (i < t.n) {
		if (t.s[i] != '<') {
			bb_wp_copy_to(out, t, &i, '<');
			continue;
		}
		if (t.s[i] == '<') {
			size_t e = S_block_tag(t, i, S_blocks, &gt);
			if (e) {
				size_t c = bb_wp_skip_ws(t, e);
				if (bb_wp_at(t, c, what)) {
					bb_buf_put(out, t.s + i, e - i);
					i = c + k;
					continue;
				}
			}
		}
		bb_buf_putc(out, t.s[i++]);
	}
	bb_wp_swap(in, out);
}

/* preg_replace_callback('/<(script|style|svg).*?<\/\1>/s', ...): newlines
 * inside become <WPPreserveNewline />. */
static void
S_preserve(bb_buf *in, bb_buf *out)
{
	static const char *const names[] = { "script", "style", "svg" };
	finder ends[3] = { { "</script>", 0, 0, 0 }, { "</style>", 0, 0, 0 }, { "</svg>", 0, 0, 0 } };
	text t = bb_wp_text(in);
	size_t i = 0, k;
	while (i < t.n) {
		if (t.s[i] != '<') {
			bb_wp_copy_to(out, t, &i, '<');
			continue;
		}
		if (t.s[i] == '<') {
			for (k = 0; k < 3; k++)
				if (bb_wp_at(t, i + 1, names[k]))
					break;
			if (k < 3) {
				size_t e = bb_wp_next(&ends[k], t, i + 1 + strlen(names[k]));
				if (e < t.n) {
					size_t j, stop = e + strlen(ends[k].lit);
					for (j = i; j < stop; j++) {
						if (t.s[j] == '\n')
							bb_buf_puts(out, "<WPPreserveNewline />");
						else
							bb_buf_putc(out, t.s[j]);
					}
					i = stop;
					continue;
				}
			}
		}
		bb_buf_putc(out, t.s[i++]);
	}
	bb_wp_swap(in, out);
}

/* preg_replace('|(?<!<br />)\s*\n|', "<br />\n"); the look-behind reads
 * the text before the step, as PCRE does. A match lies in a run of white
 * space holding a "\n": it starts where the run does, or one later when
 * "<br />" is right before the run, and ends at the run's last "\n". */
static void
S_breaks(bb_buf *in, bb_buf *out)
{
	text t = bb_wp_text(in);
	size_t i = 0;
	while (i < t.n) {
		const char *q = memchr(t.s + i, '\n', t.n - i);
		size_t a, j, k, p;
		if (!q) {
			bb_buf_put(out, t.s + i, t.n - i);
			break;
		}
		a = (size_t)(q - t.s);
		while (a > i && bb_wp_ws(t.s[a - 1]))
			a--;
		for (j = k = (size_t)(q - t.s); j < t.n && bb_wp_ws(t.s[j]); j++)
			if (t.s[j] == '\n')
				k = j;
		p = a;
		if (a >= 6 && memcmp(t.s + a - 6, "<br />", 6) == 0)
			p = a + 1;
		if (p > k) {
			/* the run's only "\n" comes right after "<br />" */
			bb_buf_put(out, t.s + i, j - i);
			i = j;
			continue;
		}
		bb_buf_put(out, t.s + i, p - i);
		bb_buf_puts(out, "<br />\n");
		i = k + 1;
	}
	bb_wp_swap(in, out);
}

/* preg_replace('!<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)!', '$1') */
static void
S_br_before(bb_buf *in, bb_buf *out)
{
	text t = bb_wp_text(in);
	finder gt = { ">", 0, 0, 0 };
	size_t i = 0;
	while (i < t.n) {
		if (t.s[i] != '<') {
			bb_wp_copy_to(out, t, &i, '<');
			continue;
		}
		if (bb_wp_at(t, i, "<br />")) {
			size_t a = bb_wp_skip_ws(t, i + 6), e = S_block_tag(t, a, S_brblocks, &gt);
			if (e) {
				bb_buf_put(out, t.s + i + 6, e - i - 6);
				i = e;
				continue;
			}
		}
		bb_buf_putc(out, t.s[i++]);
	}
	bb_wp_swap(in, out);
}

/* The text into a, each <pre> part out of it, kept in pre[] with a
 * placeholder in its place, as wpautop does. */
static void
S_pre_out(text t, bb_buf *a, char ***pre, size_t *npre)
{
	if (bb_wp_find(t, 0, "<pre") < t.n) {
		size_t start = 0;
		for (;;) {
			size_t end = bb_wp_find(t, start, "</pre>"), p;
			text part;
			if (end == t.n)
				break;
			part.s = t.s + start;
			part.n = end - start;
			p = bb_wp_find(part, 0, "<pre");
			if (p == part.n) {
				bb_buf_put(a, part.s, part.n); /* malformed: the </pre> is dropped, as in PHP */
			} else {
				bb_buf_put(a, part.s, p);
				bb_buf_printf(a, "<pre wp-pre-tag-%zu></pre>", *npre);
				*pre = bb_grow(*pre, *npre, sizeof **pre);
				(*pre)[*npre] = bb_xmalloc(part.n - p + 7);
				memcpy((*pre)[*npre], part.s + p, part.n - p);
				memcpy((*pre)[*npre] + part.n - p, "</pre>", 7);
				(*npre)++;
			}
			start = end + 6;
		}
		bb_buf_put(a, t.s + start, t.n - start);
	} else {
		bb_buf_put(a, t.s, t.n);
	}
}

/* No line breaks around <option>, <object>, <param>, <embed>, <audio>,
 * <video>, <source>, <track> and <figcaption>, as wpautop does. */
static void
S_collapse_media(bb_buf *a, bb_buf *b)
{
	text t;

	t = bb_wp_text(a);
	if (bb_wp_find(t, 0, "<option") < t.n) {
		static const char *const o1[] = { "<option", NULL }, *const o2[] = { "</option>", NULL };
		S_collapse(a, b, o1, 1, 0, 1, 0);
		S_collapse(a, b, o2, 0, 1, 1, 0);
	}
	t = bb_wp_text(a);
	if (bb_wp_find(t, 0, "</object>") < t.n) {
		static const char *const ob[] = { "<object", NULL }, *const cl[] = { "</object>", NULL },
				  *const pe[] = { "<param", "</param", "<embed", "</embed", NULL };
		S_collapse(a, b, ob, 0, 1, 0, 0);
		S_collapse(a, b, cl, 1, 0, 1, 0);
		S_collapse(a, b, pe, 1, 1, 0, 0);
	}
	t = bb_wp_text(a);
	if (bb_wp_find(t, 0, "<source") < t.n || bb_wp_find(t, 0, "<track") < t.n) {
		static const char *const av[] = { "<audio", "<video", "[audio", "[video", NULL },
				  *const cav[] = { "</audio>", "</video>", "[/audio]", "[/video]", "</audio]",
						   "</video]", "[/audio>", "[/video>", NULL },
				  *const st[] = { "<source", "<track", NULL };
		S_collapse(a, b, av, 0, 1, 0, 1);
		S_collapse(a, b, cav, 1, 0, 1, 0);
		S_collapse(a, b, st, 1, 1, 0, 0);
	}
	t = bb_wp_text(a);
	if (bb_wp_find(t, 0, "<figcaption") < t.n) {
		static const char *const fc[] = { "<figcaption", NULL }, *const cfc[] = { "</figcaption>", NULL };
		S_collapse(a, b, fc, 1, 0, 0, 0);
		S_collapse(a, b, cfc, 0, 1, 1, 0);
	}
}

/* The <pre> parts back in place of their placeholders. */
static void
S_pre_back(bb_buf *a, bb_buf *b, char **pre, size_t npre)
{
	text t = bb_wp_text(a);
	size_t i = 0;

	while (i < t.n) {
		if (t.s[i] != '<') {
			bb_wp_copy_to(b, t, &i, '<');
			continue;
		}
		if (bb_wp_at(t, i, "<pre wp-pre-tag-")) {
			size_t j = i + 16, k = 0;
			int digits = 0;
			while (j < t.n && t.s[j] >= '0' && t.s[j] <= '9' && digits < 19)
				k = k * 10 + (size_t)(t.s[j++] - '0'), digits++;
			if (digits && bb_wp_at(t, j, "></pre>") && k < npre) {
				bb_buf_puts(b, pre[k]);
				i = j + 7;
				continue;
			}
		}
		bb_buf_putc(b, t.s[i++]);
	}
	bb_wp_swap(a, b);
}

char *
bb_wpautop(const char *html, size_t len, int br, size_t *out_len)
{
	bb_buf a = BB_BUF_INIT, b = BB_BUF_INIT;
	char **pre = NULL;
	size_t npre = 0, i;
	text t;

	t.s = html ? html : "";
	t.n = html ? len : 0;
	/* trim($pee) === '' */
	for (i = 0; i < t.n; i++)
		if (!(t.s[i] == ' ' || t.s[i] == '\t' || t.s[i] == '\n' || t.s[i] == '\r' || t.s[i] == '\0' ||
		      t.s[i] == '\v'))
			break;
	if (i == t.n) {
		if (out_len)
			*out_len = 0;
		return bb_xstrdup("");
	}
	/* pad the end; <pre> parts out, each as a placeholder */
	S_pre_out(t, &a, &pre, &npre);
	bb_buf_putc(&a, '\n');

	S_double_br(&a, &b);
	S_block_breaks(&a, &b);
	bb_wp_str_replace(&a, &b, "\r\n", "\n");
	bb_wp_str_replace(&a, &b, "\r", "\n");
	S_newlines_in_tags(&a, &b);
	S_collapse_media(&a, &b);
	S_squeeze(&a, &b);
	S_paragraphs(&a, &b);
	S_empty_p(&a, &b);
	S_close_p_in(&a, &b);
	S_unwrap_block(&a, &b, 1);
	S_li(&a, &b);
	S_blockquote(&a, &b);
	bb_wp_str_replace(&a, &b, "</blockquote></p>", "</p></blockquote>");
	S_unwrap_block(&a, &b, 0);
	S_block_then_drop(&a, &b, "</p>");
	if (br) {
		S_preserve(&a, &b);
		bb_wp_str_replace(&a, &b, "<br>", "<br />");
		bb_wp_str_replace(&a, &b, "<br/>", "<br />");
		S_breaks(&a, &b);
		bb_wp_str_replace(&a, &b, "<WPPreserveNewline />", "\n");
	}
	S_block_then_drop(&a, &b, "<br />");
	S_br_before(&a, &b);
	/* preg_replace("|\n</p>$|", '</p>'): $ is the end or before a final "\n" */
	t = bb_wp_text(&a);
	if (t.n >= 5 && memcmp(t.s + t.n - 5, "\n</p>", 5) == 0) {
		a.len -= 5;
		bb_buf_puts(&a, "</p>");
	} else if (t.n >= 6 && memcmp(t.s + t.n - 6, "\n</p>\n", 6) == 0) {
		a.len -= 6;
		bb_buf_puts(&a, "</p>\n");
	}
	/* the <pre> parts back */
	if (npre)
		S_pre_back(&a, &b, pre, npre);
	t = bb_wp_text(&a);
	if (bb_wp_find(t, 0, "<!-- wpnl -->") < t.n) {
		bb_wp_str_replace(&a, &b, " <!-- wpnl --> ", "\n");
		bb_wp_str_replace(&a, &b, "<!-- wpnl -->", "\n");
	}
	for (i = 0; i < npre; i++)
		free(pre[i]);
	free(pre);
	bb_buf_free(&b);
	if (!a.data)
		bb_buf_put(&a, "", 0);
	return bb_buf_detach(&a, out_len);
}
