/* test_xmlread.c: xmlread.c reads cmark-gfm's HTML into the tree libxml2's
 * XML parser makes of it, or refuses it and libxml2 reads it. Each case
 * is read both ways: where xmlread gives a tree, libxml2 must give the same
 * one, node for node; where libxml2 refuses a text (not well-formed),
 * xmlread must refuse it too; the cases it must read are checked. */
#include "xmlread.h"
#include "tap.h"

#include <libxml/parser.h>
#include <stdlib.h>
#include <string.h>

/* 1 when the node lists a and b hold the same nodes: types, names,
 * contents, attributes (names and values), name spaces and children. */
static int
S_same(xmlNodePtr a, xmlNodePtr b)
{
	for (; a && b; a = a->next, b = b->next) {
		xmlAttrPtr x, y;
		if (a->type != b->type || strcmp((const char *)a->name, (const char *)b->name))
			return 0;
		if ((a->content || b->content) &&
		    (!a->content || !b->content || strcmp((const char *)a->content, (const char *)b->content)))
			return 0;
		if (a->type == XML_ELEMENT_NODE && ((a->ns != NULL) != (b->ns != NULL) || (a->nsDef != NULL) != (b->nsDef != NULL)))
			return 0;
		if (a->type == XML_ELEMENT_NODE) {
			for (x = a->properties, y = b->properties; x && y; x = x->next, y = y->next)
				if (strcmp((const char *)x->name, (const char *)y->name) || !S_same(x->children, y->children))
					return 0;
			if (x || y)
				return 0;
		}
		if (!S_same(a->children, b->children))
			return 0;
	}
	return !a && !b;
}

/* libxml2's reading of html as markdown.c asks for it, or NULL. */
static xmlDocPtr
S_libxml(const char *html)
{
	size_t n = strlen(html);
	char *x = malloc(n + 32);
	xmlDocPtr d;
	snprintf(x, n + 32, "<html><body>%s</body></html>", html);
	d = xmlReadMemory(x, (int)strlen(x), NULL, "UTF-8",
			  XML_PARSE_NOENT | XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_HUGE);
	free(x);
	return d;
}

/* Reads html both ways: 1 when xmlread read it (to libxml2's tree), 0 when
 * it refused it, -1 when the two differ. */
static int
S_case(const char *html)
{
	xmlDocPtr a = bb_xmlread(html, strlen(html)), b = S_libxml(html);
	int rc = a ? 1 : 0;
	if (a && (!b || !S_same(a->children, b->children))) {
		fprintf(stderr, "differs: %s\n", html);
		rc = -1;
	}
	xmlFreeDoc(a);
	xmlFreeDoc(b);
	return rc;
}

int
main(void)
{
	/* what cmark-gfm writes: each must be read, to libxml2's tree */
	static const char *const read[] = {
		"<p>Hello <em>world</em></p>\n",
		"<p>a &amp; b &lt;c&gt; &quot;d&quot; &#39;e&#39; &apos;</p>\n<p>x</p>\n",
		"<h2>Title</h2>\n<ul>\n<li>one</li>\n<li>two<br />\nthree</li>\n</ul>\n",
		"<pre><code class=\"language-c\">if (a &lt; b &amp;&amp; c)\n  x();\n</code></pre>\n",
		"<p><a href=\"http://x.y/a%20b?q=1&amp;r=2\" title=\"t &quot;q&quot;\">link</a> "
		"<img src=\"/i.png\" alt=\"alt text\" title=\"t\" /></p>\n",
		"<table>\n<thead>\n<tr>\n<th style=\"text-align: left\">a</th>\n</tr>\n</thead>\n<tbody>\n"
		"<tr>\n<td style=\"text-align: left\">1</td>\n</tr>\n</tbody>\n</table>\n",
		"<ul>\n<li><input type=\"checkbox\" disabled=\"\" /> task</li>\n</ul>\n<hr />\n",
		"<blockquote>\n<p>q <del>d</del> <code>c &amp; d</code></p>\n</blockquote>\n",
		"<p>&#65;&#x42;&#x1F600; &#x00041; x]]y ]] ]</p>\n",
		"<p>日本語の<strong>テキスト</strong>。</p>\n",
		"<p><span class=\"a\"  data-x=\"1\" >two spaces</span><br/></p>\n",
		"text at the top\n",
	};
	/* what xmlread leaves to libxml2 (each checked against it too) */
	static const char *const refused[] = {
		"<p>a ]]> b</p>",
		"<p>&nbsp;</p>",
		"<p>&#1;</p>",
		"<p>&#xD800;</p>",
		"<p>&#X41;</p>",
		"<p>&#;</p>",
		"<p>&#x100000041;</p>",   /* wraps to A where long is 32 bits */
		"<p>&#4294967361;</p>",
		"<span class=\"a\" class=\"b\">dup</span>",
		"<span xmlns=\"http://x\">ns</span>",
		"<span x:y=\"1\">colon</span>",
		"<span data-x=\"1\"data-y=\"2\">no space</span>",
		"<span title='single'>q</span>",
		"<span title=\"a\tb\">tab</span>",
		"<span\ttitle=\"a\">tab</span>",
		"<em><strong>x</em></strong>",
		"<i>open",
		"</p>",
		"<!-- comment --><p>x</p>",
		"<p>x</p >",
		"<p title=\"a<b\">lt</p>",
	};
	size_t i;
	for (i = 0; i < sizeof read / sizeof *read; i++)
		CHECK(S_case(read[i]) == 1);
	for (i = 0; i < sizeof refused / sizeof *refused; i++)
		CHECK(S_case(refused[i]) == 0);
	/* text joined across references, as the parser joins it */
	{
		xmlDocPtr d = bb_xmlread("a &amp; b&#65;c", 15);
		xmlNodePtr body = d ? xmlDocGetRootElement(d)->children : NULL;
		CHECK(body && body->children && !body->children->next);
		CHECK(body && body->children && strcmp((const char *)body->children->content, "a & bAc") == 0);
		xmlFreeDoc(d);
	}
	return TEST_DONE();
}
