// The whole seed flow of a small business connecting its bank accounts to QuickBooks Online, in
// headless Chromium against the real processes `feedbridge demo` runs: the server and the sandbox
// accounting platform (which only sees the OFX feed). The institution's part is played through the
// client API, the customer's part in the Link UI and the sandbox. Each step leaves a screenshot in
// tests/artifacts/seed-flow/.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launch, startServer, basicAuth, repoRoot } from './lib/browser.mjs';
import { spawnFeedbridge } from './lib/process.mjs';

const ARTIFACTS = join(repoRoot, 'tests', 'artifacts', 'seed-flow');
const ACCOUNTS = [
  { id: 'chk-001', accountName: 'Everyday Chequing', accountType: 'checking', accountNumber: '4410023871', currency: 'USD', balance: 2450.0 },
  { id: 'sav-001', accountName: 'Business Savings', accountType: 'savings', accountNumber: '4410098812', currency: 'USD', balance: 10200.0 },
  { id: 'cc-001', accountName: 'Business Visa', accountType: 'creditCard', accountNumber: '4532000012349876', currency: 'USD', balance: -325.4 },
];
const CREDENTIAL_ERROR = 'credentials have changed or access was revoked';

/** `YYYY-MM-DD` of the UTC day `days` before today (the institution's time zone is UTC here). */
function daysBack(days) {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}

