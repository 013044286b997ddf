/* wpautop.c: WordPress's wpautop(), ported from wp-includes/formatting.php
 * one regular expression at a time; each step is a linear scan of the
 * previous step's output. */
#include "wpautop_int.h"
#include "entry.h"

/* $allblocks of wpautop, by first letter: the scans test a tag against
 * the names of its first letter only. */
static const char *const S_blocks[26][10] = {
	['a' - 'a'] = { "area", "address", "article", "aside", NULL },
	['b' - 'a'] = { "blockquote", NULL },
	['c' - 'a'] = { "caption", "col", "colgroup", NULL },
	['d' - 'a'] = { "div", "dl", "dd", "dt", "details", NULL },
	['f' - 'a'] = { "form", "fieldset", "footer", "figure", "figcaption", NULL },
	['h' - 'a'] = { "h1", "h2", "h3", "h4", "h5", "h6", "hr", "hgroup", "header", NULL },
	['l' - 'a'] = { "li", "legend", NULL },
	['m' - 'a'] = { "map", "math", "menu", NULL },
	['n' - 'a'] = { "nav", NULL },
	['o' - 'a'] = { "ol", NULL },
	['p' - 'a'] = { "pre", "p", NULL },
	['s' - 'a'] = { "style", "section", "summary", NULL },
	['t' - 'a'] = { "table", "thead", "tfoot", "tbody", "tr", "td", "th", NULL },
	['u' - 'a'] = { "ul", NULL },
};

/* The names of the "<br />" before a tag step (p li div dl dd dt th pre
 * td ul ol), by first letter. */
static const char *const S_brblocks[26][10] = {
	['d' - 'a'] = { "div", "dl", "dd", "dt", NULL },
	['l' - 'a'] = { "li", NULL },
	['o' - 'a'] = { "ol", NULL },
	['p' - 'a'] = { "p", "pre", NULL },
	['t' - 'a'] = { "th", "td", NULL },
	['u' - 'a'] = { "ul", NULL },
};

/* The names of set that start with the byte at i of t; NULL when none. */
static const char *const *
S_names(text t, size_t i, const char *const (*set)[10])
{
	unsigned char c = i < t.n ? (unsigned char)t.s[i] : 0;
	return c >= 'a' && c <= 'z' && set[c - 'a'][0] ? set[c - 'a'] : NULL;
}

/* 1 when one of the names of set starts t at i (as the alternation
 * followed by [^>]* matches: "p" matches "<param", "li" matches "<link"). */
static int
S_prefix(text t, size_t i, const char *const (*set)[10])
{
	const char *const *names = S_names(t, i, set);
	size_t k;
	for (k = 0; names && names[k]; k++)
		if (bb_wp_at(t, i, names[k]))
			return 1;
	return 0;
}

/* 1 when the n bytes at s are a name of $allblocks. */
static int
S_is_block(text t, size_t i, size_t n)
{
	const char *const *names = S_names(t, i, S_blocks);
	size_t k;
	for (k = 0; names && names[k]; k++)
		if (strlen(names[k]) == n && memcmp(t.s + i, names[k], n) == 0)
			return 1;
	return 0;
}

/* The end of the [a-z0-9] run at i. */
static size_t
S_name_end(text t, size_t i)
{
	while (i < t.n && ((t.s[i] >= 'a' && t.s[i] <= 'z') || (t.s[i] >= '0' && t.s[i] <= '9')))
		i++;
	return i;
}

/* 1 when a name of the set is exactly the [a-z0-9] run at i and the next
 * character is one of \s / > (the "above block tags" step). */
static int
S_block_then(text t, size_t i, size_t *name_end)
{
	size_t j = S_name_end(t, i);
	if (j == i || j >= t.n || !(bb_wp_ws(t.s[j]) || t.s[j] == '/' || t.s[j] == '>'))
		return 0;
	if (!S_is_block(t, i, j - i))
		return 0;
	*name_end = j;
	return 1;
}

/* Matches "</?" BLOCK "[^>]*>" at i (prefix rule); returns the end or 0. */
static size_t
S_block_tag(text t, size_t i, const char *const (*names)[10], finder *gt)
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
 * '!(<hr\s*?\/?>)!' -> "$1\n\n", in three passes as WordPress does (the
 * last when hr: the text holds "<hr"). */
static void
S_block_breaks(bb_buf *in, bb_buf *out, int hr)
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
			/* a name of the set right before '>' is the whole run */
			size_t j = S_name_end(t, i + 2);
			if (j < t.n && t.s[j] == '>' && S_is_block(t, i + 2, j - i - 2)) {
				bb_buf_put(out, t.s + i, j + 1 - i);
				bb_buf_puts(out, "\n\n");
				i = j + 1;
				continue;
			}
		}
		bb_buf_putc(out, t.s[i++]);
	}
	bb_wp_swap(in, out);
	if (!hr)
		return;
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

