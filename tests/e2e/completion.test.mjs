// Inline completion through vscode-languageserver-protocol: the real server on samples/ with a random-weight model
// (real llama.cpp, real tokenizer, noise for output). What it generates is meaningless; where answers come from
// (model, cache, nothing), the ranges, the counters and the errors are exact.

import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  InitializedNotification,
  InitializeRequest,
  ResponseError,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';
import { initializeParams, samplesUri, serverDll, ServerProcess } from './support/server.mjs';
import { applyChange } from './support/text.mjs';

const TIMEOUT = { timeout: 180_000 };
const Invoked = 1;
const Automatic = 2;

const scratch = mkdtempSync(join(tmpdir(), 'codeassist-e2e-completion-'));
const modelPath = join(scratch, 'tiny.gguf');

before(() => {
  execFileSync('dotnet', [serverDll, 'model', 'random', modelPath, '--shape', 'tiny'], { stdio: ['ignore', 'ignore', 'inherit'] });
});

after(() => rmSync(scratch, { recursive: true, force: true }));

/** A server on samples/ with these settings, initialized, its model settled and its index ready. */
async function start(settings) {
  const server = new ServerProcess();
  const connection = createProtocolConnection(new StreamMessageReader(server.child.stdout), new StreamMessageWriter(server.child.stdin));
  connection.listen();
  const result = await connection.sendRequest(InitializeRequest.type, initializeParams({
    capabilities: { general: { positionEncodings: ['utf-16'] } },
    initializationOptions: { indexCache: null, modelOptions: { threads: 2 }, ...settings },
  }));
  await connection.sendNotification(InitializedNotification.type, {});
  for (;;) {
    const status = await connection.sendRequest('codeassist/status', {});
    if (status.index.state === 'ready' && status.model.state !== 'loading') break;
    await new Promise((wait) => setTimeout(wait, 50));
  }
  return { server, connection, capabilities: result.capabilities };
}

async function stop({ server, connection }) {
  connection.dispose();
  await server.kill();
}

const uriIn = (relative) => `${samplesUri}/${relative}`;
const status = (connection) => connection.sendRequest('codeassist/status', {});
const counters = async (connection) => (await status(connection)).completion;

function open(connection, uri, text, languageId = 'csharp') {
  return connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
}

function complete(connection, uri, position, triggerKind = Invoked, method = 'textDocument/inlineCompletion') {
  return connection.sendRequest(method, { textDocument: { uri }, position, context: { triggerKind } });
}

