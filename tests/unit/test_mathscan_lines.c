/* test_mathscan_lines.c: mathscan_lines.c alone: line kinds (text, blank, code) and where paragraphs end. */
#include "mathscan_impl.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>

/* Classifies text in kramdown's dialect; the caller frees sc's arrays. */
static void
T_scan(S_scan *sc, const char *text)
{
	memset(sc, 0, sizeof *sc);
	sc->s = text;
	sc->len = strlen(text);
	sc->dialect = BB_MATHSCAN_KRAMDOWN;
	sc->first_line = 1;
	bb_mathscan_lines(sc);
}

static void
T_free(S_scan *sc)
{
	free(sc->lines);
	free(sc->para_end);
	free(sc->block_end);
}

int
main(void)
{
	static const char doc[] =
		"a $x$\n"          /* 0 text */
		"b\n"              /* 1 text */
		"\n"               /* 2 blank */
		"```\n"            /* 3 code (fence) */
		"$$y$$\n"          /* 4 code */
		"```\n"            /* 5 code */
		"\n"               /* 6 blank */
		"    indented\n"   /* 7 code (indented after a blank) */
		"\n"               /* 8 blank */
		"<pre>\n"          /* 9 code (raw pre) */
		"$z$\n"            /* 10 code */
		"</pre>\n"         /* 11 code */
		"> quoted\n";      /* 12 text, quoted */
	static const int kind[] = { L_TEXT, L_TEXT, L_BLANK, L_CODE, L_CODE, L_CODE, L_BLANK,
		L_CODE, L_BLANK, L_CODE, L_CODE, L_CODE, L_TEXT };
	S_scan sc;
	size_t i;

	T_scan(&sc, doc);
	CHECK(sc.nlines == sizeof kind / sizeof kind[0]);
	for (i = 0; i < sc.nlines && i < sizeof kind / sizeof kind[0]; i++) {
		CHECK(sc.lines[i].kind == kind[i]);
		if (sc.lines[i].kind != kind[i])
			fprintf(stderr, "# line %zu: kind %d, want %d\n", i, sc.lines[i].kind, kind[i]);
	}
	if (sc.nlines == sizeof kind / sizeof kind[0]) {
		/* the paragraph of lines 0-1 ends at the end of line 1 */
		CHECK(sc.para_end[0] == sc.lines[1].end);
		CHECK(sc.lines[12].quoted);
		CHECK(doc[sc.lines[12].content] == 'q');
	}
	T_free(&sc);

	/* the empty text has no lines of code */
	T_scan(&sc, "");
	for (i = 0; i < sc.nlines; i++)
		CHECK(sc.lines[i].kind != L_CODE);
	T_free(&sc);
	CHECK(bb_mathscan_space(' ') && bb_mathscan_space('\t') && !bb_mathscan_space('x'));
	CHECK(bb_mathscan_casestarts("<PRE>", 5, "<pre"));
	CHECK(bb_mathscan_casefind("ab</Pre>", 0, 8, "</pre") == 2);
	return TEST_DONE();
}
