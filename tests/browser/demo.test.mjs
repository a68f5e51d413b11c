// `feedbridge demo` is the README's first command: started as a newcomer would (temporary storage,
// nothing prepared), it must print a working linkUrl, sandbox URL and API key, and stop cleanly on
// Ctrl-C.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, basicAuth } from './lib/browser.mjs';
import { spawnFeedbridge } from './lib/process.mjs';

const cleanups = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) {
    try { await cleanup(); } catch (err) { console.error('cleanup failed:', err); }
  }
});

test('feedbridge demo prints working URLs and a key, and stops on SIGINT', async () => {
  const demo = await spawnFeedbridge(
    ['demo', '--listen', '127.0.0.1:0', '--sandbox-listen', '127.0.0.1:0'],
    { waitFor: { link: /^link: (http:\/\/\S+)/, sandbox: /^sandbox: (http:\/\/\S+)/, key: /^api key: (\S+)/ } },
  );
  cleanups.push(() => demo.stop());
  const { link, sandbox, key } = demo.found;
  for (const url of [link, sandbox]) assert.match(url, /^http:\/\/127\.0\.0\.1:\d+(\/|$)/);

  // The sandbox answers as QuickBooks' Banking page would.
  const res = await fetch(sandbox);
  const html = await res.text();
  assert.equal(res.status, 200, html);
  assert.ok(html.includes('Link account'), html);

  // The printed link opens the Link UI's first page in a real browser.
  const browser = await launch();
  cleanups.push(() => browser.close());
  const page = await browser.newPage();
  await page.goto(link);
  await page.getByRole('heading', { level: 1, name: 'Connect to QuickBooks Online Bank Feeds' }).waitFor();

  // The printed key is the institution's: it sees the one company the demo created.
  const apiBase = new URL(link).origin;
  const companies = await fetch(`${apiBase}/companies`, { headers: { authorization: basicAuth(key) } });
  const body = await companies.json();
  assert.equal(companies.status, 200, JSON.stringify(body));
  assert.equal(body.results.length, 1, JSON.stringify(body));

  // Ctrl-C: a clean exit within ten seconds.
  await browser.close();
  const exit = await demo.exitAfter('SIGINT', 10_000);
  assert.notEqual(exit, null, `demo still running 10 s after SIGINT\nstderr:\n${demo.stderr()}`);
  assert.deepEqual(exit, { code: 0, signal: null }, `demo exit after SIGINT\nstderr:\n${demo.stderr()}`);
});