/** The position just after the first occurrence of `marker` in `text`. */
function after_(text, marker) {
  const offset = text.indexOf(marker) + marker.length;
  const before = text.slice(0, offset);
  const line = before.split(/\r\n|\r|\n/).length - 1;
  return { line, character: offset - Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r')) - 1 };
}

describe('inline completion with a random-weight model', () => {
  let session;

  before(async () => {
    session = await start({ model: modelPath, completion: { maxTokens: 16 } });
  });

  after(() => stop(session));

  it('announces inlineCompletionProvider and the accept command', TIMEOUT, async () => {
    assert.deepEqual(session.capabilities.inlineCompletionProvider, {});
    assert.ok(session.capabilities.executeCommandProvider.commands.includes('codeassist.didAcceptCompletion'));
  });

  // Documents that are not C# where a suggestion must be shown: the compiler check would turn most of the random
  // model's noise away in C#, and these tests are about ranges, the cache and the counters.

  it('answers with UTF-16 ranges after surrogate pairs, CRLF line breaks in the suggestion, and a cursor inside a pair moved to its start', TIMEOUT, async () => {
    const { connection } = session;
    const uri = uriIn('docs/party.py');
    const text = 'def party(name):\r\n    # 🎉🎈 for everyone\r\n    return "🎉🎈 " + name + \r\n\r\ndef later():\r\n    \r\n';
    await open(connection, uri, text, 'python');
    const position = after_(text, '"🎉🎈 " + name + ');

    const result = await complete(connection, uri, position);

    assert.ok(result.items.length >= 1, 'an invoked request gets at least one candidate here');
    for (const item of result.items) {
      assert.deepEqual(item.range.start, position, 'the item starts at the cursor, counted in UTF-16 code units');
      assert.equal(item.range.end.line, position.line);
      const applied = applyChange(text, { range: item.range, text: item.insertText });
      assert.ok(applied.startsWith(text.slice(0, text.indexOf('"🎉🎈 " + name + ') + '"🎉🎈 " + name + '.length)));
    }

    // Between the two halves of 🎈: the server moves the cursor to the pair's start, as it does for edits.
    const line = text.split('\r\n')[position.line];
    const inside = { line: position.line, character: line.indexOf('🎈') + 1 };
    const moved = await complete(connection, uri, inside);
    for (const item of moved.items) {
      assert.equal(item.range.start.character, inside.character - 1);
    }

    // An empty line in a block takes several lines: they come with the document's CRLF.
    const block = await complete(connection, uri, { line: 5, character: 4 });
    for (const item of block.items) {
      assert.ok(!/(^|[^\r])\n/.test(item.insertText), `line breaks are the document's CRLF: ${JSON.stringify(item.insertText)}`);
    }
  });

  it('a burst of 50 edits with requests ends with one finished generation and the rest cancelled', TIMEOUT, async () => {
    const { connection } = session;
    const uri = uriIn('src/Bookshelf.Services/Burst.cs');
    let text = 'namespace Bookshelf.Services;\n\npublic static class Burst\n{\n    public static int Value() => \n}\n';
    await open(connection, uri, text);
    const start = after_(text, '=> ');
    const before = await counters(connection);

    const answers = [];
    for (let i = 0; i < 50; i++) {
      const at = { line: start.line, character: start.character + i };
      const change = { range: { start: at, end: at }, text: 'x' };
      text = applyChange(text, change);
      connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: i + 2 }, contentChanges: [change] });
      answers.push(complete(connection, uri, { line: at.line, character: at.character + 1 }, Automatic));
    }
    const results = await Promise.all(answers);
    const now = await counters(connection);

    assert.deepEqual(results.slice(0, 49).map((r) => r.items.length), new Array(49).fill(0), 'superseded requests answer empty lists');
    assert.equal(now.requests - before.requests, 50);
    assert.equal(now.cancelled - before.cancelled, 49);
    assert.equal(now.generationsFinished - before.generationsFinished, 1);
    assert.ok(now.generationsStarted - before.generationsStarted >= 1);
  });

  it('typing through a suggestion and backspacing are answered from the cache with no generation', TIMEOUT, async () => {
    const { connection } = session;
    const uri = uriIn('docs/typing.py');
    let text = 'def title(book):\n    return book.\n';
    await open(connection, uri, text, 'python');
    const position = after_(text, 'return book.');
    const first = await complete(connection, uri, position);
    // The random model's first candidate; what matters is that it has two characters to type through.
    const item = first.items.find((i) => i.insertText.length - (position.character - i.range.start.character) >= 2);
    assert.ok(item, `a candidate with two characters after the cursor among ${JSON.stringify(first.items.map((i) => i.insertText))}`);
    const rest = item.insertText.slice(position.character - item.range.start.character);
    const before = await counters(connection);

    const typed = { range: { start: position, end: position }, text: rest[0] };
    text = applyChange(text, typed);
    await connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: 2 }, contentChanges: [typed] });
    const afterTyping = await complete(connection, uri, { line: position.line, character: position.character + 1 }, Automatic);
    const backspace = { range: { start: position, end: { line: position.line, character: position.character + 1 } }, text: '' };
    text = applyChange(text, backspace);
    await connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: 3 }, contentChanges: [backspace] });
    const afterBackspace = await complete(connection, uri, position, Automatic);
    const now = await counters(connection);

    const typedItem = afterTyping.items[0];
    assert.equal(typedItem.insertText.slice(position.character + 1 - typedItem.range.start.character), rest.slice(1));
    assert.ok(afterBackspace.items.some((i) => i.insertText === item.insertText));
    assert.equal(now.answeredFromCache - before.answeredFromCache, 2);
    assert.equal(now.generationsStarted - before.generationsStarted, 0);
  });

  it('after `book.` the first identifier is one of Book\'s members, even from random weights', TIMEOUT, async () => {
    const { connection } = session;
    // A few tokens: the name and a little after it; more noise after a real name could name something that does not exist.
    await connection.sendNotification('workspace/didChangeConfiguration', { settings: { completion: { maxTokens: 6 } } });
    const uri = uriIn('src/Bookshelf.Services/Members.cs');
    const text = 'using Bookshelf.Core;\n\nnamespace Bookshelf.Services;\n\npublic static class Members\n{\n    public static object Of(Book book) => book.\n}\n';
    await open(connection, uri, text);
    try {
      const result = await complete(connection, uri, after_(text, '=> book.'));
      const members = ['Isbn', 'Title', 'Author', 'Year', 'Genre', 'Id', 'Tags', 'IsOlderThan', 'Deconstruct', 'DisplayTitle',
        'Equals', 'GetHashCode', 'GetType', 'ToString'];
      assert.ok(result.items.length >= 1);
      for (const item of result.items) {
        const identifier = /^[\p{L}\p{N}_]*/u.exec(item.insertText)[0];
        assert.ok(members.includes(identifier), `${JSON.stringify(item.insertText)} starts with a member of Book`);
      }
    } finally {
      await connection.sendNotification('workspace/didChangeConfiguration', { settings: { completion: { maxTokens: 16 } } });
    }
  });

  it('at the README demo\'s cursor, mid-chain after `book.Author.`, the noise is cut to a member of Author and shown', TIMEOUT, async () => {
    // The code after the cursor goes on with `.ThenBy(...)`, which a string member does not have: an error the
    // candidate causes there, not a name it wrote, so it does not hold the candidate back.
    const { connection } = session;
    const uri = uriIn('src/Bookshelf.Services/CatalogService.cs');
    const lines = readFileSync(fileURLToPath(uri), 'utf8').split('\n');
    const line = lines.findIndex((l) => l.includes('.OrderBy(book => book.Author.'));
    const character = lines[line].indexOf('book.Author.') + 'book.Author.'.length;
    const text = [...lines.slice(0, line), lines[line].slice(0, character), ...lines.slice(line + 1)].join('\n');
    await open(connection, uri, text);
    try {
      const result = await complete(connection, uri, { line, character });
      assert.ok(result.items.length >= 1, 'a suggestion is shown');
      const members = ['Name', 'Country', 'SortName', 'Deconstruct', 'Equals', 'GetHashCode', 'GetType', 'ToString'];
      for (const item of result.items) {
        const identifier = /^[\p{L}\p{N}_]*/u.exec(item.insertText)[0];
        assert.ok(members.includes(identifier), `${JSON.stringify(item.insertText)} starts with a member of Author`);
      }
    } finally {
      await connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    }
  });

  it('counts shown, partially accepted and accepted suggestions', TIMEOUT, async () => {
    const { connection } = session;
    const uri = uriIn('docs/accept.py');
    const text = 'def count(values):\n    return len(values) + \n';
    await open(connection, uri, text, 'python');
    const result = await complete(connection, uri, after_(text, 'len(values) + '));
    const [item] = result.items;
    const { completionId } = item.command.arguments[0];
    const before = await counters(connection);

    await connection.sendNotification('codeassist/didShowCompletion', { completionId });
    await connection.sendNotification('codeassist/didPartiallyAcceptCompletion', { completionId, acceptedLength: 1 });
    const answer = await connection.sendRequest('workspace/executeCommand', { command: item.command.command, arguments: item.command.arguments });
    const now = await counters(connection);

    assert.equal(answer, null);
    assert.equal(now.shown - before.shown, 1);
    assert.equal(now.partiallyAccepted - before.partiallyAccepted, 1);
    assert.equal(now.accepted - before.accepted, 1);
    assert.equal(now.acceptedCharacters - before.acceptedCharacters, item.insertText.length);
    assert.equal(now.unavailable, null);
  });

  it('survives bad input: position 0, past the end, comments and strings, 5 MB, another language, a document never opened', TIMEOUT, async () => {
    const { connection, server } = session;
    const path = fileURLToPath(uriIn('src/Bookshelf.Services/CatalogService.cs'));
    const uri = uriIn('src/Bookshelf.Services/CatalogService.cs');
    const text = readFileSync(path, 'utf8');
    await open(connection, uri, text);

    // Automatic requests (one candidate each): nothing was edited lately, so none waits.
    for (const position of [{ line: 0, character: 0 }, { line: 100_000, character: 5 }, after_(text, '"')]) {
      const result = await complete(connection, uri, position, Automatic);
      assert.ok(Array.isArray(result.items), `an answer at ${JSON.stringify(position)}`);
    }
    const before = await counters(connection);
    const inComment = await complete(connection, uri, after_(text, '/// '), Automatic);
    assert.deepEqual(inComment.items, [], 'nothing is suggested inside a comment');
    assert.equal((await counters(connection)).generationsStarted, before.generationsStarted);

    const bigUri = uriIn('src/Bookshelf.Services/Big.cs');
    const line = '    public static int Field0 = 0; // padding to make a five megabyte file\n';
    const big = `namespace Big;\n\npublic static class Big\n{\n${line.repeat(Math.ceil(5_000_000 / line.length))}    public static int Last => \n}\n`;
    await open(connection, bigUri, big);
    const bigAnswer = await complete(connection, bigUri, after_(big, 'int Last => '), Automatic);
    assert.ok(Array.isArray(bigAnswer.items));

    const pyUri = uriIn('scripts/report.py');
    const py = 'def total(values):\n    result = 0\n    for value in values:\n        \n';
    await open(connection, pyUri, py, 'python');
    const pyAnswer = await complete(connection, pyUri, { line: 3, character: 8 }, Automatic);
    assert.ok(Array.isArray(pyAnswer.items));

    await assert.rejects(
      complete(connection, uriIn('src/Never/Opened.cs'), { line: 0, character: 0 }),
      (error) => error instanceof ResponseError && error.code === -32803 && /not open/.test(error.message),
    );
    await assert.rejects(
      connection.sendRequest('codeassist/inlineCompletion', { textDocument: { uri: 42 } }),
      (error) => error instanceof ResponseError && error.code === -32602,
    );
    assert.equal((await status(connection)).processId, server.pid);
    assert.deepEqual(server.stdoutViolations, []);
  });
});

