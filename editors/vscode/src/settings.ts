/**
 * VS Code's `codeassist.*` settings turned into the settings object of docs/protocol.md (sent as initializationOptions
 * and in workspace/didChangeConfiguration). Only what the user set in VS Code is sent: the server lays it over its own
 * defaults (~/.config/codeassist/settings.json, CODEASSIST_MODEL), which would otherwise be overridden by ours. A setting
 * the user removes is sent once more with VS Code's default, since the server keeps a value until it is told another.
 */

/** A setting's value at each level, as `WorkspaceConfiguration.inspect` reports it. */
export interface SettingLevels {
    defaultValue?: unknown;
    globalValue?: unknown;
    workspaceValue?: unknown;
    workspaceFolderValue?: unknown;
}

export type Inspect = (key: string) => SettingLevels | undefined;

/** The keys (under `codeassist.`) the server reads; `server.path` is the client's alone. */
export const serverKeys = [
    'logLevel',
    'exclude',
    'model',
    'remote.url',
    'remote.api',
    'remote.model',
    'remote.apiKeyVariable',
    'remote.fimFamily',
    'modelOptions.contextSize',
    'modelOptions.threads',
    'modelOptions.gpuLayers',
    'completion.enabled',
    'completion.languages',
    'completion.debounceMs',
    'completion.maxTokens',
    'completion.contextTokens',
] as const;

export interface ServerSettings {
    /** The object to send (bare, not wrapped in a `codeassist` section). */
    settings: Record<string, unknown>;
    /** The keys it covers: pass them back as `previouslySent` next time, so removed settings are reset. */
    sent: Set<string>;
}

export function serverSettings(inspect: Inspect, previouslySent: ReadonlySet<string> = new Set()): ServerSettings {
    const sent = new Set(serverKeys.filter(key => explicitValue(inspect(key)) !== undefined || previouslySent.has(key)));
    const value = (key: string) => {
        const levels = inspect(key);
        const explicit = explicitValue(levels);
        return explicit !== undefined ? explicit : levels?.defaultValue;
    };
    const settings: Record<string, unknown> = {};
    for (const key of sent) {
        if (key.startsWith('remote.')) {
            continue;
        }
        const [group, name] = key.includes('.') ? key.split('.') : [undefined, key];
        const target = group === undefined ? settings : (settings[group] ??= {}) as Record<string, unknown>;
        target[name] = key === 'model' ? emptyToNull(value(key)) : value(key);
    }
    if ([...sent].some(key => key.startsWith('remote.'))) {
        settings.remote = remote(value);
    }
    return { settings, sent };
}

/** The `remote` object, whole (the server replaces it whole); null when no URL is set. */
function remote(value: (key: string) => unknown): Record<string, unknown> | null {
    const url = emptyToNull(value('remote.url'));
    if (url === null) {
        return null;
    }
    const result: Record<string, unknown> = { url, api: value('remote.api') };
    for (const name of ['model', 'apiKeyVariable', 'fimFamily']) {
        const text = emptyToNull(value(`remote.${name}`));
        if (text !== null) {
            result[name] = text;
        }
    }
    return result;
}

/** The value the user set, at the most specific level that has one. */
function explicitValue(levels: SettingLevels | undefined): unknown {
    // A null the user wrote is a value (no GPU layers limit, adaptive debounce), so test for undefined, not nullish.
    return [levels?.workspaceFolderValue, levels?.workspaceValue, levels?.globalValue].find(value => value !== undefined);
}

function emptyToNull(value: unknown): unknown {
    return typeof value === 'string' && value.trim().length === 0 ? null : value;
}

/** Where to write a setting the user toggles: the most specific level that holds it, so the change takes effect. */
export function toggleTarget(levels: SettingLevels | undefined): 'workspaceFolder' | 'workspace' | 'global' {
    return levels?.workspaceFolderValue !== undefined ? 'workspaceFolder'
        : levels?.workspaceValue !== undefined ? 'workspace'
        : 'global';
}
