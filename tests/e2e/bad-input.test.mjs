// Input no well-behaved client sends, written as raw bytes to the server's stdin: broken frames, bodies
// that are not JSON-RPC, params of the wrong type, and volume (a 10 MB document, 10,000 changes, memory).
// After each, the server must still answer, and its stdout must hold nothing but well-formed frames.

import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { frame } from './support/frames.mjs';
import { defaultIndexCache, RawClient, samplesUri } from './support/server.mjs';
import { applyChange, expectedStatus, lineCount, range } from './support/text.mjs';

const TIMEOUT = { timeout: 60_000 };

const ErrorCode = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
};

const statusRequest = (id) => frame({ jsonrpc: '2.0', id, method: 'codeassist/status', params: {} });

/** [id, error code or 'result'] of each reply, for compact comparisons. */
const summary = (replies) => replies.map((m) => [m.id ?? null, m.error ? m.error.code : 'result']);

/**
 * Writes `bytes` and a status request in one write, waits for the status answer, and returns every reply
 * (log notifications aside) that came before it. Errors the reader answers (framing, not JSON-RPC) and
 * refusals from the queue all come out before a later request's answer.
 */
async function writeThenCheck(client, bytes) {
  const mark = client.mark();
  const checkId = client.nextId();
  client.write(Buffer.concat([bytes, statusRequest(checkId)]));
  const check = await client.response(checkId);
  assert.equal(check.result?.processId, client.server.pid, `the server still answers: ${JSON.stringify(check)}`);
  const replies = client.repliesSince(mark);
  return replies.slice(0, replies.indexOf(check));
}

/** After one more round trip (reads may answer out of order), no reply carries any of `ids`. */
async function assertNeverAnswered(client, ids) {
  await client.status();
  assert.deepEqual(client.received.filter((m) => ids.includes(m.id)), []);
}

/** A shared, initialized server per suite, checked after each test. */
function serverPerSuite() {
  const holder = {};
  before(async () => {
    holder.client = await RawClient.start();
  });
  after(() => holder.client?.server.kill());
  afterEach(() => {
    assert.deepEqual(holder.client.server.stdoutViolations, [], 'stdout must carry protocol frames only');
    assert.ok(holder.client.server.running, `the server exited: ${holder.client.server.stderr.slice(-2000)}`);
  });
  return holder;
}

/** A fresh server for one test, killed whatever happens. */
async function withServer(options, body) {
  const client = await RawClient.start(options);
  try {
    await body(client);
    assert.deepEqual(client.server.stdoutViolations, [], 'stdout must carry protocol frames only');
  } finally {
    await client.server.kill();
  }
}