describe('inline completion without a usable model', () => {
  it('answers an empty list at once and status says why', TIMEOUT, async () => {
    const session = await start({ model: null });
    try {
      const uri = uriIn('src/Bookshelf.Core/Empty.cs');
      await open(session.connection, uri, 'namespace Bookshelf.Core;\n\npublic class Empty { int x = }\n');
      const result = await complete(session.connection, uri, { line: 2, character: 28 });
      const { completion } = await status(session.connection);
      assert.deepEqual(result.items, []);
      assert.match(completion.unavailable, /No model is configured/);
      assert.equal(completion.generationsStarted, 0);
    } finally {
      await stop(session);
    }
  });

  it('keeps completing when the model file is deleted while loaded, and fits a document longer than a small window', TIMEOUT, async () => {
    const copy = join(scratch, 'deleted.gguf');
    copyFileSync(modelPath, copy);
    const session = await start({ model: copy, modelOptions: { threads: 2, contextSize: 256 }, completion: { maxTokens: 16 } });
    try {
      unlinkSync(copy);
      const uri = uriIn('src/Bookshelf.Core/Long.cs');
      const body = Array.from({ length: 400 }, (_, i) => `        var value${i} = Compute(${i});\n`).join('');
      const text = `namespace Bookshelf.Core;\n\npublic static class Long\n{\n    public static int Run()\n    {\n${body}        return \n    }\n}\n`;
      await open(session.connection, uri, text);
      const result = await complete(session.connection, uri, after_(text, '        return '));
      const { completion, model } = await status(session.connection);
      assert.ok(Array.isArray(result.items));
      assert.equal(model.state, 'ready');
      assert.equal(completion.generationsFinished, 3, 'three candidates generated within a 256-token window');
      assert.ok(completion.promptTokens / 3 <= 256 - 16, `prompts of ${completion.promptTokens / 3} tokens fit the window`);
    } finally {
      await stop(session);
    }
  });
});

