/* gen.c: writes a synthetic Jekyll blog for the benchmark:
 * gen [-k default|plain|rich] [-w WXR] SEED N OUTDIR. */

/*
 * The same SEED and N always give the same bytes. Each post draws its text
 * from its own random stream, seeded by SEED and the post's number, so post
 * 42 reads the same in a blog of 1,000 posts as in one of 10,000; only its
 * date and the posts it links to depend on N. Dates are spread over fixed
 * years in the past, so no post is in the future whatever N is.
 *
 * Posts mix English and Japanese paragraphs (about half each over the blog),
 * headings, bullet, numbered and task lists, fenced code, GFM tables, inline
 * and automatic links (some to earlier posts as /YYYY/MM/DD/slug.html),
 * emphasis, strike-through, block quotes and a little inline HTML. Body sizes
 * follow a log-normal law: most posts are a few KB, a few are tens of KB, and
 * the mean file is about 7 KB.
 *
 * -k picks the kind of blog, for the budget of math and highlighting:
 *   default  as above: fenced code blocks carry their language;
 *   plain    no code block names a language (nothing to highlight);
 *   rich     one post of three ends with formulas (an inline and a display
 *            kramdown $$...$$), and the code blocks of one post of two name
 *            their language (the others' none).
 * The kinds draw from the same random streams: a post's text is the same
 * up to its first code block; a post with unnamed blocks, a few bytes
 * shorter, then writes on a little to reach the same size. The formulas
 * come from a stream of their own, after the text.
 *
 * -w FILE also writes a WordPress export (WXR 1.2) of the same posts: each
 * body rendered to HTML by cmark-gfm with the GFM extensions, as a WordPress
 * post's content.
 *
 * C99 and POSIX (mkdir, getopt); link with -lm. -w needs the program built
 * with -DGEN_WXR and linked with libcmark-gfm and its extensions (lib.sh
 * does); without, gen still builds and -w says it cannot.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#ifdef GEN_WXR
#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>
#endif

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Mean body size asked of the size law, in bytes; with front matter and the
 * last block's overshoot the mean file comes out near 7 KB. */
#define BODY_MEAN 6600.0
#define BODY_SIGMA 0.75
#define BODY_MIN 600
#define BODY_MAX 80000

/* Dates run from FIRST_DAY (days since 1970-01-01) over SPAN_DAYS. */
#define FIRST_DAY 14610 /* 2010-01-01 */
#define SPAN_DAYS 5478  /* to 2024-12-31 */

struct rng {
	unsigned long long s;
};

struct buf {
	char *data;
	size_t len, cap;
};

enum kind { K_DEFAULT, K_PLAIN, K_RICH };

struct post {
	int y, m, d;
	int hh, mm, ss;
	int ja;
	int langs;   /* 1: its code blocks name their language */
	int math;    /* 1: it ends with formulas */
	char slug[64];
};

static const char *en_nouns[] = {
	"parser", "book", "chapter", "table of contents", "build", "compiler",
	"cache", "index", "reader", "font", "archive", "library", "thread",
	"buffer", "stylesheet", "template", "footnote", "heading", "paragraph",
	"benchmark", "release", "branch", "test suite", "manuscript", "draft",
	"garden", "train", "kitchen", "notebook", "bicycle", "harbour", "river",
	"weekend", "morning", "coffee", "deadline", "editor", "terminal",
	"keyboard", "server", "database", "queue", "pipeline", "encoder",
	"tokenizer", "layout", "margin", "typeface", "cover", "translation",
	"dictionary", "question", "answer", "pattern", "function", "struct",
	"pointer", "allocator", "profile", "report", "commit", "patch",
};

static const char *en_adjs[] = {
	"small", "fast", "slow", "quiet", "old", "new", "careful", "simple",
	"tiny", "large", "broken", "stable", "portable", "strange", "familiar",
	"plain", "lazy", "eager", "modest", "complete", "partial", "clean",
	"messy", "honest", "hidden", "visible", "curious", "patient", "bright",
	"minimal", "generous", "rough", "subtle", "obvious", "recent",
};

static const char *en_verbs[] = {
	"reads", "writes", "renders", "parses", "packs", "moves", "checks",
	"breaks", "fixes", "counts", "sorts", "splits", "joins", "measures",
	"replaces", "explains", "hides", "shows", "keeps", "drops", "opens",
	"closes", "follows", "wraps", "escapes", "collects", "walks", "builds",
};

static const char *en_advs[] = {
	"quietly", "quickly", "slowly", "carefully", "eventually", "often",
	"rarely", "always", "sometimes", "almost", "suddenly", "finally",
	"happily", "reluctantly", "surprisingly", "still",
};

static const char *en_preps[] = {
	"with", "without", "before", "after", "inside", "behind", "under",
	"across", "through", "beside", "against", "around",
};