describe('broken frames', () => {
  const s = serverPerSuite();
  const status = (id) => JSON.stringify({ jsonrpc: '2.0', id, method: 'codeassist/status', params: {} });

  it('a header cut short, then a valid frame: one ParseError, and the valid frame is answered', TIMEOUT, async () => {
    const id = s.client.nextId();
    const answered = s.client.response(id);
    const replies = await writeThenCheck(s.client, Buffer.concat([Buffer.from('Content-Len'), statusRequest(id)]));
    // Reads run concurrently, so the valid frame's answer may come before or after the check's.
    assert.deepEqual(summary(replies.filter((m) => m.id !== id)), [[null, ErrorCode.ParseError]]);
    assert.equal((await answered).result?.processId, s.client.server.pid);
  });

  it('a body cut short (Content-Length too long) swallows the next frame: ParseErrors only, then the server answers', TIMEOUT, async () => {
    const cut = s.client.nextId();
    const swallowed = s.client.nextId();
    const body = Buffer.from(status(cut));
    const bytes = Buffer.concat([frame(body, { contentLength: body.length + 20 }), statusRequest(swallowed)]);
    const replies = await writeThenCheck(s.client, bytes);
    assert.ok(replies.length >= 1, 'the broken frame is reported');
    assert.deepEqual(summary(replies), replies.map(() => [null, ErrorCode.ParseError]));
    await assertNeverAnswered(s.client, [cut, swallowed]);
  });

  it('Content-Length too short: ParseErrors only, nothing of the cut request runs', TIMEOUT, async () => {
    const cut = s.client.nextId();
    const body = Buffer.from(status(cut));
    const replies = await writeThenCheck(s.client, frame(body, { contentLength: body.length - 10 }));
    assert.ok(replies.length >= 1, 'the broken frame is reported');
    assert.deepEqual(summary(replies), replies.map(() => [null, ErrorCode.ParseError]));
    await assertNeverAnswered(s.client, [cut]);
  });

  it('a header without Content-Length: one ParseError, its body skipped', TIMEOUT, async () => {
    const lost = s.client.nextId();
    const bytes = Buffer.from(`Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n${status(lost)}`);
    assert.deepEqual(summary(await writeThenCheck(s.client, bytes)), [[null, ErrorCode.ParseError]]);
    await assertNeverAnswered(s.client, [lost]);
  });

  it('a body with no header at all: one ParseError', TIMEOUT, async () => {
    const lost = s.client.nextId();
    assert.deepEqual(summary(await writeThenCheck(s.client, Buffer.from(status(lost)))), [[null, ErrorCode.ParseError]]);
    await assertNeverAnswered(s.client, [lost]);
  });

  for (const [name, value] of [['not a number', 'abc'], ['negative', '-5'], ['too large for an int', '99999999999999']]) {
    it(`a Content-Length that is ${name}: one ParseError, its body skipped`, TIMEOUT, async () => {
      const lost = s.client.nextId();
      const bytes = Buffer.from(`Content-Length: ${value}\r\n\r\n${status(lost)}`);
      assert.deepEqual(summary(await writeThenCheck(s.client, bytes)), [[null, ErrorCode.ParseError]]);
      await assertNeverAnswered(s.client, [lost]);
    });
  }

  it('a header line without a colon: one ParseError, its body skipped', TIMEOUT, async () => {
    const lost = s.client.nextId();
    const body = status(lost);
    const bytes = Buffer.from(`Content-Length: ${body.length}\r\nno colon here\r\n\r\n${body}`);
    assert.deepEqual(summary(await writeThenCheck(s.client, bytes)), [[null, ErrorCode.ParseError]]);
    await assertNeverAnswered(s.client, [lost]);
  });

  it('headers in any case, with Content-Type, and whitespace between frames are accepted', TIMEOUT, async () => {
    const id = s.client.nextId();
    const body = status(id);
    const answered = s.client.response(id);
    const bytes = Buffer.from(`\r\n  content-length: ${body.length}\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n${body}\n`);
    assert.deepEqual(summary((await writeThenCheck(s.client, bytes)).filter((m) => m.id !== id)), []);
    assert.equal((await answered).result?.processId, s.client.server.pid);
  });

  it('a frame written one byte at a time is read whole', TIMEOUT, async () => {
    const id = s.client.nextId();
    const answered = s.client.response(id);
    for (const byte of statusRequest(id)) {
      s.client.write(Buffer.from([byte]));
      await new Promise((resolve) => setImmediate(resolve));
    }
    assert.equal((await answered).result.processId, s.client.server.pid);
  });
});

