// The server's lifecycle and text synchronisation, driven by vscode-languageserver-protocol: the client
// library VS Code's own language client is built on, so framing, ids and cancellation are what an editor sends.

import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { CancellationTokenSource } from 'vscode-jsonrpc/node';
import {
  createProtocolConnection,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidChangeWorkspaceFoldersNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  ResponseError,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';
import { defaultIndexCache, initializeParams, samplesUri, ServerProcess } from './support/server.mjs';
import { applyChanges, expectedStatus, lineCount, range } from './support/text.mjs';

const TIMEOUT = { timeout: 60_000 };

const ErrorCode = {
  ServerNotInitialized: -32002,
  InvalidRequest: -32600,
  RequestCancelled: -32800,
};

/** A server with a protocol connection over its stdio. */
function connect() {
  const server = new ServerProcess();
  const connection = createProtocolConnection(
    new StreamMessageReader(server.child.stdout),
    new StreamMessageWriter(server.child.stdin),
  );
  const logs = [];
  connection.onNotification(LogMessageNotification.type, (params) => logs.push(params));
  connection.listen();
  return {
    server,
    connection,
    logs,
    status: () => connection.sendRequest('codeassist/status', {}),
    async close() {
      connection.dispose();
      await server.kill();
    },
  };
}

function isResponseError(code) {
  return (error) => {
    assert.ok(error instanceof ResponseError, `expected a ResponseError, got ${error}`);
    assert.equal(error.code, code, error.message);
    return true;
  };
}

/**
 * One open document on the client's side: every change goes to the server and to the local text, and
 * `check` compares the server's view (length in UTF-16 code units, line count, version) with the local one.
 */
class Document {
  constructor(client, name, text, languageId = 'csharp') {
    this.client = client;
    this.uri = `${samplesUri}/e2e/${name}`;
    this.languageId = languageId;
    this.version = 1;
    this.text = text;
  }

  open() {
    return this.client.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: this.uri, languageId: this.languageId, version: this.version, text: this.text },
    });
  }

  change(...contentChanges) {
    this.version++;
    this.text = applyChanges(this.text, contentChanges);
    return this.client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: this.uri, version: this.version },
      contentChanges,
    });
  }

  /** The local text must be `expected` (so each step's intent is written out), and the server must agree. */
  async check(expected) {
    assert.equal(this.text, expected, 'the test computed a different text than it spells out');
    const status = await this.client.status();
    const found = status.openDocuments.find((d) => d.uri === this.uri);
    assert.deepEqual(found, expectedStatus(this.uri, this.languageId, this.version, expected));
  }
}

