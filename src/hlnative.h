/* hlnative.h: a fast table-driven code highlighter in C for the languages blogs use most, giving highlight.js's class names. */
#ifndef BB_HLNATIVE_H
#define BB_HLNATIVE_H

#include <stddef.h>

/* Highlights len bytes of code in language lang (lower or upper case,
 * aliases as highlight.js names them: c, cpp/c++/cc/h/hpp, objectivec,
 * java, cs/csharp, javascript/js, typescript/ts, go, rust/rs, swift,
 * kotlin, python/py, ruby/rb, bash/sh/zsh/shell, console/shell-session,
 * toml/ini, yaml/yml, json, nasm/x86asm/asm, xml/html/svg, delphi/pascal/pas,
 * d, tex/latex, markdown/md, makefile/mk, diff/patch, sql, dockerfile,
 * powershell/ps, perl/pl, fortran, llvm, actionscript/as, vim). Returns a new XHTML fragment for <code>
 * (caller frees): &, < and > escaped, tokens in <span class="hljs-keyword">,
 * hljs-built_in, hljs-literal, hljs-string, hljs-comment, hljs-number,
 * hljs-meta, hljs-title, hljs-variable, hljs-symbol, hljs-attr, hljs-name,
 * hljs-section, hljs-bullet, hljs-emphasis, hljs-strong, hljs-code,
 * hljs-link, hljs-quote, hljs-formula, hljs-addition, hljs-deletion. Spans never
 * nest; removing the tags and decoding the three entities gives the code
 * back byte for byte. About 100 times faster than highlight.js in Duktape;
 * tokens are simpler (no nested grammars), enough to tell keywords,
 * strings and comments apart. Returns NULL when lang is not one of these. */
char *bb_hl_native(const char *lang, const char *code, size_t len);

/* 1 when bb_hl_native highlights code in language lang (never NULL). */
int bb_hl_native_knows(const char *lang);

#endif
