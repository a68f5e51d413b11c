// Shared helpers for the browser tests (node --test, *.test.mjs in tests/browser/).
//
//   import { launch, startServer, createApiKey } from './lib/browser.mjs';
//
//   const server = await startServer();            // feedbridge serve on 127.0.0.1:0
//   const key = await createApiKey({ name: 'Browser', dataDir: server.dataDir });
//   const browser = await launch();                // Debian's /usr/bin/chromium, headless
//   const page = await browser.newPage();
//   await page.goto(`${server.url}/...`);
//   ...
//   await browser.close();
//   await server.stop();
//
// The binary is $FEEDBRIDGE_BIN (scripts/test-all sets it), by default target/debug/feedbridge
// of this repository. Everything binds 127.0.0.1; nothing talks to any other address.

import { spawn, execFile } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, '..', '..', '..');

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** The environment every feedbridge process of the tests gets (mirrors tests/python/support/server.py). */
export const SERVER_ENV = {
  FEEDBRIDGE_INSTITUTION_NAME: 'Maple Bank',
  FEEDBRIDGE_WEBHOOKS_ALLOW_PRIVATE_TARGETS: 'true',
};

const START_TIMEOUT_MS = 60_000;
const CLI_TIMEOUT_MS = 60_000;

export function feedbridgeBin() {
  const bin = process.env.FEEDBRIDGE_BIN || join(repoRoot, 'target', 'debug', 'feedbridge');
  if (!existsSync(bin)) {
    throw new Error(`feedbridge binary not found at ${bin}: build it or set FEEDBRIDGE_BIN`);
  }
  return bin;
}

function serverEnv(extra = {}) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith('FEEDBRIDGE_')) env[k] = v;
  }
  return { ...env, ...SERVER_ENV, ...extra };
}

/**
 * Launches headless Chromium with a fresh, temporary user-data-dir.
 * Returns a persistent BrowserContext (newPage(), pages(), close()); close() also removes the
 * profile directory. Extra options go to chromium.launchPersistentContext.
 */
export async function launch(options = {}) {
  const userDataDir = mkdtempSync(join(tmpdir(), 'feedbridge-chromium-'));
  const { args = [], ...rest } = options;
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_ARGS, ...args],
    ...rest,
  });
  const close = context.close.bind(context);
  context.close = async () => {
    try {
      await close();
    } finally {
      rmSync(userDataDir, { recursive: true, force: true });
    }
  };
  context.userDataDir = userDataDir;
  return context;
}

/**
 * Runs `feedbridge ARGS` to completion (a command on the server's database, beside it); resolves
 * to its stdout, rejects with stdout and stderr when it fails.
 */
function runCli(args, env) {
  return new Promise((resolvePromise, reject) => {
    execFile(feedbridgeBin(), args, { env: serverEnv(env), timeout: CLI_TIMEOUT_MS }, (error, stdout, stderr) => {
      if (error) {
        reject(new Error(`feedbridge ${args.join(' ')} failed: ${error.message}\nstdout:\n${stdout}\nstderr:\n${stderr}`));
        return;
      }
      resolvePromise(stdout);
    });
  });
}

/** The first group of `pattern` in `stdout`, or an error naming what was missing. */
function announced(stdout, pattern, what) {
  const value = pattern.exec(stdout)?.[1];
  if (!value) throw new Error(`no ${what} in the output:\n${stdout}`);
  return value;
}

/**
 * `feedbridge apikey create --name NAME --data-dir DIR`; resolves to the key (stdout's last line).
 */
export async function createApiKey({ name, dataDir, env = {} }) {
  const stdout = await runCli(['apikey', 'create', '--name', name, '--data-dir', dataDir], env);
  return announced(stdout, /(\S+)\s*$/, 'API key');
}

/**
 * `feedbridge recipient add --name NAME --redirect-uri URI --data-dir DIR`; resolves to
 * { clientId, clientSecret }.
 */
export async function registerRecipient({ name, redirectUri, dataDir, env = {} }) {
  const stdout = await runCli(
    ['recipient', 'add', '--name', name, '--redirect-uri', redirectUri, '--data-dir', dataDir], env);
  return {
    clientId: announced(stdout, /^client_id: (\S+)$/m, 'client_id'),
    clientSecret: announced(stdout, /^client_secret: (\S+)$/m, 'client_secret'),
  };
}

/** `feedbridge recipient set-redirect-uris ID --redirect-uri URI --data-dir DIR`. */
export async function setRedirectUri({ clientId, redirectUri, dataDir, env = {} }) {
  await runCli(
    ['recipient', 'set-redirect-uris', clientId, '--redirect-uri', redirectUri, '--data-dir', dataDir], env);
}

/**
 * Starts `feedbridge serve --listen 127.0.0.1:0 --data-dir DIR` and waits for
 * `listening on http://HOST:PORT`.
 *
 * Options: env (extra environment), args (extra CLI arguments), dataDir (default: a fresh temp
 * dir, removed by stop()), apiKeys (names of tenants to create before the server starts).
 * Resolves to { url, dataDir, keys, proc, stderr(), stop() }.
 */
export async function startServer({ env = {}, args = [], dataDir, apiKeys = [] } = {}) {
  const ownDir = !dataDir;
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'feedbridge-data-'));
  const keys = {};
  for (const name of apiKeys) {
    keys[name] = await createApiKey({ name, dataDir: dir, env });
  }

  const proc = spawn(
    feedbridgeBin(),
    ['serve', '--listen', '127.0.0.1:0', '--data-dir', dir, ...args],
    { env: serverEnv(env), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  proc.stderr.setEncoding('utf8');
  proc.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-64 * 1024);
  });
  const stdoutLines = [];

  const url = await new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`feedbridge serve did not print "listening on" within ${START_TIMEOUT_MS} ms\nstderr:\n${stderr}`));
    }, START_TIMEOUT_MS);
    const rl = createInterface({ input: proc.stdout });
    rl.on('line', (line) => {
      stdoutLines.push(line);
      const m = /listening on (http:\/\/\S+)/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolvePromise(m[1].replace(/\/+$/, ''));
      }
    });
    proc.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`feedbridge serve exited (${code ?? signal}) before listening\nstdout:\n${stdoutLines.join('\n')}\nstderr:\n${stderr}`));
    });
    proc.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });

  async function stop() {
    if (proc.exitCode === null && proc.signalCode === null) {
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    if (ownDir) rmSync(dir, { recursive: true, force: true });
  }

  return { url, dataDir: dir, keys, proc, stdout: () => stdoutLines.join('\n'), stderr: () => stderr, stop };
}

/** The Authorization header value for an API key: `Basic ` + base64(key). */
export function basicAuth(key) {
  return `Basic ${Buffer.from(key).toString('base64')}`;
}

/** Calls the client API of `server` with its API key `keyName`; a non-2xx answer throws. */
export async function callApi(server, keyName, method, path, body) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: basicAuth(server.keys[keyName]), 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) {
    throw new Error(`${method} ${path}: ${res.status} ${text}`);
  }
  return text ? JSON.parse(text) : null;
}
