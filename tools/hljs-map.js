// tools/hljs-map.js: prints src/hljs_map.h, the map of Debian's highlight.js
// that lets the Node engine register only the languages a book asks for
// (src/highlight.c): every language in the file's order, each name and alias
// with the language highlight.js's getLanguage gives for it once all are
// registered, the languages each one needs (explicit subLanguage names and
// those its definition asks for with requireLanguage or getLanguage), and
// those that need them all (a subLanguage list that is empty: highlightAuto
// over every language, in registration order). Run with node when Debian's
// highlight.js changes; the map is used only for the file whose length and
// FNV-1a hash it gives (BB_HLJS_MAP_LEN, BB_HLJS_MAP_FNV).
const fs = require('fs'), vm = require('vm');
const path = process.argv[2] || '/usr/share/javascript/highlight.js/highlight.min.js';
const src = fs.readFileSync(path);
const g = globalThis, nop = function () {};
g.self = g;
g.console = { log: nop, warn: nop, error: nop, info: nop, debug: nop };

// FNV-1a, 64 bits, as util.c's bb_fnv1a with BB_FNV_SEED
let h = 0xcbf29ce484222325n;
for (const b of src) h = ((h ^ BigInt(b)) * 0x100000001b3n) & 0xffffffffffffffffn;

// the file run as jsnode.c runs it, with registerLanguage watched: the
// names in order, and what each definition asked for while it ran
const order = [], asked = {};
let cur = null;
Object.defineProperty(g, 'hljs', { configurable: true, set(v) {
	Object.defineProperty(g, 'hljs', { value: v, writable: true, configurable: true });
	const reg = v.registerLanguage, req = v.requireLanguage, get = v.getLanguage;
	v.registerLanguage = function (n, f) {
		order.push(n);
		asked[n] = [];
		cur = n;
		reg(n, f);
		cur = null;
	};
	v.requireLanguage = function (n) { if (cur) asked[cur].push(n); return req(n); };
	v.getLanguage = function (n) { if (cur) asked[cur].push(n); return get(n); };
} });
vm.runInThisContext('(function(module,exports,define,require){' + src.toString('utf8') + '\n})')();
const hljs = g.hljs;
const idx = {};
order.forEach(function (n, i) { idx[n] = i; });
if (new Set(order).size !== order.length) throw new Error('a language registered twice');

// the language (its index) getLanguage gives for a name
function lang(n) {
	const l = hljs.getLanguage(n);
	if (!l) return -1;
	for (let i = order.length - 1; i >= 0; i--)
		if (hljs.getLanguage(order[i]) === l) return i;
	throw new Error('no name for ' + n);
}

// each definition's subLanguage values, anywhere in its modes
function subs(def) {
	const seen = new Set(), out = [];
	let all = false;
	(function walk(o) {
		if (!o || typeof o !== 'object' || seen.has(o)) return;
		seen.add(o);
		if ('subLanguage' in o && o.subLanguage != null) {
			if (typeof o.subLanguage === 'string') out.push(o.subLanguage);
			else if (o.subLanguage.length === 0) all = true;
			else for (const s of o.subLanguage) {
				// a list is looked up with getLanguage (aliases too); a
				// name is what such a list must hold here
				if (!(s in idx)) throw new Error('subLanguage list entry not a name: ' + s);
				out.push(s);
			}
		}
		for (const k of Object.keys(o)) walk(o[k]);
	})(def);
	return { names: out, all: all };
}

const deps = [], needall = [];
order.forEach(function (n, i) {
	const s = subs(hljs.getLanguage(n));
	const d = new Set();
	for (const x of s.names) if (x in idx) d.add(idx[x]);   // an unknown name stays plain either way
	for (const x of asked[n]) {
		const j = lang(x);
		// asked for one registered after it: it ran without it (plain)
		if (j > i) throw new Error(n + ' asks for ' + x + ', registered later');
		if (j >= 0) d.add(j);
	}
	d.delete(i);
	deps.push([...d].sort(function (a, b) { return a - b; }));
	if (s.all) needall.push(i);
});

// a language needing one that needs all needs all
for (let again = true; again;) {
	again = false;
	deps.forEach(function (d, i) {
		if (needall.indexOf(i) < 0 && d.some(function (j) { return needall.indexOf(j) >= 0; })) {
			needall.push(i);
			again = true;
		}
	});
}
needall.sort(function (a, b) { return a - b; });

// every key getLanguage answers: the names and all aliases
const keys = {};
order.forEach(function (n, i) {
	keys[n] = i;
	for (const a of hljs.getLanguage(n).aliases || []) keys[a] = lang(a);
});
for (const k of Object.keys(keys)) if (lang(k) !== keys[k]) throw new Error('key ' + k);

const map = { o: order, k: keys, d: {}, a: needall };
deps.forEach(function (d, i) { if (d.length) map.d[i] = d; });
const js = JSON.stringify(map);
const lines = [];
for (let i = 0; i < js.length; i += 100)
	lines.push('\t"' + js.slice(i, i + 100).replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"');
process.stdout.write(
	'/* hljs_map.h: made by tools/hljs-map.js from ' + path + ' (do not edit):\n' +
	' * its ' + order.length + ' languages in order, the language of each name and alias,\n' +
	' * what each needs, those needing all (src/highlight.c): JSON in pieces. */\n' +
	'#define BB_HLJS_MAP_LEN ' + src.length + '\n' +
	'#define BB_HLJS_MAP_FNV 0x' + h.toString(16).padStart(16, '0') + 'ULL\n' +
	'static const char *const S_hljs_map[] = {\n' + lines.join(',\n') + ',\n\tNULL\n};\n');
