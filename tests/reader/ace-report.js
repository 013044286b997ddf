// ace-report.js: reads Ace's report.json, lists every violation and fails on
// those of serious or critical impact.
// usage: node ace-report.js REPORT.json [ACE_EXIT_CODE]
'use strict';

const fs = require('fs');

const FAILING = ['critical', 'serious'];
const IMPACTS = ['critical', 'serious', 'moderate', 'minor'];

let passed = 0;
let failed = 0;

function line(good, msg) {
  if (good) passed++;
  else failed++;
  console.log(`${good ? 'ok' : 'not ok'} - ${msg}`);
}

function clip(s, n) {
  s = String(s || '').replace(/\s+/g, ' ').trim();
  return s.length > n ? s.slice(0, n - 3) + '...' : s;
}

function main() {
  const [file, code] = process.argv.slice(2);
  let report;
  try {
    report = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    line(false, `read ${file}: ${e.message}`);
    return;
  }
  const docs = Array.isArray(report.assertions) ? report.assertions : [];
  const counts = Object.fromEntries(IMPACTS.map((i) => [i, 0]));
  let subjects = 0;
  for (const doc of docs) {
    const subject = doc['earl:testSubject'] || {};
    const url = subject.url || '?';
    const found = (doc.assertions || []).filter((a) => (a['earl:result'] || {})['earl:outcome'] === 'fail');
    // Ace lists the nav document twice, once with no title and no findings.
    if (!subject['dct:title'] && found.length === 0) continue;
    subjects++;
    let bad = 0;
    for (const a of found) {
      const test = a['earl:test'] || {};
      const res = a['earl:result'] || {};
      const impact = test['earl:impact'] || 'unknown';
      counts[impact] = (counts[impact] || 0) + 1;
      const ptr = res['earl:pointer'] && res['earl:pointer'].css ? ` at ${res['earl:pointer'].css.join(', ')}` : '';
      const html = res.html ? ` ${clip(res.html, 120)}` : '';
      const msg = `${url}: ${impact} ${test['dct:title']}: ${clip(res['dct:description'], 200)}${ptr}${html}`;
      if (FAILING.includes(impact)) {
        bad++;
        line(false, msg);
      } else {
        console.log(`# ${msg}`);
      }
    }
    if (bad === 0) line(true, `${url}: no serious or critical violation`);
  }
  if (subjects === 0) line(false, `${file} lists no checked document`);
  const by = Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(', ');
  console.log(`# violations by impact: ${by} (ace-cli exit ${code === undefined ? '?' : code})`);
}

main();
console.log(`ace: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
