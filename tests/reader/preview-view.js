// preview-view.js URL SHOT.png [--webkit]: opens blogbind --preview's page
// in chromium (or WebKitGTK, under xvfb-run) and prints, as JSON, what the
// bundled viewer shows: the toc entries in its menu and the text of the
// chapter epub.js drew in its iframe. Saves the screen as SHOT.png.
'use strict';

const reader = require('./reader');
const webdriver = require('./webdriver');

async function main() {
  const [url, shot] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const { within, STEP_MS, VIEW } = reader;
  const pg = process.argv.includes('--webkit')
    ? await within(webdriver.open(VIEW, STEP_MS), STEP_MS * 4, 'WebKitWebDriver session') : await reader.chromiumPage();
  try {
    await within(pg.goto(url), STEP_MS, 'goto');
    const got = await within(pg.evaluate((ms) => new Promise((resolve) => {
      const t0 = Date.now();
      const look = () => {
        const f = document.querySelector('#viewer iframe');
        const body = f && f.contentDocument && f.contentDocument.body;
        const text = body ? body.innerText.trim() : '';
        const toc = [...document.querySelectorAll('#toc option')].map((o) => o.textContent.trim());
        if ((text.length > 10 && toc.length > 0) || Date.now() - t0 > ms) resolve({ text: text.slice(0, 200), toc });
        else setTimeout(look, 200);
      };
      look();
    }), STEP_MS), STEP_MS * 2, 'the viewer shows the book');
    await within(pg.screenshot(shot), STEP_MS, 'screenshot');
    got.engine = pg.engine;
    console.log(JSON.stringify(got));
  } finally {
    await pg.close().catch(() => {});
  }
}

main().then(() => process.exit(0), (e) => {
  console.log(JSON.stringify({ error: String(e && e.message) }));
  process.exit(1);
});
