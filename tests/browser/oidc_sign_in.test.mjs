// The hosted sign-in of OpenID Connect in headless Chromium, as an SMB user meets it in the
// pop-up an accounting platform opens: username and password from the Link UI, the
// confirmation code, then consent with a checkbox per account; Allow and Deny go back to the
// recipient's redirect URI (a small server of this test). In French too. Account and recipient
// names carrying XSS payloads stay text, another origin cannot frame the pages, and in a
// phone-sized pop-up every page fits and works from the keyboard.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { launch, startServer, callApi, registerRecipient } from './lib/browser.mjs';

const XSS_RECIPIENT = 'Ledgerly "><img src=x onerror=alert(1)>';
const ACCOUNTS = [
  { id: 'chk-1', accountName: 'Chequing <script>alert(1)</script>', accountType: 'checking', accountNumber: '4410023871', currency: 'USD', balance: 100 },
  { id: 'sav-1', accountName: "Savings '-alert(1)-' <svg onload=alert(1)>", accountType: 'savings', accountNumber: '4410098812', currency: 'USD', balance: 200 },
];

let server;
let browser;
let recipient;
let callback;
let callbackUrl;
const arrived = [];

before(async () => {
  callback = createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    if (url.pathname === '/callback') arrived.push(url);
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end('<!doctype html><title>Back at the platform</title><h1>Back at the platform</h1>');
  });
  await new Promise((resolve) => callback.listen(0, '127.0.0.1', resolve));
  callbackUrl = `http://127.0.0.1:${callback.address().port}/callback`;
  server = await startServer({ apiKeys: ['Browser'] });
  recipient = await registerRecipient({ name: XSS_RECIPIENT, redirectUri: callbackUrl, dataDir: server.dataDir });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await new Promise((resolve) => (callback ? callback.close(resolve) : resolve()));
});

const api = (method, path, body) => callApi(server, 'Browser', method, path, body);

/** A connection with the two accounts and fresh credentials with their confirmation code. */
async function connection() {
  const company = await api('POST', '/companies', { name: 'Maple Street Bakery' });
  const conn = await api('POST', `/companies/${company.id}/connections`, { platformKey: 'hcws' });
  const base = `/companies/${company.id}/connections/${conn.id}`;
  await api('POST', `${base}/connectionInfo/bankFeedAccounts/batch`, ACCOUNTS);
  const creds = await api('POST', `${base}/connectionInfo/bankFeedAccounts/credentials`, {});
  const { otp } = await api('POST', `${base}/bankFeeds/otp`);
  return { base, username: creds.username, password: creds.password, code: otp };
}

/** The recipient's authorization URL, with PKCE S256. */
function authorizeUrl(state) {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const params = new URLSearchParams({
    response_type: 'code', client_id: recipient.clientId, redirect_uri: callbackUrl,
    scope: 'openid offline_access fdx:accountbasic:read fdx:transactions:read',
    state, nonce: randomBytes(8).toString('hex'),
    code_challenge: challenge, code_challenge_method: 'S256',
  });
  return `${server.url}/oauth2/authorize?${params}`;
}

/** A page that fails the test on any dialog (an executed `alert`). */
async function watchedPage() {
  const page = await browser.newPage();
  const dialogs = [];
  page.on('dialog', async (d) => { dialogs.push(d.message()); await d.dismiss(); });
  page.dialogs = dialogs;
  return page;
}