static const char *en_openers[] = {
	"In the end,", "To be honest,", "As it turns out,", "Last week,",
	"On the other hand,", "For now,", "In practice,", "Oddly enough,",
	"By the way,", "Even so,", "After a while,", "Of course,",
};

static const char *ja_topics[] = {
	"今回の変更", "このライブラリ", "新しいビルド手順", "東京の朝",
	"週末の散歩", "電子書籍の目次", "古いブログ記事", "小さなツール",
	"メモリ使用量", "処理時間", "文字コードの扱い", "図書館の本",
	"昨日の会議", "読者からの質問", "テストの結果", "京都の古本屋",
	"夜の電車", "新しいキーボード", "コンパイラの警告", "表のレイアウト",
	"見出しの番号", "縦書きの表示", "ルビの処理", "画像の読み込み",
	"並列処理", "キャッシュ", "パーサー", "リリース作業", "原稿の校正",
	"春の雨", "コーヒーの淹れ方", "ベンチマーク", "EPUBの検証",
	"Markdownの方言", "C言語の構造体", "Gitの履歴",
};

static const char *ja_particles[] = {
	"は", "が", "については", "では", "も",
};

static const char *ja_advs[] = {
	"思ったよりも", "少しずつ", "驚くほど", "結局のところ", "念のため",
	"毎日", "いつものように", "あらためて", "ようやく", "たまたま",
	"意外にも", "相変わらず", "だんだん", "すぐに",
};

static const char *ja_clauses[] = {
	"データを読み込んで", "ファイルを一つずつ開いて", "結果を比較すると",
	"設定を見直したところ", "コードを書き直して", "原稿を整理しながら",
	"ログを眺めていると", "手順を短くしたら", "古い記事を読み返すと",
	"図を描き直してみると", "友人に相談したところ", "計測をやり直すと",
	"余計な処理を省いて", "関数を小さく分けて", "テストを増やしてから",
	"駅まで歩きながら", "資料を集めて", "順番を入れ替えると",
};

static const char *ja_preds[] = {
	"速くなった。", "安定して動くようになった。", "問題なく終わった。",
	"まだ改善の余地がある。", "意外と難しい。", "とても楽しかった。",
	"よく分からなかった。", "期待どおりだった。", "少し遅くなってしまった。",
	"半分の時間で済んだ。", "別の問題が見つかった。", "気持ちよく読めるようになった。",
	"もう一度試す必要がありそうだ。", "誰も気づかなかった。",
	"思わず笑ってしまった。", "きれいに収まった。", "なかなか決まらない。",
};

static const char *ja_words[] = {
	"目次", "見出し", "段落", "表", "脚注", "索引", "表紙", "章",
	"本文", "注釈", "引用", "画像", "書名", "著者", "日付", "分類",
	"タグ", "検索", "速度", "容量", "品質", "設定", "結果", "理由",
};

static const char *title_en[] = {
	"Notes on", "Thoughts about", "A Week with", "Why I Rewrote",
	"Measuring", "Fixing", "Living with", "The Trouble with",
	"Against", "In Praise of", "Lessons from", "Revisiting",
};

static const char *title_ja[] = {
	"について考えたこと", "を見直した話", "の記録", "を速くする",
	"との一週間", "のメモ", "で失敗した話", "を読んで", "の作り方",
	"を測ってみた",
};

static const char *categories[] = {
	"tech", "notes", "travel", "essay", "books", "tools", "c", "web",
	"技術", "日記", "読書", "旅行",
};

static const char *tags[] = {
	"epub", "markdown", "c", "performance", "unicode", "jekyll", "zip",
	"xml", "testing", "tools", "typography", "japanese", "日本語",
	"電子書籍", "メモ", "ベンチマーク", "散歩", "料理",
};

static const char *langs[] = { "c", "python", "sh", "javascript", "yaml", "" };

static const char *code_c[] = {
	"#include <stdio.h>",
	"static int count_words(const char *s, size_t n)",
	"{",
	"}",
	"\tsize_t i, words = 0;",
	"\tfor (i = 0; i < n; i++) {",
	"\t\tif (s[i] == ' ' && i > 0 && s[i - 1] != ' ')",
	"\t\t\twords++;",
	"\t}",
	"\treturn words < 0 ? -1 : (int)words;",
	"\tif (p == NULL || len > cap) goto out;",
	"\tbuf = realloc(buf, cap * 2); /* 容量を倍にする */",
	"\tprintf(\"%s: %zu bytes\\n\", name, len);",
	"out:",
	"\tfree(tmp);",
	"\treturn x << 2 & mask;",
	"struct node { struct node *next; char *text; };",
};

