import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { resolveServerCommand, ServerNotFoundError } from '../../src/serverCommand';

/** Real files in a temporary tree: a repository with a build, a PATH directory with executables. */
let root: string;
let repository: string;
let binaries: string;

function touch(file: string, executable = false): string {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '#!/bin/sh\n');
    if (executable) {
        fs.chmodSync(file, 0o755);
    }
    return file;
}

before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'codeassist-server-command-'));
    repository = path.join(root, 'repo');
    binaries = path.join(root, 'bin');
    touch(path.join(binaries, 'dotnet'), true);
    touch(path.join(binaries, 'codeassist'), true);
});

after(() => fs.rmSync(root, { recursive: true, force: true }));

const serve = ['serve', '--stdio'];

describe('resolveServerCommand', () => {
    it('runs the configured executable', () => {
        const executable = touch(path.join(root, 'opt', 'codeassist'), true);
        assert.deepEqual(resolveServerCommand(executable, [], binaries),
            { command: executable, args: serve, source: 'settings' });
    });

    it('runs a configured codeassist.dll with dotnet from PATH', () => {
        const dll = touch(path.join(root, 'opt', 'codeassist.dll'));
        assert.deepEqual(resolveServerCommand(dll, [], binaries),
            { command: path.join(binaries, 'dotnet'), args: [dll, ...serve], source: 'settings' });
    });

    it('says so when the configured path does not exist', () => {
        assert.throws(() => resolveServerCommand(path.join(root, 'missing'), [repository], binaries),
            (error: Error) => error instanceof ServerNotFoundError && /codeassist\.server\.path is ".*missing", which does not exist/.test(error.message));
    });

    it('says so when a dll needs dotnet and PATH has none', () => {
        const dll = touch(path.join(root, 'opt', 'codeassist.dll'));
        assert.throws(() => resolveServerCommand(dll, [], path.join(root, 'empty')), /runs on \.NET, but dotnet is not on PATH/);
    });

    it('finds the Release build of the repository around a workspace folder, before Debug', () => {
        const debug = touch(path.join(repository, 'src/CodeAssist.Server/bin/Debug/net10.0/codeassist.dll'));
        const samples = path.join(repository, 'samples');
        fs.mkdirSync(samples, { recursive: true });
        assert.deepEqual(resolveServerCommand('', [samples], binaries).args[0], debug);
        const release = touch(path.join(repository, 'src/CodeAssist.Server/bin/Release/net10.0/codeassist.dll'));
        assert.deepEqual(resolveServerCommand('  ', [samples], binaries),
            { command: path.join(binaries, 'dotnet'), args: [release, ...serve], source: 'repository' });
    });

    it('falls back to codeassist on PATH outside a repository', () => {
        const elsewhere = path.join(root, 'elsewhere');
        fs.mkdirSync(elsewhere, { recursive: true });
        assert.deepEqual(resolveServerCommand('', [elsewhere], `${path.join(root, 'empty')}${path.delimiter}${binaries}`),
            { command: path.join(binaries, 'codeassist'), args: serve, source: 'path' });
    });

    it('skips a codeassist on PATH that is not executable', () => {
        const plain = path.join(root, 'plain');
        touch(path.join(plain, 'codeassist'));
        assert.throws(() => resolveServerCommand('', [path.join(root, 'elsewhere')], plain), ServerNotFoundError);
    });

    it('names every place it looked when there is no server at all', () => {
        assert.throws(() => resolveServerCommand('', [path.join(root, 'elsewhere')], ''),
            /set codeassist\.server\.path, build it in the repository \(dotnet build src\/CodeAssist\.Server -c Release\), or put codeassist on PATH/);
    });
});
