import * as vscode from 'vscode';
import { ServerConnection } from './connection';
import { Methods, Status } from './protocol';
import { ServerState, statusText } from './statusText';

/**
 * The status bar item: the model and where it runs, indexing progress, completions on or paused. It polls
 * `codeassist/status`, often while something is changing (starting, indexing, loading the model), rarely otherwise.
 * Clicking it pauses or resumes completions; when the server did not start, it shows the log.
 */
export class StatusBar implements vscode.Disposable {
    private readonly _item = vscode.window.createStatusBarItem('codeassist.status', vscode.StatusBarAlignment.Right, 100);
    private readonly _subscriptions: vscode.Disposable[] = [];
    private _timer: NodeJS.Timeout | undefined;
    private _refreshing: Promise<void> | undefined;
    /** A refresh was asked for while one ran: run another after it, so the change shows at once. */
    private _again = false;
    private _disposed = false;

    constructor(private readonly _connection: ServerConnection) {
        this._item.name = 'CodeAssist';
        this._subscriptions.push(
            _connection.onDidChangeState(() => this.refresh()),
            vscode.workspace.onDidChangeConfiguration(event => {
                if (event.affectsConfiguration('codeassist')) {
                    this.refresh();
                }
            }));
        this._item.show();
        this.refresh();
    }

    /** Refreshes now, then keeps polling. */
    refresh(): void {
        if (this._disposed) {
            return;
        }
        if (this._refreshing !== undefined) {
            this._again = true;
            return;
        }
        clearTimeout(this._timer);
        this._refreshing = this.update().finally(() => {
            this._refreshing = undefined;
            if (this._again) {
                this._again = false;
                this.refresh();
            }
        });
    }

    private async update(): Promise<void> {
        const connection = this._connection.state;
        let state: ServerState;
        if (connection.kind === 'running') {
            try {
                state = { kind: 'running', status: await this._connection.client().sendRequest<Status>(Methods.status, {}) };
            } catch (error) {
                this._connection.log.debug(`codeassist/status: ${error}`);
                state = { kind: 'starting' };
            }
        } else {
            state = connection;
        }
        const enabled = vscode.workspace.getConfiguration('codeassist').get<boolean>('completion.enabled', true);
        const text = statusText(state, enabled);
        this._item.text = text.text;
        this._item.tooltip = new vscode.MarkdownString(text.tooltip);
        this._item.backgroundColor = text.warning ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
        this._item.command = state.kind === 'failed' ? 'codeassist.showLog' : 'codeassist.toggleCompletions';
        const changing = state.kind === 'starting' || (state.kind === 'running'
            && (state.status.index?.state !== 'ready' || state.status.model?.state === 'loading'));
        if (!this._disposed && state.kind !== 'failed') {
            this._timer = setTimeout(() => this.refresh(), changing ? 2000 : 10000);
        }
    }

    dispose(): void {
        this._disposed = true;
        clearTimeout(this._timer);
        vscode.Disposable.from(this._item, ...this._subscriptions).dispose();
    }
}
