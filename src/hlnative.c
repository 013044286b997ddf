/* hlnative.c: one pass tokenizer per language table (comments, strings, numbers, keywords) writing highlight.js class names. */
#include "hlnative.h"
#include "hlnative_int.h"
#include "util.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define F_SLASH     0x0001u  /* // and block comments */
#define F_HASH      0x0002u  /* # comments (at the start of a word) */
#define F_PREPROC   0x0004u  /* # at a line's start is a directive (C) */
#define F_SQ        0x0008u  /* '...' strings with escapes */
#define F_SQ_RAW    0x0010u  /* '...' strings without escapes (shell) */
#define F_BT        0x0020u  /* `...` strings, may span lines (JS, Go) */
#define F_TRIPLE    0x0040u  /* """...""" and '''...''' (Python) */
#define F_DOLLAR    0x0080u  /* $name ${...} $1 variables (shell) */
#define F_AT        0x0100u  /* @name is a decorator or annotation */
#define F_RUBY      0x0200u  /* :symbol, @ivar, =begin/=end, name? name! */
#define F_PROMPT    0x0400u  /* console: "$ " lines are commands, others output */
#define F_KEYS      0x0800u  /* key = / key: at a line's start is an attribute */
#define F_BANG      0x1000u  /* name! is a macro (Rust) */
#define F_DQ        0x2000u  /* "..." strings */
#define F_NESTCMT   0x4000u  /* block comments nest (Rust, Swift) */
#define F_ASM       0x8000u  /* ; comments, mnemonics first on a line, labels */
#define F_MARKUP   0x10000u  /* XML and HTML: its own lexer (bb_hl_markup) */
#define F_NOCASE   0x20000u  /* keywords in any case (Pascal) */
#define F_PASCAL   0x40000u  /* { } (* *) comments, {$ } directives, 'it''s' #13 strings */
#define F_DLANG    0x80000u  /* D: nested /+ +/ comments, r"" x"" q"" strings, @attributes */
#define F_TEX     0x100000u  /* TeX: its own lexer (bb_hl_tex) */
#define F_MD      0x200000u  /* Markdown: its own lexer (bb_hl_md) */
#define F_MAKE    0x400000u  /* Makefiles: their own lexer (bb_hl_make) */
#define F_DIFF    0x800000u  /* diffs: their own lexer (bb_hl_diff) */
#define F_VIM    0x1000000u  /* Vim script: "..." a string when closed on its line, else a comment */
#define F_DASH2  0x2000000u  /* -- comments (SQL) */
#define F_EXCL   0x4000000u  /* ! comments (Fortran) */
#define F_SEMI   0x8000000u  /* ; comments (LLVM) */

typedef struct S_lang {
	const char *names;      /* " name alias ... " */
	unsigned flags;
	const char *keywords;   /* " kw kw ... " */
	const char *builtins;
	const char *literals;
	const char *titles;     /* keywords after which a name is a title */
} S_lang;

#define C_KW " auto break case char const continue default do double else enum extern float for goto if inline int long register restrict return short signed sizeof static struct switch typedef union unsigned void volatile while _Bool bool "
#define CPP_KW " alignas alignof and asm catch class constexpr consteval constinit const_cast decltype delete dynamic_cast explicit export friend mutable namespace new noexcept not operator or private protected public reinterpret_cast static_assert static_cast template this thread_local throw try typeid typename using virtual xor override final concept requires co_await co_return co_yield wchar_t char8_t char16_t char32_t "
#define C_BI " size_t ssize_t ptrdiff_t int8_t int16_t int32_t int64_t uint8_t uint16_t uint32_t uint64_t uintptr_t intptr_t FILE printf fprintf sprintf snprintf scanf puts malloc calloc realloc free memcpy memset strlen strcmp exit assert "
#define CPP_BI " std string vector map set unordered_map unordered_set array pair tuple list deque queue stack cout cin cerr endl unique_ptr shared_ptr make_unique make_shared move swap sort begin end "