describe('bodies that are not JSON-RPC', () => {
  const s = serverPerSuite();

  it('a body that is not JSON: one ParseError with a null id', TIMEOUT, async () => {
    assert.deepEqual(summary(await writeThenCheck(s.client, frame('{"jsonrpc": "2.0", "id": 1, "method":'))), [[null, ErrorCode.ParseError]]);
    assert.deepEqual(summary(await writeThenCheck(s.client, frame('not json at all'))), [[null, ErrorCode.ParseError]]);
  });

  for (const body of ['[]', '5', '"text"', 'null', 'true', '[{"jsonrpc":"2.0","id":1,"method":"codeassist/status"}]']) {
    it(`JSON that is not an object (${body.slice(0, 20)}): one InvalidRequest with a null id`, TIMEOUT, async () => {
      assert.deepEqual(summary(await writeThenCheck(s.client, frame(body))), [[null, ErrorCode.InvalidRequest]]);
    });
  }

  it('a request without jsonrpc "2.0" is refused with InvalidRequest under its id', TIMEOUT, async () => {
    const missing = s.client.nextId();
    const wrong = s.client.nextId();
    const bytes = Buffer.concat([
      frame({ id: missing, method: 'codeassist/status', params: {} }),
      frame({ jsonrpc: '1.0', id: wrong, method: 'codeassist/status', params: {} }),
    ]);
    assert.deepEqual(summary(await writeThenCheck(s.client, bytes)), [
      [missing, ErrorCode.InvalidRequest],
      [wrong, ErrorCode.InvalidRequest],
    ]);
  });

  it('an id that is neither a number nor a string, a method that is not a string, an empty message: InvalidRequest', TIMEOUT, async () => {
    const id = s.client.nextId();
    const bytes = Buffer.concat([
      frame({ jsonrpc: '2.0', id: { nested: 1 }, method: 'codeassist/status' }),
      frame({ jsonrpc: '2.0', id, method: 42 }),
      frame({ jsonrpc: '2.0' }),
      frame({}),
    ]);
    assert.deepEqual(summary(await writeThenCheck(s.client, bytes)), [
      [null, ErrorCode.InvalidRequest],
      [id, ErrorCode.InvalidRequest],
      [null, ErrorCode.InvalidRequest],
      [null, ErrorCode.InvalidRequest],
    ]);
  });

  it('an unknown request gets MethodNotFound, "$/" ones too; unknown notifications are ignored', TIMEOUT, async () => {
    const unknown = s.client.nextId();
    const dollar = s.client.nextId();
    const bytes = Buffer.concat([
      frame({ jsonrpc: '2.0', id: unknown, method: 'codeassist/doesNotExist', params: {} }),
      frame({ jsonrpc: '2.0', method: 'codeassist/notAThing', params: {} }),
      frame({ jsonrpc: '2.0', method: '$/somethingOptional', params: {} }),
      frame({ jsonrpc: '2.0', id: dollar, method: '$/somethingOptional', params: {} }),
    ]);
    assert.deepEqual(summary(await writeThenCheck(s.client, bytes)), [
      [unknown, ErrorCode.MethodNotFound],
      [dollar, ErrorCode.MethodNotFound],
    ]);
  });

  it('a notification method sent as a request gets MethodNotFound and changes nothing', TIMEOUT, async () => {
    const id = s.client.nextId();
    const uri = `${samplesUri}/e2e/AsRequest.cs`;
    const bytes = frame({
      jsonrpc: '2.0', id, method: 'textDocument/didOpen',
      params: { textDocument: { uri, languageId: 'csharp', version: 1, text: 'class C { }' } },
    });
    assert.deepEqual(summary(await writeThenCheck(s.client, bytes)), [[id, ErrorCode.MethodNotFound]]);
    assert.equal((await s.client.status()).openDocuments.find((d) => d.uri === uri), undefined);
  });

  it('a request with params of the wrong type gets InvalidParams', TIMEOUT, async () => {
    for (const params of [5, 'text', [1, 2], true]) {
      const response = await s.client.request('codeassist/status', params);
      assert.equal(response.error?.code, ErrorCode.InvalidParams, `params ${JSON.stringify(params)}: ${JSON.stringify(response)}`);
      assert.match(response.error.message, /codeassist\/status/);
    }
    // Absent or null params mean none, which status accepts.
    assert.ok((await s.client.request('codeassist/status', undefined)).result);
    assert.ok((await s.client.request('codeassist/status', null)).result);
  });

  it('notifications with params of the wrong type change nothing, are not answered, and are logged as warnings', TIMEOUT, async () => {
    const uri = `${samplesUri}/e2e/WrongParams.cs`;
    const text = 'class WrongParams { }\n';
    const open = { textDocument: { uri, languageId: 'csharp', version: 1, text } };
    const mark = s.client.mark();
    const bytes = Buffer.concat([
      frame({ jsonrpc: '2.0', method: 'textDocument/didOpen', params: 'class C { }' }),
      frame({ jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: { uri, languageId: 'csharp', version: 1 } } }),
      frame({ jsonrpc: '2.0', method: 'textDocument/didOpen', params: open }),
      frame({ jsonrpc: '2.0', method: 'textDocument/didChange', params: { textDocument: { uri, version: 2 }, contentChanges: 'x' } }),
      frame({ jsonrpc: '2.0', method: 'textDocument/didChange', params: { textDocument: { uri, version: 2 }, contentChanges: [{ range: 'start', text: 'x' }] } }),
      frame({ jsonrpc: '2.0', method: 'textDocument/didChange', params: [uri] }),
      // A change to a document that was never opened leaves the others alone.
      frame({ jsonrpc: '2.0', method: 'textDocument/didChange', params: { textDocument: { uri: `${uri}.never`, version: 2 }, contentChanges: [{ text: 'x' }] } }),
      frame({ jsonrpc: '2.0', method: 'workspace/didChangeConfiguration', params: 7 }),
    ]);
    assert.deepEqual(summary(await writeThenCheck(s.client, bytes)), []);
    const status = await s.client.status();
    assert.deepEqual(status.openDocuments.filter((d) => d.uri.startsWith(uri)), [expectedStatus(uri, 'csharp', 1, text)]);
    assert.deepEqual(status.settings, { logLevel: 'info', exclude: [], indexCache: defaultIndexCache });
    const warning = await s.client.waitFor((m, i) => i >= mark && m.method === 'window/logMessage' && m.params.type === 2 && /didOpen/.test(m.params.message));
    assert.match(warning.params.message, /Invalid params/);
    const notOpen = await s.client.waitFor((m) => m.method === 'window/logMessage' && m.params.message.includes(`${uri}.never`));
    assert.match(notOpen.params.message, /not open/);
  });

  it('a second initialize is refused with InvalidRequest', TIMEOUT, async () => {
    const response = await s.client.request('initialize', { processId: null, rootUri: null, capabilities: {} });
    assert.equal(response.error?.code, ErrorCode.InvalidRequest);
    assert.deepEqual((await s.client.status()).workspaceFolders, [samplesUri]);
  });

  it('stdout carries frames only; the log goes to stderr', TIMEOUT, async () => {
    const bytes = Buffer.concat([
      Buffer.from('garbage outside any frame\r\n'),
      frame({ jsonrpc: '2.0', method: 'textDocument/didOpen', params: 'not params' }),
    ]);
    assert.deepEqual(summary(await writeThenCheck(s.client, bytes)), [[null, ErrorCode.ParseError]]);
    await s.client.server.waitForStderr(/\[\d\d:\d\d:\d\d\.\d{3} warning\] 'textDocument\/didOpen' failed: Invalid params/);
    assert.deepEqual(s.client.server.stdoutViolations, []);
    assert.ok(s.client.received.length > 20, 'frames were read from stdout');
  });
});

