// Starting a feedbridge subcommand the browser tests drive themselves (the sandbox, the demo):
// the tests need its announced URLs from stdout, and must always be able to stop it.

import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { feedbridgeBin, SERVER_ENV } from './browser.mjs';

const START_TIMEOUT_MS = 60_000;

/**
 * Spawns `feedbridge ARGS` (in directory `cwd`, by default this one) and resolves once every
 * pattern in `waitFor` ({name: RegExp}) has matched a stdout line; resolves to
 * { proc, found: {name: firstGroup}, stdout(), stderr(), stop() }.
 */
export async function spawnFeedbridge(args, { waitFor, env = {}, cwd }) {
  const baseEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('FEEDBRIDGE_')));
  const proc = spawn(feedbridgeBin(), args, {
    cwd,
    env: { ...baseEnv, ...SERVER_ENV, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines = [];
  let stderr = '';
  proc.stderr.setEncoding('utf8');
  proc.stderr.on('data', (chunk) => { stderr = (stderr + chunk).slice(-64 * 1024); });
  const found = {};
  const describe = () => `feedbridge ${args.join(' ')}\nstdout:\n${lines.join('\n')}\nstderr:\n${stderr}`;

  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no announcement within ${START_TIMEOUT_MS} ms: ${describe()}`)), START_TIMEOUT_MS);
    createInterface({ input: proc.stdout }).on('line', (line) => {
      lines.push(line);
      for (const [name, pattern] of Object.entries(waitFor)) {
        const m = pattern.exec(line);
        if (m && !(name in found)) found[name] = m[1];
      }
      if (Object.keys(waitFor).every((name) => name in found)) {
        clearTimeout(timer);
        resolve();
      }
    });
    proc.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`exited (${code ?? signal}) before it was ready: ${describe()}`));
    });
    proc.on('error', (err) => { clearTimeout(timer); reject(err); });
  });

  const running = () => proc.exitCode === null && proc.signalCode === null;

  /** Sends `signal`; resolves to {code, signal} once it exits, or null after `timeoutMs`. */
  function exitAfter(signal, timeoutMs) {
    if (!running()) return Promise.resolve({ code: proc.exitCode, signal: proc.signalCode });
    const exited = new Promise((r) => proc.once('exit', (code, sig) => r({ code, signal: sig })));
    proc.kill(signal);
    return Promise.race([exited, new Promise((r) => setTimeout(() => r(null), timeoutMs))]);
  }

  /** Stops it for good: SIGTERM, then SIGKILL if it lingers. */
  async function stop() {
    if ((await exitAfter('SIGTERM', 10_000)) === null) await exitAfter('SIGKILL', 10_000);
  }

  try {
    await ready;
  } catch (err) {
    await stop();
    throw err;
  }
  return { proc, found, exitAfter, stop, stdout: () => lines.join('\n'), stderr: () => stderr };
}