describe('lifecycle and text sync', () => {
  let client;
  let initializeResult;

  before(async () => {
    client = connect();
    initializeResult = await client.connection.sendRequest(
      InitializeRequest.type,
      initializeParams({ initializationOptions: { codeassist: { logLevel: 'debug', exclude: ['**/secrets/**'] } } }),
    );
    await client.connection.sendNotification(InitializedNotification.type, {});
  });

  after(() => client.close());

  afterEach(() => {
    assert.deepEqual(client.server.stdoutViolations, [], 'stdout must carry protocol frames only');
  });

  it('initialize states UTF-16 positions, incremental sync and the server name', TIMEOUT, () => {
    assert.equal(initializeResult.capabilities.positionEncoding, 'utf-16');
    assert.deepEqual(initializeResult.capabilities.textDocumentSync, { openClose: true, change: 2, save: { includeText: false } });
    assert.deepEqual(initializeResult.capabilities.workspace, { workspaceFolders: { supported: true, changeNotifications: true } });
    assert.equal(initializeResult.serverInfo.name, 'codeassist');
    assert.match(initializeResult.serverInfo.version, /^\d+\.\d+\.\d+/);
  });

  it('status reports this process, the root folder and the settings from initializationOptions', TIMEOUT, async () => {
    const status = await client.status();
    assert.equal(status.processId, client.server.pid);
    assert.equal(status.version, initializeResult.serverInfo.version);
    assert.deepEqual(status.workspaceFolders, [samplesUri]);
    assert.deepEqual(status.settings, { logLevel: 'debug', exclude: ['**/secrets/**'], indexCache: defaultIndexCache });
  });

  it('didOpen is mirrored, non-ASCII text counted in UTF-16 code units', TIMEOUT, async () => {
    const doc = new Document(client, 'Open.cs', '// Gabriel García Márquez 📚\nclass A { }\n');
    await doc.open();
    await doc.check('// Gabriel García Márquez 📚\nclass A { }\n');
    assert.equal(doc.text.length, 41);
  });

  it('incremental changes around a surrogate pair and across CRLF line ends', TIMEOUT, async () => {
    const doc = new Document(client, 'Surrogates.cs', 'a😀b\r\nsecond line\r\n');
    await doc.open();
    await doc.check('a😀b\r\nsecond line\r\n');

    // Character 3 is after the pair (two code units), not after "b".
    await doc.change({ range: range(0, 3, 0, 3), text: 'X' });
    await doc.check('a😀Xb\r\nsecond line\r\n');
    await doc.change({ range: range(0, 3, 0, 4), text: '' });
    await doc.check('a😀b\r\nsecond line\r\n');

    // Replace the emoji (characters 1–3) with one code unit.
    await doc.change({ range: range(0, 1, 0, 3), text: 'é' });
    await doc.check('aéb\r\nsecond line\r\n');

    // Insert at the start of the lines after each CRLF, the last one empty.
    await doc.change({ range: range(1, 0, 1, 0), text: '→ ' });
    await doc.check('aéb\r\n→ second line\r\n');
    await doc.change({ range: range(2, 0, 2, 0), text: 'end' });
    await doc.check('aéb\r\n→ second line\r\nend');

    // One edit from the middle of line 0 to the middle of line 1 takes the CRLF with it.
    await doc.change({ range: range(0, 2, 1, 1), text: '-' });
    await doc.check('aé- second line\r\nend');

    // Insert a pair and a CRLF, then edit right after the new line break.
    await doc.change({ range: range(0, 3, 0, 3), text: '🎉\r\n' });
    await doc.check('aé-🎉\r\n second line\r\nend');
    await doc.change({ range: range(1, 0, 1, 1), text: '' });
    await doc.check('aé-🎉\r\nsecond line\r\nend');
  });

  it('a position between the halves of a surrogate pair moves to the pair\'s start', TIMEOUT, async () => {
    const doc = new Document(client, 'Halves.cs', 'a😀b😀c');
    await doc.open();

    // Start inside the first pair: the whole pair goes (code units 1–4), never half of it.
    await doc.change({ range: range(0, 2, 0, 4), text: '' });
    await doc.check('a😀c');

    // End inside the pair: only "a" goes.
    await doc.change({ range: range(0, 0, 0, 2), text: '' });
    await doc.check('😀c');

    // Insert inside the pair: the line break lands before it, so line 1 is "😀c", and an
    // empty range inside that pair deletes nothing.
    await doc.change({ range: range(0, 1, 0, 1), text: '\n' });
    await doc.check('\n😀c');
    await doc.change({ range: range(1, 1, 1, 1), text: '' });
    await doc.check('\n😀c');
  });

  it('positions past a line\'s end clamp to the line end, lines past the end to the document end', TIMEOUT, async () => {
    const doc = new Document(client, 'Clamp.cs', 'first\r\nsecond\nthird');
    await doc.open();

    // Character 99 of line 0 is before its CRLF: deleting to (1, 0) removes exactly the line break.
    await doc.change({ range: range(0, 99, 1, 0), text: '' });
    await doc.check('firstsecond\nthird');

    await doc.change({ range: range(0, 99, 0, 120), text: '!' });
    await doc.check('firstsecond!\nthird');

    // Lines 5 and 9 do not exist: both ends are the document's end.
    await doc.change({ range: range(5, 0, 9, 9), text: '\r\nEOF' });
    await doc.check('firstsecond!\nthird\r\nEOF');

    await doc.change({ range: range(1, 2, 99, 0), text: '' });
    await doc.check('firstsecond!\nth');
  });

  it('CR, LF and CRLF all end lines, and a CR followed by an inserted LF becomes one break', TIMEOUT, async () => {
    const doc = new Document(client, 'LineEnds.txt', 'one\rtwo\nthree\r\nfour', 'plaintext');
    await doc.open();
    await doc.check('one\rtwo\nthree\r\nfour');
    assert.equal(lineCount(doc.text), 4);

    await doc.change({ range: range(1, 0, 1, 3), text: '2' });
    await doc.check('one\r2\nthree\r\nfour');
    await doc.change({ range: range(2, 5, 3, 0), text: '' });
    await doc.check('one\r2\nthreefour');
    await doc.change({ range: range(0, 1, 0, 1), text: '\r' });
    await doc.check('o\rne\r2\nthreefour');
    await doc.change({ range: range(1, 0, 1, 0), text: '\n' });
    await doc.check('o\r\nne\r2\nthreefour');
    assert.equal(lineCount(doc.text), 4);
  });

  it('the changes of one didChange apply in order, and one without a range replaces the text', TIMEOUT, async () => {
    const doc = new Document(client, 'Batch.cs', 'alpha\nbeta\n');
    await doc.open();
    await doc.change(
      { range: range(0, 0, 0, 0), text: 'x\n' },
      // Against the text the first change left: line 1 is now "alpha".
      { range: range(1, 0, 1, 5), text: 'ALPHABET' },
      { range: range(2, 4, 2, 99), text: '!' },
    );
    await doc.check('x\nALPHABET\nbeta!\n');
    await doc.change({ text: 'replaced\r\nwhole' }, { range: range(1, 5, 1, 5), text: '!' });
    await doc.check('replaced\r\nwhole!');
  });

  it('notifications are applied in order before a later request; each read sees its place in the queue', TIMEOUT, async () => {
    const doc = new Document(client, 'Ordered.cs', '');
    // Nothing awaited until the end: the queue, not the client, keeps the order.
    const sent = [doc.open()];
    for (let i = 0; i < 50; i++) {
      sent.push(doc.change({ range: range(i, 0, i, 0), text: `line ${i}\n` }));
    }
    const before = client.status();
    sent.push(doc.change({ range: range(0, 0, 0, 0), text: '// 🚀 ' }));
    const afterChange = client.status();
    await Promise.all(sent);

    const [early, late] = await Promise.all([before, afterChange]);
    const find = (status) => status.openDocuments.find((d) => d.uri === doc.uri);
    const textAtFirst = Array.from({ length: 50 }, (_, i) => `line ${i}\n`).join('');
    assert.deepEqual(find(early), expectedStatus(doc.uri, 'csharp', 51, textAtFirst));
    assert.deepEqual(find(late), expectedStatus(doc.uri, 'csharp', 52, `// 🚀 ${textAtFirst}`));
  });

  it('didClose forgets the document', TIMEOUT, async () => {
    const doc = new Document(client, 'Closed.cs', 'class Closed { }');
    await doc.open();
    await doc.check('class Closed { }');
    await client.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: doc.uri } });
    const status = await client.status();
    assert.equal(status.openDocuments.find((d) => d.uri === doc.uri), undefined);
  });

  it('workspace/didChangeConfiguration is reflected in status, plain or in a codeassist section', TIMEOUT, async () => {
    const settings = async () => (await client.status()).settings;
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, {
      settings: { logLevel: 'warning', exclude: ['*.secret', 'build/**'] },
    });
    assert.deepEqual(await settings(), { logLevel: 'warning', exclude: ['*.secret', 'build/**'], indexCache: defaultIndexCache });

    // VS Code sends its configuration section by name; keys left out keep their values.
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { codeassist: { logLevel: 'error' } } });
    assert.deepEqual(await settings(), { logLevel: 'error', exclude: ['*.secret', 'build/**'], indexCache: defaultIndexCache });

    // Values of the wrong type or unknown levels keep the previous ones; unknown keys are ignored.
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, {
      settings: { codeassist: { logLevel: 'loud', exclude: 'not-a-list', somethingElse: 1 } },
    });
    assert.deepEqual(await settings(), { logLevel: 'error', exclude: ['*.secret', 'build/**'], indexCache: defaultIndexCache });

    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { codeassist: { logLevel: 'debug', exclude: [] } } });
    assert.deepEqual(await settings(), { logLevel: 'debug', exclude: [], indexCache: defaultIndexCache });

    // The index can be kept in memory only (from the next time the folders are indexed), or persisted elsewhere.
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { indexCache: null } });
    assert.deepEqual(await settings(), { logLevel: 'debug', exclude: [] });
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { indexCache: defaultIndexCache } });
    assert.deepEqual(await settings(), { logLevel: 'debug', exclude: [], indexCache: defaultIndexCache });
  });

  it('workspace/didChangeWorkspaceFolders adds and removes folders', TIMEOUT, async () => {
    const other = 'file:///tmp/codeassist-e2e-other';
    await client.connection.sendNotification(DidChangeWorkspaceFoldersNotification.type, {
      event: { added: [{ uri: other, name: 'other' }], removed: [] },
    });
    assert.deepEqual((await client.status()).workspaceFolders, [samplesUri, other]);
    await client.connection.sendNotification(DidChangeWorkspaceFoldersNotification.type, {
      event: { added: [], removed: [{ uri: samplesUri, name: 'samples' }] },
    });
    assert.deepEqual((await client.status()).workspaceFolders, [other]);
    await client.connection.sendNotification(DidChangeWorkspaceFoldersNotification.type, {
      event: { added: [{ uri: samplesUri, name: 'samples' }], removed: [{ uri: other, name: 'other' }] },
    });
    assert.deepEqual((await client.status()).workspaceFolders, [samplesUri]);
  });

  it('a request cancelled while queued behind a 10 MB didOpen is answered RequestCancelled (-32800)', TIMEOUT, async () => {
    const line = 'var author = "Gabriel García Márquez"; // 📚 cien años\n';
    const doc = new Document(client, 'Big.cs', line.repeat(Math.ceil((10 * 1024 * 1024) / Buffer.byteLength(line))));
    assert.ok(Buffer.byteLength(doc.text) >= 10 * 1024 * 1024);

    // In one go: the big didOpen, the request behind it, and its cancellation. The server reads the
    // $/cancelRequest while the queue is still applying the didOpen, so the request never runs.
    const opened = doc.open();
    const source = new CancellationTokenSource();
    const cancelled = client.connection.sendRequest('codeassist/status', {}, source.token);
    source.cancel();

    await assert.rejects(cancelled, isResponseError(ErrorCode.RequestCancelled));
    await opened;
    await doc.check(doc.text);
  });

  it('logs go to stderr and to window/logMessage', TIMEOUT, async () => {
    await client.server.waitForStderr(/\[\d\d:\d\d:\d\d\.\d{3} info\] Initialized by codeassist-e2e 1 for file:\/\//);
    assert.ok(
      client.logs.some((log) => log.type === 3 && log.message.startsWith('Initialized by codeassist-e2e')),
      `no window/logMessage about initialize among ${JSON.stringify(client.logs.slice(0, 5))}`,
    );
  });

  it('after shutdown requests are refused with InvalidRequest, and exit ends the process with code 0', TIMEOUT, async () => {
    assert.equal(await client.connection.sendRequest(ShutdownRequest.type), null);
    await assert.rejects(client.status(), isResponseError(ErrorCode.InvalidRequest));
    await client.connection.sendNotification(ExitNotification.type);
    assert.deepEqual(await client.server.exited, { code: 0, signal: null });
  });
});

