// Clickjacking (S17): a page on another origin frames the Link UI's "Get credentials" page. The
// browser must refuse to render it inside the frame (frame-ancestors 'none', X-Frame-Options),
// so there is nothing to overlay or click. The same page in a tab of its own works, and a
// frame of the other origin's own page renders, so the assertions can tell the cases apart.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { launch, startServer, callApi } from './lib/browser.mjs';

let server;
let browser;
let evil;
let evilUrl;
let target = '';

before(async () => {
  server = await startServer({ apiKeys: ['Browser'] });
  browser = await launch();
  // The other origin: same host, another port, so a different origin.
  evil = createServer((req, res) => {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    if (req.url === '/own') {
      res.end('<!doctype html><title>own</title><button id="own-button">Own page</button>');
      return;
    }
    res.end(`<!doctype html><title>Win a prize</title>
      <iframe name="link" src="${target}" width="800" height="600"></iframe>
      <iframe name="own" src="/own"></iframe>`);
  });
  await new Promise((resolve) => evil.listen(0, '127.0.0.1', resolve));
  evilUrl = `http://127.0.0.1:${evil.address().port}`;
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await new Promise((resolve) => (evil ? evil.close(resolve) : resolve()));
});

const api = (method, path, body) => callApi(server, 'Browser', method, path, body);

test('another origin cannot frame the Link UI; a tab of its own works', async () => {
  const company = await api('POST', '/companies', { name: 'Framed Ltd' });
  const conn = await api('POST', `/companies/${company.id}/connections`, { platformKey: 'hcws' });
  const { linkUrl } = await api('GET', `/companies/${company.id}/connections/${conn.id}`);

  // The user's own tab: the link opens a session (its cookie is then sent to frames too).
  const tab = await browser.newPage();
  const headers = (await tab.goto(linkUrl)).headers();
  assert.match(headers['content-security-policy'], /frame-ancestors 'none'/);
  assert.equal(headers['x-frame-options'], 'DENY');
  await tab.click('#next');
  assert.equal(await tab.locator('h1').textContent(), 'Set up QuickBooks');
  target = tab.url();
  assert.ok(target.startsWith(`${server.url}/link/`), target);

  // The attacker's page frames the very same URL.
  const page = await browser.newPage();
  const consoleLines = [];
  page.on('console', (m) => consoleLines.push(m.text()));
  await page.goto(evilUrl, { waitUntil: 'load' });
  const framed = page.frame({ name: 'link' });
  const own = page.frame({ name: 'own' });
  assert.ok(framed && own, page.frames().map((f) => f.url()).join(', '));

  // The control: the attacker's own page renders in its frame and its button can be clicked.
  await own.locator('#own-button').click({ timeout: 5_000 });

  // The Link UI does not: the frame holds Chromium's error page, not our DOM.
  assert.ok(framed.url().startsWith('chrome-error://'), framed.url());
  assert.ok(!(await framed.content()).includes('Set up QuickBooks'));
  assert.equal(await framed.locator('#get-credentials').count(), 0);
  await assert.rejects(framed.locator('#get-credentials').click({ timeout: 1_000 }));
  assert.ok(
    consoleLines.some((l) => l.includes("frame-ancestors 'none'")),
    `Chromium says why it refused: ${consoleLines.join('\n')}`,
  );
  // Nor can the page's own script reach into the frame.
  const reach = await page.evaluate(() => {
    const frame = document.querySelector('iframe[name=link]');
    try {
      return String(frame.contentDocument?.querySelector('#get-credentials') ?? null);
    } catch (e) {
      return `blocked: ${e.name}`;
    }
  });
  assert.ok(reach === 'null' || reach.startsWith('blocked'), reach);
  // The setup page offers revocation only once credentials exist: none came from the frame.
  await tab.reload();
  assert.equal(await tab.locator('#revoke').count(), 0, 'nothing was created from the frame');

  // The tab still works end to end: the button is there and creates credentials.
  await tab.click('#get-credentials');
  assert.match((await tab.locator('#code').textContent()).trim(), /^\d{6}$/);
  assert.equal(await tab.locator('#revoke').count(), 1);
  await page.close();
  await tab.close();
});
