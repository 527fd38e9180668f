// Chat, explain, document, tests and translate through the built server and vscode-languageserver-protocol, with a
// random-weight model written by `codeassist model random`, on a copy of samples/ with planted secrets. The server logs
// every prompt to a file (CODEASSIST_PROMPT_LOG, its test mode), so these tests read what reached the model.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { CancellationTokenSource } from 'vscode-jsonrpc/node';
import {
  ApplyWorkspaceEditRequest,
  createProtocolConnection,
  DidChangeConfigurationNotification,
  DidOpenTextDocumentNotification,
  InitializedNotification,
  InitializeRequest,
  ResponseError,
  ShowMessageRequest,
  StreamMessageReader,
  StreamMessageWriter,
  WorkDoneProgressCreateRequest,
} from 'vscode-languageserver-protocol/node';
import { initializeParams, repoRoot, serverDll, ServerProcess } from './support/server.mjs';

const TIMEOUT = { timeout: 180_000 };
const RequestFailed = -32803;
const InvalidParams = -32602;
const RequestCancelled = -32800;

// Values planted in secret-looking files: none may appear in any prompt.
const PLANTED = ['planted-dotenv-8f3a', 'planted-pem-77c1', 'planted-json-2b9e', 'planted-inline-5d0c'];

function rejectsWith(code, pattern) {
  return (error) => {
    assert.ok(error instanceof ResponseError, `expected a ResponseError, got ${error}`);
    assert.equal(error.code, code, error.message);
    if (pattern) assert.match(error.message, pattern);
    return true;
  };
}

/** A server on `root` with a connection that answers applyEdit, showMessageRequest and progress tokens as an editor would. */
async function start(root, options, env = {}) {
  const server = new ServerProcess({ env });
  const connection = createProtocolConnection(new StreamMessageReader(server.child.stdout), new StreamMessageWriter(server.child.stdin));
  const session = { server, connection, progress: new Map(), edits: [], questions: [], onProgress: null };
  connection.onRequest(WorkDoneProgressCreateRequest.type, () => null);
  connection.onRequest(ApplyWorkspaceEditRequest.type, (params) => {
    session.edits.push(params);
    return { applied: true };
  });
  connection.onRequest(ShowMessageRequest.type, (params) => {
    session.questions.push(params);
    return { title: 'Python' };
  });
  connection.onNotification('$/progress', ({ token, value }) => {
    if (!session.progress.has(token)) session.progress.set(token, []);
    session.progress.get(token).push(value);
    session.onProgress?.(token, value);
  });
  connection.listen();
  const rootUri = pathToFileURL(root).href;
  await connection.sendRequest(InitializeRequest.type, initializeParams({ rootUri, initializationOptions: options }));
  await connection.sendNotification(InitializedNotification.type, {});
  for (;;) {
    const status = await connection.sendRequest('codeassist/status', {});
    if (status.index.state === 'ready' && status.model.state !== 'loading') break;
    await new Promise((wait) => setTimeout(wait, 50));
  }
  session.streamed = (token) => (session.progress.get(token) ?? []).map((v) => v.text).join('');
  session.actions = async () => (await connection.sendRequest('codeassist/status', {})).actions;
  session.close = async () => {
    connection.dispose();
    await server.kill();
  };
  return session;
}

