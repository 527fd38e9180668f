import type { Status } from './protocol';

/**
 * What the status bar item says: the model and where it runs, indexing progress, and whether completions are on or
 * paused. Codicons (`$(name)`) are VS Code's icon syntax in status bar text.
 */
export type ServerState =
    | { kind: 'starting' }
    | { kind: 'failed'; message: string }
    | { kind: 'running'; status: Status };

export interface StatusText {
    text: string;
    /** Markdown. */
    tooltip: string;
    /** True when the user should look (the server did not start, the model failed). */
    warning: boolean;
}

export function statusText(state: ServerState, completionsEnabled: boolean): StatusText {
    if (state.kind === 'starting') {
        return { text: '$(loading~spin) CodeAssist', tooltip: 'CodeAssist: starting the server…', warning: false };
    }
    if (state.kind === 'failed') {
        return { text: '$(error) CodeAssist', tooltip: `CodeAssist could not start: ${state.message}\n\nClick to show the log.`, warning: true };
    }
    const { status } = state;
    const model = status.model;
    const parts: string[] = [];
    const details: string[] = [];
    let warning = false;
    switch (model?.state) {
        case 'ready':
            parts.push(`${model.name || basename(model.path) || 'model'} · ${backendLabel(model.backend)}`);
            details.push(`Model: **${model.name || basename(model.path) || 'unnamed'}** on ${backendLabel(model.backend)}` +
                (model.path ? ` (\`${model.path}\`)` : ''));
            break;
        case 'loading':
            parts.push('$(loading~spin) loading model');
            details.push(`Loading \`${model.path ?? 'the model'}\`…`);
            break;
        case 'failed':
            warning = true;
            parts.push('$(warning) model failed');
            details.push(`The model could not be loaded: ${model.error ?? 'unknown reason'}`);
            break;
        default:
            parts.push('no model');
            details.push('No model is configured: set `codeassist.model` (a GGUF file) or `codeassist.remote.url`.');
            break;
    }
    if (status.index?.state === 'indexing') {
        parts.push(`$(sync~spin) indexing ${status.index.filesIndexed.toLocaleString('en-US')} files`);
    }
    if (status.index !== undefined) {
        details.push(`Index: ${status.index.state}, ${status.index.filesIndexed.toLocaleString('en-US')} files, ` +
            `${status.index.lines.toLocaleString('en-US')} lines`);
    }
    if (model?.backend !== undefined && !knownBackends.has(model.backend)) {
        details.push(`llama.cpp is unavailable: ${model.backend}`);
    }
    const paused = !completionsEnabled || status.completion?.enabled === false;
    if (status.completion?.unavailable) {
        details.push(`Completions unavailable: ${status.completion.unavailable}`);
    } else if (status.completion !== undefined) {
        details.push(`Suggestions since the server started: ${status.completion.shown} shown, ${status.completion.accepted} accepted`);
    }
    details.push(paused ? 'Completions are **paused**: click to resume.' : 'Completions are on: click to pause.');
    const icon = paused ? '$(debug-pause)' : '$(sparkle)';
    return { text: `${icon} ${parts.join(' · ')}${paused ? ' · paused' : ''}`, tooltip: details.join('\n\n'), warning };
}

const knownBackends = new Set(['cpu', 'cuda', 'remote']);

function backendLabel(backend: string | undefined): string {
    switch (backend) {
        case 'cpu': return 'CPU';
        case 'cuda': return 'CUDA';
        case 'remote': return 'remote';
        default: return backend ? 'no backend' : 'unknown backend';
    }
}

function basename(file: string | null | undefined): string | undefined {
    return file?.split(/[\\/]/).pop();
}
