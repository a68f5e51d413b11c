// The whole seed flow of a small business connecting its bank accounts to QuickBooks Online, in
// headless Chromium against real processes: the server and the sandbox accounting platform over
// the OFX feed (the only thing it sees of the institution). The institution's part is played
// through the client API, the customer's part in the Link UI and the sandbox, which asks for the
// credentials and the confirmation code itself, as QuickBooks does for Direct Connect. The steps
// both feeds share are in lib/seed.mjs. Each step leaves a screenshot in tests/artifacts/seed-flow/.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnFeedbridge } from './lib/process.mjs';
import { fromAccountSelection, screenshots, untilAgreed } from './lib/seed.mjs';

const snap = screenshots('seed-flow');

const cleanups = [];
after(async () => {
  // Newest first: the browser before the processes it talks to.
  for (const cleanup of cleanups.reverse()) {
    try { await cleanup(); } catch (err) { console.error('cleanup failed:', err); }
  }
});

/** `feedbridge sandbox` on the server's OFX feed. */
function ofxSandbox(server) {
  return spawnFeedbridge(
    ['sandbox', '--feed-url', `${server.url}/ofx`, '--listen', '127.0.0.1:0'],
    { waitFor: { url: /^sandbox: (http:\/\/\S+)/ } },
  );
}

test('the seed flow over OFX: link, connect in QuickBooks, push, update, backdated pushes, revoke', async () => {
  const flow = await untilAgreed(ofxSandbox, snap, cleanups);
  const { qbo, credentials } = flow;

  // The sandbox's own sign-in, then the authentication prompt.
  await qbo.getByLabel('Username').fill(credentials.username);
  await qbo.getByLabel('Password', { exact: true }).fill(credentials.password);
  await qbo.getByRole('button', { name: 'Continue' }).click();
  await qbo.getByLabel('Confirmation code').fill(credentials.code);
  await snap(qbo, '05-sandbox-confirm');
  await qbo.getByRole('button', { name: 'Continue' }).click();

  const alerts = await fromAccountSelection(flow, snap);
  assert.match(alerts, /\(Error 15\d{3}\)/, 'the OFX sign-on code is named');
});
