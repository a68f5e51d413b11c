// Stored XSS (S11): classic payloads in every institution-controlled text the Link UI shows —
// account names pushed through the client API, the company name, and the institution's own
// name, callout and support line from the configuration — walked through every page in
// headless Chromium. Nothing may run, no element may be injected, and each text must read back
// exactly as stored.
//
// Company names go through Codat's name rule on the way in (`<>"` and most punctuation are
// stripped), so here they carry what survives it; crates/feedbridge/tests/it/link_xss.rs plants
// every raw payload as a company name behind the API's back.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, startServer, repoRoot, callApi } from './lib/browser.mjs';

const PAYLOADS = [
  ...JSON.parse(readFileSync(join(repoRoot, 'tests', 'fixtures', 'xss_payloads.json'), 'utf8')),
  // A 10 KB name that ends in a script tag.
  `${'A'.repeat(10_000)}<script>alert(1)</script>`,
];

const INSTITUTION = {
  name: 'Maple "><script>alert(1)</script> & Co',
  calloutTitle: '</title><img src=x onerror=alert(1)>',
  calloutBody: "'-alert(1)-' {{7*7}} <svg onload=alert(1)> javascript:alert(1)",
  support: '<a href="javascript:alert(1)">1-800-555-0100</a>',
};

let server;
let browser;