static const S_lang S_langs[] = {
	{ " c h ", F_SLASH | F_PREPROC | F_SQ | F_DQ, C_KW, C_BI, " true false NULL ", " struct enum union " },
	{ " cpp c++ cc cxx hpp hh hxx h++ cu cuda ", F_SLASH | F_PREPROC | F_SQ | F_DQ, C_KW CPP_KW, C_BI CPP_BI,
		" true false NULL nullptr ", " class struct enum union namespace " },
	{ " objectivec objc objective-c mm ", F_SLASH | F_PREPROC | F_SQ | F_DQ | F_AT,
		C_KW " id self super nil YES NO interface implementation end property synthesize import in out ",
		C_BI " NSString NSArray NSDictionary NSObject NSLog ", " true false NULL nil YES NO ", " interface implementation class " },
	{ " java ", F_SLASH | F_SQ | F_DQ | F_AT,
		" abstract assert boolean break byte case catch char class const continue default do double else enum extends final finally float for goto if implements import instanceof int interface long native new package private protected public return short static strictfp super switch synchronized this throw throws transient try void volatile while var record yield sealed permits ",
		" String System Object Integer Long Double List Map ArrayList HashMap Math ", " true false null ", " class interface enum record " },
	{ " cs csharp c# ", F_SLASH | F_PREPROC | F_SQ | F_DQ,
		" abstract as base bool break byte case catch char checked class const continue decimal default delegate do double else enum event explicit extern finally fixed float for foreach goto if implicit in int interface internal is lock long namespace new object operator out override params private protected public readonly ref return sbyte sealed short sizeof stackalloc static string struct switch this throw try typeof uint ulong unchecked unsafe ushort using var virtual void volatile while async await get set "
		, " Console String List Dictionary Task Math ", " true false null ", " class interface struct enum namespace " },
	{ " javascript js jsx mjs cjs node ", F_SLASH | F_SQ | F_DQ | F_BT,
		" break case catch class const continue debugger default delete do else export extends finally for function if import in instanceof let new return super switch this throw try typeof var void while with yield async await of static get set from as ",
		" console window document Math JSON Object Array String Number Boolean Promise Map Set require module exports process ",
		" true false null undefined NaN Infinity ", " function class " },
	{ " typescript ts tsx ", F_SLASH | F_SQ | F_DQ | F_BT | F_AT,
		" break case catch class const continue debugger default delete do else export extends finally for function if import in instanceof let new return super switch this throw try typeof var void while with yield async await of static get set from as interface type enum implements public private protected readonly declare namespace module abstract keyof any unknown never number string boolean "
		, " console window document Math JSON Object Array String Number Promise Map Set ", " true false null undefined NaN Infinity ", " function class interface type enum " },
	{ " go golang ", F_SLASH | F_SQ | F_DQ | F_BT,
		" break case chan const continue default defer else fallthrough for func go goto if import interface map package range return select struct switch type var ",
		" bool byte complex64 complex128 error float32 float64 int int8 int16 int32 int64 rune string uint uint8 uint16 uint32 uint64 uintptr append cap close copy delete len make new panic print println recover fmt ",
		" true false nil iota ", " func type " },
	{ " rust rs ", F_SLASH | F_NESTCMT | F_DQ | F_BANG,
		" as async await break const continue crate dyn else enum extern fn for if impl in let loop match mod move mut pub ref return self Self static struct super trait type unsafe use where while ",
		" i8 i16 i32 i64 i128 isize u8 u16 u32 u64 u128 usize f32 f64 bool char str String Vec Option Result Box Rc Arc HashMap ",
		" true false Some None Ok Err ", " fn struct enum trait mod impl " },
	{ " swift ", F_SLASH | F_NESTCMT | F_DQ | F_AT,
		" associatedtype class deinit enum extension fileprivate func import init inout internal let open operator private protocol public rethrows static struct subscript typealias var break case continue default defer do else fallthrough for guard if in repeat return switch where while as catch is throw throws try async await some any mutating override final lazy weak ",
		" Int Double Float String Bool Array Dictionary Set Character print ", " true false nil self Self super ", " func class struct enum protocol extension " },
	{ " kotlin kt kts ", F_SLASH | F_SQ | F_DQ | F_AT,
		" as break class continue do else for fun if in interface is object package return super this throw try typealias val var when while by catch constructor finally get import init set where abstract data enum final inner internal lateinit open override private protected public sealed suspend companion ",
		" Int Long Double Float String Boolean List Map println ", " true false null ", " fun class interface object " },
	{ " python py gyp ipython pycon python3 ", F_HASH | F_SQ | F_DQ | F_TRIPLE | F_AT,
		" and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield match case ",
		" print len range int float str list dict set tuple open enumerate zip map filter sorted sum min max abs isinstance super type self bool bytes object input round repr iter next ",
		" True False None ", " def class " },
	{ " ruby rb gemspec podspec thor irb pry ", F_HASH | F_SQ | F_DQ | F_BT | F_RUBY,
		" alias and begin BEGIN break case class def defined? do else elsif end END ensure for if in module next not or redo rescue retry return self super then undef unless until when while yield __FILE__ __LINE__ ",
		" require require_relative include extend attr_accessor attr_reader attr_writer private protected public puts print p lambda proc loop raise ",
		" true false nil ", " def class module " },
	{ " bash sh zsh shell bsh ksh ", F_HASH | F_SQ_RAW | F_DQ | F_BT | F_DOLLAR,
		" if then else elif fi for while until do done case esac in function return local export readonly declare unset shift exit break continue select time source alias ",
		" echo cd ls cat grep sed awk printf read test set eval exec mkdir rm cp mv chmod chown sudo git make touch find xargs sort uniq head tail wc curl wget tar pwd which ",
		" true false ", " function " },
	{ " console shell-session shellsession terminal bash-prompt ", F_PROMPT | F_HASH | F_SQ_RAW | F_DQ | F_DOLLAR,
		" if then else elif fi for while until do done case esac in function export ",
		" echo cd ls cat grep sed awk printf mkdir rm cp mv chmod sudo git make touch find curl wget tar pwd which ",
		" true false ", "" },
	{ " toml ini cfg conf ", F_HASH | F_SQ_RAW | F_DQ | F_KEYS, " ", " ", " true false ", "" },
	{ " yaml yml ", F_HASH | F_SQ_RAW | F_DQ | F_KEYS, " ", " ", " true false null yes no on off ", "" },
	{ " json ", F_DQ | F_KEYS, " ", " ", " true false null ", "" },
	{ " nasm x86asm asm ", F_ASM | F_SQ | F_DQ,
		" section segment global extern bits default db dw dd dq dt resb resw resd resq times equ align org ",
		" rax rbx rcx rdx rsi rdi rbp rsp r8 r9 r10 r11 r12 r13 r14 r15 eax ebx ecx edx esi edi ebp esp"
		" r8d r9d r10d r11d r12d r13d r14d r15d ax bx cx dx si di bp sp al bl cl dl ah bh ch dh sil dil"
		" rip eflags cs ds es fs gs ss byte word dword qword tword oword yword zword ptr"
		" xmm0 xmm1 xmm2 xmm3 xmm4 xmm5 xmm6 xmm7 xmm8 xmm9 xmm10 xmm11 xmm12 xmm13 xmm14 xmm15"
		" ymm0 ymm1 ymm2 ymm3 ymm4 ymm5 ymm6 ymm7 ymm8 ymm9 ymm10 ymm11 ymm12 ymm13 ymm14 ymm15"
		" zmm0 zmm1 zmm2 zmm3 zmm4 zmm5 zmm6 zmm7 zmm8 zmm9 zmm10 zmm11 zmm12 zmm13 zmm14 zmm15"
		" k0 k1 k2 k3 k4 k5 k6 k7 ", " ", "" },
	{ " xml html xhtml svg rss atom xsl plist htm vue ", F_MARKUP, " ", " ", " ", "" },
	/* highlight.js's delphi: its keywords, any case */
	{ " delphi dpr dfm pas pascal freepascal lazarus lpr lfm ", F_PASCAL | F_NOCASE,
		" exports register file shl array record property for mod while set ally label uses raise not"
		" stored class safecall var interface or private static exit index inherited to else stdcall"
		" override shr asm far resourcestring finalization packed virtual out and protected library do"
		" xor write goto near function end div overload object unit begin string on inline repeat until"
		" destructor message program with read initialization except default nil if case cdecl in"
		" downto threadvar of try pascal const external constructor type public then implementation"
		" finally published procedure absolute reintroduce operator as is abstract alias assembler"
		" bitpacked break continue cppdecl cvar enumerator experimental platform deprecated"
		" unimplemented dynamic export far16 forward generic helper implements interrupt iochecks"
		" local name nodefault noreturn nostackframe oldfpccall otherwise saveregisters softfloat"
		" specialize strict unaligned varargs ", " ", " ", " function procedure constructor destructor " },
	{ " d ", F_SLASH | F_SQ | F_DQ | F_BT | F_DLANG,
		" abstract alias align asm assert auto body break byte case cast catch class const continue debug"
		" default delete deprecated do else enum export extern final finally for foreach foreach_reverse"
		" goto if immutable import in inout int interface invariant is lazy macro mixin module new nothrow"
		" out override package pragma private protected public pure ref return scope shared static struct"
		" super switch synchronized template this throw try typedef typeid typeof union unittest version"
		" void volatile while with __FILE__ __LINE__ __gshared __thread __traits __DATE__ __EOF__ __TIME__"
		" __TIMESTAMP__ __VENDOR__ __VERSION__ ",
		" bool cdouble cent cfloat char creal dchar delegate double dstring float function idouble ifloat"
		" ireal long real short string ubyte ucent uint ulong ushort wchar wstring ",
		" false null true ", " class struct interface enum union " },
	{ " tex latex ", F_TEX, " ", " ", " ", "" },
	{ " markdown md mkdown mkd ", F_MD, " ", " ", " ", "" },
	{ " makefile mk mak ", F_MAKE,
		" define endef undefine ifdef ifndef ifeq ifneq else endif include -include sinclude override"
		" export unexport private vpath ",
		" subst patsubst strip findstring filter filter-out sort word wordlist firstword lastword dir"
		" notdir suffix basename addsuffix addprefix join wildcard realpath abspath error warning shell"
		" origin flavor foreach if or and call eval file value ", " ", "" },
	/* the rest of kaityo256's (issue 13): the words of highlight.js's
	 * definitions blogs use most */
	{ " diff patch ", F_DIFF, " ", " ", " ", "" },
	{ " sql ", F_SQ | F_DQ | F_BT | F_NOCASE | F_DASH2,
		" select from where insert into values update set delete create table drop alter add column index"
		" primary key foreign references not null and or in is like between join inner left right outer full"
		" cross natural on as order by group having limit offset union all distinct case when then else end"
		" exists begin commit rollback transaction view database schema default unique check constraint"
		" with if replace pragma grant revoke truncate returning using asc desc trigger procedure function"
		" declare cast integer int bigint smallint real double float numeric decimal char varchar text blob"
		" boolean date time timestamp serial autoincrement ",
		" count sum avg min max coalesce ifnull nullif length substr substring lower upper now abs round ",
		" true false null ", "" },
	{ " dockerfile docker ", F_HASH | F_SQ | F_DQ | F_DOLLAR | F_NOCASE,
		" from maintainer expose env arg user onbuild stopsignal run cmd entrypoint volume add copy workdir"
		" label healthcheck shell as ",
		" echo cd ls cat grep sed mkdir rm cp mv chmod chown apt-get apt yum apk pip npm make git curl wget tar ",
		" ", "" },
	{ " powershell ps ps1 ", F_HASH | F_SQ_RAW | F_DQ | F_DOLLAR | F_NOCASE,
		" begin break catch class continue data define do dynamicparam else elseif end exit filter finally for"
		" foreach from function if in param process return switch throw trap try until using var while"
		" workflow ",
		" write-host write-output get-childitem set-location get-content set-content new-item remove-item"
		" copy-item move-item invoke-webrequest select-object where-object foreach-object get-process ",
		" ", " function " },
	{ " perl pl pm ", F_HASH | F_SQ | F_DQ | F_BT | F_DOLLAR,
		" my our local sub if elsif else unless while until for foreach do last next redo return use require"
		" package no eq ne lt gt le ge and or not cmp x qw BEGIN END ",
		" print printf say open close die warn defined undef shift unshift push pop split join map grep sort"
		" keys values each exists delete chomp chop length substr sprintf lc uc ref scalar wantarray bless ",
		" ", " sub package " },
	{ " fortran f90 f95 ", F_SQ | F_DQ | F_NOCASE | F_EXCL,
		" program end subroutine function module use implicit none integer real double precision complex"
		" logical character parameter dimension allocatable intent in out inout call do if then else elseif"
		" endif enddo return stop contains type interface write read print format open close allocate"
		" deallocate select case where while exit cycle only result pure elemental recursive save data"
		" common include go to ",
		" abs sqrt sin cos tan exp log mod max min sum size shape real int nint dble matmul transpose len trim ",
		" ", " program subroutine function module " },
	{ " llvm ", F_DQ | F_SEMI,
		" define declare global constant private internal external ret br switch call tail alloca load store"
		" getelementptr icmp fcmp add fadd sub fsub mul fmul sdiv udiv fdiv srem urem and or xor shl lshr ashr"
		" phi select to label align nsw nuw inbounds eq ne sgt sge slt sle ugt uge ult ule trunc zext sext"
		" bitcast ptrtoint inttoptr unreachable attributes dso_local local_unnamed_addr unnamed_addr nounwind ",
		" i1 i8 i16 i32 i64 i128 half float double void ptr ", " null true false undef zeroinitializer ", "" },
	{ " actionscript as ", F_SLASH | F_SQ | F_DQ,
		" as break case catch class const continue default delete do dynamic each else extends final finally"
		" for function get if implements import in include instanceof interface internal is namespace native"
		" new override package private protected public return set static super switch this throw try typeof"
		" use var void while with ",
		" trace Math Array String Number int uint Boolean Object ", " true false null undefined ",
		" class interface function " },
	{ " vim vimscript ", F_VIM | F_SQ,
		" set setlocal let unlet if else elseif endif for endfor while endwhile function endfunction return"
		" call execute exe echo echom echomsg autocmd au augroup aug map nmap vmap imap noremap nnoremap"
		" vnoremap inoremap xnoremap cnoremap syntax syn filetype highlight hi colorscheme source command"
		" try catch finally endtry break continue in silent normal runtime nohlsearch ",
		" exists has expand len empty get substitute split join matchstr strftime system getline line col"
		" bufnr bufname winnr index range type string ", " ", " function " },
};