test('sign in, confirm, allow: the recipient gets a code and its state; names stay text', async () => {
  const acc = await connection();
  const page = await watchedPage();
  await page.goto(authorizeUrl('state-allow'));
  await page.getByRole('heading', { level: 1, name: 'Sign in to Maple Bank' }).waitFor();
  assert.ok((await page.locator('main').innerText()).includes(`${XSS_RECIPIENT} asks to connect`));
  await page.getByLabel('Username').fill(acc.username);
  await page.getByLabel('Password').fill(acc.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Confirm it is you' }).waitFor();
  await page.getByLabel('Confirmation code').fill(acc.code);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('heading', { level: 1, name: `Allow ${XSS_RECIPIENT} to see your accounts?` }).waitFor();
  const main = await page.locator('main').innerText();
  for (const seen of ['Account names, types and masked numbers', 'Posted transactions', 'Until ']) {
    assert.ok(main.includes(seen), `${seen} missing from:\n${main}`);
  }
  for (const account of ACCOUNTS) {
    assert.equal(await page.getByLabel(account.accountName, { exact: true }).isChecked(), true);
  }
  assert.equal(await page.locator('main script, main img, main svg').count(), 0, 'no element was injected');
  await page.getByLabel(ACCOUNTS[1].accountName, { exact: true }).uncheck();
  await page.getByRole('button', { name: 'Allow' }).click();
  await page.getByRole('heading', { name: 'Back at the platform' }).waitFor();
  const back = arrived.at(-1);
  assert.equal(back.searchParams.get('state'), 'state-allow');
  assert.match(back.searchParams.get('code'), /^[A-Za-z0-9]{32}$/);
  assert.equal(back.searchParams.get('iss'), server.url);
  assert.deepEqual(page.dialogs, [], 'a payload ran');
  await page.close();
});

test('deny sends access_denied back; the sign-in is over afterwards', async () => {
  const acc = await connection();
  const page = await watchedPage();
  await page.goto(authorizeUrl('state-deny'));
  await page.getByLabel('Username').fill(acc.username);
  await page.getByLabel('Password').fill(acc.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByLabel('Confirmation code').fill(acc.code);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('button', { name: 'Deny' }).click();
  await page.getByRole('heading', { name: 'Back at the platform' }).waitFor();
  const back = arrived.at(-1);
  assert.equal(back.searchParams.get('error'), 'access_denied');
  assert.equal(back.searchParams.get('state'), 'state-deny');
  assert.equal(back.searchParams.get('code'), null);
  const again = await page.goto(`${server.url}/oauth2/sign-in`);
  assert.equal(again.status(), 401);
  assert.equal(await page.locator('h1').textContent(), 'This sign-in has ended');
  await page.close();
});

test('the pages speak French, by Accept-Language or by the switch, and keep the sign-in', async () => {
  const acc = await connection();
  const context = await browser.browser().newContext({ locale: 'fr-CA', extraHTTPHeaders: { 'accept-language': 'fr-CA,fr;q=0.9' } });
  const page = await context.newPage();
  await page.goto(authorizeUrl('state-fr'));
  await page.getByRole('heading', { level: 1, name: 'Connexion à Maple Bank' }).waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'fr-CA');
  await page.getByLabel('Nom d’utilisateur').fill(acc.username);
  await page.getByLabel('Mot de passe').fill(acc.password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByRole('heading', { level: 1, name: 'Confirmez votre identité' }).waitFor();
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { level: 1, name: 'Confirm it is you' }).waitFor();
  await page.getByLabel('Confirmation code').fill(acc.code);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('button', { name: 'Allow' }).waitFor();
  await context.close();
});

test('another origin cannot frame the sign-in', async () => {
  const headers = (await fetch(`${server.url}/oauth2/sign-in`)).headers;
  assert.match(headers.get('content-security-policy'), /frame-ancestors 'none'/);
  assert.equal(headers.get('x-frame-options'), 'DENY');
  const evil = createServer((req, res) => {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(`<!doctype html><iframe name="signin" src="${authorizeUrl('framed')}"></iframe>`);
  });
  await new Promise((resolve) => evil.listen(0, '127.0.0.1', resolve));
  const page = await watchedPage();
  await page.goto(`http://127.0.0.1:${evil.address().port}/`, { waitUntil: 'load' });
  const framed = page.frame({ name: 'signin' });
  await page.waitForTimeout(500);
  assert.ok(!(await framed.content()).includes('Sign in to Maple Bank'), 'the sign-in rendered in a frame');
  assert.equal(await framed.getByLabel('Password').count(), 0);
  await page.close();
  // Chromium keeps its connection to the framing page open; close() alone would wait for it.
  evil.closeAllConnections();
  await new Promise((resolve) => evil.close(resolve));
});

test('in a phone-sized pop-up every page fits its width and is driven by keyboard alone', async () => {
  const acc = await connection();
  const context = await browser.browser().newContext({ viewport: { width: 360, height: 640 } });
  const page = await context.newPage();
  const fits = async (what) => {
    const { scroll, client } = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth,
    }));
    assert.ok(scroll <= client, `${what}: ${scroll}px of content in a ${client}px window`);
  };
  // Tab to the field, type, Enter to send: every control is reachable and labelled.
  const typeInto = async (label, text) => {
    const field = page.getByLabel(label, { exact: true });
    for (let tabs = 0; tabs < 20 && !(await field.evaluate((el) => el === document.activeElement)); tabs += 1) {
      await page.keyboard.press('Tab');
    }
    assert.ok(await field.evaluate((el) => el === document.activeElement), `${label} is not reachable by Tab`);
    await page.keyboard.type(text);
  };
  await page.goto(authorizeUrl('state-phone'));
  await page.getByRole('heading', { level: 1, name: 'Sign in to Maple Bank' }).waitFor();
  await fits('sign-in');
  await typeInto('Username', acc.username);
  await typeInto('Password', acc.password);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: 'Confirm it is you' }).waitFor();
  await fits('confirmation');
  await typeInto('Confirmation code', acc.code);
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'Allow' }).waitFor();
  await fits('consent');
  const allow = await page.getByRole('button', { name: 'Allow' }).boundingBox();
  assert.ok(allow.x >= 0 && allow.x + allow.width <= 360, `Allow sits outside the window: ${JSON.stringify(allow)}`);
  await page.getByRole('button', { name: 'Allow' }).focus();
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Back at the platform' }).waitFor();
  assert.equal(arrived.at(-1).searchParams.get('state'), 'state-phone');
  await context.close();
});