describe('initialize with params of the wrong type', () => {
  it('is refused with InvalidParams, and a valid initialize afterwards succeeds', TIMEOUT, async () => {
    await withServer({ initialize: false }, async (client) => {
      const refused = await client.request('initialize', 'not params');
      assert.equal(refused.error?.code, ErrorCode.InvalidParams);
      const early = await client.request('codeassist/status', {});
      assert.equal(early.error?.code, -32002, 'still not initialized');
      const accepted = await client.request('initialize', { processId: null, rootUri: samplesUri, capabilities: {} });
      assert.equal(accepted.result?.serverInfo?.name, 'codeassist');
      assert.deepEqual((await client.status()).workspaceFolders, [samplesUri]);
    });
  });
});

describe('invalid UTF-8 in a body', () => {
  const withBadByte = (before, after) => Buffer.concat([Buffer.from(before), Buffer.from([0xff, 0xfe]), Buffer.from(after)]);
  const uri = `${samplesUri}/e2e/Utf8.cs`;
  const cases = [
    ['in the method name', withBadByte('{"jsonrpc":"2.0","id":7,"method":"codeassist/sta', 'tus","params":{}}')],
    ['in a string id', withBadByte('{"jsonrpc":"2.0","id":"req-', '","method":"codeassist/status","params":{}}')],
    ['in the jsonrpc version', withBadByte('{"jsonrpc":"2.0', '","id":7,"method":"codeassist/status","params":{}}')],
    ['in a document\'s text', withBadByte(`{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"${uri}","languageId":"csharp","version":1,"text":"a`, 'b"}}}')],
    ['in a params key the server does not read', withBadByte('{"jsonrpc":"2.0","id":7,"method":"codeassist/status","params":{"x', '":1}}')],
  ];

  // RFC 8259 §8.1: JSON exchanged between systems must be UTF-8, so such a body is not JSON: a ParseError
  // (id null, as for any body that cannot be parsed), and the server carries on.
  for (const [where, body] of cases) {
    it(`${where}: one ParseError, and the server keeps running`, TIMEOUT, async () => {
      await withServer({}, async (client) => {
        const replies = await writeThenCheck(client, frame(body));
        assert.deepEqual(summary(replies), [[null, ErrorCode.ParseError]]);
        assert.equal((await client.status()).openDocuments.find((d) => d.uri === uri), undefined);
      });
    });
  }
});

/** A deterministic pseudo-random sequence (mulberry32), so a failing flood can be replayed. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pieces = ['x', 'García', '😀', '\r\n', '\n', '\r', 'Márquez ', '📚\r\n', '', 'var n = 1;'];

const didChange = (uri, version, change) =>
  frame({ jsonrpc: '2.0', method: 'textDocument/didChange', params: { textDocument: { uri, version }, contentChanges: [change] } });

/**
 * `count` random didChange notifications in one buffer (inserts and deletes, line breaks of every kind,
 * surrogate pairs, positions past the ends), and the text they leave, from `text` at `version`.
 */