static const char *code_py[] = {
	"import sys",
	"from pathlib import Path",
	"def render(path):",
	"    text = Path(path).read_text(encoding=\"utf-8\")",
	"    if not text.strip():",
	"        return None",
	"    return [line for line in text.splitlines() if line]",
	"for name in sorted(sys.argv[1:]):",
	"    print(f\"{name}: {len(render(name) or [])} lines\")",
	"    # 空のファイルは飛ばす",
	"class Book:",
	"    def __init__(self, title):",
	"        self.title = title",
	"assert a < b and b <= c, \"order & size\"",
};

static const char *code_sh[] = {
	"set -eu",
	"for f in _posts/*.md; do",
	"done",
	"  wc -c \"$f\" | awk '{ s += $1 } END { print s }'",
	"  grep -c '^## ' \"$f\" || true",
	"make -j2 && ./build/blogbind . -o book.epub",
	"zip -X -0 book.epub mimetype",
	"find . -name '*.md' -newer stamp > changed.txt",
	"test -s changed.txt && echo \"changed: $(wc -l < changed.txt)\"",
	"cat <<EOF > /tmp/x.html",
	"<p>a &amp; b</p>",
	"EOF",
};

static const char *code_js[] = {
	"const fs = require('fs');",
	"function slugify(title) {",
	"}",
	"  return title.toLowerCase().replace(/[^a-z0-9]+/g, '-');",
	"const posts = fs.readdirSync('_posts').filter(f => f.endsWith('.md'));",
	"posts.forEach((p, i) => console.log(`${i}: ${p}`));",
	"if (a < b && b > c) { return null; }",
	"  // 日付順に並べる",
	"export default { title: \"本\", lang: 'ja' };",
};

static const char *code_yaml[] = {
	"title: My Blog",
	"author: Someone",
	"lang: ja",
	"permalink: /:year/:month/:day/:title.html",
	"exclude:",
	"  - Gemfile",
	"  - vendor",
	"defaults:",
	"  - scope: { path: \"\" }",
	"    values: { layout: post }",
};

/* The splitmix64 finaliser: a bijection that scatters nearby inputs. */
static unsigned long long S_mix(unsigned long long z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* splitmix64. */
static unsigned long long S_next(struct rng *r)
{
	r->s += 0x9e3779b97f4a7c15ULL;
	return S_mix(r->s);
}

/* Returns a number in [0, n). */
static unsigned S_below(struct rng *r, unsigned n)
{
	return (unsigned)(S_next(r) % n);
}

/* Returns 1 with probability pct/100. */
static int S_chance(struct rng *r, unsigned pct)
{
	return S_below(r, 100) < pct;
}

/* Returns a number in (0, 1]. */
static double S_unit(struct rng *r)
{
	return ((S_next(r) >> 11) + 1.0) / 9007199254740992.0;
}

#define PICK(r, a) ((a)[S_below((r), COUNT(a))])

/* Prints "gen: MSG ARG: REASON" (the reason when errno holds one) and exits. */
static void S_die(const char *msg, const char *arg)
{
	int e = errno;

	fprintf(stderr, "gen: %s%s%s%s%s\n", msg, arg ? " " : "", arg ? arg : "",
	        e ? ": " : "", e ? strerror(e) : "");
	exit(1);
}

static void S_put(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;

		while (b->len + n + 1 > cap)
			cap *= 2;
		b->data = realloc(b->data, cap);
		if (b->data == NULL)
			S_die("out of memory", NULL);
		b->cap = cap;
	}
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

static void S_puts(struct buf *b, const char *s)
{
	S_put(b, s, strlen(s));
}

static void S_printf(struct buf *b, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(tmp))
		S_die("formatted text too long", NULL);
	S_put(b, tmp, (size_t)n);
}

/* Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm). */
static void S_civil(long z, int *y, int *m, int *d)
{
	long era, yoe, doy, mp;
	unsigned doe;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

/* A link to an earlier post, or to somewhere outside when there is none. */
static void S_link(struct buf *b, struct rng *r, const struct post *posts,
                   int self, const char *text)
{
	if (self > 0 && S_chance(r, 40)) {
		const struct post *p = &posts[S_below(r, (unsigned)self)];

		S_printf(b, "[%s](/%04d/%02d/%02d/%s.html)", text, p->y, p->m,
		         p->d, p->slug);
	} else {
		S_printf(b, "[%s](https://example.org/%s/%u?ref=blog&x=%u)",
		         text, PICK(r, en_adjs), S_below(r, 1000), S_below(r, 10));
	}
}

/* An English noun, sometimes dressed in inline markup. */
static void S_en_noun(struct buf *b, struct rng *r, const struct post *posts,
                      int self)
{
	const char *n = PICK(r, en_nouns);
	unsigned k = S_below(r, 100);

	if (k < 4)
		S_printf(b, "*%s*", n);
	else if (k < 7)
		S_printf(b, "**%s**", n);
	else if (k < 10)
		S_printf(b, "`%s`", n);
	else if (k < 14)
		S_link(b, r, posts, self, n);
	else if (k == 14)
		S_printf(b, "~~%s~~", n);
	else if (k == 15)
		S_printf(b, "<kbd>%s</kbd>", n);
	else
		S_puts(b, n);
}

static void S_en_sentence(struct buf *b, struct rng *r, const struct post *posts,
                          int self)
{
	if (S_chance(r, 20)) {
		S_puts(b, PICK(r, en_openers));
		S_puts(b, " the ");
	} else {
		S_puts(b, "The ");
	}
	S_printf(b, "%s ", PICK(r, en_adjs));
	S_en_noun(b, r, posts, self);
	if (S_chance(r, 30))
		S_printf(b, " %s", PICK(r, en_advs));
	S_printf(b, " %s the ", PICK(r, en_verbs));
	S_en_noun(b, r, posts, self);
	if (S_chance(r, 60)) {
		S_printf(b, " %s a %s ", PICK(r, en_preps), PICK(r, en_adjs));
		S_en_noun(b, r, posts, self);
	}
	if (S_chance(r, 15))
		S_printf(b, " (about %u%% of the time)", S_below(r, 100));
	if (S_chance(r, 5))
		S_printf(b, ", see https://example.com/notes/%u", S_below(r, 500));
	S_puts(b, S_chance(r, 10) ? "?" : ".");
}

static void S_ja_sentence(struct buf *b, struct rng *r, const struct post *posts,
                          int self)
{
	unsigned k = S_below(r, 100);
	const char *topic = PICK(r, ja_topics);

	if (k < 5)
		S_printf(b, "**%s**", topic);
	else if (k < 8)
		S_printf(b, "*%s*", topic);
	else if (k < 13)
		S_link(b, r, posts, self, topic);
	else if (k < 16)
		S_printf(b, "`%s`", PICK(r, en_nouns));
	else
		S_puts(b, topic);
	S_puts(b, PICK(r, ja_particles));
	if (S_chance(r, 50))
		S_puts(b, "、");
	if (S_chance(r, 50))
		S_puts(b, PICK(r, ja_advs));
	S_puts(b, PICK(r, ja_clauses));
	if (S_chance(r, 40)) {
		S_puts(b, "、");
		S_puts(b, PICK(r, ja_clauses));
	}
	if (S_chance(r, 10))
		S_printf(b, "（約%u%%）", S_below(r, 100));
	S_puts(b, PICK(r, ja_preds));
}

static void S_paragraph(struct buf *b, struct rng *r, const struct post *posts,
                        int self, int ja)
{
	unsigned i, n = 2 + S_below(r, 6);
	/* Some authors break lines inside a paragraph; Japanese authors often. */
	const char *sep = S_chance(r, ja ? 35 : 15) ? "\n" : (ja ? "" : " ");

	for (i = 0; i < n; i++) {
		if (i > 0)
			S_puts(b, sep);
		if (ja)
			S_ja_sentence(b, r, posts, self);
		else
			S_en_sentence(b, r, posts, self);
	}
	S_puts(b, "\n\n");
}

static void S_heading(struct buf *b, struct rng *r, int level, int ja)
{
	S_put(b, "#####", (size_t)level);
	S_puts(b, " ");
	if (ja)
		S_printf(b, "%s%s", PICK(r, ja_topics), PICK(r, title_ja));
	else
		S_printf(b, "%s the %s %s", PICK(r, title_en), PICK(r, en_adjs),
		         PICK(r, en_nouns));
	S_puts(b, "\n\n");
}

static void S_list(struct buf *b, struct rng *r, const struct post *posts,
                   int self, int ja)
{
	unsigned i, j, n = 2 + S_below(r, 6);
	unsigned kind = S_below(r, 10); /* 0-5 bullets, 6-8 numbers, 9 tasks */

	for (i = 0; i < n; i++) {
		if (kind < 6)
			S_puts(b, "- ");
		else if (kind < 9)
			S_printf(b, "%u. ", i + 1);
		else
			S_puts(b, S_chance(r, 50) ? "- [x] " : "- [ ] ");
		if (ja)
			S_ja_sentence(b, r, posts, self);
		else
			S_en_sentence(b, r, posts, self);
		S_puts(b, "\n");
		if (kind < 6 && S_chance(r, 12)) {
			for (j = 0; j < 2; j++) {
				S_puts(b, "  - ");
				S_puts(b, ja ? PICK(r, ja_words) : PICK(r, en_nouns));
				S_puts(b, "\n");
			}
		}
	}
	S_puts(b, "\n");
}

static void S_code(struct buf *b, struct rng *r, int named)
{
	unsigned i, n = 3 + S_below(r, 18);
	const char *lang = PICK(r, langs);
	const char **lines;
	size_t nlines;

	if (strcmp(lang, "c") == 0 || lang[0] == '\0') {
		lines = code_c;
		nlines = COUNT(code_c);
	} else if (strcmp(lang, "python") == 0) {
		lines = code_py;
		nlines = COUNT(code_py);
	} else if (strcmp(lang, "sh") == 0) {
		lines = code_sh;
		nlines = COUNT(code_sh);
	} else if (strcmp(lang, "javascript") == 0) {
		lines = code_js;
		nlines = COUNT(code_js);
	} else {
		lines = code_yaml;
		nlines = COUNT(code_yaml);
	}
	S_printf(b, "```%s\n", named ? lang : "");
	for (i = 0; i < n; i++) {
		S_puts(b, lines[S_below(r, (unsigned)nlines)]);
		S_puts(b, "\n");
	}
	S_puts(b, "```\n\n");
}

static void S_table(struct buf *b, struct rng *r, int ja)
{
	static const char *aligns[] = { "---", ":---", "---:", ":---:" };
	unsigned i, j, cols = 2 + S_below(r, 4), rows = 2 + S_below(r, 8);

	S_puts(b, "|");
	for (j = 0; j < cols; j++)
		S_printf(b, " %s |", ja ? PICK(r, ja_words) : PICK(r, en_nouns));
	S_puts(b, "\n|");
	for (j = 0; j < cols; j++)
		S_printf(b, "%s|", PICK(r, aligns));
	S_puts(b, "\n");
	for (i = 0; i < rows; i++) {
		S_puts(b, "|");
		for (j = 0; j < cols; j++) {
			unsigned k = S_below(r, 5);

			if (k == 0)
				S_printf(b, " %u.%u ms |", S_below(r, 900), S_below(r, 10));
			else if (k == 1)
				S_printf(b, " %s |", PICK(r, ja_words));
			else if (k == 2)
				S_printf(b, " `%s` |", PICK(r, en_verbs));
			else if (k == 3)
				S_printf(b, " %u |", S_below(r, 100000));
			else
				S_printf(b, " %s %s |", PICK(r, en_adjs), PICK(r, en_nouns));
		}
		S_puts(b, "\n");
	}
	S_puts(b, "\n");
}

static void S_quote(struct buf *b, struct rng *r, const struct post *posts,
                    int self, int ja)
{
	S_puts(b, "> ");
	if (ja)
		S_ja_sentence(b, r, posts, self);
	else
		S_en_sentence(b, r, posts, self);
	S_puts(b, "\n\n");
}

static void S_body(struct buf *b, struct rng *r, const struct post *posts,
                   int self, size_t target)
{
	int ja_post = posts[self].ja;
	int level = 0;

	while (b->len < target) {
		/* Paragraph language: mostly the post's, sometimes the other. */
		int ja = S_chance(r, 85) ? ja_post : !ja_post;
		unsigned k = S_below(r, 100);

		if (b->len == 0 || k < 50) {
			S_paragraph(b, r, posts, self, ja);
			level = 0;
		} else if (k < 60) {
			if (level == 0) {
				S_heading(b, r, 2, ja_post);
				level = 2;
			} else {
				S_heading(b, r, 3, ja_post);
				level = 3;
			}
			S_paragraph(b, r, posts, self, ja);
		} else if (k < 73) {
			S_list(b, r, posts, self, ja);
		} else if (k < 84) {
			S_code(b, r, posts[self].langs);
		} else if (k < 91) {
			S_table(b, r, ja);
		} else {
			S_quote(b, r, posts, self, ja);
		}
	}
}

/* Formulas of the rich kind: each takes one number, drawn from a small range
 * so that some formulas come back in other posts, as they do in real blogs. */
static const char *tex_inline[] = {
	"x_{%u}^2 + y^2 = r^2",
	"\\alpha + \\beta \\le %u",
	"\\frac{a}{%u} < \\sqrt{b}",
	"O(n^{%u} \\log n)",
	"e^{i\\pi} + %u = %u",
};

static const char *tex_display[] = {
	"\\sum_{k=1}^{%u} k^2 = \\frac{n(n+1)(2n+1)}{6}",
	"\\int_0^{%u} e^{-x^2}\\,dx \\approx \\frac{\\sqrt{\\pi}}{2}",
	"\\begin{pmatrix} 1 & %u \\\\ 0 & 1 \\end{pmatrix}",
	"f(x) = \\begin{cases} x^{%u} & x \\ge 0 \\\\ -x & x < 0 \\end{cases}",
	"\\lim_{n \\to \\infty} \\left(1 + \\frac{1}{n}\\right)^{%u n} = e^{%u}",
};

/* Ends a body with a paragraph holding an inline formula and a display
 * formula of its own (kramdown's $$...$$ both), from r. */
static void S_formulas(struct buf *b, struct rng *r)
{
	unsigned k = 1 + S_below(r, 12), j = 1 + S_below(r, 12);

	S_puts(b, "The bound is $$");
	S_printf(b, PICK(r, tex_inline), k, k);
	S_puts(b, "$$ in the worst case.\n\n$$\n");
	S_printf(b, PICK(r, tex_display), j, j);
	S_puts(b, "\n$$\n\n");
}

static void S_front_matter(struct buf *b, struct rng *r, const struct post *p)
{
	unsigned i, n;

	S_puts(b, "---\nlayout: post\ntitle: \"");
	if (p->ja)
		S_printf(b, "%s%s", PICK(r, ja_topics), PICK(r, title_ja));
	else
		S_printf(b, "%s the %s %s", PICK(r, title_en), PICK(r, en_adjs),
		         PICK(r, en_nouns));
	S_printf(b, "\"\ndate: %04d-%02d-%02d %02d:%02d:%02d %s\n", p->y, p->m,
	         p->d, p->hh, p->mm, p->ss, p->ja ? "+0900" : "+0000");
	S_printf(b, "categories: [%s", PICK(r, categories));
	if (S_chance(r, 30))
		S_printf(b, ", %s", PICK(r, categories));
	S_puts(b, "]\ntags: [");
	n = 1 + S_below(r, 5);
	for (i = 0; i < n; i++)
		S_printf(b, "%s%s", i ? ", " : "", PICK(r, tags));
	S_puts(b, "]\n");
	if (p->ja)
		S_puts(b, "lang: ja\n");
	S_puts(b, "---\n\n");
}

/* Draws a body size from the log-normal law (Box-Muller). */
static size_t S_body_size(struct rng *r)
{
	double mu = log(BODY_MEAN) - BODY_SIGMA * BODY_SIGMA / 2;
	double z = sqrt(-2 * log(S_unit(r))) * cos(6.283185307179586 * S_unit(r));
	double v = exp(mu + BODY_SIGMA * z);

	if (v < BODY_MIN)
		v = BODY_MIN;
	if (v > BODY_MAX)
		v = BODY_MAX;
	return (size_t)v;
}

static void S_write(const char *path, const char *data, size_t len)
{
	FILE *f;

	errno = 0;
	f = fopen(path, "wb");
	if (f == NULL)
		S_die("cannot create", path);
	if (fwrite(data, 1, len, f) != len) {
		fclose(f);
		S_die("cannot write", path);
	}
	if (fclose(f) != 0)
		S_die("cannot write", path);
}

static void S_mkdir(const char *path)
{
	errno = 0;
	if (mkdir(path, 0777) != 0 && errno != EEXIST)
		S_die("cannot create folder", path);
	errno = 0;
}

/* Writes s (n bytes) into f as the text of a CDATA section: a "]]>" in it
 * closes the section and opens another. */
static void S_cdata(FILE *f, const char *s, size_t n)
{
	size_t i, run = 0;

	fputs("<![CDATA[", f);
	for (i = 0; i + 2 < n; i++) {
		if (s[i] == ']' && s[i + 1] == ']' && s[i + 2] == '>') {
			fwrite(s + run, 1, i + 2 - run, f);
			fputs("]]><![CDATA[", f);
			run = i + 2;
		}
	}
	fwrite(s + run, 1, n - run, f);
	fputs("]]>", f);
}

/* The value of front matter line "KEY: ..." in fm, without the key, up to the
 * line's end; n gets its length. NULL when fm has no such line. */
static const char *S_fm_value(const char *fm, const char *key, size_t *n)
{
	size_t k = strlen(key);
	const char *p;

	for (p = fm; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (strncmp(p, key, k) == 0 && p[k] == ':' && p[k + 1] == ' ') {
			p += k + 2;
			*n = strcspn(p, "\n");
			return p;
		}
	}
	return NULL;
}

/* Writes the names of the YAML list "[a, b]" in v (n bytes) as categories of
 * the given WordPress domain. */
static void S_wxr_terms(FILE *f, const char *domain, const char *v, size_t n)
{
	const char *end = v + n, *p;

	if (n < 2 || v[0] != '[')
		return;
	for (p = v + 1; p < end && *p != ']';) {
		size_t k = strcspn(p, ",]");

		fprintf(f, "\t<category domain=\"%s\" nicename=\"%.*s\">", domain, (int)k, p);
		S_cdata(f, p, k);
		fputs("</category>\n", f);
		p += k;
		if (*p == ',')
			p += 2;
	}
}

static FILE *S_wxr_open(const char *path)
{
	FILE *f;

	errno = 0;
	if ((f = fopen(path, "wb")) == NULL)
		S_die("cannot create", path);
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n"
	      "<rss version=\"2.0\"\n"
	      "\txmlns:excerpt=\"http://wordpress.org/export/1.2/excerpt/\"\n"
	      "\txmlns:content=\"http://purl.org/rss/1.0/modules/content/\"\n"
	      "\txmlns:wfw=\"http://wellformedweb.org/CommentAPI/\"\n"
	      "\txmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
	      "\txmlns:wp=\"http://wordpress.org/export/1.2/\">\n"
	      "<channel>\n"
	      "\t<title>Synthetic Notes 合成ブログ</title>\n"
	      "\t<link>https://example.org</link>\n"
	      "\t<description>A generated blog for the blogbind benchmark</description>\n"
	      "\t<language>en</language>\n"
	      "\t<wp:wxr_version>1.2</wp:wxr_version>\n"
	      "\t<wp:base_site_url>https://example.org</wp:base_site_url>\n"
	      "\t<wp:base_blog_url>https://example.org</wp:base_blog_url>\n"
	      "\t<wp:author><wp:author_id>1</wp:author_id><wp:author_login><![CDATA[bench]]></wp:author_login>"
	      "<wp:author_display_name><![CDATA[Bench Writer]]></wp:author_display_name></wp:author>\n", f);
	return f;
}

