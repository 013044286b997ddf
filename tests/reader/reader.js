// reader.js: opens an EPUB in epub.js inside headless chromium (or, with
// --webkit, WebKitGTK's MiniBrowser driven by WebKitWebDriver, see
// webdriver.js), shows every chapter of its table of contents and checks
// what a reader would see.
// usage: node reader.js BOOK.epub ARTIFACT_DIR [--expect-vertical] [--expect-media] [--expect-math] [--webkit]
'use strict';

const fs = require('fs');
const http = require('http');
const path = require('path');
const { execFileSync } = require('child_process');
const webdriver = require('./webdriver');
const glyphs = require('./glyphs');

const CHROMIUM = process.env.READER_CHROMIUM || '/usr/bin/chromium';
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
  '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic'];
const STEP_MS = Number(process.env.READER_STEP_MS) || 15000;   // one await
const TOTAL_MS = Number(process.env.READER_TOTAL_MS) || 600000; // whole run
const MIN_CHARS = Number(process.env.READER_MIN_CHARS) || 10;   // non-blank
const VIEW = { width: 800, height: 900 };

let passed = 0;
let failed = 0;
let todo = 0;

function ok(cond, what, why) {
  if (cond) {
    passed++;
    console.log(`ok - ${what}`);
  } else {
    failed++;
    const first = String(why || '').split('\n')[0];
    console.log(`not ok - ${what}${first ? ': ' + first : ''}`);
  }
  return cond;
}

// A check the engine itself cannot pass, shown by a minimal page with
// correct CSS failing in the same engine (glyphs.js): printed as a TAP TODO,
// not counted as a failure.
function known(what, why) {
  todo++;
  console.log(`not ok - ${what} # TODO ${why}`);
}

function note(msg) {
  console.log(`# ${msg}`);
}

function finish(code) {
  console.log(`reader: ${passed} passed, ${failed} failed${todo ? `, ${todo} known engine defects (TODO)` : ''}`);
  process.exit(code !== undefined ? code : (failed > 0 ? 1 : 0));
}

