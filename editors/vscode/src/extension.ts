import * as vscode from 'vscode';
import { Actions } from './actions';
import { ChatPanel } from './chatPanel';
import { registerChatParticipant } from './chatParticipant';
import { registerCommitMessage } from './commitMessage';
import { ServerConnection } from './connection';
import { toggleTarget } from './settings';
import { StatusBar } from './statusBar';

/**
 * CodeAssist for VS Code: a thin client of `codeassist serve --stdio`. It starts the server, speaks LSP to it and renders
 * what it answers; every feature's logic lives in the server.
 */
let connection: ServerConnection | undefined;

export function activate(context: vscode.ExtensionContext): void {
    const log = vscode.window.createOutputChannel('CodeAssist', { log: true });
    let actions: Actions | undefined;
    connection = new ServerConnection(context, log, (command, args) => actions?.handleServerCommand(command, args));
    const chat = new ChatPanel(connection);
    actions = new Actions(connection, chat);
    const participant = registerChatParticipant(connection);
    context.subscriptions.push(
        log,
        chat,
        actions.register(),
        registerCommitMessage(connection),
        new StatusBar(connection),
        ...(participant !== undefined ? [participant] : []),
        vscode.commands.registerCommand('codeassist.openChat', () => chat.show()),
        vscode.commands.registerCommand('codeassist.showLog', () => log.show(true)),
        vscode.commands.registerCommand('codeassist.restartServer', () => connection?.restart()),
        vscode.commands.registerCommand('codeassist.toggleCompletions', toggleCompletions),
    );
    // Not awaited: activation does not wait for the server, and commands say when it is still starting.
    void connection.start();
}

export async function deactivate(): Promise<void> {
    await connection?.dispose();
    connection = undefined;
}

/** Pauses or resumes completions through the `codeassist.completion.enabled` setting, which the server follows. */
async function toggleCompletions(): Promise<void> {
    const configuration = vscode.workspace.getConfiguration('codeassist');
    const enabled = configuration.get<boolean>('completion.enabled', true);
    const targets = {
        global: vscode.ConfigurationTarget.Global,
        workspace: vscode.ConfigurationTarget.Workspace,
        workspaceFolder: vscode.ConfigurationTarget.WorkspaceFolder,
    };
    await configuration.update('completion.enabled', !enabled, targets[toggleTarget(configuration.inspect('completion.enabled'))]);
}