describe('lifecycle edges', () => {
  let client;

  afterEach(async () => {
    if (client) {
      await client.close();
      assert.deepEqual(client.server.stdoutViolations, [], 'stdout must carry protocol frames only');
      client = undefined;
    }
  });

  it('before initialize a request is refused with ServerNotInitialized (-32002) and a notification dropped', TIMEOUT, async () => {
    client = connect();
    await assert.rejects(client.status(), isResponseError(ErrorCode.ServerNotInitialized));
    const uri = `${samplesUri}/e2e/Early.cs`;
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'csharp', version: 1, text: 'class Early { }' },
    });

    const result = await client.connection.sendRequest(InitializeRequest.type, initializeParams());
    assert.equal(result.serverInfo.name, 'codeassist');
    assert.deepEqual((await client.status()).openDocuments, []);

    await assert.rejects(
      client.connection.sendRequest(InitializeRequest.type, initializeParams()),
      isResponseError(ErrorCode.InvalidRequest),
    );
    assert.equal((await client.status()).processId, client.server.pid);
  });

  it('exit without shutdown ends the process with code 1', TIMEOUT, async () => {
    client = connect();
    await client.connection.sendRequest(InitializeRequest.type, initializeParams());
    await client.connection.sendNotification(InitializedNotification.type, {});
    assert.equal((await client.status()).processId, client.server.pid);
    await client.connection.sendNotification(ExitNotification.type);
    assert.deepEqual(await client.server.exited, { code: 1, signal: null });
  });

  it('exit before initialize ends the process with code 1', TIMEOUT, async () => {
    client = connect();
    await client.connection.sendNotification(ExitNotification.type);
    assert.deepEqual(await client.server.exited, { code: 1, signal: null });
  });

  it('the end of stdin without exit ends the process with code 1', TIMEOUT, async () => {
    client = connect();
    await client.connection.sendRequest(InitializeRequest.type, initializeParams());
    client.server.child.stdin.end();
    assert.deepEqual(await client.server.exited, { code: 1, signal: null });
  });
});
