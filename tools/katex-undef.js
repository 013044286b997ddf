// tools/katex-undef.js: prints the control symbols (a backslash and one
// printable ASCII character) that KaTeX does not define in math mode, the
// set in S_command of src/mathfast.c (the KaTeX error the C path writes
// without KaTeX), run with node. Each is kept only when
// KaTeX fails with "Undefined control sequence" on it, with the same
// message, in five places (between letters, in braces, as a script, as
// \frac's argument, alone), inline and in display mode. Run it again when
// Debian's KaTeX changes (with tools/mathfast-table.js).
const fs = require('fs'), vm = require('vm');
globalThis.self = globalThis;
const src = fs.readFileSync('/usr/share/javascript/katex/katex.min.js', 'utf8');
vm.runInThisContext('(function(module,exports,define,require){' + src + '\n})')();
function E(t, d) {
	try {
		katex.renderToString(t, { displayMode: !!d, output: 'mathml', throwOnError: true, trust: false,
			strict: 'ignore', maxSize: 100, maxExpand: 1000, errorColor: '#fe0bb1',
			macros: { '\\displaylines': '\\begin{gathered}#1\\end{gathered}' } });
		return null;
	} catch (e) {
		return String(e);
	}
}
let u = '';
for (let i = 32; i < 127; i++) {
	const c = String.fromCharCode(i), n = '\\' + c;
	const want = 'ParseError: KaTeX parse error: Undefined control sequence: ' + n + ' ';
	if (['x' + n + 'y', '{' + n + '}', 'x^' + n, '\\frac' + n + 'b', n].every(t => {
		const e = E(t, 0), f = E(t, 1);
		return e && e.startsWith(want) && e === f;
	}))
		u += c;
}
console.log(JSON.stringify(u));
