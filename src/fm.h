/* fm.h: front matter and _config.yml: a small YAML document tree built with
 * libyaml, with the position of every node, bounded against hostile input. */
#ifndef BB_FM_H
#define BB_FM_H

#include <stddef.h>

typedef enum bb_fm_kind { BB_FM_SCALAR, BB_FM_SEQ, BB_FM_MAP } bb_fm_kind;

/* A node. Maps hold key/value pairs as alternating children (key, value,
 * key, value...). Positions are 1-based lines and columns in the file. */
typedef struct bb_fm_node {
	bb_fm_kind kind;
	char *value;            /* SCALAR: the text; NULL otherwise */
	int quoted;             /* SCALAR: written in quotes (so never null/bool) */
	unsigned line, col;
	struct bb_fm_node **kids;
	size_t nkids;
	int shared;             /* reached through an alias: owned elsewhere */
} bb_fm_node;

/* A problem met while parsing: where and what. */
typedef struct bb_fm_problem {
	unsigned line, col;
	char message[200];
} bb_fm_problem;

/* Parses YAML text (one document) into a tree. line0 is the file line of
 * text's first line, so positions name the file. Returns the root (a MAP
 * when the document is a mapping) or NULL for an empty document. On a syntax
 * error, or when a bound is hit (nesting depth, node count, alias use), it
 * returns what was read before the problem and fills *problem (problem->line
 * is then non-zero); otherwise problem->line stays 0. Caller frees the tree
 * with bb_fm_free. */
bb_fm_node *bb_fm_parse(const char *text, size_t len, unsigned line0, bb_fm_problem *problem);

/* Frees a tree; NULL is allowed. */
void bb_fm_free(bb_fm_node *n);

/* In a MAP, the value of key (last one wins, as in Jekyll), or NULL. */
const bb_fm_node *bb_fm_get(const bb_fm_node *map, const char *key);

/* The node at a dotted path ("markup.goldmark.parser") under map, each
 * part a key of nested maps or part of a flat TOML table name ("a.b" as
 * written in [a.b]); keys compared without case when nocase is set (Hugo's
 * are). The last match wins. NULL when absent. Borrowed from the tree. */
const bb_fm_node *bb_fm_path(const bb_fm_node *map, const char *dotted, int nocase);

/* The scalar text of key in map, or NULL when absent, not a scalar, or a
 * YAML null ("", "~", "null" unquoted). Borrowed from the tree. */
const char *bb_fm_str(const bb_fm_node *map, const char *key);

/* 1 for true/yes/on, 0 for false/no/off, def otherwise. */
int bb_fm_bool(const bb_fm_node *map, const char *key, int def);

/* Front matter delimiters. Finds a front matter block at the start of text
 * (after an optional BOM already removed): "---" line, YAML, "---" or "..."
 * line; or "+++" TOML "+++" when toml is not NULL (then *toml is set to 1).
 * With toml not NULL, Eleventy's "---json" and "---yaml" open YAML too, and
 * "---js" opens JavaScript, which is code, never data (*toml is set to 2).
 * Sets *fm and *fm_len to the YAML inside, *body to the offset of the body and
 * *body_line to the body's first line number. Returns 1 when found, 0 when the
 * text has no front matter (*body = 0), -1 when an opening delimiter has no
 * closing one (then everything is body). */
int bb_fm_split(const char *text, size_t len, size_t *fm, size_t *fm_len,
		size_t *body, unsigned *body_line, int *toml);

/* Parses Hugo's TOML front matter (the subset Hugo posts use: key = value
 * with strings, numbers, booleans, dates, arrays of those, and [table]
 * headers which become nested maps) into the same tree as bb_fm_parse. */
bb_fm_node *bb_fm_parse_toml(const char *text, size_t len, unsigned line0, bb_fm_problem *problem);

#endif