describe('chat and code actions', () => {
  let root;
  let model;
  let smallModel;
  let promptLog;
  let session;
  const uriOf = (relative) => pathToFileURL(join(root, relative)).href;
  const lending = 'src/Bookshelf.Services/LendingService.cs';
  const lines = (relative) => readFileSync(join(root, relative), 'utf8').split('\n');
  const borrow = () => lines(lending).findIndex((l) => l.includes('public async Task<Result<Loan>> BorrowAsync('));

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'codeassist-e2e-actions-'));
    cpSync(join(repoRoot, 'samples'), root, { recursive: true, filter: (source) => !/\/(bin|obj)(\/|$)/.test(source) });
    writeFileSync(join(root, '.env'), `API_TOKEN=${PLANTED[0]}\n`);
    mkdirSync(join(root, 'deploy'));
    writeFileSync(join(root, 'deploy', 'server.pem'), `-----BEGIN RSA PRIVATE KEY-----\n${PLANTED[1]}\n-----END RSA PRIVATE KEY-----\n`);
    writeFileSync(join(root, 'secrets.json'), `{ "ApiToken": "${PLANTED[2]}" }\n`);
    writeFileSync(join(root, 'src', 'Bookshelf.Core', 'Vault.cs'),
      `namespace Bookshelf.Core;\n// ${PLANTED[3]}\n// -----BEGIN OPENSSH PRIVATE KEY-----\n// b3BlbnNzaC1rZXk\n// -----END OPENSSH PRIVATE KEY-----\npublic static class Vault { public const string ApiToken = "${PLANTED[3]}"; }\n`);
    model = join(tmpdir(), `codeassist-e2e-tiny-${process.pid}.gguf`);
    smallModel = join(tmpdir(), `codeassist-e2e-small-${process.pid}.gguf`);
    for (const [path, shape] of [[model, 'tiny'], [smallModel, 'small']]) {
      const written = spawnSync('dotnet', [serverDll, 'model', 'random', path, '--shape', shape, '--force'], { encoding: 'utf8' });
      assert.equal(written.status, 0, written.stderr);
    }
    promptLog = join(tmpdir(), `codeassist-e2e-prompts-${process.pid}.jsonl`);
    session = await start(root, { model, indexCache: null, modelOptions: { contextSize: 2048, threads: 2 }, actions: { maxTokens: 32 } },
      { CODEASSIST_PROMPT_LOG: promptLog });
  });

  after(async () => {
    await session?.close();
    rmSync(root, { recursive: true, force: true });
    rmSync(model, { force: true });
    rmSync(smallModel, { force: true });
    rmSync(promptLog, { force: true });
  });

  /** Every prompt the server gave the model so far, as [{ task, messages }]. */
  const prompts = () => (existsSync(promptLog) ? readFileSync(promptLog, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : []);

  it('streams a chat answer, finishes, and cites real lines, the named declaration first in the prompt', TIMEOUT, async () => {
    const question = 'What does LendingService.BorrowAsync do?';
    const result = await session.connection.sendRequest('codeassist/chat', {
      messages: [{ role: 'user', content: question }], partialResultToken: 'e2e-chat',
    });

    assert.ok(session.progress.get('e2e-chat').length > 0, 'partial results arrived');
    assert.equal(session.streamed('e2e-chat'), result.text);
    const [first] = result.references;
    assert.equal(first.uri, uriOf(lending));
    assert.equal(first.reason, 'declares LendingService.BorrowAsync, named in the question');
    const cited = lines(lending).slice(first.range.start.line, first.range.end.line + 1);
    assert.ok(cited.some((l) => l.includes('BorrowAsync(')), cited.join('\n'));

    const prompt = prompts().findLast((p) => p.task === 'chat' && p.messages.at(-1).content.includes(question));
    const text = prompt.messages.map((m) => m.content).join('\n');
    const headers = [...text.matchAll(/^\S+:\d+-\d+ \((.*)\)$/gm)].map((m) => m[1]);
    assert.equal(headers[0], 'declares LendingService.BorrowAsync, named in the question');
  });

  /** Switches the server's settings and waits until the model they name is loaded. */
  async function use(settings) {
    await session.connection.sendNotification(DidChangeConfigurationNotification.type, { settings });
    for (;;) {
      const status = await session.connection.sendRequest('codeassist/status', {});
      if (status.model.state === 'ready' && status.model.path === settings.model) return;
      await new Promise((wait) => setTimeout(wait, 50));
    }
  }

  it('stops generating at once when a chat is cancelled mid-stream', TIMEOUT, async () => {
    // The small random model: slow enough that the cancel sent on its first streamed token overtakes it (the tiny one may
    // finish its 512 tokens first).
    await use({ model: smallModel, actions: { maxTokens: 512 } });
    const before = await session.actions();
    const source = new CancellationTokenSource();
    session.onProgress = (token) => {
      if (token === 'e2e-cancel') source.cancel();
    };
    try {
      await assert.rejects(
        session.connection.sendRequest('codeassist/chat', {
          messages: [{ role: 'user', content: 'Explain the lending rules in detail.' }], budgetTokens: 64, partialResultToken: 'e2e-cancel',
        }, source.token),
        rejectsWith(RequestCancelled),
      );
    } finally {
      session.onProgress = null;
    }
    const cancelled = await session.actions();
    const later = await session.actions();
    await use({ model, actions: { maxTokens: 32 } });

    assert.equal(cancelled.generationsCancelled, before.generationsCancelled + 1);
    assert.equal(cancelled.generationsFinished, before.generationsFinished);
    const generated = cancelled.generatedTokens - before.generatedTokens;
    assert.ok(generated >= 1 && generated < 512, `${generated} tokens generated before the cancel took effect`);
    assert.equal(later.generatedTokens, cancelled.generatedTokens, 'no token after the cancellation');
  });

  it('explains, documents, generates tests and translates, streaming as it goes', TIMEOUT, async () => {
    const line = borrow();
    const textDocument = { uri: uriOf(lending) };
    const range = { start: { line, character: 0 }, end: { line: line + 1, character: 0 } };

    const explained = await session.connection.sendRequest('codeassist/explain', { textDocument, range, partialResultToken: 'e2e-explain' });
    const documented = await session.connection.sendRequest('codeassist/document', { textDocument, range, overwrite: true, partialResultToken: 'e2e-doc' });
    const tests = await session.connection.sendRequest('codeassist/generateTests', { textDocument, range, partialResultToken: 'e2e-tests' });
    const translated = await session.connection.sendRequest('codeassist/translate', { textDocument, range, language: 'rust', partialResultToken: 'e2e-rust' });

    assert.equal(session.streamed('e2e-explain'), explained.text);
    assert.equal(explained.references[0].reason, 'the selection');
    assert.ok(session.progress.get('e2e-doc').length > 0);
    assert.equal(documented.documented.length + documented.skipped.length, 1);
    for (const change of documented.edit.documentChanges) {
      for (const edit of change.edits) {
        for (const inserted of edit.newText.split('\n').filter((l) => l.trim())) assert.match(inserted, /^\s*\/\/\//);
      }
    }
    // The random model writes no test method: every round is rejected and the answer says why.
    assert.equal(tests.framework, 'xunit');
    assert.equal(tests.compiles, false);
    assert.equal(tests.rounds, 4);
    assert.equal(tests.diagnostics[0].code, 'CA0001');
    assert.equal(tests.uri, uriOf('tests/Bookshelf.Tests/LendingServiceGeneratedTests.cs'));
    assert.deepEqual([...new Set(session.progress.get('e2e-tests').map((v) => v.round))], [1, 2, 3, 4]);
    assert.deepEqual(tests.edit.documentChanges[0], { kind: 'create', uri: tests.uri, options: { overwrite: false, ignoreIfExists: false } });
    assert.equal(translated.language, 'rust');
    assert.equal(translated.compiles, null);
    assert.equal(translated.rounds, 0);
  });

  it('offers code actions whose commands apply edits through the editor and ask for a language', TIMEOUT, async () => {
    const line = borrow();
    const cursor = { start: { line: line + 3, character: 8 }, end: { line: line + 3, character: 8 } };

    const actions = await session.connection.sendRequest('textDocument/codeAction', { textDocument: { uri: uriOf(lending) }, range: cursor, context: { diagnostics: [] } });
    const [argument] = actions[1].command.arguments;
    const edits = session.edits.length;
    await session.connection.sendRequest('workspace/executeCommand', { command: 'codeassist.generateTests', arguments: [argument] });
    const translated = await session.connection.sendRequest('workspace/executeCommand', { command: 'codeassist.translate', arguments: [argument] });

    assert.deepEqual(actions.map((a) => a.command.command), ['codeassist.explain', 'codeassist.document', 'codeassist.generateTests', 'codeassist.translate']);
    assert.equal(argument.range.start.line, line); // the empty range became the member at the cursor
    assert.equal(session.edits.length, edits + 1);
    assert.equal(session.edits.at(-1).edit.documentChanges[0].kind, 'create');
    assert.ok(session.questions.at(-1).actions.some((a) => a.title === 'Python'));
    assert.equal(translated.language, 'python');
  });

  it('never puts a planted secret in any prompt, and refuses a secret document', TIMEOUT, async () => {
    await session.connection.sendRequest('codeassist/chat', {
      messages: [{ role: 'user', content: 'What are API_TOKEN and ApiToken, and what is in .env, server.pem, secrets.json and the Vault?' }],
    });
    const env = uriOf('.env');
    await session.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: env, languageId: 'dotenv', version: 1, text: `API_TOKEN=${PLANTED[0]}\n` } });

    await assert.rejects(
      session.connection.sendRequest('codeassist/explain', { textDocument: { uri: env }, range: { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } } }),
      rejectsWith(RequestFailed, /^\.env is never sent to a model \(looks like a secret\)\.$/),
    );
    const offered = await session.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri: env }, range: { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } }, context: { diagnostics: [] },
    });
    assert.deepEqual(offered, [], 'no action on a secret document');
    const logged = prompts();
    assert.ok(logged.length >= 5, `${logged.length} prompts logged`);
    for (const { messages } of logged) {
      for (const { content } of messages) {
        for (const planted of PLANTED) assert.ok(!content.includes(planted), `${planted} reached a prompt`);
      }
    }
  });

  it('answers bad input with a clear error and keeps serving', TIMEOUT, async () => {
    const line = borrow();
    const textDocument = { uri: uriOf(lending) };
    const huge = uriOf('src/Bookshelf.Core/Huge.cs');
    await session.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: huge, languageId: 'csharp', version: 1, text: `class Huge {\n${'    int field;\n'.repeat(360_000)}}\n` },
    });
    const before = await session.actions();

    await assert.rejects(session.connection.sendRequest('codeassist/explain', { textDocument, range: { start: { line, character: 4 }, end: { line, character: 4 } } }),
      rejectsWith(RequestFailed, /^The selection is empty: select the code to explain\.$/));
    await assert.rejects(session.connection.sendRequest('workspace/executeCommand', {
      command: 'codeassist.explain',
      arguments: [{ textDocument, range: { start: { line, character: 0 }, end: { line: line + 1, character: 0 } } }, { textDocument: { uri: huge }, range: { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } } }],
    }), rejectsWith(InvalidParams, /one selection in one document \(got 2\)/));
    await assert.rejects(session.connection.sendRequest('codeassist/explain', { textDocument: { uri: huge }, range: { start: { line: 0, character: 0 }, end: { line: 360_002, character: 0 } } }),
      rejectsWith(RequestFailed, /far larger than the model's window of 2,048 tokens: select less\./));
    await assert.rejects(session.connection.sendRequest('codeassist/translate', { textDocument, range: { start: { line, character: 0 }, end: { line: line + 1, character: 0 } }, language: 'cobol' }),
      rejectsWith(RequestFailed, /^'cobol' is not a language the translator knows; choose one of csharp, java, python, typescript, javascript, go, cpp/));
    await assert.rejects(session.connection.sendRequest('codeassist/chat', { messages: [{ role: 'user', content: 'why is this so? '.repeat(2000) }] }),
      rejectsWith(RequestFailed, /shorten it\.$/));
    await assert.rejects(session.connection.sendRequest('codeassist/chat', { messages: 'hello' }), rejectsWith(InvalidParams));

    const afterwards = await session.actions();
    assert.equal(afterwards.generationsStarted, before.generationsStarted, 'no bad input reached the model');
    assert.equal((await session.connection.sendRequest('codeassist/status', {})).processId, session.server.pid);
  });
});

describe('chat without a model', () => {
  it('says how to configure one', TIMEOUT, async () => {
    const root = mkdtempSync(join(tmpdir(), 'codeassist-e2e-nomodel-'));
    writeFileSync(join(root, 'A.cs'), 'class A { }\n');
    const session = await start(root, { indexCache: null, model: null });
    try {
      await assert.rejects(session.connection.sendRequest('codeassist/chat', { messages: [{ role: 'user', content: 'hello?' }] }),
        rejectsWith(RequestFailed, /^No model is configured: set the 'model' setting/));
      const actions = await session.connection.sendRequest('textDocument/codeAction', {
        textDocument: { uri: pathToFileURL(join(root, 'A.cs')).href }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 9 } }, context: { diagnostics: [] },
      });
      assert.equal(actions.length, 4);
    } finally {
      await session.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