/* The words of every list of S_langs in one open hash table, keyed by the
 * list and the word (issue 13's speed: a strstr over the list for each
 * name was 70 M of the 121 M instructions highlighting kaityo256 took). */
#define S_WSLOTS 8192
typedef struct S_wslot {
	const char *list;   /* NULL: empty */
	const char *w;
	size_t n;
} S_wslot;
static S_wslot S_words[S_WSLOTS];
static size_t S_nwords;   /* kept under 3/4 of the slots: S_wfind always ends */
static pthread_once_t S_words_once = PTHREAD_ONCE_INIT;

/* The slot of (list, the n bytes at w): where it is, or the empty one
 * where it would go. */
static S_wslot *
S_wfind(const char *list, const char *w, size_t n)
{
	unsigned long long h = bb_fnv1a(BB_FNV_SEED ^ (unsigned long long)(uintptr_t)list, w, n);
	size_t i = (size_t)(h ^ (h >> 29)) & (S_WSLOTS - 1);

	while (S_words[i].list && !(S_words[i].list == list && S_words[i].n == n && memcmp(S_words[i].w, w, n) == 0))
		i = (i + 1) & (S_WSLOTS - 1);
	return &S_words[i];
}

/* Puts list's words in S_words: those between two spaces, as " w " is
 * found in " a b c ", of at most 40 bytes. */