#ifdef GEN_WXR
/* Renders body (Markdown, n bytes) as cmark-gfm does with the GFM
 * extensions; the caller frees the result. */
static char *S_html(const char *body, size_t n)
{
	static const char *exts[] = { "table", "strikethrough", "autolink", "tasklist" };
	cmark_parser *parser = cmark_parser_new(CMARK_OPT_UNSAFE);
	cmark_node *doc;
	char *html;
	size_t i;

	for (i = 0; i < COUNT(exts); i++)
		cmark_parser_attach_syntax_extension(parser, cmark_find_syntax_extension(exts[i]));
	cmark_parser_feed(parser, body, n);
	doc = cmark_parser_finish(parser);
	html = cmark_render_html(doc, CMARK_OPT_UNSAFE, cmark_parser_get_syntax_extensions(parser));
	cmark_node_free(doc);
	cmark_parser_free(parser);
	if (html == NULL)
		S_die("out of memory", NULL);
	return html;
}
#else
static char *S_html(const char *body, size_t n)
{
	(void)body;
	(void)n;
	S_die("-w needs gen built with -DGEN_WXR and libcmark-gfm", NULL);
	return NULL;
}
#endif

/* Writes post p (number id, front matter fm, Markdown body of n bytes) as an
 * item of the export f. */