/** A free TCP port on the loopback interface. */
function freePort() {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolvePort(port));
    });
    probe.on('error', reject);
  });
}

describe('inline completion through the remote backend', () => {
  let llamaServer;
  let url;

  before(async () => {
    const llamaDir = process.env.CODEASSIST_LLAMA_DIR ?? join(homedir(), '.cache', 'codeassist', 'llama', '3.22.1');
    const port = await freePort();
    url = `http://127.0.0.1:${port}/`;
    llamaServer = spawn(join(llamaDir, 'bin', 'llama-server'), ['-m', modelPath, '--host', '127.0.0.1', '--port', String(port), '-c', '2048', '-t', '2', '-np', '1', '--no-webui'], { stdio: 'ignore' });
    for (;;) {
      try {
        if ((await fetch(`${url}health`)).ok) break;
      } catch {
        // not listening yet
      }
      assert.equal(llamaServer.exitCode, null, 'llama-server exited');
      await new Promise((wait) => setTimeout(wait, 100));
    }
  });

  after(() => llamaServer?.kill('SIGKILL'));

  it('generates through a real llama-server on loopback (/infill) and reports its prompt tokens', TIMEOUT, async () => {
    const session = await start({ remote: { url, api: 'llamaServer' }, completion: { maxTokens: 16 } });
    try {
      const uri = uriIn('src/Bookshelf.Core/Remote.cs');
      const text = 'namespace Bookshelf.Core;\n\npublic static class Remote\n{\n    public static int Twice(int x) => \n}\n';
      await open(session.connection, uri, text);
      const result = await complete(session.connection, uri, after_(text, '=> '));
      const { completion, model } = await status(session.connection);
      assert.ok(Array.isArray(result.items));
      assert.equal(model.backend, 'remote');
      assert.equal(model.path, url);
      assert.equal(completion.generationsFinished, 3);
      assert.ok(completion.promptTokens > 0, 'llama-server reported its prompt tokens');
    } finally {
      await stop(session);
    }
  });
});

