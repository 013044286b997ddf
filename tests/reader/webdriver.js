// webdriver.js: WebKitGTK (Debian's webkit2gtk-driver: WebKitWebDriver and
// MiniBrowser) behind the calls reader.js makes of a browser page: goto,
// evaluate, screenshot, close. Plain W3C WebDriver over HTTP on 127.0.0.1,
// no npm package. Needs an X display (webkit.sh runs reader.js under
// xvfb-run). READER_WEBKITDRIVER and READER_MINIBROWSER override the
// programs' paths.
'use strict';

const fs = require('fs');
const http = require('http');
const net = require('net');
const { spawn } = require('child_process');

const DRIVER = process.env.READER_WEBKITDRIVER || '/usr/bin/WebKitWebDriver';

// MiniBrowser of WebKitGTK 4.1 (or 4.0) in the multiarch library folder.
function miniBrowser() {
  if (process.env.READER_MINIBROWSER) return process.env.READER_MINIBROWSER;
  for (const dir of fs.readdirSync('/usr/lib')) {
    for (const v of ['webkit2gtk-4.1', 'webkit2gtk-4.0']) {
      const p = `/usr/lib/${dir}/${v}/MiniBrowser`;
      if (fs.existsSync(p)) return p;
    }
  }
  throw new Error('no MiniBrowser under /usr/lib/*/webkit2gtk-4.1 (apt-get install webkit2gtk-driver)');
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// One WebDriver command: resolves to its value, rejects with the driver's
// error message.
function command(port, method, route, body, ms) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? null : Buffer.from(JSON.stringify(body));
    const req = http.request({
      host: '127.0.0.1', port, method, path: route, timeout: ms,
      headers: data ? { 'Content-Type': 'application/json', 'Content-Length': data.length } : {},
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        let v;
        try {
          v = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch (e) {
          reject(new Error(`${method} ${route}: not JSON (HTTP ${res.statusCode})`));
          return;
        }
        if (res.statusCode !== 200 || (v.value && v.value.error)) {
          reject(new Error(`${method} ${route}: ${v.value ? `${v.value.error}: ${v.value.message}` : res.statusCode}`));
        } else {
          resolve(v.value);
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${route}: no answer within ${ms} ms`)));
    req.on('error', reject);
    if (data) req.write(data);
    req.end();
  });
}

// Starts WebKitWebDriver and a MiniBrowser session whose viewport is
// view.width x view.height; resolves to the page object.
async function open(view, ms) {
  const port = await freePort();
  const driver = spawn(DRIVER, [`--port=${port}`, '--host=127.0.0.1'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  driver.stderr.on('data', (c) => { log = (log + c).slice(-2000); });
  const exited = new Promise((resolve) => driver.on('exit', resolve));
  const kill = () => { try { driver.kill('SIGTERM'); } catch (e) { /* gone */ } };
  try {
    const t0 = Date.now();
    for (;;) {
      try {
        await command(port, 'GET', '/status', undefined, 1000);
        break;
      } catch (e) {
        if (driver.exitCode !== null) throw new Error(`WebKitWebDriver exited ${driver.exitCode}: ${log}`);
        if (Date.now() - t0 > ms) throw new Error(`WebKitWebDriver did not answer within ${ms} ms: ${log}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    const caps = await command(port, 'POST', '/session', {
      capabilities: { alwaysMatch: { 'webkitgtk:browserOptions': { binary: miniBrowser(), args: ['--automation'] } } },
    }, ms * 3);
    const base = `/session/${caps.sessionId}`;
    const cmd = (method, route, body, t) => command(port, method, base + route, body, t || ms * 4);
    await cmd('POST', '/timeouts', { script: ms * 4, pageLoad: ms, implicit: 0 });
    // the window holds a toolbar: grow it until the page itself is view-sized
    let rect = { width: view.width, height: view.height };
    for (let i = 0; i < 3; i++) {
      await cmd('POST', '/window/rect', rect);
      const [w, h] = await cmd('POST', '/execute/sync', { script: 'return [innerWidth, innerHeight]', args: [] });
      if (w === view.width && h === view.height) break;
      rect = { width: rect.width + view.width - w, height: rect.height + view.height - h };
    }
    return {
      engine: 'webkit',
      version: `MiniBrowser (WebKitGTK ${caps.capabilities.browserVersion})`,
      goto: (url) => cmd('POST', '/url', { url }),
      // fn is sent as its source text; it runs in the page with one argument
      // and may return a promise
      evaluate: async (fn, args) => {
        const script = `var done = arguments[arguments.length - 1], a = arguments[0];
var f = (${fn.toString()});
Promise.resolve().then(function () { return f(a); }).then(
  function (v) { done({ v: v === undefined ? null : v }); },
  function (e) { done({ e: String((e && e.message) || e) }); });`;
        const r = await cmd('POST', '/execute/async', { script, args: [args === undefined ? null : args] });
        if (r && r.e !== undefined) throw new Error(r.e);
        return r ? r.v : null;
      },
      screenshot: async (file) => {
        const png = Buffer.from(await cmd('GET', '/screenshot'), 'base64');
        fs.writeFileSync(file, png);
        return png;
      },
      close: async () => {
        await cmd('DELETE', '', undefined, ms).catch(() => {});
        kill();
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      },
    };
  } catch (e) {
    kill();
    throw e;
  }
}

module.exports = { open };