static void S_wxr_item(FILE *f, const struct post *p, long id, const char *fm,
                       const char *body, size_t n)
{
	char date[32], *html = S_html(body, n);
	const char *v;
	size_t k;

	snprintf(date, sizeof(date), "%04d-%02d-%02d %02d:%02d:%02d", p->y, p->m,
	         p->d, p->hh, p->mm, p->ss);
	fputs("<item>\n\t<title>", f);
	if ((v = S_fm_value(fm, "title", &k)) && k >= 2)
		S_cdata(f, v + 1, k - 2);
	fprintf(f, "</title>\n\t<link>https://example.org/%04d/%02d/%02d/%s.html</link>\n"
	        "\t<dc:creator><![CDATA[bench]]></dc:creator>\n"
	        "\t<guid isPermaLink=\"false\">https://example.org/?p=%ld</guid>\n"
	        "\t<content:encoded>", p->y, p->m, p->d, p->slug, id);
	S_cdata(f, html, strlen(html));
	fprintf(f, "</content:encoded>\n\t<excerpt:encoded><![CDATA[]]></excerpt:encoded>\n"
	        "\t<wp:post_id>%ld</wp:post_id>\n\t<wp:post_date>%s</wp:post_date>\n"
	        "\t<wp:post_date_gmt>%s</wp:post_date_gmt>\n\t<wp:post_name>%s</wp:post_name>\n"
	        "\t<wp:status>publish</wp:status>\n\t<wp:post_parent>0</wp:post_parent>\n"
	        "\t<wp:post_type>post</wp:post_type>\n", id, date, date, p->slug);
	if ((v = S_fm_value(fm, "categories", &k)))
		S_wxr_terms(f, "category", v, k);
	if ((v = S_fm_value(fm, "tags", &k)))
		S_wxr_terms(f, "post_tag", v, k);
	fputs("</item>\n", f);
	free(html);
}

