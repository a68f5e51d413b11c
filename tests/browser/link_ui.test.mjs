// The Link UI in headless Chromium: the SMB user's whole path from a fresh linkUrl to revoked
// credentials, in English and French, and untrusted names rendered as text.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launch, startServer, basicAuth, repoRoot, callApi } from './lib/browser.mjs';

const artifacts = join(repoRoot, 'tests', 'artifacts');
let server;
let browser;

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  server = await startServer({
    apiKeys: ['Browser'],
    env: {
      FEEDBRIDGE_INSTITUTION_CALLOUT_TITLE: 'Use your business banking login',
      FEEDBRIDGE_INSTITUTION_CALLOUT_BODY: 'QuickBooks lists us as Maple Bank Business.',
      FEEDBRIDGE_INSTITUTION_CALLOUT_TITLE_FR: 'Utilisez votre accès entreprise',
      FEEDBRIDGE_INSTITUTION_CALLOUT_BODY_FR: 'QuickBooks nous affiche comme Maple Bank Entreprises.',
      FEEDBRIDGE_INSTITUTION_SUPPORT_CONTACT: '1-800-555-0100',
    },
  });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const api = (method, path, body) => callApi(server, 'Browser', method, path, body);

/** A company, a connection with accounts, and a fresh linkUrl. */
async function connection(companyName, accounts) {
  const company = await api('POST', '/companies', { name: companyName });
  const conn = await api('POST', `/companies/${company.id}/connections`, { platformKey: 'hcws' });
  const base = `/companies/${company.id}/connections/${conn.id}`;
  for (const [id, name, number] of accounts) {
    await api('POST', `${base}/connectionInfo/bankFeedAccounts`, {
      id, accountName: name, accountType: 'Debit', accountNumber: number,
      sortCode: '12-34-56', currency: 'CAD', balance: 1250.5,
    });
  }
  const fresh = await api('GET', base);
  return { base, linkUrl: fresh.linkUrl, companyName: company.name };
}

async function shot(page, name) {
  await page.screenshot({ path: join(artifacts, `link-${name}.png`), fullPage: true });
}

test('an SMB user connects, reads credentials once, switches to French and revokes', async () => {
  const { base, linkUrl } = await connection('Northwind Bakery', [
    ['chq-1', 'Business chequing', '000123456789'],
    ['sav-1', 'Business savings', '000987654321'],
  ]);
  const token = new URL(linkUrl).searchParams.get('otp');
  assert.ok(token);
  const page = await browser.newPage();
  await page.setViewportSize({ width: 420, height: 900 });
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error' && !m.location().url.endsWith('/favicon.ico')) errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));

  await page.goto(linkUrl);
  assert.ok(!page.url().includes(token) && !page.url().includes('otp='), page.url());
  assert.equal(await page.locator('h1').textContent(), 'Connect to QuickBooks Online Bank Feeds');
  const accounts = await page.locator('ul.accounts li').allTextContents();
  assert.equal(accounts.length, 2);
  assert.match(accounts[0], /Business chequing.*••••6789/);
  assert.ok(!(await page.content()).includes('000123456789'), 'full account numbers never shown');
  await shot(page, '1-connect');

  await page.click('#next');
  assert.equal(await page.locator('h1').textContent(), 'Set up QuickBooks');
  assert.equal(await page.locator('.callout h2').textContent(), 'Use your business banking login');
  assert.equal(await page.locator('#revoke').count(), 0, 'nothing to revoke before credentials exist');
  await shot(page, '2-setup');

  await page.click('#get-credentials');
  const username = (await page.locator('#username').textContent()).trim();
  const password = (await page.locator('#password').textContent()).trim();
  const code = (await page.locator('#code').textContent()).trim();
  assert.match(username, /^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$/);
  assert.match(password, /^[A-Za-z0-9]{20,}$/);
  assert.match(code, /^\d{6}$/);
  const otp = await api('POST', `${base}/bankFeeds/otp`);
  assert.equal(otp.otp, code, 'the page shows the code the institution gets from the API');
  await shot(page, '3-credentials');

  // Shown once: going back to the steps never shows the password again, but offers revocation.
  await page.click('text=Back to the steps');
  assert.ok(!(await page.content()).includes(password));
  assert.equal(await page.locator('#revoke').count(), 1);

  await page.click('button[lang="fr-CA"]');
  assert.equal(await page.locator('h1').textContent(), 'Configurer QuickBooks');
  assert.equal(await page.locator('html').getAttribute('lang'), 'fr-CA');
  assert.equal(await page.locator('.callout h2').textContent(), 'Utilisez votre accès entreprise');
  await shot(page, '4-setup-fr');
  await page.goto(`${server.url}${base.replace('/companies', '/link/companies')}`);
  assert.equal(await page.locator('h1').textContent(), 'Se connecter aux flux bancaires de QuickBooks en ligne', 'the choice stays for the session');

  await page.click('#next');
  await page.click('#revoke');
  assert.equal(await page.locator('h1').textContent(), 'Révoquer tous les identifiants?');
  await shot(page, '5-revoke-confirm');
  await page.click('#confirm-revoke');
  assert.equal(await page.locator('h1').textContent(), 'Identifiants révoqués');
  await shot(page, '6-revoked');
  const credentials = await fetch(`${server.url}${base}/connectionInfo/bankFeedAccounts/credentials`, {
    method: 'DELETE', headers: { authorization: basicAuth(server.keys.Browser) },
  });
  assert.equal(credentials.status, 204);
  await page.click('text=Se connecter de nouveau');
  assert.equal(await page.locator('#revoke').count(), 0, 'no unrevoked credential is left');
  assert.deepEqual(errors, []);
  await page.close();
});

test('names pushed by the institution render as text, never as markup', async () => {
  const { linkUrl, companyName } = await connection('"><script>alert(1)</script>', [
    ['x-1', '<img src=x onerror=alert(1)>', '1111'],
  ]);
  const page = await browser.newPage();
  const dialogs = [];
  const errors = [];
  page.on('dialog', async (d) => { dialogs.push(d.message()); await d.dismiss(); });
  page.on('console', (m) => { if (m.type() === 'error' && !m.location().url.endsWith('/favicon.ico')) errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(linkUrl);
  // The client API may clean the name on the way in; whatever is stored is shown as text.
  assert.equal(await page.locator('[data-testid=company]').textContent(), companyName);
  assert.equal(await page.locator('.account-name').textContent(), '<img src=x onerror=alert(1)>');
  assert.equal(await page.locator('main img').count(), 0);
  await page.click('#next');
  await page.click('#get-credentials');
  assert.deepEqual(dialogs, []);
  assert.deepEqual(errors, []);
  await shot(page, '7-escaped');
  await page.close();
});

test('an expired or tampered link shows the expired page in the user language', async () => {
  const { linkUrl } = await connection('Expired Co', []);
  const context = await browser.browser()?.newContext?.({ locale: 'fr-CA' });
  const page = context ? await context.newPage() : await browser.newPage();
  await page.setExtraHTTPHeaders({ 'accept-language': 'fr-CA,fr;q=0.9' });
  const res = await page.goto(linkUrl.replace(/otp=.{4}/, 'otp=AAAA'));
  assert.equal(res.status(), 401);
  assert.equal(await page.locator('h1').textContent(), 'Ce lien a expiré');
  assert.match(await page.locator('main').textContent(), /Retournez à Maple Bank/);
  await shot(page, '8-expired-fr');
  await page.close();
  await context?.close();
});