static void
S_words_add(const char *list)
{
	const char *p, *e;

	if (!list)
		return;
	for (p = list; *p; p = e) {
		S_wslot *sl;
		e = p + strcspn(p, " ");
		if (e == p) {
			e++;
			continue;
		}
		if (p > list && *e == ' ' && e - p <= 40 && !(sl = S_wfind(list, p, (size_t)(e - p)))->list) {
			if (++S_nwords > S_WSLOTS / 4 * 3)
				abort();   /* the lists outgrew the table: raise S_WSLOTS */
			sl->list = list;
			sl->w = p;
			sl->n = (size_t)(e - p);
		}
	}
}

static void
S_words_init(void)
{
	size_t i;

	for (i = 0; i < sizeof S_langs / sizeof S_langs[0]; i++) {
		S_words_add(S_langs[i].names);
		S_words_add(S_langs[i].keywords);
		S_words_add(S_langs[i].builtins);
		S_words_add(S_langs[i].literals);
		S_words_add(S_langs[i].titles);
	}
}

/* 1 when the n bytes at w, as a word, are in the list " a b c " (one of
 * S_langs'). */
static int
S_in(const char *list, const char *w, size_t n)
{
	if (!list || n == 0 || n > 40)
		return 0;
	pthread_once(&S_words_once, S_words_init);
	return S_wfind(list, w, n)->list != NULL;
}

