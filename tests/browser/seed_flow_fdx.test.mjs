// The seed flow over FDX, in headless Chromium against real processes: the server, and the
// sandbox accounting platform as a data recipient registered with `feedbridge recipient add`
// (`feedbridge sandbox --protocol fdx`). QuickBooks' part differs from the OFX flow in one
// place: after "I agree" the browser goes to the institution's hosted sign-in, where the customer
// enters the credentials and the confirmation code and allows the accounts, and comes back to the
// sandbox's redirect URI. The steps both feeds share are in lib/seed.mjs. Screenshots go to
// tests/artifacts/seed-flow-fdx/.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { registerRecipient, setRedirectUri } from './lib/browser.mjs';
import { spawnFeedbridge } from './lib/process.mjs';
import { ACCOUNTS, fromAccountSelection, screenshots, untilAgreed } from './lib/seed.mjs';

const snap = screenshots('seed-flow-fdx');

const cleanups = [];
after(async () => {
  // Newest first: the browser before the processes it talks to.
  for (const cleanup of cleanups.reverse()) {
    try { await cleanup(); } catch (err) { console.error('cleanup failed:', err); }
  }
});

/**
 * `feedbridge sandbox --protocol fdx` as a registered recipient. Its address is known only once
 * it has bound port 0, so it is registered first with a stand-in redirect URI that the one it
 * announces then replaces, before any sign-in starts.
 */
async function fdxSandbox(server) {
  const dataDir = server.dataDir;
  const recipient = await registerRecipient({
    name: 'Feedbridge Sandbox', redirectUri: 'http://127.0.0.1/fdx/callback', dataDir,
  });
  const sandbox = await spawnFeedbridge(
    ['sandbox', '--protocol', 'fdx', '--issuer', server.url, '--client-id', recipient.clientId,
      '--client-secret', recipient.clientSecret, '--listen', '127.0.0.1:0'],
    { waitFor: { url: /^sandbox: (http:\/\/\S+)/, redirect: /^redirect uri: (\S+)/ } },
  );
  const redirectUri = sandbox.found.redirect;
  assert.equal(redirectUri, `${sandbox.found.url}/fdx/callback`, 'the sandbox names the redirect URI to register');
  await setRedirectUri({ clientId: recipient.clientId, redirectUri, dataDir });
  return sandbox;
}

test('the seed flow over FDX: hosted sign-in, allow, connect, push, update, backdated pushes, revoke', async () => {
  // The sandbox found the bank by the name in the issuer's discovery document; after "I agree"
  // the browser is at the institution's hosted sign-in.
  const flow = await untilAgreed(fdxSandbox, snap, cleanups);
  const { server, sandbox, qbo, credentials } = flow;
  await qbo.getByRole('heading', { level: 1, name: 'Sign in to Maple Bank' }).waitFor();
  assert.ok(qbo.url().startsWith(`${server.url}/oauth2/`), `not at the institution: ${qbo.url()}`);
  assert.ok((await qbo.locator('main').innerText()).includes('Feedbridge Sandbox asks to connect'));
  await qbo.getByLabel('Username').fill(credentials.username);
  await qbo.getByLabel('Password').fill(credentials.password);
  await qbo.getByRole('button', { name: 'Sign in' }).click();
  await qbo.getByRole('heading', { level: 1, name: 'Confirm it is you' }).waitFor();
  await qbo.getByLabel('Confirmation code').fill(credentials.code);
  await snap(qbo, '05-hosted-confirm');
  await qbo.getByRole('button', { name: 'Continue' }).click();
  await qbo.getByRole('heading', { level: 1, name: 'Allow Feedbridge Sandbox to see your accounts?' }).waitFor();
  for (const account of ACCOUNTS) {
    assert.equal(await qbo.getByLabel(account.accountName, { exact: true }).isChecked(), true, account.accountName);
  }
  await snap(qbo, '05b-hosted-consent');
  await qbo.getByRole('button', { name: 'Allow' }).click();

  // Back at the sandbox's redirect URI, which redeemed the code and listed the allowed accounts.
  await qbo.waitForURL(`${sandbox.found.url}/link/accounts`);
  const alerts = await fromAccountSelection(flow, snap);
  assert.ok(alerts.includes('(Error 602)'), `FDX's code for an ended consent is named: ${alerts}`);
});