function randomFlood({ uri, text, version, count, seed }) {
  const next = random(seed);
  const pick = () => pieces[Math.floor(next() * pieces.length)];
  const frames = [];
  for (let i = 0; i < count; i++) {
    const line = Math.floor(next() * (lineCount(text) + 2));
    const character = Math.floor(next() * 50);
    let change;
    if (text.length > 4000 || next() < 0.4) {
      const end = { line: line + Math.floor(next() * 3), character: Math.floor(next() * 50) };
      change = { range: { start: { line, character }, end }, text: next() < 0.5 ? '' : pick() };
    } else {
      change = { range: range(line, character, line, character), text: Array.from({ length: 1 + Math.floor(next() * 3) }, pick).join('') };
    }
    text = applyChange(text, change);
    frames.push(didChange(uri, ++version, change));
  }
  return { bytes: Buffer.concat(frames), text, version };
}

/** `count` changes that each overwrite ten characters of one line of `lines` lines of `width` characters: the size stays the same. */
function sameSizeFlood({ uri, text, version, count, seed, lines, width }) {
  const next = random(seed);
  const frames = [];
  for (let i = 0; i < count; i++) {
    const line = Math.floor(next() * lines);
    const character = Math.floor(next() * (width - 10));
    const change = { range: range(line, character, line, character + 10), text: 'abcdefghij'[i % 10].repeat(10) };
    text = applyChange(text, change);
    frames.push(didChange(uri, ++version, change));
  }
  return { bytes: Buffer.concat(frames), text, version };
}

describe('volume', () => {
  it('a 10 MB document is opened, counted in UTF-16 code units, and edited at its end', TIMEOUT, async () => {
    await withServer({}, async (client) => {
      const uri = `${samplesUri}/e2e/Huge.cs`;
      const line = '    public string Author { get; } = "Gabriel García Márquez"; // 📚\r\n';
      let text = line.repeat(Math.ceil((10 * 1024 * 1024) / Buffer.byteLength(line)));
      assert.ok(Buffer.byteLength(text) >= 10 * 1024 * 1024);
      client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'csharp', version: 1, text } });
      let status = await client.status();
      assert.deepEqual(status.openDocuments, [expectedStatus(uri, 'csharp', 1, text)]);

      const change = { range: range(1e6, 0, 1e6, 0), text: '}\n' };
      text = applyChange(text, change);
      client.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [change] });
      status = await client.status();
      assert.deepEqual(status.openDocuments, [expectedStatus(uri, 'csharp', 2, text)]);
    });
  });

  it('10,000 didChange notifications in a burst leave exactly the text they describe', TIMEOUT, async () => {
    await withServer({}, async (client) => {
      const uri = `${samplesUri}/e2e/Flood.cs`;
      const initial = Array.from({ length: 100 }, (_, i) => `line ${i}: Gabriel García Márquez 😀\r\n`).join('');
      client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'csharp', version: 1, text: initial } });
      const { bytes, text, version } = randomFlood({ uri, text: initial, version: 1, count: 10_000, seed: 20240601 });
      assert.equal(version, 10_001);
      assert.notEqual(text, initial);
      const replies = await writeThenCheck(client, bytes);
      assert.deepEqual(summary(replies), []);
      assert.deepEqual((await client.status()).openDocuments, [expectedStatus(uri, 'csharp', version, text)]);
    });
  });

  it('memory stays flat: a second flood of 10,000 changes grows RSS by less than 64 MB', TIMEOUT, async (t) => {
    await withServer({}, async (client) => {
      const uri = `${samplesUri}/e2e/Memory.cs`;
      const lines = 1000;
      const width = 60;
      const initial = Array.from({ length: lines }, (_, i) => `line ${String(i).padStart(4, '0')} `.padEnd(width, '.') + '\n').join('');
      client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'csharp', version: 1, text: initial } });

      let state = { text: initial, version: 1 };
      const runFlood = async (seed) => {
        const next = sameSizeFlood({ uri, text: state.text, version: state.version, count: 10_000, seed, lines, width });
        assert.deepEqual(summary(await writeThenCheck(client, next.bytes)), []);
        state = next;
        assert.deepEqual((await client.status()).openDocuments, [expectedStatus(uri, 'csharp', state.version, state.text)]);
      };

      await runFlood(1); // warm-up: JIT, buffers, GC heaps reach their working size
      const warmed = client.server.rssBytes();
      await runFlood(2);
      const grown = client.server.rssBytes() - warmed;
      t.diagnostic(`RSS ${(warmed / 1048576).toFixed(1)} MB after the warm-up flood, ${(grown / 1048576).toFixed(1)} MB more after the second`);
      assert.equal(state.text.length, initial.length, 'the floods keep the document the same size');
      assert.ok(grown < 64 * 1024 * 1024, `RSS grew by ${(grown / 1048576).toFixed(1)} MB during the second flood (from ${(warmed / 1048576).toFixed(1)} MB)`);
    });
  });
});
