// The steps of the seed flow that do not depend on the feed QuickBooks pulls: the institution's
// set-up through the client API, the customer's Link UI, choosing accounts in the sandbox, pushes
// and Updates (backdated pushes included), and revoking. seed_flow.test.mjs (OFX) and
// seed_flow_fdx.test.mjs (FDX) differ only in how the customer signs in from the sandbox.

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { basicAuth, launch, repoRoot, startServer } from './browser.mjs';

export const ACCOUNTS = [
  { id: 'chk-001', accountName: 'Everyday Chequing', accountType: 'checking', accountNumber: '4410023871', currency: 'USD', balance: 2450.0 },
  { id: 'sav-001', accountName: 'Business Savings', accountType: 'savings', accountNumber: '4410098812', currency: 'USD', balance: 10200.0 },
  { id: 'cc-001', accountName: 'Business Visa', accountType: 'creditCard', accountNumber: '4532000012349876', currency: 'USD', balance: -325.4 },
];
const CREDENTIAL_ERROR = 'credentials have changed or access was revoked';

/** `YYYY-MM-DD` of the UTC day `days` before today (the institution's time zone is UTC here). */
function daysBack(days) {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}

/** A function saving full-page screenshots to tests/artifacts/NAME/, so a failing run shows where the flow stood. */
export function screenshots(name) {
  const dir = join(repoRoot, 'tests', 'artifacts', name);
  mkdirSync(dir, { recursive: true });
  return (page, step) => page.screenshot({ path: join(dir, `${step}.png`), fullPage: true });
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

/** The institution sets up the customer: company, connection, three source accounts. */
async function setUpCustomer(api) {
  const company = await ok(api, 'POST', '/companies', { name: 'Maple Street Bakery' });
  const connection = await ok(api, 'POST', `/companies/${company.id}/connections`, { platformKey: 'hcws' });
  const connectionPath = `/companies/${company.id}/connections/${connection.id}`;
  await ok(api, 'POST', `${connectionPath}/connectionInfo/bankFeedAccounts/batch`, ACCOUNTS);
  const { linkUrl } = await ok(api, 'GET', connectionPath);
  assert.match(linkUrl, /otp=/, 'the linkUrl carries a one-time token');
  return { connectionPath, linkUrl };
}

/** The customer opens the link and gets credentials; resolves to { username, password, code }. */
async function getCredentials(link, linkUrl, snap) {
  // The token must leave the address bar (it is a secret).
  await link.goto(linkUrl);
  assert.doesNotMatch(link.url(), /otp=/, `token still in the address bar: ${link.url()}`);
  await assert.doesNotReject(link.getByRole('heading', { level: 1, name: 'Connect to QuickBooks Online Bank Feeds' }).waitFor());
  const listed = await link.locator('ul.accounts .account-name').allTextContents();
  assert.deepEqual(listed.sort(), ACCOUNTS.map((a) => a.accountName).sort());
  await snap(link, '01-link-connect');
  await link.getByRole('link', { name: 'Next' }).click();

  // Set up QuickBooks: fresh credentials and the confirmation code QuickBooks will ask for.
  await link.getByRole('heading', { level: 1, name: 'Set up QuickBooks' }).waitFor();
  await snap(link, '02-link-setup');
  await link.getByRole('button', { name: 'Get credentials' }).click();
  await link.getByRole('heading', { level: 1, name: 'Your QuickBooks credentials' }).waitFor();
  const username = (await link.locator('output#username').textContent()).trim();
  const password = (await link.locator('output#password').textContent()).trim();
  const code = (await link.locator('output#code').textContent()).trim();
  assert.ok(username && password && code, `credentials page shows username/password/code: ${await link.locator('main').innerText()}`);
  await snap(link, '03-link-credentials');
  return { username, password, code };
}

/** In the sandbox: "Link account", search, pick the bank, "I agree". */
async function pickTheBank(qbo, sandboxUrl, snap) {
  await qbo.goto(sandboxUrl);
  await qbo.getByRole('button', { name: 'Link account' }).click();
  await qbo.getByLabel('Search').fill('Maple');
  await snap(qbo, '04-sandbox-search');
  await qbo.getByRole('button', { name: 'Maple Bank', exact: true }).click();
  await qbo.getByRole('button', { name: 'I agree' }).click();
}

/** Back in the sandbox after signing in: two accounts, their types, a start date, "Connect". */
async function connectAccounts(qbo, snap) {
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
}

/** The institution sees the result: linked, two accounts feeding from seven days back. */
async function assertLinked(api, connectionPath) {
  assert.equal((await ok(api, 'GET', connectionPath)).status, 'Linked');
  const states = await accountStates(api, connectionPath);
  for (const id of ['chk-001', 'cc-001']) {
    assert.equal(states[id].status, 'connected', `${id}: ${JSON.stringify(states[id])}`);
    assert.ok(String(states[id].feedStartDate).startsWith(daysBack(7)), `${id} feedStartDate ${states[id].feedStartDate}, want ${daysBack(7)}`);
  }
  assert.equal(states['sav-001'].status, 'pending', JSON.stringify(states['sav-001']));
}

async function update(qbo) {
  await qbo.getByRole('button', { name: 'Update' }).click();
  await qbo.getByRole('heading', { level: 1, name: 'Banking' }).waitFor();
}

/**
 * The institution pushes today's transactions, then card transactions dated before the last
 * download ended: each Update shows every one "For review" exactly once, with the right balance.
 */
async function pushAndUpdate(api, connectionPath, qbo, snap) {
  const today = daysBack(0);
  const push = await ok(api, 'POST', `${connectionPath}/push/bankAccounts/chk-001/bankTransactions`, {
    accountId: 'chk-001',
    transactions: [
      { id: 't1', date: `${today}T09:00:00`, description: 'Card sales', amount: 1284.5, balance: 3734.5, transactionType: 'Credit' },
      { id: 't2', date: `${today}T10:30:00`, description: 'Prairie Mills flour', amount: -184.2, balance: 3550.3, transactionType: 'Debit' },
    ],
  });
  assert.equal(push.status, 'Success', JSON.stringify(push));

  await update(qbo);
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

  // QuickBooks shows each account by its masked number, as the institution knows it.
  assert.ok(sectionText.includes('••••3871'), sectionText);
  assert.ok((await accountSection(qbo, 'Business Visa').innerText()).includes('••••9876'));

  // Card transactions dated three days and one day back, pushed after QuickBooks' last download
  // ended: the next Update still brings them, and the one after brings them no second time.
  const backdated = await ok(api, 'POST', `${connectionPath}/push/bankAccounts/cc-001/bankTransactions`, {
    accountId: 'cc-001',
    transactions: [
      { id: 'v1', date: `${daysBack(3)}T12:00:00`, description: 'Hardware store', amount: -62.15, balance: -387.55, transactionType: 'Debit' },
      { id: 'v2', date: `${daysBack(1)}T16:45:00`, description: 'Payment thank you', amount: 300.0, balance: -87.55, transactionType: 'Credit' },
    ],
  });
  assert.equal(backdated.status, 'Success', JSON.stringify(backdated));
  for (const round of [1, 2]) {
    await update(qbo);
    const visa = accountSection(qbo, 'Business Visa');
    const visaText = await visa.innerText();
    assert.equal((await visa.getByTestId('balance').textContent()).trim(), '-$87.55', visaText);
    for (const description of ['Hardware store', 'Payment thank you']) {
      assert.equal(await visa.getByRole('row').filter({ hasText: description }).count(), 1, `update ${round}: ${visaText}`);
    }
  }
  await snap(qbo, '09-sandbox-backdated');
}

/**
 * The customer revokes the credentials in the Link UI; QuickBooks' next Update fails the way
 * QuickBooks shows revoked access, and the API agrees. Resolves to the alerts' text.
 */
async function revokeAndUpdate(link, qbo, api, connectionPath, snap) {
  await link.getByRole('link', { name: 'Revoke credentials' }).click();
  await link.getByRole('button', { name: 'Yes, revoke all credentials' }).click();
  await link.getByRole('heading', { level: 1, name: 'Credentials revoked' }).waitFor();
  await snap(link, '10-link-revoked');
  const stopped = await link.locator('ul.stopped .account-name').allTextContents();
  assert.deepEqual(stopped.sort(), ['Business Visa', 'Everyday Chequing']);

  await update(qbo);
  await snap(qbo, '11-sandbox-credential-error');
  const alerts = (await qbo.getByRole('alert').allInnerTexts()).join('\n');
  assert.ok(alerts.includes(CREDENTIAL_ERROR), `no credential error on the Banking page: ${await qbo.locator('main').innerText()}`);
  assert.equal(await qbo.getByRole('button', { name: 'Reconnect' }).count(), 1);
  for (const name of ['Everyday Chequing', 'Business Visa']) {
    const status = (await accountSection(qbo, name).getByTestId('status').textContent()).trim();
    assert.match(status, /^Needs attention/, `${name} after the credential error: ${status}`);
  }
  const states = await accountStates(api, connectionPath);
  for (const id of ['chk-001', 'cc-001']) {
    assert.equal(states[id].status, 'disconnected', `${id}: ${JSON.stringify(states[id])}`);
  }
  assert.equal((await ok(api, 'GET', connectionPath)).status, 'Unlinked');
  return alerts;
}

/**
 * The flow up to "I agree" in the sandbox: a server, the sandbox `startSandbox(server)` starts
 * (a spawnFeedbridge process that found its `url`), the customer set up and holding fresh
 * credentials. Every process and the browser are pushed to `cleanups`. Resolves to
 * { server, sandbox, api, connectionPath, link, qbo, credentials }.
 */
export async function untilAgreed(startSandbox, snap, cleanups) {
  const server = await startServer({ apiKeys: ['Tests'] });
  cleanups.push(() => server.stop());
  const sandbox = await startSandbox(server);
  cleanups.push(() => sandbox.stop());
  const browser = await launch();
  cleanups.push(() => browser.close());
  const api = clientApi(server.url, server.keys.Tests);
  const { connectionPath, linkUrl } = await setUpCustomer(api);
  const link = await browser.newPage();
  const credentials = await getCredentials(link, linkUrl, snap);
  const qbo = await browser.newPage();
  await pickTheBank(qbo, sandbox.found.url, snap);
  return { server, sandbox, api, connectionPath, link, qbo, credentials };
}

/**
 * The flow once signed in: accounts connected, pushes and Updates, revoking. Resolves to the
 * text of the alerts of the last Update, which names the feed's code.
 */
export async function fromAccountSelection({ api, connectionPath, link, qbo }, snap) {
  await connectAccounts(qbo, snap);
  await assertLinked(api, connectionPath);
  await pushAndUpdate(api, connectionPath, qbo, snap);
  return revokeAndUpdate(link, qbo, api, connectionPath, snap);
}
