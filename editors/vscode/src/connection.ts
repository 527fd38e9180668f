import * as readline from 'node:readline';
import type { Readable } from 'node:stream';
import * as vscode from 'vscode';
import {
    CloseAction,
    DidChangeConfigurationNotification,
    DynamicFeature,
    ErrorAction,
    ErrorHandler,
    InlineCompletionRequest,
    LanguageClient,
    RevealOutputChannelOn,
    State,
    StaticFeature,
    TransportKind,
} from 'vscode-languageclient/node';
import { GhostTextFeature } from './ghostText';
import { resolveServerCommand } from './serverCommand';
import { parseServerLogLine } from './serverLog';
import { serverSettings } from './settings';

export type ConnectionState =
    | { kind: 'starting' }
    | { kind: 'failed'; message: string }
    | { kind: 'running' };

/** Runs a command of the server's code actions on the client (undefined: let the server run it). */
export type ServerCommandHandler = (command: string, args: unknown[]) => Thenable<unknown> | undefined;

/** Thrown by {@link ServerConnection.client} while the server is not running; its message says why. */
export class ServerNotRunningError extends Error {}

/**
 * The language client with our ghost-text feature in place of the library's (see {@link GhostTextFeature}), and
 * without the library's notifications while it starts: {@link ServerConnection} reports a failed start itself, with
 * the reason and the log at hand, and the library would add a second, vaguer one.
 */
class CodeAssistClient extends LanguageClient {
    private _starting = false;

    override async start(): Promise<void> {
        this._starting = true;
        try {
            await super.start();
        } finally {
            this._starting = false;
        }
    }

    override error(message: string, data?: unknown, showNotification: boolean | 'force' = true): void {
        super.error(message, data, this._starting ? false : showNotification);
    }

    // Called from the base constructor too, so it must not touch fields of this class.
    override registerFeature(feature: StaticFeature | DynamicFeature<unknown>): void {
        if (DynamicFeature.is(feature) && feature.registrationType.method === InlineCompletionRequest.method
            && !(feature instanceof GhostTextFeature)) {
            return;
        }
        super.registerFeature(feature);
    }
}

/**
 * The `codeassist serve --stdio` process and the language client speaking to it: started at activation, restarted
 * when `codeassist.server.path` changes, fed the user's settings (initializationOptions, then
 * workspace/didChangeConfiguration), and failing with a notification that says why and offers the log.
 */
export class ServerConnection implements vscode.Disposable {
    private _client: CodeAssistClient | undefined;
    private _state: ConnectionState = { kind: 'starting' };
    private _sentSettings: ReadonlySet<string> = new Set();
    private readonly _onDidChangeState = new vscode.EventEmitter<ConnectionState>();
    private readonly _subscriptions: vscode.Disposable[] = [];

    readonly onDidChangeState = this._onDidChangeState.event;

    constructor(
        private readonly _context: vscode.ExtensionContext,
        readonly log: vscode.LogOutputChannel,
        private readonly _handleServerCommand: ServerCommandHandler) {
        this._subscriptions.push(this._onDidChangeState, vscode.workspace.onDidChangeConfiguration(event => {
            if (event.affectsConfiguration('codeassist.server.path')) {
                void this.restart();
            } else if (event.affectsConfiguration('codeassist')) {
                this.sendSettings();
            }
        }));
    }

    get state(): ConnectionState {
        return this._state;
    }

    /** The running client; throws {@link ServerNotRunningError} with the reason when there is none. */
    client(): LanguageClient {
        if (this._state.kind === 'running' && this._client !== undefined) {
            return this._client;
        }
        throw new ServerNotRunningError(this._state.kind === 'failed'
            ? `The CodeAssist server is not running: ${this._state.message}`
            : 'The CodeAssist server is still starting; try again in a moment.');
    }