before(async () => {
  server = await startServer({
    apiKeys: ['Browser'],
    env: {
      FEEDBRIDGE_INSTITUTION_NAME: INSTITUTION.name,
      FEEDBRIDGE_INSTITUTION_CALLOUT_TITLE: INSTITUTION.calloutTitle,
      FEEDBRIDGE_INSTITUTION_CALLOUT_BODY: INSTITUTION.calloutBody,
      FEEDBRIDGE_INSTITUTION_SUPPORT_CONTACT: INSTITUTION.support,
    },
  });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const api = (method, path, body) => callApi(server, 'Browser', method, path, body);

/**
 * What a payload could have injected: any element of these kinds (the pages have none of their
 * own; no logo is configured), any `on*` attribute, any `javascript:` URL, and the scripts.
 */
async function injected(page) {
  return page.evaluate(() => {
    const found = [];
    const kinds = 'img,svg,math,iframe,frame,object,embed,style,base,details,textarea,video,audio,'
      + 'meta[http-equiv],input:not([type=hidden])';
    for (const el of document.querySelectorAll(kinds)) found.push(el.outerHTML.slice(0, 80));
    for (const el of document.querySelectorAll('*')) {
      for (const attr of el.attributes) {
        const url = /^(href|src|action|data|formaction|xlink:href)$/.test(attr.name);
        if (attr.name.startsWith('on') || (url && /^\s*javascript:/i.test(attr.value))) {
          found.push(`${el.tagName} ${attr.name}=${attr.value.slice(0, 40)}`);
        }
      }
    }
    const scripts = [...document.scripts].map((s) => ({ nonce: s.nonce, src: s.src }));
    return { found, scripts };
  });
}

/** Asserts nothing was injected: no foreign element, and exactly the page's own `ownScripts` nonce scripts. */
async function assertInert(page, where, ownScripts = 0) {
  const { found, scripts } = await injected(page);
  assert.deepEqual(found, [], `${where}: injected markup`);
  assert.equal(scripts.length, ownScripts, `${where}: scripts ${JSON.stringify(scripts)}`);
  for (const s of scripts) assert.ok(s.nonce && !s.src, `${where}: a script without the nonce`);
}

/** The institution's texts from the configuration, read back on every page. */
async function assertChrome(page, where) {
  assert.equal(await page.locator('header .name').textContent(), INSTITUTION.name, where);
  assert.ok((await page.title()).endsWith(` · ${INSTITUTION.name}`), `${where}: ${await page.title()}`);
  const footer = await page.locator('footer').textContent();
  assert.ok(footer.includes(INSTITUTION.name) && footer.endsWith(INSTITUTION.support), `${where}: ${footer}`);
}

test('payloads in names and institution texts stay text on every Link UI page', async () => {
  const description = PAYLOADS.slice(0, 12).join(' | ');
  const company = await api('POST', '/companies', {
    name: "'-alert(1)-' {{7*7}} javascript:alert(1) &lt;b&gt; Bakery",
    description,
  });
  const conn = await api('POST', `/companies/${company.id}/connections`, { platformKey: 'hcws' });
  const base = `/companies/${company.id}/connections/${conn.id}`;
  for (const [i, accountName] of PAYLOADS.entries()) {
    await api('POST', `${base}/connectionInfo/bankFeedAccounts`, {
      id: `xss-${String(i).padStart(2, '0')}`, accountName, accountType: 'Debit',
      accountNumber: `0000${i}`, sortCode: '12-34-56', currency: 'CAD', balance: 10,
    });
  }
  const { linkUrl } = await api('GET', base);

  const page = await browser.newPage();
  const dialogs = [];
  const errors = [];
  page.on('dialog', async (d) => { dialogs.push(d.message()); await d.dismiss(); });
  page.on('console', (m) => { if (m.type() === 'error' && !m.location().url.endsWith('/favicon.ico')) errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));

  await page.goto(linkUrl);
  assert.equal(await page.locator('h1').textContent(), 'Connect to QuickBooks Online Bank Feeds');
  assert.equal(await page.locator('[data-testid=company]').textContent(), company.name);
  const names = page.locator('.account-name');
  assert.deepEqual(await names.allTextContents(), PAYLOADS, 'every account name verbatim, in order');
  for (let i = 0; i < PAYLOADS.length; i += 1) assert.ok(await names.nth(i).isVisible(), PAYLOADS[i]);
  assert.ok(!(await page.content()).includes('{{7*7}} | ${7*7}'), 'the description is not shown');
  await assertChrome(page, 'connect');
  await assertInert(page, 'connect');

  await page.click('#next');
  assert.equal(await page.locator('h1').textContent(), 'Set up QuickBooks');
  assert.equal(await page.locator('.callout h2').textContent(), INSTITUTION.calloutTitle);
  assert.equal(await page.locator('.callout p').textContent(), INSTITUTION.calloutBody);
  assert.equal(await page.locator('.callout').getAttribute('aria-label'), INSTITUTION.calloutTitle);
  const steps = await page.locator('ol.steps li').allTextContents();
  assert.ok(steps.some((s) => s.includes(INSTITUTION.name)), steps.join('\n'));
  await assertChrome(page, 'setup');
  await assertInert(page, 'setup');

  await page.click('#get-credentials');
  assert.match((await page.locator('#code').textContent()).trim(), /^\d{6}$/);
  await assertChrome(page, 'credentials');
  await assertInert(page, 'credentials', 1);

  await page.click('#revoke');
  assert.equal(await page.locator('h1').textContent(), 'Revoke all credentials?');
  await assertChrome(page, 'revoke confirm');
  await assertInert(page, 'revoke confirm');
  await page.click('#confirm-revoke');
  assert.equal(await page.locator('h1').textContent(), 'Credentials revoked');
  await assertChrome(page, 'revoked');
  await assertInert(page, 'revoked');

  assert.deepEqual(errors, []);

  // Error pages fill the institution's name into their text. (Chromium logs the 404 itself.)
  const res = await page.goto(`${server.url}/link/nothing-here`);
  assert.equal(res.status(), 404);
  assert.ok((await page.locator('main').textContent()).includes(INSTITUTION.name));
  await assertChrome(page, 'not found');
  await assertInert(page, 'not found');

  assert.deepEqual(dialogs, []);
  assert.deepEqual(errors, ['Failed to load resource: the server responded with a status of 404 (Not Found)']);
  await page.close();
});