describe('codeassist complete on the command line', () => {
  /** Runs the CLI with a settings file of its own (no user settings, no persistent index) and no CODEASSIST_MODEL. */
  function cli(args) {
    const config = mkdtempSync(join(scratch, 'config-'));
    mkdirSync(join(config, 'codeassist'));
    writeFileSync(join(config, 'codeassist', 'settings.json'), '{ "indexCache": null }');
    const env = { ...process.env, XDG_CONFIG_HOME: config, DOTNET_NOLOGO: '1' };
    delete env.CODEASSIST_MODEL;
    return spawnSync('dotnet', [serverDll, 'complete', ...args], { env, encoding: 'utf8' });
  }

  const file = fileURLToPath(uriIn('src/Bookshelf.Services/CatalogService.cs'));

  it('prints the candidates of an invoked request with their diagnostics as JSON', TIMEOUT, () => {
    const run = cli([file, '--line', '20', '--column', '9', '--model', modelPath, '--json']);
    assert.equal(run.status, 0, run.stderr);
    const result = JSON.parse(run.stdout);
    assert.ok(['model', 'nothing'].includes(result.kind), result.kind);
    for (const item of result.items) {
      assert.match(item.completionId, /^c\d+\.\d$/);
      assert.equal(item.range.start.line, 19);
      assert.ok(Array.isArray(item.diagnostics));
    }
  });

  it('says what to do when no model is configured', TIMEOUT, () => {
    const run = cli([file, '--line', '20', '--column', '9']);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /No model is configured/);
    assert.equal(run.stdout, '');
  });
});
