// `codeassist/commitMessage` through vscode-languageserver-protocol, in a temporary repository made with the git CLI:
// the real server reads the staged rename and answers the documented shape; a folder that is not a repository and a
// repository with nothing to commit answer RequestFailed, and the server goes on answering.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  InitializedNotification,
  InitializeRequest,
  ResponseError,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';
import { initializeParams, ServerProcess } from './support/server.mjs';

const TIMEOUT = { timeout: 120_000 };

/** git with a fixed identity and no machine or user configuration. */
function git(cwd, ...args) {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_AUTHOR_NAME: 'Ada Tester',
      GIT_AUTHOR_EMAIL: 'ada@example.com',
      GIT_COMMITTER_NAME: 'Ada Tester',
      GIT_COMMITTER_EMAIL: 'ada@example.com',
    },
  });
}

describe('codeassist/commitMessage', () => {
  let server;
  let connection;
  let folder;

  before(async () => {
    folder = mkdtempSync(join(tmpdir(), 'codeassist-e2e-commit-'));
    const repository = join(folder, 'repo');
    mkdirSync(join(repository, 'src'), { recursive: true });
    git(repository, 'init', '-q', '-b', 'main');
    const service = (name) => `namespace Bookshelf.Services;\n\npublic sealed class LendingService\n{\n    public Loan ${name}(Member member, BookCopy copy) => new(member, copy);\n}\n`;
    writeFileSync(join(repository, 'src', 'LendingService.cs'), service('Lend'));
    git(repository, 'add', '-A');
    git(repository, 'commit', '-q', '-m', 'Add the lending service');
    writeFileSync(join(repository, 'src', 'LendingService.cs'), service('Checkout'));
    git(repository, 'add', '-A');
    mkdirSync(join(folder, 'plain'));

    server = new ServerProcess();
    connection = createProtocolConnection(new StreamMessageReader(server.child.stdout), new StreamMessageWriter(server.child.stdin));
    connection.listen();
    await connection.sendRequest(InitializeRequest.type, initializeParams({
      rootUri: pathToFileURL(repository).href,
      initializationOptions: { indexCache: null },
    }));
    await connection.sendNotification(InitializedNotification.type, {});
  });

  after(async () => {
    connection.dispose();
    await server.kill();
    rmSync(folder, { recursive: true, force: true });
  });

  it('describes a staged rename with its API change', TIMEOUT, async () => {
    const uri = pathToFileURL(join(folder, 'repo', 'src', 'LendingService.cs')).href;

    const result = await connection.sendRequest('codeassist/commitMessage', { uri });

    assert.equal(result.subject, 'Rename LendingService.Lend to Checkout');
    assert.equal(result.source, 'staged');
    assert.deepEqual(result.apiChanges, [{
      kind: 'renamed',
      symbol: 'LendingService.Checkout(Member, BookCopy)',
      oldSymbol: 'LendingService.Lend(Member, BookCopy)',
      file: 'src/LendingService.cs',
    }]);
    assert.equal(result.body, '- Rename LendingService.Lend(Member, BookCopy) to LendingService.Checkout(Member, BookCopy)');
    assert.ok(result.notes.some((n) => n.startsWith('No model is configured')), result.notes.join(' | '));
    // A read: nothing was committed or unstaged.
    assert.match(git(join(folder, 'repo'), 'status', '--porcelain'), /^M  src\/LendingService\.cs/);
    assert.deepEqual(server.stdoutViolations, []);
  });

  it('answers RequestFailed for a folder outside any repository and for a clean one, and keeps answering', TIMEOUT, async () => {
    const clean = join(folder, 'clean');
    mkdirSync(clean);
    git(clean, 'init', '-q', '-b', 'main');
    writeFileSync(join(clean, 'a.txt'), 'a\n');
    git(clean, 'add', '-A');
    git(clean, 'commit', '-q', '-m', 'Add a');

    const outside = await connection.sendRequest('codeassist/commitMessage', { uri: pathToFileURL(join(folder, 'plain')).href }).catch((e) => e);
    const nothing = await connection.sendRequest('codeassist/commitMessage', { uri: pathToFileURL(clean).href }).catch((e) => e);

    assert.ok(outside instanceof ResponseError);
    assert.equal(outside.code, -32803);
    assert.match(outside.message, /is not inside a git repository/);
    assert.ok(nothing instanceof ResponseError);
    assert.equal(nothing.code, -32803);
    assert.match(nothing.message, /Nothing to commit/);
    const status = await connection.sendRequest('codeassist/status', {});
    assert.equal(typeof status.processId, 'number');
    assert.deepEqual(server.stdoutViolations, []);
  });
});