/* Copies t from i to e with each "\n" written as mark. */
static void
S_put_marking(bb_buf *out, text t, size_t i, size_t e, const char *mark)
{
	while (i < e) {
		const char *q = memchr(t.s + i, '\n', e - i);
		size_t stop = q ? (size_t)(q - t.s) : e;
		bb_buf_put(out, t.s + i, stop - i);
		if (!q)
			break;
		bb_buf_puts(out, mark);
		i = stop + 1;
	}
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
			size_t e = S_element_end(t, i, &gt, &com, &cd);
			S_put_marking(out, t, i, e, " <!-- wpnl --> ");
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
					size_t stop = e + strlen(ends[k].lit);
					S_put_marking(out, t, i, stop, "<WPPreserveNewline />");
					i = stop;
					continue;
				}
			}
		}
		bb_buf_putc(out, t.s[i++]);
	}
	bb_wp_swap(in, out);
}

/* preg_replace('|(?<!<br />)\s*\n|', "<br />\n"), returning the count; the look-behind reads
 * the text before the step, as PCRE does. A match lies in a run of white
 * space holding a "\n": it starts where the run does, or one later when
 * "<br />" is right before the run, and ends at the run's last "\n". */
static size_t
S_breaks(bb_buf *in, bb_buf *out)
{
	text t = bb_wp_text(in);
	size_t i = 0, made = 0;
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
		made++;
		i = k + 1;
	}
	bb_wp_swap(in, out);
	return made;
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

/* The tags the input holds that some steps act on (H_BR "<br", H_HR
 * "<hr", H_LI "<li", H_BQ "<blockquote" or "</blockquote" in any case,
 * H_CLOSE "</div>", "</address>" or "</form>", H_RAW "<script", "<style"
 * or "<svg", H_WPP "<WPPreserveNewline />"): a step whose tags the input
 * does not hold, and no step before it writes, would give back its text
 * unchanged, and is left out. */
enum { H_BR = 1, H_HR = 2, H_LI = 4, H_BQ = 8, H_CLOSE = 16, H_RAW = 32, H_WPP = 64 };

static unsigned
S_holds(text t)
{
	static const char *const closing[] = { "/div>", "/address>", "/form>", NULL },
				 *const raw[] = { "script", "style", "svg", NULL };
	const char *q;
	unsigned h = 0;
	size_t i = 0, k;
	while (i < t.n && (q = memchr(t.s + i, '<', t.n - i))) {
		i = (size_t)(q - t.s) + 1;
		if (bb_wp_at(t, i, "br"))
			h |= H_BR;
		else if (bb_wp_at(t, i, "hr"))
			h |= H_HR;
		else if (bb_wp_at(t, i, "li"))
			h |= H_LI;
		else if (S_ieq(t, i + (bb_wp_at(t, i, "/") ? 1 : 0), "blockquote"))
			h |= H_BQ;
		else if (bb_wp_at(t, i, "WPPreserveNewline />"))
			h |= H_WPP;
		for (k = 0; closing[k]; k++)
			if (bb_wp_at(t, i, closing[k]))
				h |= H_CLOSE;
		for (k = 0; raw[k]; k++)
			if (bb_wp_at(t, i, raw[k]))
				h |= H_RAW;
	}
	return h;
}

char *
bb_wpautop(const char *html, size_t len, int br, size_t *out_len)
{
	bb_buf a = BB_BUF_INIT, b = BB_BUF_INIT;
	char **pre = NULL;
	size_t npre = 0, i, made = 0;
	unsigned h;
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

	h = S_holds(t);
	if (h & H_BR)
		S_double_br(&a, &b);
	S_block_breaks(&a, &b, h & H_HR);
	bb_wp_str_replace(&a, &b, "\r\n", "\n");
	bb_wp_str_replace(&a, &b, "\r", "\n");
	S_newlines_in_tags(&a, &b);
	S_collapse_media(&a, &b);
	S_squeeze(&a, &b);
	S_paragraphs(&a, &b);
	S_empty_p(&a, &b);
	if (h & H_CLOSE)
		S_close_p_in(&a, &b);
	S_unwrap_block(&a, &b, 1);
	if (h & H_LI)
		S_li(&a, &b);
	if (h & H_BQ) {
		S_blockquote(&a, &b);
		bb_wp_str_replace(&a, &b, "</blockquote></p>", "</p></blockquote>");
	}
	S_unwrap_block(&a, &b, 0);
	S_block_then_drop(&a, &b, "</p>");
	if (br) {
		if (h & H_RAW)
			S_preserve(&a, &b);
		if (h & H_BR) {
			bb_wp_str_replace(&a, &b, "<br>", "<br />");
			bb_wp_str_replace(&a, &b, "<br/>", "<br />");
		}
		made = S_breaks(&a, &b);
		if (h & (H_RAW | H_WPP))
			bb_wp_str_replace(&a, &b, "<WPPreserveNewline />", "\n");
	}
	/* the steps on "<br />": from the input or S_breaks */
	if ((h & H_BR) || made) {
		S_block_then_drop(&a, &b, "<br />");
		S_br_before(&a, &b);
	}
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