    async start(): Promise<void> {
        this.setState({ kind: 'starting' });
        const configuration = vscode.workspace.getConfiguration('codeassist');
        const searchFrom = [...(vscode.workspace.workspaceFolders ?? []).map(folder => folder.uri.fsPath), this._context.extensionPath];
        let server;
        try {
            server = resolveServerCommand(configuration.get<string>('server.path', ''), searchFrom, process.env.PATH);
        } catch (error) {
            this.fail(message(error));
            return;
        }
        const commandLine = [server.command, ...server.args].join(' ');
        this.log.info(`Starting ${commandLine} (found in ${server.source})`);
        const settings = serverSettings(key => configuration.inspect(key));
        this._sentSettings = settings.sent;
        const client = new CodeAssistClient('codeassist', 'CodeAssist', { command: server.command, args: server.args, transport: TransportKind.stdio }, {
            documentSelector: [{ scheme: 'file' }],
            outputChannel: this.log,
            revealOutputChannelOn: RevealOutputChannelOn.Never,
            initializationOptions: settings.settings,
            middleware: {
                executeCommand: (command, args, next) => this._handleServerCommand(command, args) ?? next(command, args),
            },
            errorHandler: this.errorHandler(),
            stdioOptions: {
                stdout: (input, channel) => eachLine(input, line => channel.info(line)),
                // By default every stderr line is an error. The server's own lines carry their level, and once the
                // connection is up window/logMessage brings them too; other lines (a native library, a crash) show as
                // they come.
                stderr: (input, channel) => eachLine(input, line => {
                    const parsed = parseServerLogLine(line);
                    if (parsed.level === undefined) {
                        channel.info(line);
                    } else if (!client.isRunning()) {
                        logAt(channel, parsed.level, parsed.text);
                    }
                }),
            },
        });
        client.registerFeature(new GhostTextFeature(client, this.log));
        this._client = client;
        // After a crash the language client restarts the server a few times before it gives up.
        client.onDidChangeState(event => {
            if (this._client !== client || this._state.kind === 'starting') {
                return;
            }
            if (event.newState === State.Stopped && this._state.kind === 'running') {
                this.setState({ kind: 'failed', message: 'the server stopped (see the log)' });
            } else if (event.newState === State.Running) {
                this.setState({ kind: 'running' });
            }
        });
        try {
            await client.start();
            if (this._client === client) {
                this.setState({ kind: 'running' });
            }
        } catch (error) {
            if (this._client === client) {
                this.fail(`${commandLine}: ${message(error)} (the log has what the server wrote)`);
            }
        }
    }

    /**
     * Instead of the language client's notifications ("connection to server is erroring. write EPIPE"): a server that
     * dies while starting fails the start, which says why in one notification; one that crashes later is restarted,
     * up to 4 times in 3 minutes.
     */
    private errorHandler(): ErrorHandler {
        const crashes: number[] = [];
        return {
            error: (error, _message, count) => {
                this.log.error(`Connection to the server: ${error.message}`);
                return { action: count !== undefined && count <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown, handled: true };
            },
            closed: () => {
                if (this._state.kind !== 'running') {
                    return { action: CloseAction.DoNotRestart, handled: true };
                }
                const now = Date.now();
                crashes.push(now);
                while (crashes.length > 0 && now - crashes[0] > 3 * 60 * 1000) {
                    crashes.shift();
                }
                if (crashes.length <= 4) {
                    this.log.warn('The server stopped; restarting it.');
                    return { action: CloseAction.Restart, handled: true };
                }
                this.fail('it stopped 5 times in 3 minutes, so it is not restarted again; the log says why. Fix that, then run CodeAssist: Restart Server.');
                return { action: CloseAction.DoNotRestart, handled: true };
            },
        };
    }

    async restart(): Promise<void> {
        await this.stop();
        await this.start();
    }

    private async stop(): Promise<void> {
        const client = this._client;
        this._client = undefined;
        if (client?.needsStop()) {
            await client.stop(5000).catch(error => this.log.warn(`Stopping the server: ${message(error)}`));
        }
    }

    private sendSettings(): void {
        if (this._state.kind !== 'running' || this._client === undefined) {
            return; // The next start sends them as initializationOptions.
        }
        const configuration = vscode.workspace.getConfiguration('codeassist');
        const settings = serverSettings(key => configuration.inspect(key), this._sentSettings);
        this._sentSettings = settings.sent;
        this._client.sendNotification(DidChangeConfigurationNotification.type, { settings: { codeassist: settings.settings } })
            .catch(error => this.log.error(`workspace/didChangeConfiguration: ${message(error)}`));
    }

    private fail(reason: string): void {
        this.log.error(`The server could not start: ${reason}`);
        this.setState({ kind: 'failed', message: reason });
        void vscode.window.showErrorMessage(`CodeAssist could not start its server. ${reason}`, 'Show log', 'Open settings').then(choice => {
            if (choice === 'Show log') {
                this.log.show(true);
            } else if (choice === 'Open settings') {
                void vscode.commands.executeCommand('workbench.action.openSettings', 'codeassist.server.path');
            }
        });
    }

    private setState(state: ConnectionState): void {
        this._state = state;
        this._onDidChangeState.fire(state);
    }

    async dispose(): Promise<void> {
        vscode.Disposable.from(...this._subscriptions).dispose();
        await this.stop();
    }
}

function eachLine(input: Readable, onLine: (line: string) => void): void {
    readline.createInterface({ input, crlfDelay: Infinity, terminal: false }).on('line', onLine);
}

function logAt(channel: vscode.LogOutputChannel, level: string, text: string): void {
    switch (level) {
        case 'error': channel.error(text); break;
        case 'warning': channel.warn(text); break;
        case 'debug': channel.debug(text); break;
        default: channel.info(text); break;
    }
}

export function message(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}
