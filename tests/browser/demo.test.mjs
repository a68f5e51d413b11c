// `feedbridge demo` is the README's first command: started as a newcomer would (temporary storage,
// nothing prepared), it must print a working linkUrl, sandbox URL and API key, and stop cleanly on
// Ctrl-C. With `--protocol fdx` its sandbox is a registered data recipient whose "Link account"
// reaches the institution's hosted sign-in.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, basicAuth } from './lib/browser.mjs';
import { spawnFeedbridge } from './lib/process.mjs';

const cleanups = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) {
    try { await cleanup(); } catch (err) { console.error('cleanup failed:', err); }
  }
});

/**
 * `feedbridge demo ARGS` on free ports, in an empty directory of its own, once it printed its
 * link, sandbox, key and curl.
 */
async function startDemo(args = []) {
  const cwd = mkdtempSync(join(tmpdir(), 'feedbridge-demo-'));
  cleanups.push(() => rmSync(cwd, { recursive: true, force: true }));
  const demo = await spawnFeedbridge(
    ['demo', '--listen', '127.0.0.1:0', '--sandbox-listen', '127.0.0.1:0', ...args],
    {
      waitFor: {
        link: /^link: (http:\/\/\S+)/, sandbox: /^sandbox: (http:\/\/\S+)/, key: /^api key: (\S+)/,
        curl: /^(curl -s -X POST '\S+\/push\/bankAccounts\/chk-001\/bankTransactions')/,
      },
      cwd,
    },
  );
  demo.cwd = cwd;
  cleanups.push(() => demo.stop());
  for (const url of [demo.found.link, demo.found.sandbox]) assert.match(url, /^http:\/\/127\.0\.0\.1:\d+(\/|$)/);
  return demo;
}

/** Ctrl-C: a clean exit within ten seconds, leaving nothing where it ran (its storage was temporary). */
async function interrupt(demo) {
  const exit = await demo.exitAfter('SIGINT', 10_000);
  assert.notEqual(exit, null, `demo still running 10 s after SIGINT\nstderr:\n${demo.stderr()}`);
  assert.deepEqual(exit, { code: 0, signal: null }, `demo exit after SIGINT\nstderr:\n${demo.stderr()}`);
  assert.deepEqual(readdirSync(demo.cwd), [], 'the demo wrote into the directory it ran in');
}

test('feedbridge demo prints working URLs and a key, and stops on SIGINT', async () => {
  const demo = await startDemo();
  const { link, sandbox, key } = demo.found;

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

  await browser.close();
  await interrupt(demo);
});

test('feedbridge demo --protocol fdx: the sandbox links through the hosted sign-in', async () => {
  const demo = await startDemo(['--protocol', 'fdx']);
  const institution = new URL(demo.found.link).origin;

  const browser = await launch();
  cleanups.push(() => browser.close());
  const qbo = await browser.newPage();
  await qbo.goto(demo.found.sandbox);
  await qbo.getByRole('button', { name: 'Link account' }).click();
  await qbo.getByLabel('Search').fill('Maple');
  await qbo.getByRole('button', { name: 'Maple Bank', exact: true }).click();
  await qbo.getByRole('button', { name: 'I agree' }).click();
  await qbo.getByRole('heading', { level: 1, name: 'Sign in to Maple Bank' }).waitFor();
  assert.ok(qbo.url().startsWith(`${institution}/oauth2/`), `not at the institution: ${qbo.url()}`);
  assert.ok((await qbo.locator('main').innerText()).includes('Feedbridge Sandbox asks to connect'));
  await qbo.getByLabel('Username').waitFor();

  await browser.close();
  await interrupt(demo);
});
