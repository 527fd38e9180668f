// Indexing and `codeassist/context` through vscode-languageserver-protocol: the server indexes samples/ in the
// background with work-done progress, and answers context for the client's text, not the disk's.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
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
  WorkDoneProgressCreateRequest,
} from 'vscode-languageserver-protocol/node';
import { initializeParams, samplesUri, ServerProcess } from './support/server.mjs';

const TIMEOUT = { timeout: 120_000 };

describe('indexing and codeassist/context', () => {
  let server;
  let connection;
  const created = [];
  const progress = [];

  before(async () => {
    server = new ServerProcess();
    connection = createProtocolConnection(new StreamMessageReader(server.child.stdout), new StreamMessageWriter(server.child.stdin));
    connection.onRequest(WorkDoneProgressCreateRequest.type, ({ token }) => {
      created.push(token);
      return null;
    });
    connection.onNotification('$/progress', (params) => progress.push(params));
    connection.listen();
    await connection.sendRequest(InitializeRequest.type, initializeParams());
    await connection.sendNotification(InitializedNotification.type, {});
  });

  after(async () => {
    connection.dispose();
    await server.kill();
  });

  async function indexed() {
    for (;;) {
      const status = await connection.sendRequest('codeassist/status', {});
      if (status.index.state === 'ready') return status;
      await new Promise((wait) => setTimeout(wait, 50));
    }
  }

  it('indexes samples/ in the background and reports begin and end under the token it asked for', TIMEOUT, async () => {
    const status = await indexed();
    assert.ok(status.index.filesIndexed >= 20, `indexed ${status.index.filesIndexed} files`);
    // The end may trail the status by a moment: both are sent when indexing finishes.
    while (!progress.some((p) => p.value.kind === 'end')) await new Promise((wait) => setTimeout(wait, 20));
    assert.equal(created.length, 1);
    const kinds = progress.filter((p) => p.token === created[0]).map((p) => p.value.kind);
    assert.equal(kinds[0], 'begin');
    assert.equal(kinds.at(-1), 'end');
  });

  it('answers with the receiver type\'s members from another file for the client\'s unsaved text', TIMEOUT, async () => {
    await indexed();
    const path = fileURLToPath(`${samplesUri}/src/Bookshelf.Services/CatalogService.cs`);
    const uri = `${samplesUri}/src/Bookshelf.Services/CatalogService.cs`;
    const lines = readFileSync(path, 'utf8').split('\n');
    const line = lines.findIndex((l) => l.includes('.OrderBy(book => book.Author.'));
    const character = lines[line].indexOf('book.Author.') + 'book.Author.'.length;
    const text = [...lines.slice(0, line), lines[line].slice(0, character), ...lines.slice(line + 1)].join('\n');
    await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'csharp', version: 1, text } });

    const result = await connection.sendRequest('codeassist/context', { textDocument: { uri }, position: { line, character }, budgetTokens: 512 });

    const sortName = result.items.find((i) => i.text.includes('SortName'));
    assert.ok(sortName, `SortName among ${result.items.map((i) => i.text.split('\n').at(-1)).join(' | ')}`);
    assert.match(sortName.uri, /Bookshelf\.Core\/Author\.cs$/);
    assert.ok(result.items.every((i) => i.uri !== uri), 'items come from other files');
    assert.ok(result.tokens <= 512);

    // Retype the receiver: the answer follows the edit before anything is saved.
    const start = lines[line].indexOf('book.Author.');
    await connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line, character: start }, end: { line, character } }, text: 'book.Isbn.' }],
    });
    const edited = await connection.sendRequest('codeassist/context', {
      textDocument: { uri }, position: { line, character: start + 'book.Isbn.'.length }, budgetTokens: 512,
    });
    assert.ok(edited.items.some((i) => i.uri.endsWith('/Isbn.cs') && i.kind === 'receiverMember'), 'Isbn members after the edit');
  });

  it('refuses a document outside the workspace with RequestFailed and keeps serving', TIMEOUT, async () => {
    await assert.rejects(
      connection.sendRequest('codeassist/context', { textDocument: { uri: 'file:///nowhere/Else.cs' }, position: { line: 0, character: 0 }, budgetTokens: 100 }),
      (error) => error instanceof ResponseError && error.code === -32803,
    );
    assert.equal((await connection.sendRequest('codeassist/status', {})).processId, server.pid);
  });
});