// Settles like p, or rejects after ms: display() of a broken book never settles.
function within(p, ms, what) {
  let timer;
  const t = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

function norm(s) {
  return String(s || '').normalize('NFC').replace(/\s+/g, ' ').trim();
}

function visible(s) {
  return String(s || '').replace(/\s+/g, '').length;
}

const RTL_LANGS = ['ar', 'arc', 'ckb', 'dv', 'fa', 'he', 'ps', 'sd', 'syr', 'ug', 'ur', 'yi'];
const KANA = /[\u3040-\u309f\u30a0-\u30ff]/g;

// 'ja', 'en' or another primary subtag: the html element's lang when it has
// one, else kana in the text mean Japanese and mostly Latin letters English.
function language(ch) {
  if (ch.lang) return ch.lang.toLowerCase().split('-')[0];
  const kana = (ch.text.match(KANA) || []).length;
  if (kana > 0) return 'ja';
  const latin = (ch.text.match(/[A-Za-z]/g) || []).length;
  return latin * 2 >= visible(ch.text) ? 'en' : '';
}

const PAGE = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>reader check</title>
<style>html,body{margin:0;padding:0;background:#fff}
#viewer{width:${VIEW.width - 40}px;height:${VIEW.height - 40}px;margin:20px}</style>
<script src="/jszip.min.js"></script>
<script src="/epub.min.js"></script>
</head><body><div id="viewer"></div>
<script>
'use strict';
window.within = function (p, ms, what) {
  var timer;
  var t = new Promise(function (_, reject) {
    timer = setTimeout(function () { reject(new Error(what + ': no answer within ' + ms + ' ms')); }, ms);
  });
  return Promise.race([p, t]).finally(function () { clearTimeout(timer); });
};
</script>
</body></html>`;

// Runs in the page: opens the book and lists the toc, subitems included,
// with each item's spine document resolved against the nav document.
async function pageOpen(args) {
  const { url, ms, width, height } = args;
  const book = ePub(url, { openAs: 'epub' });
  window.book = book;
  await within(book.ready, ms, 'book.ready');
  const nav = await within(book.loaded.navigation, ms, 'book.loaded.navigation');
  window.rendition = book.renderTo('viewer', { width, height, spread: 'none' });
  const navPath = book.packaging.navPath || book.packaging.ncxPath || '';
  const items = [];
  const walk = (list, depth) => {
    for (const it of list || []) {
      const href = it.href || '';
      let section = null;
      if (href) {
        // toc hrefs are relative to the nav document, spine hrefs to the OPF.
        const rel = decodeURIComponent(new URL(href, 'http://b/' + navPath).pathname.slice(1));
        section = book.spine.get(rel) || book.spine.get(href);
      }
      items.push({
        label: it.label || '', href, depth,
        file: section ? section.href : null,
        index: section ? section.index : -1,
      });
      walk(it.subitems, depth + 1);
    }
  };
  walk(nav.toc, 0);
  return {
    items,
    direction: book.packaging.metadata.direction || '',
    title: book.packaging.metadata.title || '',
  };
}

// Runs in the page: shows one spine document and reports what is on screen.
async function pageShow(args) {
  const { file, index, ms } = args;
  await within(window.rendition.display(file), ms, 'rendition.display(' + file + ')');
  const all = window.rendition.getContents();
  const contents = all.find((c) => c.sectionIndex === index);
  if (!contents) {
    return { error: 'the rendition shows no document for spine item ' + index +
      ' (shown: ' + all.map((c) => c.sectionIndex).join(',') + ')' };
  }
  const doc = contents.document;
  if (doc.fonts) await within(doc.fonts.ready, ms, 'document.fonts.ready');
  const root = doc.documentElement;
  // The same text without ruby readings, for titles written with ruby.
  let plain = '';
  if (doc.body) {
    const copy = doc.body.cloneNode(true);
    copy.querySelectorAll('rt,rp').forEach((e) => e.remove());
    plain = copy.textContent;
  }
  // Formulas drawn (MathML laid out: a box with width and height) and
  // images decoded (a broken or unsupported one rejects decode()).
  const maths = [...doc.getElementsByTagNameNS('http://www.w3.org/1998/Math/MathML', 'math')];
  const drawn = maths.filter((m) => { const r = m.getBoundingClientRect(); return r.width > 0 && r.height > 0; });
  const imgs = [...doc.images];
  const decoded = await within(Promise.all(imgs.map((i) => i.decode().then(() => i.naturalWidth > 0, () => false))),
    ms, 'image decode').catch(() => imgs.map(() => false));
  return {
    maths: maths.length, mathsDrawn: drawn.length,
    imgs: imgs.length, imgsShown: decoded.filter(Boolean).length,
    imgsBroken: imgs.filter((_, k) => !decoded[k]).map((i) => i.getAttribute('src')).slice(0, 3),
    text: doc.body ? doc.body.innerText : '',
    plain,
    lang: root.getAttribute('lang') ||
      root.getAttributeNS('http://www.w3.org/XML/1998/namespace', 'lang') || '',
    writingMode: doc.defaultView.getComputedStyle(root).writingMode,
    direction: doc.defaultView.getComputedStyle(doc.body || root).direction,
    images: doc.querySelectorAll('img').length,
    formulas: doc.getElementsByTagNameNS('http://www.w3.org/1998/Math/MathML', 'math').length,
  };
}

// Runs in the page: brings the chapter's first image (args.kind 'image') or
// first formula ('formula', one with a fraction when there is one) on
// screen (epub.js shows the page holding it) and reports its box on the
// page, whether the image loaded, and where a fraction's numerator and
// denominator stand.
async function pageMedia(args) {
  const M = 'http://www.w3.org/1998/Math/MathML';
  const find = (doc) => {
    if (args.kind === 'image') return doc.querySelector('img');
    const frac = doc.getElementsByTagNameNS(M, 'mfrac')[0];
    return frac ? frac.closest('math') : doc.getElementsByTagNameNS(M, 'math')[0];
  };
  const shown = () => window.rendition.getContents().find((c) => c.sectionIndex === args.index);
  let contents = shown();
  if (!contents) return { error: 'document not shown' };
  let el = find(contents.document);
  if (!el) return { error: 'no ' + args.kind + ' in the document' };
  await within(window.rendition.display(contents.cfiFromNode(el)), args.ms, 'display the ' + args.kind);
  contents = shown();
  if (!contents) return { error: 'document not shown after moving to the ' + args.kind };
  const doc = contents.document;
  el = find(doc);
  if (doc.fonts) await within(doc.fonts.ready, args.ms, 'document.fonts.ready');
  if (args.kind === 'image' && !el.complete) {
    await within(new Promise((resolve) => { el.onload = resolve; el.onerror = resolve; }), args.ms, 'image load');
  }
  const fr = doc.defaultView.frameElement.getBoundingClientRect();
  const vr = document.getElementById('viewer').getBoundingClientRect();
  // a display formula's box is the line's width: the box of its text
  let b = el.getBoundingClientRect();
  if (args.kind === 'formula') {
    const r = doc.createRange();
    r.selectNodeContents(el);
    const t = r.getBoundingClientRect();
    if (t.width > 0 && t.height > 0) b = t;
  }
  const rect = { x: fr.left + b.left, y: fr.top + b.top, w: b.width, h: b.height };
  const res = {
    rect,
    onScreen: rect.w > 0 && rect.h > 0 && rect.x >= vr.left - 1 && rect.y >= vr.top - 1 &&
      rect.x + rect.w <= vr.right + 1 && rect.y + rect.h <= vr.bottom + 1,
  };
  if (args.kind === 'image') {
    res.loaded = el.complete && el.naturalWidth > 0;
    res.natural = el.naturalWidth + 'x' + el.naturalHeight;
    res.name = el.getAttribute('src') || '';
  } else {
    const ann = el.getElementsByTagNameNS(M, 'annotation')[0];
    res.name = ann ? ann.textContent : el.textContent;
    const frac = el.getElementsByTagNameNS(M, 'mfrac')[0];
    if (frac && frac.children.length === 2) {
      const n = frac.children[0].getBoundingClientRect();
      const d = frac.children[1].getBoundingClientRect();
      res.frac = { numBottom: n.bottom, denTop: d.top, numH: n.height, denH: d.height };
    }
  }
  return res;
}

// Runs in the page: turns to the page of the first display formula of the
// shown document (any formula when none is display) and reports its box on
// screen and the layout Chromium gave it.
async function pageMath(args) {
  const contents = window.rendition.getContents().find((c) => c.sectionIndex === args.index);
  if (!contents) return { error: 'document not shown' };
  const ns = 'http://www.w3.org/1998/Math/MathML';
  const all = [...contents.document.getElementsByTagNameNS(ns, 'math')];
  const m = all.find((e) => e.getAttribute('display') === 'block') || all[0];
  if (!m) return { error: 'no formula' };
  await within(window.rendition.display(contents.cfiFromNode(m)), args.ms, 'display the formula');
  const r = m.getBoundingClientRect();
  const frame = contents.document.defaultView.frameElement.getBoundingClientRect();
  const view = { w: window.innerWidth, h: window.innerHeight };
  const x = frame.left + r.left - contents.document.scrollingElement.scrollLeft;
  return {
    display: contents.document.defaultView.getComputedStyle(m).display,
    w: r.width, h: r.height, x, y: frame.top + r.top,
    onScreen: r.width > 0 && r.height > 0 && x >= 0 && x + r.width <= view.w + 1,
    tex: (m.querySelector('annotation') || {}).textContent || '',
  };
}

// Runs in the page: in the shown vertical document, measures where the
// characters of the first paragraphs land. Text must run top to bottom, and
// each new line must stand left of the one before.
function pageVertical(args) {
  const contents = window.rendition.getContents().find((c) => c.sectionIndex === args.index);
  if (!contents) return { error: 'document not shown' };
  const doc = contents.document;
  const rectOf = (node, i) => {
    const r = doc.createRange();
    r.setStart(node, i);
    r.setEnd(node, i + 1);
    const b = r.getBoundingClientRect();
    return { x: b.left + b.width / 2, y: b.top + b.height / 2, w: b.width, h: b.height };
  };
  // Characters of an element in order, skipping white space, ruby text and
  // tate-chu-yoko (digits set side by side on purpose).
  const view = doc.defaultView;
  const skip = (n) => {
    const el = n.parentElement;
    if (!el) return false;
    if (el.closest('rt,rp')) return true;
    const tcy = view.getComputedStyle(el).textCombineUpright;
    return tcy !== undefined && tcy !== 'none';
  };
  const chars = (el) => {
    const out = [];
    const tw = doc.createTreeWalker(el, NodeFilter.SHOW_TEXT, {
      acceptNode: (n) => skip(n) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
    });
    for (let n = tw.nextNode(); n; n = tw.nextNode()) {
      for (let i = 0; i < n.data.length; i++) {
        if (!/\s/.test(n.data[i])) out.push({ node: n, i, c: n.data[i] });
      }
    }
    return out;
  };
  let paras = Array.from(doc.querySelectorAll('p')).filter((p) => chars(p).length >= 2);
  if (paras.length === 0) return { error: 'no paragraph with two characters' };
  // Body text rather than a date line in a header, when there is some.
  const start = paras.findIndex((p) => chars(p).length >= 20 && !p.closest('header,nav,footer'));
  if (start > 0) paras = paras.slice(start);
  const cs = chars(paras[0]);
  const a = rectOf(cs[0].node, cs[0].i);
  const b = rectOf(cs[1].node, cs[1].i);
  const res = {
    pair: cs[0].c + cs[1].c, first: a, second: b,
    downward: b.y > a.y + a.h / 4,
    sameColumn: Math.abs(b.x - a.x) < Math.max(a.w, 1) / 2,
  };
  // The next line: the first character of the paragraph that leaves the
  // first one's column, or else the start of the next paragraph.
  let next = null;
  for (let k = 2; k < cs.length; k++) {
    const r = rectOf(cs[k].node, cs[k].i);
    if (Math.abs(r.x - a.x) >= Math.max(a.w, 1) / 2) {
      next = { r, c: cs[k].c, where: 'same paragraph, character ' + (k + 1) };
      break;
    }
  }
  if (!next && paras.length > 1) {
    const c2 = chars(paras[1]);
    next = { r: rectOf(c2[0].node, c2[0].i), c: c2[0].c, where: 'next paragraph' };
  }
  if (!next) {
    res.error = 'only one line of text: cannot tell where the second line goes';
    return res;
  }
  res.nextLine = { x: next.r.x, y: next.r.y, c: next.c, where: next.where };
  res.leftward = next.r.x < a.x - Math.max(a.w, 1) / 2;
  return res;
}

// Fonts with proper vertical forms (the OpenType vert/vrt2 features) for
// Japanese punctuation. Not Droid Sans Fallback, the one other Japanese font
// Debian often has: in vertical text it draws 「」、。ー as unrelated kanji and
// kana shapes, and （） upright.
const VERTICAL_FONTS = /^(Noto (Sans|Serif)( Mono)? CJK|Source Han (Sans|Serif)|IPAex?(P|U)?(Mincho|Gothic)|IPA[PU]?(Mincho|Gothic)|Takao|Hiragino|Yu (Mincho|Gothic)|Kozuka|BIZ UD|HaranoAji|Sawarabi|VL (P)?Gothic|Ume|MS (P)?(Mincho|Gothic))/i;
// Han, kana and CJK punctuation: the characters a vertical font must draw.
const CJK = /[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff60]/g;

// Runs in the page: in the shown vertical document, keeps the text nodes of
// the heading and the first paragraphs in window.bbFontProbe (for the
// DevTools protocol to ask which fonts drew them), and lists the visible
// punctuation marks whose vertical form differs from the horizontal one,
// each with its em square on the page (not the iframe) and its kind for
// verticalForm: 'wide' (brackets), 'tall' (the long vowel mark, leaders),
// 'corner' (、。).
function pageProbe(args) {
  const contents = window.rendition.getContents().find((c) => c.sectionIndex === args.index);
  if (!contents) return { error: 'document not shown' };
  const doc = contents.document;
  const view = doc.defaultView;
  const frame = view.frameElement;
  if (!frame) return { error: 'the chapter is not in an iframe' };
  const fr = frame.getBoundingClientRect();
  const vr = document.getElementById('viewer').getBoundingClientRect();
  const skip = (n) => {
    const el = n.parentElement;
    if (!el || el.closest('rt,rp,script,style,pre,code,table,figure,.math')) return true;
    const tcy = view.getComputedStyle(el).textCombineUpright;
    return tcy !== undefined && tcy !== 'none';
  };
  const nodes = [];
  const tw = doc.createTreeWalker(doc.body || doc.documentElement, NodeFilter.SHOW_TEXT, {
    acceptNode: (n) => (skip(n) || !/\S/.test(n.data)) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
  });
  const kinds = { wide: '「」『』（）【】〔〕〈〉《》', tall: 'ー…‥', corner: '、。' };
  const kindOf = (c) => Object.keys(kinds).find((k) => kinds[k].includes(c));
  const marks = [];
  const perChar = {};
  const rejected = [];
  let total = 0;
  for (let n = tw.nextNode(); n && nodes.length < args.maxNodes; n = tw.nextNode()) {
    if (total < args.maxChars) {
      nodes.push(n);
      total += n.data.length;
    }
    for (let i = 0; i < n.data.length && marks.length < args.maxMarks; i++) {
      const c = n.data[i];
      const kind = kindOf(c);
      if (!kind || (perChar[c] || 0) >= args.perChar) continue;
      const r = doc.createRange();
      r.setStart(n, i);
      r.setEnd(n, i + 1);
      const rects = r.getClientRects();
      if (rects.length !== 1) continue;
      const b = rects[0];
      const x = fr.left + b.left;
      const y = fr.top + b.top;
      // Whole on screen, one em long (not squeezed to half an em by
      // text-spacing-trim: then the corner rule cannot hold).
      const fs = parseFloat(view.getComputedStyle(n.parentElement).fontSize) || 16;
      if (x < vr.left || y < vr.top || x + b.width > vr.right || y + b.height > vr.bottom) continue;
      if (b.height < 0.9 * fs || b.height > 1.1 * fs || b.width < 0.9 * fs) {
        if (rejected.length < 6) rejected.push(`${c} ${b.width.toFixed(1)}x${b.height.toFixed(1)} (font ${fs}px)`);
        continue;
      }
      perChar[c] = (perChar[c] || 0) + 1;
      // The em square, centred across the line (the box spans the font's
      // ascent and descent, wider than an em).
      marks.push({ c, kind, x: x + (b.width - fs) / 2, y, w: fs, h: b.height });
    }
    if (total >= args.maxChars && marks.length >= args.maxMarks) break;
  }
  window.bbFontProbe = nodes;
  return {
    nodes: nodes.map((n) => ({ text: n.data, tag: n.parentElement.tagName.toLowerCase() })),
    marks,
    rejected,
  };
}

// Runs in the page: decodes the PNG screenshot (base64) and measures the ink
// (pixels darker than light grey) in each mark's em square: its bounding box and its
// centre of mass relative to the box's centre, in pixels.
async function pageInk(args) {
  const bin = atob(args.png);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  const bmp = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
  const canvas = new OffscreenCanvas(bmp.width, bmp.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(bmp, 0, 0);
  return args.marks.map((m) => {
    const x0 = Math.round(m.x);
    const y0 = Math.round(m.y);
    const w = Math.max(1, Math.round(m.w));
    const h = Math.max(1, Math.round(m.h));
    const px = ctx.getImageData(x0, y0, w, h).data;
    const cols = new Array(w).fill(0);
    const rows = new Array(h).fill(0);
    let sum = 0;
    let sx = 0;
    let sy = 0;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const o = (y * w + x) * 4;
        const lum = 0.299 * px[o] + 0.587 * px[o + 1] + 0.114 * px[o + 2];
        if (lum >= 192) continue; // thin serif strokes are grey
        const ink = (255 - lum) / 255;
        cols[x] += ink;
        rows[y] += ink;
        sum += ink;
        sx += ink * (x + 0.5);
        sy += ink * (y + 0.5);
      }
    }
    if (sum === 0) return { ...m, blank: true };
    // The extent holding all but 3 % of the ink at either end: the edge of a
    // neighbouring glyph, anti-aliased into the box, does not count.
    const extent = (mass) => {
      let lo = 0;
      let hi = mass.length - 1;
      for (let acc = 0; lo < hi && acc + mass[lo] <= sum * 0.03; lo++) acc += mass[lo];
      for (let acc = 0; hi > lo && acc + mass[hi] <= sum * 0.03; hi--) acc += mass[hi];
      return hi - lo + 1;
    };
    return {
      ...m,
      inkW: extent(cols),
      inkH: extent(rows),
      dx: sx / sum - w / 2, // > 0: right of the centre
      dy: sy / sum - h / 2, // < 0: above the centre
    };
  });
}

// Whether one measured mark, in its em square, has its vertical form: a
// vertical bracket is a flat stroke (wide, at most 0.6 em tall; the
// horizontal form is narrow and tall, a wrong glyph such as a kanji fills
// the square); a vertical ー or … is a thin upright stroke; a vertical 、 or 。
// is small and sits in the top right quarter (the horizontal one bottom left).
function verticalForm(m) {
  if (m.blank) return [false, 'no ink in its em square'];
  const em = m.w;
  const size = `ink ${m.inkW}x${m.inkH} px in a ${em.toFixed(0)} px em`;
  if (m.kind === 'wide') {
    return [m.inkW >= 0.5 * em && m.inkH <= 0.6 * em && m.inkW > m.inkH,
      `${size}; a vertical bracket is wide and flat`];
  }
  if (m.kind === 'tall') {
    return [m.inkH >= 0.5 * em && m.inkW <= 0.35 * em,
      `${size}; a vertical ${m.c} is tall and thin`];
  }
  const sign = (v) => `${v >= 0 ? '+' : ''}${v.toFixed(1)}`;
  return [m.inkW <= 0.5 * em && m.inkH <= 0.5 * em && m.dx > em * 0.1 && m.dy < -m.h * 0.1,
    `${size}, its centre ${sign(m.dx)},${sign(m.dy)} px from the em's; a vertical ${m.c} is small, in the top right quarter`];
}

// Asks chromium, through the DevTools protocol, which platform fonts drew
// the text nodes pageProbe kept; returns the glyph count per family and the
// number of CJK characters in those nodes.
async function usedFonts(cdp, count) {
  await cdp.send('DOM.getDocument', { depth: -1, pierce: true });
  const glyphs = {};
  for (let i = 0; i < count; i++) {
    const r = await cdp.send('Runtime.evaluate', { expression: `window.bbFontProbe[${i}]` });
    if (!r.result || !r.result.objectId) throw new Error(`text node ${i} not found`);
    const { nodeId } = await cdp.send('DOM.requestNode', { objectId: r.result.objectId });
    const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
    for (const f of fonts) glyphs[f.familyName] = (glyphs[f.familyName] || 0) + f.glyphCount;
  }
  return glyphs;
}

// Checks what a reader sees of a vertical Japanese chapter: the fonts
// chromium drew its text with must have vertical forms, and the punctuation
// marks on screen must be drawn in those forms (measured in the screenshot).
async function glyphChecks(page, what, probe, png, control) {
  if (!probe || probe.error || !png) {
    ok(false, `${what}: the fonts of the vertical text can be checked`, (probe && probe.error) || 'no screenshot');
    return;
  }
  let cjk = 0;
  for (const n of probe.nodes) cjk += (n.text.match(CJK) || []).length;
  let glyphs = null;
  if (!page.usedFonts) {
    // WebDriver has no question for it: the shapes measured below tell
    // whether a font with vertical forms drew the text
    note(`${what}: ${page.engine} does not tell which fonts drew the text; the punctuation's shapes decide`);
  } else {
    try {
      glyphs = await within(page.usedFonts(probe.nodes.length), STEP_MS * 3, 'which fonts drew the text');
    } catch (e) {
      ok(false, `${what}: chromium tells which fonts drew the text`, e.message);
    }
  }
  if (glyphs) {
    const fams = Object.entries(glyphs).sort((a, b) => b[1] - a[1]);
    const list = fams.map(([f, n]) => `${f} ${n}`).join(', ') || 'none';
    const good = fams.filter(([f]) => VERTICAL_FONTS.test(f)).reduce((a, [, n]) => a + n, 0);
    ok(cjk > 0 && good >= cjk,
      `${what}: its ${cjk} Japanese characters are drawn by fonts with vertical forms (glyphs: ${list})`,
      cjk === 0 ? 'no Japanese characters in the text checked' :
        `only ${good} glyphs come from a CJK font with vertical forms (Noto CJK, Source Han, IPA...); the rest is drawn without vertical forms (install fonts-noto-cjk)`);
  }
  let ink = [];
  try {
    ink = await within(page.evaluate(pageInk, { png: png.toString('base64'), marks: probe.marks }),
      STEP_MS, 'measure punctuation');
  } catch (e) {
    ok(false, `${what}: vertical punctuation can be measured`, e.message);
    return;
  }
  const byChar = new Map();
  for (const m of ink) {
    if (!byChar.has(m.c)) byChar.set(m.c, []);
    byChar.get(m.c).push(m);
  }
  ok(byChar.size > 0, `${what}: ${ink.length} punctuation marks on screen to measure (${[...byChar.keys()].join('')})`,
    `no 「」、。ー or similar mark whole and full-width on the first screen (boxes seen: ${probe.rejected.join(', ') || 'none'})`);
  for (const [c, ms] of byChar) {
    const res = ms.map(verticalForm);
    const bad = res.findIndex((r) => !r[0]);
    const at = (m) => `at x=${m.x.toFixed(0)},y=${m.y.toFixed(0)}`;
    const k = bad < 0 ? 0 : bad;
    const title = `${what}: ${c} drawn in its vertical form (${ms.length} on screen; ${at(ms[k])}: ${res[k][1]})`;
    if (bad >= 0 && control && control.defect) {
      known(title, `${page.engine} draws ${control.good} of ${control.total} marks in their vertical form in a minimal page with ` +
        `correct CSS (${control.file}), ${control.forced.good} with font-feature-settings "vert" forced: the engine's defect, not the book's`);
    } else {
      ok(bad < 0, title, bad < 0 ? '' : 'it is not: a wrong glyph, the font has no proper vertical form');
    }
  }
}

// Shows the first image or formula of the book (args.kind) on its page,
// saves the screen as reader-KIND.png and checks it is drawn: an image
// loaded and on screen, with ink over most of its box; a formula on screen
// with ink, and a fraction's numerator above its denominator (laid out as
// MathML, not as a line of text).
async function mediaCheck(page, kind, shown, artDir, expect) {
  const key = kind === 'image' ? 'images' : 'formulas';
  const ch = shown.find((c) => c[key] > 0);
  if (!ch) {
    if (expect) ok(false, `the book has ${kind === 'image' ? 'an image' : 'a formula'} to look at`, 'no chapter has one');
    else note(`no ${kind} in this book`);
    return;
  }
  const what = `${ch.file}: the first ${kind}`;
  let m;
  let ink;
  const file = path.join(artDir, `reader-${kind}.png`);
  try {
    const got = await within(page.evaluate(pageShow, { file: ch.file, index: ch.index, ms: STEP_MS }),
      STEP_MS * 2 + 1000, `display ${ch.file}`);
    if (got.error) throw new Error(got.error);
    m = await within(page.evaluate(pageMedia, { kind, index: ch.index, ms: STEP_MS }), STEP_MS * 2, `show the ${kind}`);
    if (m.error) throw new Error(m.error);
    const png = await within(page.screenshot(file), STEP_MS + 1000, 'screenshot');
    const r = m.rect;
    [ink] = await within(page.evaluate(pageInk, {
      png: png.toString('base64'), marks: [{ x: r.x + 1, y: r.y + 1, w: Math.max(1, r.w - 2), h: Math.max(1, r.h - 2) }],
    }), STEP_MS, 'measure the ink');
  } catch (e) {
    ok(false, `${what} is shown`, e.message);
    return;
  }
  const r = m.rect;
  const box = `${r.w.toFixed(0)}x${r.h.toFixed(0)} px at ${r.x.toFixed(0)},${r.y.toFixed(0)}`;
  const inked = !ink.blank && ink.inkW >= 0.3 * ink.w && ink.inkH >= 0.3 * ink.h;
  const inkSays = ink.blank ? 'no ink' : `ink over ${ink.inkW}x${ink.inkH} px`;
  if (kind === 'image') {
    ok(m.loaded && m.onScreen && inked, `${what} (${m.name}, ${m.natural}) is drawn: ${box}, ${inkSays}`,
      !m.loaded ? 'it did not load' : !m.onScreen ? 'it is not on the screen' : 'its box is (nearly) blank');
  } else {
    ok(m.onScreen && inked, `${what} (${m.name}) is drawn: ${box}, ${inkSays}`,
      !m.onScreen ? 'it is not on the screen' : 'its box is (nearly) blank');
    if (m.frac) {
      ok(m.frac.numH > 0 && m.frac.denH > 0 && m.frac.numBottom <= m.frac.denTop + 1,
        `${what}: the fraction's numerator stands above its denominator (bottom ${m.frac.numBottom.toFixed(0)}, top ${m.frac.denTop.toFixed(0)})`,
        'they are not stacked: the MathML is not laid out');
    } else if (expect) {
      ok(false, `${what} has a fraction to measure`, 'none');
    }
  }
  note(`${kind} saved as ${file}`);
}

function serve(book) {
  const nm = path.join(__dirname, 'node_modules');
  const files = {
    '/jszip.min.js': [path.join(nm, 'jszip/dist/jszip.min.js'), 'text/javascript'],
    '/epub.min.js': [path.join(nm, 'epubjs/dist/epub.min.js'), 'text/javascript'],
    '/book.epub': [book, 'application/epub+zip'],
  };
  const server = http.createServer((req, res) => {
    const p = new URL(req.url, 'http://127.0.0.1').pathname;
    const g = p.startsWith('/glyphs/') ? glyphs.variantPage(p.slice(8)) : null;
    if (g) {
      res.writeHead(200, { 'Content-Type': g.type });
      res.end(g.body);
      return;
    }
    if (p === '/') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(PAGE);
      return;
    }
    const f = files[p];
    if (!f) {
      res.writeHead(404);
      res.end();
      return;
    }
    fs.readFile(f[0], (err, data) => {
      if (err) {
        res.writeHead(500);
        res.end(String(err));
        return;
      }
      res.writeHead(200, { 'Content-Type': f[1], 'Content-Length': data.length });
      res.end(data);
    });
  });
  return new Promise((resolve, reject) => {
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

function fontCheck() {
  let out = '';
  try {
    out = execFileSync('fc-list', [':lang=ja', 'family'], { encoding: 'utf8', timeout: 30000 });
  } catch (e) {
    return ok(false, 'fc-list :lang=ja finds a Japanese font', String(e.message).split('\n')[0]);
  }
  const fams = out.split('\n').filter((l) => l.trim());
  return ok(fams.length > 0, `fc-list :lang=ja finds a Japanese font (${fams.length} families, e.g. ${fams[0] || 'none'})`,
    'none installed: kana and kanji would show as boxes (apt-get install fonts-noto-cjk)');
}

// Headless chromium through playwright-core, behind the same few calls as
// webdriver.js: goto, evaluate, screenshot (saved, returns the PNG),
// usedFonts (the DevTools protocol), close.
async function chromiumPage() {
  const { chromium } = require('playwright-core');
  const browser = await within(chromium.launch({
    executablePath: CHROMIUM, headless: true, args: FLAGS, timeout: STEP_MS,
  }), STEP_MS + 1000, 'chromium.launch');
  const page = await within(browser.newPage({ viewport: VIEW }), STEP_MS, 'newPage');
  page.on('pageerror', (e) => note(`page error: ${String(e.message).split('\n')[0]}`));
  return {
    engine: 'chromium',
    version: browser.version(),
    goto: (url) => page.goto(url, { timeout: STEP_MS }),
    evaluate: (fn, args) => page.evaluate(fn, args),
    screenshot: (file) => page.screenshot({ path: file, timeout: STEP_MS }),
    usedFonts: async (count) => {
      const cdp = await within(page.context().newCDPSession(page), STEP_MS, 'CDP session');
      await within(cdp.send('DOM.enable'), STEP_MS, 'DOM.enable');
      await within(cdp.send('CSS.enable'), STEP_MS, 'CSS.enable');
      const glyphs = await usedFonts(cdp, count);
      await cdp.detach().catch(() => {});
      return glyphs;
    },
    close: () => browser.close(),
  };
}

async function main() {
  const argv = process.argv.slice(2);
  const expectVertical = argv.includes('--expect-vertical');
  const expectMedia = argv.includes('--expect-media');
  const webkit = argv.includes('--webkit');
  const expectMath = argv.includes('--expect-math');
  const pos = argv.filter((a) => !a.startsWith('--'));
  if (pos.length !== 2) {
    console.error('usage: node reader.js BOOK.epub ARTIFACT_DIR [--expect-vertical] [--expect-media] [--expect-math] [--webkit]');
    process.exit(2);
  }
  const [bookPath, artDir] = pos;
  if (!fs.existsSync(bookPath)) {
    ok(false, `book ${bookPath} exists`, 'no such file');
    finish();
  }
  fs.mkdirSync(artDir, { recursive: true });
  const watchdog = setTimeout(() => {
    ok(false, 'whole run finishes', `still running after ${TOTAL_MS} ms`);
    finish(1);
  }, TOTAL_MS);

  fontCheck();

  const server = await serve(path.resolve(bookPath));
  const base = `http://127.0.0.1:${server.address().port}`;
  let page = null;
  try {
    page = webkit ? await within(webdriver.open(VIEW, STEP_MS), STEP_MS * 4, 'WebKitWebDriver session')
      : await chromiumPage();
    note(`engine: ${page.engine} ${page.version}`);
    // WebDriver cannot say which fonts drew the text: in WebKit a minimal
    // page with the book's CSS and fonts, outside epub.js, tells whether the
    // engine draws vertical punctuation at all (glyphs.js)
    let control = null;
    if (webkit && expectVertical) {
      const file = path.join(artDir, 'glyphs-control.png');
      try {
        control = { ...await within(glyphs.measure(page, base + '/glyphs/', glyphs.CONTROL, file), STEP_MS * 4, 'minimal page'), file };
        note(`minimal page (${glyphs.CONTROL}, saved as ${file}): ${control.good} of ${control.total} marks in their vertical form`);
        for (const l of control.lines) note(`  ${l}`);
        // the same page with the vert feature forced: when that draws them,
        // the font has vertical forms and the engine does not use them
        // unasked; a font without them (Droid Sans Fallback) fails both
        const forced = path.join(artDir, 'glyphs-forced.png');
        control.forced = await within(glyphs.measure(page, base + '/glyphs/', glyphs.FORCED, forced), STEP_MS * 4, 'minimal page');
        note(`the same with font-feature-settings "vert" (${glyphs.FORCED}, saved as ${forced}): ${control.forced.good} of ${control.forced.total}`);
        control.defect = control.good < control.total && control.forced.good * 2 >= control.forced.total;
      } catch (e) {
        ok(false, 'the minimal page of vertical punctuation is measured', e.message);
      }
    }

    const open = async () => {
      await within(page.goto(base + '/'), STEP_MS + 1000, 'page.goto');
      return within(page.evaluate(pageOpen, {
        url: base + '/book.epub', ms: STEP_MS, width: VIEW.width - 40, height: VIEW.height - 40,
      }), STEP_MS * 3, 'open book');
    };
    let info;
    try {
      info = await open();
    } catch (e) {
      ok(false, 'epub.js opens the book and its navigation', e.message);
      return;
    }
    ok(true, `epub.js opens "${info.title}" (${info.items.length} toc entries)`);

    // Only entries naming a spine document count, each document once.
    const seen = new Set();
    const chapters = [];
    let lost = 0;
    for (const it of info.items) {
      if (it.href && it.file === null) {
        lost++;
        ok(false, `toc entry "${norm(it.label)}" (${it.href}) points into the spine`, 'epub.js finds no spine document for it');
        continue;
      }
      if (!it.file || seen.has(it.file)) continue;
      seen.add(it.file);
      chapters.push(it);
    }
    if (lost === 0) ok(info.items.length > 0, `all ${info.items.length} toc entries point into the spine`, 'the toc is empty');
    ok(chapters.length > 0, `the toc names ${chapters.length} chapter documents`, 'none');

    const shots = { en: null, ja: null, vertical: null };
    const shown = [];
    for (const ch of chapters) {
      const label = norm(ch.label);
      const what = `${ch.file} "${label}"`;
      let got;
      try {
        got = await within(page.evaluate(pageShow, { file: ch.file, index: ch.index, ms: STEP_MS }),
          STEP_MS * 2 + 1000, `display ${ch.file}`);
      } catch (e) {
        ok(false, `${what} is displayed`, e.message);
        // A display that never settled blocks epub.js's queue: start afresh.
        try {
          await open();
        } catch (e2) {
          ok(false, 'epub.js reopens the book after a failed chapter', e2.message);
          return;
        }
        continue;
      }
      if (got.error) {
        ok(false, `${what} is displayed`, got.error);
        continue;
      }
      const text = norm(got.text);
      const n = visible(got.text);
      ok(n >= MIN_CHARS, `${what} shows text (${n} visible characters, writing-mode ${got.writingMode})`,
        `fewer than ${MIN_CHARS}: ${JSON.stringify(text.slice(0, 80))}`);
      // Case is ignored: a style sheet may set headings in capitals.
      const has = (t) => norm(t).toLowerCase().includes(label.toLowerCase());
      ok(label !== '' && (has(got.text) || has(got.plain)), `${what} shows its toc title`,
        label === '' ? 'the toc entry has no text' : `not in the text, which begins ${JSON.stringify(text.slice(0, 80))}`);
      if (got.maths > 0) {
        ok(got.mathsDrawn === got.maths, `${what}: ${got.maths} formulas drawn as MathML`,
          `${got.maths - got.mathsDrawn} have no box`);
      }
      if (got.imgs > 0) {
        ok(got.imgsShown === got.imgs, `${what}: ${got.imgs} images shown`, `not decoded: ${got.imgsBroken.join(' ')}`);
      }
      const rec = { ...ch, text: got.text, lang: got.lang, writingMode: got.writingMode,
        images: got.images, formulas: got.formulas, maths: got.maths };
      shown.push(rec);
      const lang = language(rec);
      // epub.js paginates a horizontal page of an rtl spine by giving it
      // direction: rtl, which moves Latin and Japanese punctuation to the
      // wrong end of each line.
      if (got.writingMode === 'horizontal-tb' && !RTL_LANGS.includes(lang)) {
        ok(got.direction === 'ltr', `${what} runs left to right (direction ${got.direction})`,
          'a horizontal page in a right-to-left spine: epub.js lays it out right to left, so line ends flip');
      }
      for (const k of ['en', 'ja']) {
        if (lang !== k || shots[k]) continue;
        const file = path.join(artDir, `reader-${k}.png`);
        await within(page.screenshot(file), STEP_MS + 1000, 'screenshot');
        shots[k] = { file, rec };
      }
    }

    // The vertical shot and measurement: a Japanese vertical chapter if any.
    const vert = shown.find((c) => c.writingMode === 'vertical-rl' && language(c) === 'ja') ||
      shown.find((c) => c.writingMode === 'vertical-rl');
    if (vert) {
      const what = `${vert.file} "${norm(vert.label)}"`;
      let v;
      let probe = null;
      let png = null;
      try {
        const got = await within(page.evaluate(pageShow, { file: vert.file, index: vert.index, ms: STEP_MS }),
          STEP_MS * 2 + 1000, `display ${vert.file}`);
        if (got.error) throw new Error(got.error);
        probe = await within(page.evaluate(pageProbe, {
          index: vert.index, maxNodes: 200, maxChars: 3000, maxMarks: 24, perChar: 3,
        }), STEP_MS, 'find text and punctuation');
        const file = path.join(artDir, 'reader-vertical.png');
        png = await within(page.screenshot(file), STEP_MS + 1000, 'screenshot');
        shots.vertical = { file, rec: vert };
        v = await within(page.evaluate(pageVertical, { index: vert.index }), STEP_MS, 'measure vertical text');
      } catch (e) {
        v = { error: e.message };
      }
      if (language(vert) === 'ja') await glyphChecks(page, what, probe, png, control);
      if (v.downward === undefined) {
        ok(false, `${what}: vertical text can be measured`, v.error);
      } else {
        const at = (r) => `x=${r.x.toFixed(0)},y=${r.y.toFixed(0)}`;
        ok(v.downward && v.sameColumn, `${what}: characters run top to bottom ("${v.pair}" at ${at(v.first)} then ${at(v.second)})`,
          v.downward ? 'the second character left the first one\'s column' : 'the second character is not below the first');
        if (v.leftward !== undefined) {
          ok(v.leftward, `${what}: the next line stands to the left (${v.nextLine.where} at x=${v.nextLine.x.toFixed(0)})`,
            'it is not left of the first line');
        } else {
          ok(false, `${what}: the next line stands to the left`, v.error || 'no second line');
        }
      }
    }

    // The math shot: the page of a chapter's first display formula.
    const mch = shown.find((c) => c.maths > 0);
    if (mch) {
      const what = `${mch.file} "${norm(mch.label)}"`;
      let mm;
      try {
        const got = await within(page.evaluate(pageShow, { file: mch.file, index: mch.index, ms: STEP_MS }),
          STEP_MS * 2 + 1000, `display ${mch.file}`);
        if (got.error) throw new Error(got.error);
        mm = await within(page.evaluate(pageMath, { index: mch.index, ms: STEP_MS }), STEP_MS * 2, 'show a formula');
        const file = path.join(artDir, 'reader-math.png');
        await within(page.screenshot(file), STEP_MS + 1000, 'screenshot');
        note(`math chapter ${mch.file} saved as ${file}`);
      } catch (e) {
        mm = { error: e.message };
      }
      // Chromium reports MathML's own display ("block math"); WebKit lays
      // MathML out natively but reports "block" or "inline": there the box
      // must have a size (the fraction check of --expect-media goes further)
      ok(mm.onScreen && (webkit ? mm.w > 0 && mm.h > 0 : /math/.test(mm.display || '')),
        `${what}: a formula is on screen, laid out as MathML (display ${mm.display}, ${Math.round(mm.w)} x ${Math.round(mm.h)} px: ${norm(mm.tex).slice(0, 40)})`,
        mm.error || `display ${mm.display}, box ${mm.w} x ${mm.h} at x=${mm.x}`);
    } else if (expectMath) {
      ok(false, 'a chapter holds formulas', 'none of the shown chapters has a <math> element');
    }

    for (const k of ['en', 'ja']) {
      const name = k === 'en' ? 'English' : 'Japanese';
      if (shots[k]) note(`${name} chapter ${shots[k].rec.file} saved as ${shots[k].file}`);
      else note(`no ${name} chapter in this book: no ${name} screenshot`);
    }
    if (expectVertical) {
      const rdir = await within(page.evaluate(() => window.rendition.settings.direction || ''), STEP_MS, 'rendition direction')
        .catch(() => '');
      ok(info.direction === 'rtl', `spine page-progression-direction is rtl (rendition direction ${rdir || 'unset'})`,
        `it is "${info.direction || 'unset'}"`);
      ok(shots.vertical !== null,
        shots.vertical ? `a chapter is vertical-rl (${shots.vertical.rec.file}, saved as ${shots.vertical.file})` : 'a chapter is vertical-rl',
        `writing modes seen: ${[...new Set(shown.map((c) => c.writingMode))].join(', ') || 'none'}`);
    } else if (shots.vertical) {
      note(`vertical chapter ${shots.vertical.rec.file} saved as ${shots.vertical.file}`);
    }
    await mediaCheck(page, 'image', shown, artDir, expectMedia);
    await mediaCheck(page, 'formula', shown, artDir, expectMedia);
    const modes = {};
    for (const c of shown) modes[c.writingMode] = (modes[c.writingMode] || 0) + 1;
    note(`writing modes: ${Object.entries(modes).map(([m, n]) => `${m} ${n}`).join(', ') || 'none'}`);
  } catch (e) {
    ok(false, 'reader check runs', e.message);
  } finally {
    clearTimeout(watchdog);
    if (page) await within(page.close(), STEP_MS, 'browser.close').catch(() => {});
    server.close();
  }
}

if (require.main === module) {
  main().then(() => finish(), (e) => {
    ok(false, 'reader check runs', e && e.message);
    finish();
  });
}

// glyphs.js measures a minimal page with the same rules
module.exports = { pageInk, verticalForm, chromiumPage, within, VIEW, STEP_MS };