/** Saves a full-page screenshot as NN-name.png, so a failing run shows where the flow stood. */
async function snap(page, name) {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** A client API caller for one key; returns { status, body } and never throws on HTTP errors. */
function clientApi(baseUrl, key) {
  return async (method, path, body) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { authorization: basicAuth(key), 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let json = null;
    try { json = JSON.parse(text); } catch { /* non-JSON bodies are reported as text below */ }
    return { status: res.status, body: json ?? text };
  };
}

/** Calls the API and insists on a 2xx, reporting the whole exchange when it fails. */
async function ok(api, method, path, body) {
  const res = await api(method, path, body);
  assert.ok(res.status >= 200 && res.status < 300, `${method} ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Status and feedStartDate of every source account of the connection, by id. */
async function accountStates(api, connectionPath) {
  const list = await ok(api, 'GET', `${connectionPath}/connectionInfo/bankFeedAccounts`);
  return Object.fromEntries(list.map((a) => [a.id, a]));
}

/** The "For review" section of one linked account on the sandbox's Banking page. */
function accountSection(page, name) {
  return page.locator('section').filter({ has: page.getByRole('heading', { level: 2, name, exact: true }) });
}

const cleanups = [];
after(async () => {
  // Newest first: the browser before the processes it talks to.
  for (const cleanup of cleanups.reverse()) {
    try { await cleanup(); } catch (err) { console.error('cleanup failed:', err); }
  }
});

test('the seed flow: link, connect in QuickBooks, push, update, backdated pushes, revoke', async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  const server = await startServer({ apiKeys: ['Tests'] });
  cleanups.push(() => server.stop());
  const sandbox = await spawnFeedbridge(
    ['sandbox', '--feed-url', `${server.url}/ofx`, '--listen', '127.0.0.1:0'],
    { waitFor: { url: /^sandbox: (http:\/\/\S+)/ } },
  );
  cleanups.push(() => sandbox.stop());
  const browser = await launch();
  cleanups.push(() => browser.close());
  const api = clientApi(server.url, server.keys.Tests);

  // The institution sets up the customer: company, connection, three source accounts.
  const company = await ok(api, 'POST', '/companies', { name: 'Maple Street Bakery' });
  const connection = await ok(api, 'POST', `/companies/${company.id}/connections`, { platformKey: 'hcws' });
  const connectionPath = `/companies/${company.id}/connections/${connection.id}`;
  await ok(api, 'POST', `${connectionPath}/connectionInfo/bankFeedAccounts/batch`, ACCOUNTS);
  const { linkUrl } = await ok(api, 'GET', connectionPath);
  assert.match(linkUrl, /otp=/, 'the linkUrl carries a one-time token');

  // 1. The customer opens the link: the token must leave the address bar (it is a secret).
  const link = await browser.newPage();
  await link.goto(linkUrl);
  assert.doesNotMatch(link.url(), /otp=/, `token still in the address bar: ${link.url()}`);
  await assert.doesNotReject(link.getByRole('heading', { level: 1, name: 'Connect to QuickBooks Online Bank Feeds' }).waitFor());
  const listed = await link.locator('ul.accounts .account-name').allTextContents();
  assert.deepEqual(listed.sort(), ACCOUNTS.map((a) => a.accountName).sort());
  await snap(link, '01-link-connect');
  await link.getByRole('link', { name: 'Next' }).click();

  // 2. Set up QuickBooks: fresh credentials and the confirmation code QuickBooks will ask for.
  await link.getByRole('heading', { level: 1, name: 'Set up QuickBooks' }).waitFor();
  await snap(link, '02-link-setup');
  await link.getByRole('button', { name: 'Get credentials' }).click();
  await link.getByRole('heading', { level: 1, name: 'Your QuickBooks credentials' }).waitFor();
  const username = (await link.locator('output#username').textContent()).trim();
  const password = (await link.locator('output#password').textContent()).trim();
  const code = (await link.locator('output#code').textContent()).trim();
  assert.ok(username && password && code, `credentials page shows username/password/code: ${await link.locator('main').innerText()}`);
  await snap(link, '03-link-credentials');

  // 3. In QuickBooks (the sandbox): find the bank, sign in, answer the prompt, choose accounts.
  const qbo = await browser.newPage();
  await qbo.goto(sandbox.found.url);
  await qbo.getByRole('button', { name: 'Link account' }).click();
  await qbo.getByLabel('Search').fill('Maple');
  await snap(qbo, '04-sandbox-search');
  await qbo.getByRole('button', { name: 'Maple Bank', exact: true }).click();
  await qbo.getByRole('button', { name: 'I agree' }).click();
  await qbo.getByLabel('Username').fill(username);
  await qbo.getByLabel('Password', { exact: true }).fill(password);
  await qbo.getByRole('button', { name: 'Continue' }).click();
  await qbo.getByLabel('Confirmation code').fill(code);
  await snap(qbo, '05-sandbox-confirm');
  await qbo.getByRole('button', { name: 'Continue' }).click();
  await qbo.getByRole('heading', { name: 'Which accounts do you want to connect?' }).waitFor();
  await qbo.getByLabel('Everyday Chequing', { exact: true }).check();
  await qbo.getByLabel('Business Visa', { exact: true }).check();
  await qbo.getByLabel('Account type for Everyday Chequing').selectOption('Checking');
  await qbo.getByLabel('Account type for Business Visa').selectOption('Credit Card');
  // Ten days back: the feed must clamp it to seven (the sandbox says older dates are ignored).
  await qbo.getByLabel('Start date').fill(daysBack(10));
  await snap(qbo, '06-sandbox-select-accounts');
  await qbo.getByRole('button', { name: 'Connect' }).click();
  await qbo.getByRole('heading', { level: 1, name: 'Banking' }).waitFor();
  await snap(qbo, '07-sandbox-connected');
  assert.equal(await accountSection(qbo, 'Everyday Chequing').count(), 1, await qbo.locator('main').innerText());
  assert.equal(await accountSection(qbo, 'Business Visa').count(), 1, await qbo.locator('main').innerText());

  // 4. The institution sees the result: linked, two accounts feeding from seven days back.
  assert.equal((await ok(api, 'GET', connectionPath)).status, 'Linked');
  let states = await accountStates(api, connectionPath);
  for (const id of ['chk-001', 'cc-001']) {
    assert.equal(states[id].status, 'connected', `${id}: ${JSON.stringify(states[id])}`);
    assert.ok(String(states[id].feedStartDate).startsWith(daysBack(7)), `${id} feedStartDate ${states[id].feedStartDate}, want ${daysBack(7)}`);
  }
  assert.equal(states['sav-001'].status, 'pending', JSON.stringify(states['sav-001']));

  // 5. The institution pushes today's transactions to the chequing account.
  const today = daysBack(0);
  const push = await ok(api, 'POST', `${connectionPath}/push/bankAccounts/chk-001/bankTransactions`, {
    accountId: 'chk-001',
    transactions: [
      { id: 't1', date: `${today}T09:00:00`, description: 'Card sales', amount: 1284.5, balance: 3734.5, transactionType: 'Credit' },
      { id: 't2', date: `${today}T10:30:00`, description: 'Prairie Mills flour', amount: -184.2, balance: 3550.3, transactionType: 'Debit' },
    ],
  });
  assert.equal(push.status, 'Success', JSON.stringify(push));

  // 6. Update in QuickBooks pulls the feed: both transactions "for review" and the new balance.
  await qbo.getByRole('button', { name: 'Update' }).click();
  await qbo.getByRole('heading', { level: 1, name: 'Banking' }).waitFor();
  await snap(qbo, '08-sandbox-transactions');
  const chequing = accountSection(qbo, 'Everyday Chequing');
  const sectionText = await chequing.innerText();
  assert.equal((await chequing.getByTestId('balance').textContent()).trim(), '$3,550.30', sectionText);
  const sale = chequing.getByRole('row').filter({ hasText: 'Card sales' });
  assert.equal(await sale.count(), 1, sectionText);
  assert.deepEqual(await sale.locator('td.amount').allTextContents(), ['', '$1,284.50'], 'a credit is received');
  const flour = chequing.getByRole('row').filter({ hasText: 'Prairie Mills flour' });
  assert.equal(await flour.count(), 1, sectionText);
  assert.deepEqual(await flour.locator('td.amount').allTextContents(), ['$184.20', ''], 'a debit is spent');

  // 6b. QuickBooks shows each account by its masked number, as the institution knows it.
  assert.ok(sectionText.includes('••••3871'), sectionText);
  assert.ok((await accountSection(qbo, 'Business Visa').innerText()).includes('••••9876'));

  // 6c. The institution pushes card transactions dated three days and one day back, after
  // QuickBooks' last download ended: the next Update still brings them, each exactly once.
  const backdated = await ok(api, 'POST', `${connectionPath}/push/bankAccounts/cc-001/bankTransactions`, {
    accountId: 'cc-001',
    transactions: [
      { id: 'v1', date: `${daysBack(3)}T12:00:00`, description: 'Hardware store', amount: -62.15, balance: -387.55, transactionType: 'Debit' },
      { id: 'v2', date: `${daysBack(1)}T16:45:00`, description: 'Payment thank you', amount: 300.0, balance: -87.55, transactionType: 'Credit' },
    ],
  });
  assert.equal(backdated.status, 'Success', JSON.stringify(backdated));
  for (const round of [1, 2]) {
    await qbo.getByRole('button', { name: 'Update' }).click();
    await qbo.getByRole('heading', { level: 1, name: 'Banking' }).waitFor();
    const visa = accountSection(qbo, 'Business Visa');
    const visaText = await visa.innerText();
    assert.equal((await visa.getByTestId('balance').textContent()).trim(), '-$87.55', visaText);
    for (const description of ['Hardware store', 'Payment thank you']) {
      assert.equal(await visa.getByRole('row').filter({ hasText: description }).count(), 1, `update ${round}: ${visaText}`);
    }
  }
  await snap(qbo, '09-sandbox-backdated');

  // 7. The customer revokes the credentials in the Link UI; it names the accounts that stop.
  await link.getByRole('link', { name: 'Revoke credentials' }).click();
  await link.getByRole('button', { name: 'Yes, revoke all credentials' }).click();
  await link.getByRole('heading', { level: 1, name: 'Credentials revoked' }).waitFor();
  await snap(link, '10-link-revoked');
  const stopped = await link.locator('ul.stopped .account-name').allTextContents();
  assert.deepEqual(stopped.sort(), ['Business Visa', 'Everyday Chequing']);

  // 8. QuickBooks' next Update fails the way QuickBooks shows revoked access; the API agrees.
  await qbo.getByRole('button', { name: 'Update' }).click();
  await qbo.getByRole('heading', { level: 1, name: 'Banking' }).waitFor();
  await snap(qbo, '11-sandbox-credential-error');
  const alerts = (await qbo.getByRole('alert').allInnerTexts()).join('\n');
  assert.ok(alerts.includes(CREDENTIAL_ERROR), `no credential error on the Banking page: ${await qbo.locator('main').innerText()}`);
  for (const name of ['Everyday Chequing', 'Business Visa']) {
    const status = (await accountSection(qbo, name).getByTestId('status').textContent()).trim();
    assert.match(status, /^Needs attention/, `${name} after the credential error: ${status}`);
  }
  states = await accountStates(api, connectionPath);
  for (const id of ['chk-001', 'cc-001']) {
    assert.equal(states[id].status, 'disconnected', `${id}: ${JSON.stringify(states[id])}`);
  }
  assert.equal((await ok(api, 'GET', connectionPath)).status, 'Unlinked');
});
