// glyphs.js: vertical Japanese punctuation in a minimal page, outside
// epub.js: the same text in a few CSS variants (the book's rules, each
// property alone, a horizontal control), each shown, screenshot and
// measured with reader.js's rules (pageInk, verticalForm), in chromium and
// in WebKitGTK (webdriver.js; run under xvfb-run for --webkit).
// usage: node glyphs.js OUT_DIR [--webkit]
// Prints one line per variant and mark, then "glyphs: N passed, N failed"
// for the variants that must pass (the horizontal control must fail).
'use strict';

const fs = require('fs');
const http = require('http');
const path = require('path');
const webdriver = require('./webdriver');

const TEXT = '「Lux」発表、その真意はどこにあるのか。スーパーコンピューター（DOE）と『富岳』の…';
const FONT = '"Noto Serif CJK JP", "Source Han Serif JP", serif';
const VERT = 'writing-mode: vertical-rl; -epub-writing-mode: vertical-rl; -webkit-writing-mode: vertical-rl;';

// name, content type, html attributes, root style, body style, and what
// the marks must be: 'pass' all vertical (correct CSS), 'none' (the
// horizontal control), 'info' (a workaround, measured and not judged)
const VARIANTS = [
  ['book-xhtml', 'xhtml', 'lang="ja" xml:lang="ja"', VERT, `font-family: ${FONT}`, 'pass'],
  ['book-html', 'html', 'lang="ja"', VERT, `font-family: ${FONT}`, 'pass'],
  ['no-lang', 'html', '', VERT, `font-family: ${FONT}`, 'pass'],
  ['sans', 'html', 'lang="ja"', VERT, 'font-family: "Noto Sans CJK JP", sans-serif', 'pass'],
  ['generic-serif', 'html', 'lang="ja"', VERT, 'font-family: serif', 'pass'],
  ['orientation-mixed', 'html', 'lang="ja"', `${VERT} text-orientation: mixed; -webkit-text-orientation: mixed;`, `font-family: ${FONT}`, 'pass'],
  ['orientation-upright', 'html', 'lang="ja"', `${VERT} text-orientation: upright; -webkit-text-orientation: upright;`, `font-family: ${FONT}`, 'pass'],
  ['feature-vert', 'html', 'lang="ja"', VERT, `font-family: ${FONT}; font-feature-settings: "vert" 1, "vrt2" 1`, 'info'],
  ['feature-vert-only', 'html', 'lang="ja"', VERT, `font-family: ${FONT}; font-feature-settings: "vert"`, 'info'],
  ['feature-vert-xhtml', 'xhtml', 'lang="ja" xml:lang="ja"', `${VERT} font-feature-settings: "vert";`, `font-family: ${FONT}`, 'info'],
  ['optimize-legibility', 'html', 'lang="ja"', VERT, `font-family: ${FONT}; text-rendering: optimizeLegibility`, 'pass'],
  ['kerning', 'html', 'lang="ja"', VERT, `font-family: ${FONT}; font-kerning: normal; font-variant-east-asian: full-width`, 'pass'],
  ['horizontal-control', 'html', 'lang="ja"', '', `font-family: ${FONT}`, 'none'],
];

