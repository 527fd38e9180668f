// Starting the built server as a child process, the way an editor does: `dotnet codeassist.dll serve --stdio`.

import { spawn } from 'node:child_process';
import { after } from 'node:test';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { frame, StrictFrameReader } from './frames.mjs';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** The server under test: $CODEASSIST_DLL, or the Release build in the repository. */
export const serverDll = resolve(
  repoRoot,
  process.env.CODEASSIST_DLL ?? 'src/CodeAssist.Server/bin/Release/net10.0/codeassist.dll',
);

/** A workspace the server is pointed at: the sample solution. */
export const samplesUri = pathToFileURL(resolve(repoRoot, 'samples')).href;

/** Where the server keeps its index cache unless the `indexCache` setting says otherwise. */
export const defaultIndexCache = join(homedir(), '.cache', 'codeassist', 'index');

/** The params of a well-behaved `initialize`. */
export function initializeParams(extra = {}) {
  return {
    processId: process.pid,
    clientInfo: { name: 'codeassist-e2e', version: '1' },
    rootUri: samplesUri,
    capabilities: { general: { positionEncodings: ['utf-16'] }, window: { workDoneProgress: true } },
    ...extra,
  };
}

/** Servers started by this file and not yet exited. */
const live = new Set();

// Whatever a test forgot, no server outlives its file, and no pipe to one keeps the file's process alive.
after(async () => {
  await Promise.all([...live].map((server) => server.kill()));
});

/**
 * A running server. `stdout` is watched by a strict frame reader whatever else reads it, so every test can
 * assert that nothing but protocol frames came out; `stderr` is kept as the log.
 */
export class ServerProcess {
  /** `env`: variables added to the server's environment (such as CODEASSIST_PROMPT_LOG). */
  constructor({ env = {} } = {}) {
    if (!existsSync(serverDll)) {
      throw new Error(`${serverDll} does not exist: run 'dotnet build src/CodeAssist.Server -c Release' or set CODEASSIST_DLL`);
    }
    this.child = spawn('dotnet', [serverDll, 'serve', '--stdio'], {
      cwd: repoRoot,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_NOLOGO: '1', ...env },
    });
    this.stderr = '';
    this.child.stderr.setEncoding('utf8');
    this.stderrWaiters = new Set();
    this.child.stderr.on('data', (text) => {
      this.stderr += text;
      for (const waiter of this.stderrWaiters) waiter();
    });
    this.frames = new StrictFrameReader((message) => this.#onFrame(message));
    this.child.stdout.on('data', (chunk) => this.frames.push(chunk));
    // A dead server makes writes fail with EPIPE; the tests see that through the exit code instead.
    this.child.stdin.on('error', () => {});
    this.exited = new Promise((resolveExit) => {
      this.child.on('exit', (code, signal) => resolveExit({ code, signal }));
    });
    this.listeners = new Set();
    live.add(this);
    this.exited.then(() => live.delete(this));
  }

  get pid() {
    return this.child.pid;
  }

  get running() {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Protocol violations seen on stdout so far (expected: none). */
  get stdoutViolations() {
    return this.frames.violations;
  }

  #onFrame(message) {
    for (const listener of this.listeners) {
      listener(message);
    }
  }

  /** Resolves once stderr (the log) matches `pattern`; stderr is a separate pipe, so it may lag stdout. */
  waitForStderr(pattern) {
    return new Promise((resolveMatch, reject) => {
      const check = () => {
        if (pattern.test(this.stderr)) {
          this.stderrWaiters.delete(check);
          resolveMatch(this.stderr);
        } else if (!this.running) {
          this.stderrWaiters.delete(check);
          reject(new Error(`the server exited without logging ${pattern}: ${this.stderr.slice(-2000)}`));
        }
      };
      this.stderrWaiters.add(check);
      this.exited.then(check);
      check();
    });
  }

  /** Resident memory of the server process in bytes, from /proc. */
  rssBytes() {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
    if (!match) {
      throw new Error(`no VmRSS in /proc/${this.pid}/status`);
    }
    return Number(match[1]) * 1024;
  }

  /**
   * Kills the server unless it has already exited, waits for it, and closes our ends of its pipes: a pipe left open
   * (a write still pending into a dead server's stdin, a reader still attached) keeps the test file's process alive
   * after its last test, which is how a file once hung CI with every test passed.
   */
  async kill() {
    if (this.running) {
      this.child.kill('SIGKILL');
    }
    const exit = await this.exited;
    for (const stream of [this.child.stdin, this.child.stdout, this.child.stderr]) {
      stream.destroy();
    }
    return exit;
  }
}

/**
 * A client that writes raw bytes, for input no library would produce, and reads every frame the server
 * writes. Requests are matched to responses by id.
 */
export class RawClient {
  #nextId = 1000;
  #waiters = [];

  constructor(server) {
    this.server = server;
    this.received = [];
    server.listeners.add((message) => {
      const index = this.received.push(message) - 1;
      this.#waiters = this.#waiters.filter((waiter) => !waiter(message, null, index));
    });
    server.exited.then(({ code, signal }) => {
      for (const waiter of this.#waiters) {
        waiter(null, new Error(`the server exited (code ${code}, signal ${signal}) before answering`));
      }
      this.#waiters = [];
    });
  }

  static async start({ initialize = true } = {}) {
    const client = new RawClient(new ServerProcess());
    if (initialize) {
      // Bytes-level clients answer no server-to-client requests, so they do not offer progress tokens.
      const response = await client.request('initialize', initializeParams({ capabilities: { general: { positionEncodings: ['utf-16'] } } }));
      if (!response.result) {
        throw new Error(`initialize failed: ${JSON.stringify(response)}`);
      }
      client.notify('initialized', {});
    }
    return client;
  }

  nextId() {
    return this.#nextId++;
  }

  write(bytes) {
    this.server.child.stdin.write(bytes);
  }

  send(message) {
    this.write(frame(message));
  }

  notify(method, params) {
    this.send({ jsonrpc: '2.0', method, params });
  }

  /** Sends a request and waits for the response (result or error) with its id. */
  request(method, params, id = this.nextId()) {
    const answered = this.response(id);
    this.send(params === undefined ? { jsonrpc: '2.0', id, method } : { jsonrpc: '2.0', id, method, params });
    return answered;
  }

  /** The message matching `predicate(message, index)`, among those already received or the next ones. */
  waitFor(predicate) {
    const seen = this.received.find(predicate);
    if (seen) {
      return Promise.resolve(seen);
    }
    if (!this.server.running) {
      return Promise.reject(new Error(`the server has exited: ${this.server.stderr.slice(-2000)}`));
    }
    return new Promise((resolveMessage, reject) => {
      this.#waiters.push((message, error, index) => {
        if (error) {
          reject(error);
          return true;
        }
        if (predicate(message, index)) {
          resolveMessage(message);
          return true;
        }
        return false;
      });
    });
  }

  response(id) {
    return this.waitFor((message) => message.id === id && !('method' in message));
  }

  /** Marks a point in the received messages; `since(mark)` returns what came after it. */
  mark() {
    return this.received.length;
  }

  since(mark) {
    return this.received.slice(mark);
  }

  /** What came after `mark`, without log notifications. */
  repliesSince(mark) {
    return this.since(mark).filter((message) => message.method !== 'window/logMessage');
  }

  async status() {
    const response = await this.request('codeassist/status', {});
    if (!response.result) {
      throw new Error(`codeassist/status failed: ${JSON.stringify(response)}`);
    }
    return response.result;
  }
}