int
bb_hl_in(const char *list, const char *w, size_t n)
{
	return S_in(list, w, n);
}

/* Returns the table of language lang (any case), or NULL. */
static const S_lang *
S_find(const char *lang)
{
	char name[40];
	size_t i, n = strlen(lang);

	if (n == 0 || n >= sizeof name)
		return NULL;
	for (i = 0; i < n; i++) {
		char c = lang[i];
		name[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
		if (c == ' ')
			return NULL;
	}
	name[n] = '\0';
	for (i = 0; i < sizeof S_langs / sizeof S_langs[0]; i++)
		if (S_in(S_langs[i].names, name, n))
			return &S_langs[i];
	return NULL;
}

/* 1 when c may start a name (bytes of UTF-8 sequences included). */
static int
S_idstart(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

/* 1 when c may continue a name. */
static int
S_idchar(int c)
{
	return S_idstart(c) || (c >= '0' && c <= '9');
}

void
bb_hl_text(bb_buf *b, const char *s, size_t n)
{
	size_t i, a = 0;

	for (i = 0; i < n; i++) {
		const char *e = s[i] == '&' ? "&amp;" : s[i] == '<' ? "&lt;" : s[i] == '>' ? "&gt;" : NULL;
		if (e) {
			bb_buf_put(b, s + a, i - a);
			bb_buf_puts(b, e);
			a = i + 1;
		}
	}
	bb_buf_put(b, s + a, n - a);
}

void
bb_hl_span(bb_buf *b, const char *cls, const char *s, size_t n)
{
	if (n == 0)
		return;
	bb_buf_puts(b, "<span class=\"hljs-");
	bb_buf_puts(b, cls);
	bb_buf_puts(b, "\">");
	bb_hl_text(b, s, n);
	bb_buf_puts(b, "</span>");
}

/* Returns the end of a string opened by quote q at s[i] (q's length ql):
 * after the closing quote, or the line's end for an unclosed one-line
 * string, or len. */
static size_t
S_string(const char *s, size_t len, size_t i, const char *q, size_t ql, int esc, int multiline)
{
	size_t j = i + ql;

	while (j < len) {
		if (esc && s[j] == '\\' && j + 1 < len) {
			j += 2;
			continue;
		}
		if (s[j] == '\n' && !multiline)
			return j;
		if (j + ql <= len && memcmp(s + j, q, ql) == 0)
			return j + ql;
		j++;
	}
	return len;
}

/* A comment at s[i] (with an assembler label, directive or mnemonic, and a
 * preprocessor line, which end the same way): its end, with its class in
 * *cls; or 0. */
static size_t
S_comment(const S_lang *l, const char *s, size_t from, size_t to, size_t i, int line_start, const char **cls)
{
	unsigned char c = (unsigned char)s[i];
	unsigned f = l->flags;
	const char *nl;
	size_t j;

	*cls = "comment";
	if ((f & F_PASCAL) && (j = bb_hl_pascal(s, to, i, cls)) > 0)
		return j;
	if ((f & F_DLANG) && (j = bb_hl_d(s, from, to, i, line_start, cls)) > 0)
		return j;
	if (((f & F_DASH2) && c == '-' && i + 1 < to && s[i + 1] == '-') || ((f & F_EXCL) && c == '!')
		|| ((f & F_SEMI) && c == ';'))
		return (nl = memchr(s + i, '\n', to - i)) ? (size_t)(nl - s) : to;
	if ((f & F_VIM) && c == '"') {
		/* "(\\"|[^"\n])*" is a string; else a comment (highlight.js's order) */
		for (j = i + 1; j < to && s[j] != '\n' && s[j] != '"'; j++)
			j += s[j] == '\\' && j + 1 < to && s[j + 1] == '"';
		if (j < to && s[j] == '"') {
			*cls = "string";
			return j + 1;
		}
		return j;
	}
	if ((f & F_ASM) && c == ';')
		return (nl = memchr(s + i, '\n', to - i)) ? (size_t)(nl - s) : to;
	if ((f & F_ASM) && line_start && (S_idstart(c) || c == '.')) {
		/* a label "name:", a directive ".text", or the mnemonic */
		j = i + 1;
		while (j < to && (S_idchar((unsigned char)s[j]) || s[j] == '.'))
			j++;
		if (j < to && s[j] == ':') {
			*cls = "title";
			return j + 1;
		}
		*cls = c == '.' || S_in(l->keywords, s + i, j - i) ? "meta" : "keyword";
		return j;
	}
	if ((f & F_SLASH) && c == '/' && i + 1 < to && s[i + 1] == '/')
		return (nl = memchr(s + i, '\n', to - i)) ? (size_t)(nl - s) : to;
	if ((f & F_SLASH) && c == '/' && i + 1 < to && s[i + 1] == '*') {
		int depth = 1;
		j = i + 2;
		while (j < to && depth > 0) {
			if ((f & F_NESTCMT) && s[j] == '/' && j + 1 < to && s[j + 1] == '*') {
				depth++;
				j += 2;
			} else if (s[j] == '*' && j + 1 < to && s[j + 1] == '/') {
				depth--;
				j += 2;
			} else {
				j++;
			}
		}
		return j;
	}
	if ((f & F_RUBY) && line_start && c == '=' && to - i >= 6 && memcmp(s + i, "=begin", 6) == 0) {
		const char *e = NULL;
		for (j = i; j < to; j++)
			if (s[j] == '\n' && to - j > 4 && memcmp(s + j + 1, "=end", 4) == 0) {
				e = s + j + 5;
				break;
			}
		j = e ? (size_t)(e - s) : to;
		while (j < to && s[j] != '\n')
			j++;
		return j;
	}
	if ((f & F_PREPROC) && line_start && c == '#') {
		/* a directive, continued by a backslash at a line's end */
		*cls = "meta";
		j = i;
		while (j < to && s[j] != '\n')
			j += s[j] == '\\' && j + 1 < to ? 2 : 1;
		return j;
	}
	if ((f & F_HASH) && c == '#' && (i == from || line_start || s[i - 1] == ' ' || s[i - 1] == '\t'
		|| s[i - 1] == ';' || (f & (F_KEYS | F_RUBY)) || !(f & F_DOLLAR))
	    && !((f & F_RUBY) && i + 1 < to && s[i + 1] == '{'))
		return (nl = memchr(s + i, '\n', to - i)) ? (size_t)(nl - s) : to;
	return 0;
}

/* A string, variable, symbol or decorator at s[i]: its end, with its class
 * in *cls; or 0. */
static size_t
S_quoted(const S_lang *l, const char *s, size_t from, size_t to, size_t i, const char **cls)
{
	unsigned char c = (unsigned char)s[i];
	unsigned f = l->flags;
	size_t j;

	*cls = "string";
	if ((f & F_TRIPLE) && (c == '"' || c == '\'') && to - i >= 3 && s[i + 1] == c && s[i + 2] == c) {
		char q[3] = { (char)c, (char)c, (char)c };
		return S_string(s, to, i, q, 3, 1, 1);
	}
	if ((c == '"' && (f & F_DQ)) || (c == '\'' && (f & (F_SQ | F_SQ_RAW))) || (c == '`' && (f & F_BT))) {
		char q[1] = { (char)c };
		int raw = c == '\'' && (f & F_SQ_RAW);
		int multi = c == '`' || (f & (F_SQ_RAW | F_RUBY)) || ((f & F_DOLLAR) && c == '"');
		return S_string(s, to, i, q, 1, !raw, multi);
	}
	*cls = "variable";
	if ((f & F_DOLLAR) && c == '$' && i + 1 < to) {
		j = i + 1;
		if (s[j] == '{') {
			const char *e = memchr(s + j, '}', to - j);
			const char *nl = memchr(s + j, '\n', to - j);
			if (e && (!nl || e < nl))
				j = (size_t)(e - s) + 1;
		} else if (S_idstart((unsigned char)s[j])) {
			while (j < to && S_idchar((unsigned char)s[j]))
				j++;
		} else if (strchr("0123456789@#?$!*-", s[j])) {
			j++;
		}
		if (j > i + 1)
			return j;
	}
	if ((f & F_RUBY) && c == ':' && i + 1 < to && S_idstart((unsigned char)s[i + 1])
		&& (i == from || s[i - 1] != ':') && !(i > from && S_idchar((unsigned char)s[i - 1]))) {
		*cls = "symbol";
		for (j = i + 1; j < to && S_idchar((unsigned char)s[j]); j++)
			;
		return j;
	}
	if ((f & F_RUBY) && c == '@' && i + 1 < to && (S_idstart((unsigned char)s[i + 1]) || s[i + 1] == '@')) {
		for (j = i + 1; j < to && (S_idchar((unsigned char)s[j]) || s[j] == '@'); j++)
			;
		return j;
	}
	if ((f & F_AT) && c == '@' && i + 1 < to && S_idstart((unsigned char)s[i + 1])) {
		*cls = "meta";
		for (j = i + 1; j < to && (S_idchar((unsigned char)s[j]) || s[j] == '.'); j++)
			;
		return j;
	}
	return 0;
}

/* A number at s[i]: its end, with *cls "number"; a digit that goes on a
 * word is one plain character (*cls NULL); otherwise 0. */
static size_t
S_number(const char *s, size_t from, size_t to, size_t i, const char **cls)
{
	unsigned char c = (unsigned char)s[i];
	const char *dd;
	size_t j;

	if (!((c >= '0' && c <= '9') || (c == '.' && i + 1 < to && s[i + 1] >= '0' && s[i + 1] <= '9'
		&& !(i > from && S_idchar((unsigned char)s[i - 1])))))
		return 0;
	*cls = NULL;
	if (i > from && (S_idchar((unsigned char)s[i - 1])))
		return i + 1;
	j = i;
	while (j < to && (S_idchar((unsigned char)s[j]) || s[j] == '.'
		|| ((s[j] == '+' || s[j] == '-') && (s[j - 1] == 'e' || s[j - 1] == 'E')
			&& !(s[i] == '0' && i + 1 < to && (s[i + 1] == 'x' || s[i + 1] == 'X')))))
		j++;
	/* "1..10" in Ruby and Rust is a range */
	dd = memchr(s + i, '.', j - i);
	if (dd && dd + 1 < s + j && dd[1] == '.')
		j = (size_t)(dd - s);
	*cls = "number";
	return j;
}

/* A word at s[i], which starts one: its end, with its class in *cls (NULL
 * for a plain name); a keyword that names what follows sets *title_next. */
static size_t
S_word(const S_lang *l, const char *s, size_t to, size_t i, int *title_next, const char **cls)
{
	unsigned f = l->flags;
	size_t j = i;
	const char *w = s + i;
	char low[40];

	*cls = NULL;
	while (j < to && S_idchar((unsigned char)s[j]))
		j++;
	if ((f & F_RUBY) && j < to && (s[j] == '?' || s[j] == '!') && !(j + 1 < to && s[j + 1] == '='))
		j++;
	if ((f & F_BANG) && j < to && s[j] == '!') {
		*cls = "built_in";
		return j + 1;
	}
	if (f & F_KEYS) {
		size_t k = j;
		while (k < to && (s[k] == ' ' || s[k] == '\t' || s[k] == '.' || s[k] == '-'
			|| S_idchar((unsigned char)s[k])))
			k++;
		if (k < to && (s[k] == '=' || s[k] == ':')) {
			*cls = "attr";
			return k;
		}
	}
	if ((f & F_NOCASE) && j - i <= 40) {
		/* the lists are in lower case */
		size_t k;
		for (k = i; k < j; k++)
			low[k - i] = (char)(s[k] >= 'A' && s[k] <= 'Z' ? s[k] + 32 : s[k]);
		w = low;
	}
	if (*title_next) {
		*cls = "title";
		*title_next = 0;
	} else if (S_in(l->keywords, w, j - i)) {
		*cls = "keyword";
		*title_next = S_in(l->titles, w, j - i);
	} else if (S_in(l->literals, w, j - i)) {
		*cls = "literal";
	} else if (S_in(l->builtins, w, j - i)) {
		*cls = "built_in";
	}
	return j;
}

/* Tokenizes s[from..to) of language l into b: comments first (some only at
 * a line's start), then strings and sigils, numbers and words. */
static void
S_run(const S_lang *l, const char *s, size_t from, size_t to, bb_buf *b)
{
	size_t i = from, plain = from;
	int title_next = 0, line_start = 1;

	while (i < to) {
		unsigned char c = (unsigned char)s[i];
		const char *cls = NULL;
		size_t j;

		if (c == '\n' || (line_start && (c == ' ' || c == '\t'))) {
			line_start = c == '\n' || line_start;
			i++;
			continue;
		}
		if (!(j = S_comment(l, s, from, to, i, line_start, &cls))) {
			line_start = 0;
			if (!(j = S_quoted(l, s, from, to, i, &cls)) && !(j = S_number(s, from, to, i, &cls))) {
				if (!S_idstart(c)) {
					if (c != ' ' && c != '\t')
						title_next = 0;
					i++;
					continue;
				}
				j = S_word(l, s, to, i, &title_next, &cls);
			}
		}
		line_start = 0;
		if (cls) {
			bb_hl_text(b, s + plain, i - plain);
			bb_hl_span(b, cls, s + i, j - i);
			plain = j;
		}
		i = j;
	}
	bb_hl_text(b, s + plain, i - plain);
}

void
bb_hl_markup(const char *s, size_t len, bb_buf *b)
{
	size_t i = 0, plain = 0, j;

#define FLUSH() do { bb_hl_text(b, s + plain, i - plain); } while (0)
#define TOKEN(cls, end) do { FLUSH(); bb_hl_span(b, (cls), s + i, (end) - i); i = (end); plain = i; } while (0)
	while (i < len) {
		if (s[i] != '<') {
			i++;
			continue;
		}
		if (len - i >= 4 && memcmp(s + i, "<!--", 4) == 0) {
			const char *e = NULL;
			for (j = i + 4; j + 3 <= len; j++)
				if (memcmp(s + j, "-->", 3) == 0) {
					e = s + j + 3;
					break;
				}
			TOKEN("comment", e ? (size_t)(e - s) : len);
			continue;
		}
		if (i + 1 < len && (s[i + 1] == '!' || s[i + 1] == '?')) {
			const char *e = memchr(s + i, '>', len - i);
			TOKEN("meta", e ? (size_t)(e - s) + 1 : len);
			continue;
		}
		if (i + 1 < len && (S_idstart((unsigned char)s[i + 1]) || s[i + 1] == '/')) {
			/* inside a tag: name, then attributes, until '>' */
			i += s[i + 1] == '/' ? 2 : 1;
			j = i;
			while (j < len && (S_idchar((unsigned char)s[j]) || s[j] == ':' || s[j] == '-' || s[j] == '.'))
				j++;
			TOKEN("name", j);
			while (i < len && s[i] != '>' && s[i] != '<') {
				unsigned char c = (unsigned char)s[i];
				if (c == '"' || c == '\'') {
					const char *e = memchr(s + i + 1, c, len - i - 1);
					TOKEN("string", e ? (size_t)(e - s) + 1 : len);
				} else if (S_idstart(c)) {
					j = i;
					while (j < len && (S_idchar((unsigned char)s[j]) || s[j] == ':' || s[j] == '-' || s[j] == '.'))
						j++;
					TOKEN("attr", j);
				} else {
					i++;
				}
			}
			continue;
		}
		i++;
	}
	FLUSH();
#undef TOKEN
#undef FLUSH
}

int
bb_hl_native_knows(const char *lang)
{
	return S_find(lang) != NULL;
}

char *
bb_hl_native(const char *lang, const char *code, size_t len)
{
	const S_lang *l = lang ? S_find(lang) : NULL;
	bb_buf b = BB_BUF_INIT;

	if (!l)
		return NULL;
	bb_buf_puts(&b, "");
	if (l->flags & F_PROMPT) {
		/* "$ cmd" and "# cmd" lines hold commands; other lines output */
		const S_lang *sh = S_find("bash");
		size_t i = 0;
		while (i < len) {
			const char *nl = memchr(code + i, '\n', len - i);
			size_t e = nl ? (size_t)(nl - code) + 1 : len, p = i;
			while (p < e && code[p] != '$' && code[p] != '#' && code[p] != '%' && code[p] != '>'
				&& code[p] != '\n' && p - i < 40 && code[p] != ' ')
				p++;
			if (p < e && p + 1 < e && (code[p] == '$' || code[p] == '#' || code[p] == '%')
				&& code[p + 1] == ' ') {
				bb_hl_text(&b, code + i, p - i);
				bb_hl_span(&b, "meta", code + p, 2);
				S_run(sh, code, p + 2, e, &b);
			} else {
				bb_hl_text(&b, code + i, e - i);
			}
			i = e;
		}
	} else if (l->flags & F_MARKUP) {
		bb_hl_markup(code, len, &b);
	} else if (l->flags & F_TEX) {
		bb_hl_tex(code, len, &b);
	} else if (l->flags & F_MD) {
		bb_hl_md(code, len, &b);
	} else if (l->flags & F_DIFF) {
		bb_hl_diff(code, len, &b);
	} else if (l->flags & F_MAKE) {
		bb_hl_make(l->keywords, l->builtins, code, len, &b);
	} else {
		S_run(l, code, 0, len, &b);
	}
	return bb_buf_detach(&b, NULL);
}