static void S_wxr_close(FILE *f, const char *path)
{
	fputs("</channel>\n</rss>\n", f);
	if (ferror(f) || fclose(f) != 0)
		S_die("cannot write", path);
}

int main(int argc, char **argv)
{
	struct buf b = { NULL, 0, 0 }, fm = { NULL, 0, 0 };
	struct post *posts;
	struct rng meta;
	unsigned long long seed;
	char *end, path[4096];
	const char *wxr_path = NULL, *dir;
	FILE *wxr = NULL;
	enum kind kind = K_DEFAULT;
	long n, i;
	size_t total = 0;
	int c;

	while ((c = getopt(argc, argv, "k:w:")) != -1) {
		if (c == 'k' && strcmp(optarg, "default") == 0)
			kind = K_DEFAULT;
		else if (c == 'k' && strcmp(optarg, "plain") == 0)
			kind = K_PLAIN;
		else if (c == 'k' && strcmp(optarg, "rich") == 0)
			kind = K_RICH;
		else if (c == 'w')
			wxr_path = optarg;
		else
			argc = 0; /* the usage below */
	}
	argv += optind;
	argc -= optind;
	if (argc != 3) {
		fprintf(stderr, "usage: gen [-k default|plain|rich] [-w WXR] SEED N OUTDIR\n");
		return 2;
	}
	errno = 0;
	seed = strtoull(argv[0], &end, 10);
	if (*end || errno)
		S_die("bad seed", argv[0]);
	n = strtol(argv[1], &end, 10);
	if (*end || n < 1 || n > 10000000)
		S_die("bad post count", argv[1]);
	dir = argv[2];
	if (strlen(dir) > 3000)
		S_die("folder name too long", NULL);
	posts = calloc((size_t)n, sizeof(*posts));
	if (posts == NULL)
		S_die("out of memory", NULL);

	/* First pass: dates, languages and slugs, so posts can link back. */
	meta.s = seed ^ 0x5bd1e995ULL;
	for (i = 0; i < n; i++) {
		struct post *p = &posts[i];
		long day = FIRST_DAY + (long)((double)i * SPAN_DAYS / n);
		unsigned w, words = 2 + S_below(&meta, 3);

		S_civil(day, &p->y, &p->m, &p->d);
		p->hh = (int)S_below(&meta, 24);
		p->mm = (int)S_below(&meta, 60);
		p->ss = (int)S_below(&meta, 60);
		p->ja = S_chance(&meta, 50);
		p->slug[0] = '\0';
		for (w = 0; w < words; w++) {
			const char *word = w % 2 ? PICK(&meta, en_nouns) : PICK(&meta, en_adjs);
			size_t at = strlen(p->slug);
			size_t k;

			for (k = 0; word[k] && at + 1 < 48; k++)
				p->slug[at++] = word[k] == ' ' ? '-' : word[k];
			p->slug[at++] = '-';
			p->slug[at] = '\0';
		}
		sprintf(p->slug + strlen(p->slug), "%04ld", i + 1);
		p->langs = kind == K_DEFAULT || (kind == K_RICH && i % 2 == 0);
		p->math = kind == K_RICH && i % 3 == 0;
	}

	S_mkdir(dir);
	snprintf(path, sizeof(path), "%s/_posts", dir);
	S_mkdir(path);
	snprintf(path, sizeof(path), "%s/_config.yml", dir);
	{
		static const char config[] =
			"title: \"Synthetic Notes 合成ブログ\"\n"
			"author: \"Bench Writer\"\n"
			"lang: en\n"
			"description: \"A generated blog for the blogbind benchmark\"\n"
			"permalink: /:year/:month/:day/:title.html\n";

		S_write(path, config, sizeof(config) - 1);
	}

	if (wxr_path) {
#ifdef GEN_WXR
		cmark_gfm_core_extensions_ensure_registered();
#else
		S_die("-w needs gen built with -DGEN_WXR and libcmark-gfm", NULL);
#endif
		wxr = S_wxr_open(wxr_path);
	}
	for (i = 0; i < n; i++) {
		const struct post *p = &posts[i];
		struct rng r;

		r.s = S_mix(seed + S_mix((unsigned long long)i + 1));
		b.len = 0;
		fm.len = 0;
		S_front_matter(&fm, &r, p);
		S_body(&b, &r, posts, (int)i, S_body_size(&r));
		if (p->math) {
			/* a stream of its own: the text before stays as in the other kinds */
			struct rng mr;

			mr.s = S_mix(seed ^ 0x3c6ef372fe94f82bULL) + S_mix((unsigned long long)i + 1);
			S_formulas(&b, &mr);
		}
		if (wxr)
			S_wxr_item(wxr, p, i + 1, fm.data, b.data, b.len);
		snprintf(path, sizeof(path), "%s/_posts/%04d-%02d-%02d-%s.md", dir,
		         p->y, p->m, p->d, p->slug);
		S_put(&fm, b.data, b.len);
		S_write(path, fm.data, fm.len);
		total += fm.len;
	}
	if (wxr)
		S_wxr_close(wxr, wxr_path);
	fprintf(stderr, "gen: %ld posts, %zu bytes (%.1f KB a post on average)\n",
	        n, total, total / 1024.0 / n);
	free(b.data);
	free(fm.data);
	free(posts);
	return 0;
}