function page(v) {
  const [name, type, attrs, root, body] = v;
  const css = `html { ${root} } body { margin: 20px; font-size: 32px; line-height: 1.75; ${body} }`;
  if (type === 'xhtml') {
    return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" ${attrs}><head><meta charset="UTF-8"/><title>${name}</title>
<style>${css}</style></head><body><p id="t">${TEXT}</p></body></html>`;
  }
  return `<!DOCTYPE html><html ${attrs}><head><meta charset="utf-8"><title>${name}</title>
<style>${css}</style></head><body><p id="t">${TEXT}</p></body></html>`;
}

// Runs in the page: the em square of each punctuation mark of #t, as
// reader.js's pageProbe finds them, plus the computed styles that matter.
function pageMarks() {
  const p = document.getElementById('t');
  const n = p.firstChild;
  const cs = getComputedStyle(p);
  const fs = parseFloat(cs.fontSize);
  const kinds = { wide: '「」『』（）【】〔〕〈〉《》', tall: 'ー…‥', corner: '、。' };
  const marks = [];
  const seen = {};
  for (let i = 0; i < n.data.length; i++) {
    const c = n.data[i];
    const kind = Object.keys(kinds).find((k) => kinds[k].includes(c));
    if (!kind || seen[c]) continue;
    const r = document.createRange();
    r.setStart(n, i);
    r.setEnd(n, i + 1);
    const b = r.getBoundingClientRect();
    seen[c] = true;
    if (cs.writingMode.startsWith('vertical')) {
      marks.push({ c, kind, x: b.left + (b.width - fs) / 2, y: b.top, w: fs, h: b.height, box: `${b.width.toFixed(1)}x${b.height.toFixed(1)}` });
    } else {
      marks.push({ c, kind, x: b.left, y: b.top + (b.height - fs) / 2, w: b.width, h: fs, box: `${b.width.toFixed(1)}x${b.height.toFixed(1)}` });
    }
  }
  return {
    marks,
    style: {
      writingMode: cs.writingMode, textOrientation: cs.textOrientation || cs.webkitTextOrientation,
      fontFamily: cs.fontFamily, lang: document.documentElement.lang, features: cs.fontFeatureSettings,
      contentType: document.contentType,
    },
  };
}

function serve() {
  const server = http.createServer((req, res) => {
    const name = new URL(req.url, 'http://127.0.0.1').pathname.slice(1);
    const v = variantPage(name);
    if (!v) {
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200, { 'Content-Type': v.type });
    res.end(v.body);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

// Shows VARIANTS[name] at base + name in pg (a reader.js/webdriver.js page),
// saves the screenshot in file and measures its marks with reader.js's rules:
// resolves to { good, total, style, lines }.
async function measure(pg, base, name, file) {
  const reader = require('./reader');
  const { within, STEP_MS } = reader;
  await within(pg.goto(base + name), STEP_MS, 'goto');
  await within(pg.evaluate(() => document.fonts.ready.then(() => null)), STEP_MS, 'fonts');
  const got = await within(pg.evaluate(pageMarks), STEP_MS, 'marks');
  const png = await within(pg.screenshot(file), STEP_MS, 'screenshot');
  const ink = await within(pg.evaluate(reader.pageInk, { png: png.toString('base64'), marks: got.marks }), STEP_MS, 'ink');
  const res = ink.map(reader.verticalForm);
  const lines = ink.map((m, k) => `${m.c} box ${got.marks[k].box} at ${m.x.toFixed(1)},${m.y.toFixed(1)}: ` +
    `${res[k][0] ? 'vertical form' : 'NOT vertical'} (${res[k][1]})`);
  return { good: res.filter((r) => r[0]).length, total: res.length, style: got.style, lines };
}

// The page of one variant by name (reader.js serves 'book-html' as the
// engine's control), or null.
function variantPage(name) {
  const v = VARIANTS.find((x) => x[0] === name);
  return v ? { type: v[1] === 'xhtml' ? 'application/xhtml+xml' : 'text/html; charset=utf-8', body: page(v) } : null;
}

async function main() {
  const reader = require('./reader');
  const argv = process.argv.slice(2);
  const webkit = argv.includes('--webkit');
  const out = argv.find((a) => !a.startsWith('--'));
  if (!out) {
    console.error('usage: node glyphs.js OUT_DIR [--webkit]');
    process.exit(2);
  }
  fs.mkdirSync(out, { recursive: true });
  const server = await serve();
  const base = `http://127.0.0.1:${server.address().port}/`;
  const { within, STEP_MS, VIEW } = reader;
  const pg = webkit ? await within(webdriver.open(VIEW, STEP_MS), STEP_MS * 4, 'WebKitWebDriver session')
    : await reader.chromiumPage();
  console.log(`# engine: ${pg.engine} ${pg.version}`);
  let passed = 0;
  let failed = 0;
  try {
    for (const v of VARIANTS) {
      const [name, , , , , must] = v;
      const file = path.join(out, `glyphs-${pg.engine}-${name}.png`);
      const m = await measure(pg, base, name, file);
      const good = m.good;
      console.log(`# ${name}: ${JSON.stringify(m.style)}; screenshot ${file}`);
      for (const l of m.lines) console.log(`#   ${l}`);
      const all = good === m.total && m.total > 0;
      const line = `${pg.engine} ${name}: ${good} of ${m.total} marks in their vertical form`;
      if (must === 'info') {
        console.log(`# ${line} (a workaround, not judged)`);
        continue;
      }
      const okay = must === 'pass' ? all : good === 0;
      if (okay) passed++;
      else failed++;
      console.log(`${okay ? 'ok' : 'not ok'} - ${line}${must === 'none' ? ' (a horizontal control: must be 0)' : ''}`);
    }
  } finally {
    await pg.close().catch(() => {});
    server.close();
  }
  console.log(`glyphs: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

if (require.main === module) {
  main().catch((e) => {
    console.log(`not ok - glyphs.js runs: ${e && e.message}`);
    process.exit(1);
  });
}

module.exports = { measure, variantPage, CONTROL: 'book-html', FORCED: 'feature-vert-only' };
