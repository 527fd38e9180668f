import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Status } from '../../src/protocol';
import { statusText } from '../../src/statusText';

const ready: Status = {
    version: '0.1.0',
    workspaceFolders: ['file:///src/app'],
    index: { state: 'ready', filesIndexed: 1194, filesSkipped: 3, lines: 180817 },
    model: { state: 'ready', backend: 'cpu', path: '/models/qwen2.5-coder-1.5b-q8_0.gguf', name: 'Qwen2.5 Coder 1.5B' },
    completion: { enabled: true, unavailable: null, shown: 0, accepted: 0 },
};

describe('statusText', () => {
    it('names the model and where it runs', () => {
        const text = statusText({ kind: 'running', status: ready }, true);
        assert.equal(text.text, '$(sparkle) Qwen2.5 Coder 1.5B · CPU');
        assert.equal(text.warning, false);
        assert.match(text.tooltip, /Index: ready, 1,194 files, 180,817 lines/);
        assert.match(text.tooltip, /Suggestions since the server started: 0 shown, 0 accepted/);
        assert.match(text.tooltip, /click to pause/);
    });

    it('falls back to the file name of a model without a name, and says CUDA or remote', () => {
        const cuda = { ...ready, model: { ...ready.model!, name: null, backend: 'cuda' } };
        assert.equal(statusText({ kind: 'running', status: cuda }, true).text, '$(sparkle) qwen2.5-coder-1.5b-q8_0.gguf · CUDA');
        const remote = { ...ready, model: { ...ready.model!, name: 'team-coder', backend: 'remote' } };
        assert.equal(statusText({ kind: 'running', status: remote }, true).text, '$(sparkle) team-coder · remote');
    });

    it('shows indexing progress', () => {
        const indexing = { ...ready, index: { state: 'indexing' as const, filesIndexed: 25000, filesSkipped: 0, lines: 1 } };
        assert.equal(statusText({ kind: 'running', status: indexing }, true).text,
            '$(sparkle) Qwen2.5 Coder 1.5B · CPU · $(sync~spin) indexing 25,000 files');
    });

    it('shows paused completions, by the setting or by the server', () => {
        assert.equal(statusText({ kind: 'running', status: ready }, false).text, '$(debug-pause) Qwen2.5 Coder 1.5B · CPU · paused');
        const serverPaused = { ...ready, completion: { ...ready.completion!, enabled: false } };
        const text = statusText({ kind: 'running', status: serverPaused }, true);
        assert.equal(text.text, '$(debug-pause) Qwen2.5 Coder 1.5B · CPU · paused');
        assert.match(text.tooltip, /click to resume/);
    });

    it('says when there is no model, while it loads, and why it failed', () => {
        assert.equal(statusText({ kind: 'running', status: { ...ready, model: { state: 'none' } } }, true).text, '$(sparkle) no model');
        assert.equal(statusText({ kind: 'running', status: { ...ready, model: { state: 'loading', path: '/m.gguf' } } }, true).text,
            '$(sparkle) $(loading~spin) loading model');
        const failed = statusText({ kind: 'running', status: { ...ready, model: { state: 'failed', error: 'not a GGUF file' } } }, true);
        assert.equal(failed.text, '$(sparkle) $(warning) model failed');
        assert.equal(failed.warning, true);
        assert.match(failed.tooltip, /not a GGUF file/);
    });

    it('says why completions are unavailable and why llama.cpp is', () => {
        const status = { ...ready, model: { state: 'failed' as const, backend: 'libllama.so was not found', error: 'no backend' },
            completion: { ...ready.completion!, unavailable: 'the model failed to load' } };
        const text = statusText({ kind: 'running', status }, true);
        assert.match(text.tooltip, /Completions unavailable: the model failed to load/);
        assert.match(text.tooltip, /llama\.cpp is unavailable: libllama\.so was not found/);
    });

    it('says when the server is starting or could not start', () => {
        assert.equal(statusText({ kind: 'starting' }, true).text, '$(loading~spin) CodeAssist');
        const failed = statusText({ kind: 'failed', message: 'dotnet is not on PATH' }, true);
        assert.equal(failed.text, '$(error) CodeAssist');
        assert.equal(failed.warning, true);
        assert.match(failed.tooltip, /dotnet is not on PATH[\s\S]*show the log/);
    });
});
