import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Inspect, serverSettings, SettingLevels, toggleTarget } from '../../src/settings';
import manifest from '../../package.json';

/** VS Code's inspect() over the manifest's defaults and the given user (global) and workspace values. */
function inspect(global: Record<string, unknown> = {}, workspace: Record<string, unknown> = {}): Inspect {
    const properties = manifest.contributes.configuration.properties as Record<string, { default: unknown }>;
    return key => {
        const levels: SettingLevels = { defaultValue: properties[`codeassist.${key}`]?.default };
        if (key in global) {
            levels.globalValue = global[key];
        }
        if (key in workspace) {
            levels.workspaceValue = workspace[key];
        }
        return levels;
    };
}

describe('serverSettings', () => {
    it('sends nothing the user did not set, so the server keeps its own defaults (settings file, CODEASSIST_MODEL)', () => {
        const { settings, sent } = serverSettings(inspect());
        assert.deepEqual(settings, {});
        assert.equal(sent.size, 0);
    });

    it('nests what the user set the way docs/protocol.md lays the settings out', () => {
        const { settings } = serverSettings(inspect({
            'model': '~/models/qwen.gguf',
            'completion.enabled': false,
            'completion.languages': ['csharp'],
            'completion.debounceMs': 75,
            'completion.contextTokens': 2048,
            'exclude': ['**/Generated/**'],
            'modelOptions.gpuLayers': 20,
            'logLevel': 'debug',
        }));
        assert.deepEqual(settings, {
            model: '~/models/qwen.gguf',
            completion: { enabled: false, languages: ['csharp'], debounceMs: 75, contextTokens: 2048 },
            exclude: ['**/Generated/**'],
            modelOptions: { gpuLayers: 20 },
            logLevel: 'debug',
        });
    });

    it('takes the workspace value over the user value', () => {
        const { settings } = serverSettings(inspect({ 'completion.maxTokens': 32 }, { 'completion.maxTokens': 128 }));
        assert.deepEqual(settings, { completion: { maxTokens: 128 } });
    });

    it('keeps a null the user wrote (adaptive debounce) rather than the value below it', () => {
        const { settings } = serverSettings(inspect({ 'completion.debounceMs': 40 }, { 'completion.debounceMs': null }));
        assert.deepEqual(settings, { completion: { debounceMs: null } });
    });

    it('sends an empty model path as null: no local model', () => {
        assert.deepEqual(serverSettings(inspect({ model: '  ' })).settings, { model: null });
    });

    it('sends the remote endpoint whole, with the API key variable but never a key', () => {
        const { settings } = serverSettings(inspect({
            'remote.url': 'http://127.0.0.1:8080/',
            'remote.api': 'llamaServer',
            'remote.apiKeyVariable': 'TEAM_LLM_KEY',
        }));
        assert.deepEqual(settings, { remote: { url: 'http://127.0.0.1:8080/', api: 'llamaServer', apiKeyVariable: 'TEAM_LLM_KEY' } });
    });

    it('sends remote: null when the URL is cleared', () => {
        assert.deepEqual(serverSettings(inspect({ 'remote.url': '' })).settings, { remote: null });
    });

    it('sends the default once more for a setting the user removed, since the server keeps what it was told last', () => {
        const first = serverSettings(inspect({ 'completion.enabled': false, 'remote.url': 'http://127.0.0.1:8080/', 'model': '/m.gguf' }));
        const second = serverSettings(inspect(), first.sent);
        assert.deepEqual(second.settings, { completion: { enabled: true }, remote: null, model: null });
        const third = serverSettings(inspect(), second.sent);
        assert.deepEqual(third.settings, { completion: { enabled: true }, remote: null, model: null });
    });

    it('never sends the client-side server path', () => {
        assert.deepEqual(serverSettings(inspect({ 'server.path': '/opt/codeassist/codeassist' })).settings, {});
    });
});

describe('toggleTarget', () => {
    it('writes where the value is set, so pausing takes effect', () => {
        assert.equal(toggleTarget({ defaultValue: true }), 'global');
        assert.equal(toggleTarget({ defaultValue: true, globalValue: false }), 'global');
        assert.equal(toggleTarget({ defaultValue: true, globalValue: false, workspaceValue: true }), 'workspace');
        assert.equal(toggleTarget({ defaultValue: true, workspaceFolderValue: false }), 'workspaceFolder');
    });
});
