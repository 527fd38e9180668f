import * as vscode from 'vscode';
import { ErrorCodes, LSPErrorCodes, ResponseError } from 'vscode-languageclient/node';
import { message, ServerNotRunningError } from './connection';

/**
 * How a failed command reaches the user. A cancelled request is no failure. The server's RequestFailed (-32803) is
 * worded for the user (no model, an empty selection, not a repository) and is shown as it is; anything else is shown
 * with the log at hand.
 */
export async function reportError(log: vscode.LogOutputChannel, action: string, error: unknown): Promise<void> {
    if (error instanceof ResponseError && error.code === LSPErrorCodes.RequestCancelled) {
        return;
    }
    if (error instanceof vscode.CancellationError) {
        return;
    }
    let text: string;
    if (error instanceof ResponseError && error.code === LSPErrorCodes.RequestFailed) {
        text = `CodeAssist: ${error.message}`;
    } else if (error instanceof ResponseError && error.code === ErrorCodes.MethodNotFound) {
        text = `CodeAssist: this server cannot ${action} yet (${error.message}); update codeassist.`;
    } else if (error instanceof ServerNotRunningError) {
        text = error.message;
    } else {
        text = `CodeAssist could not ${action}: ${message(error)}`;
    }
    log.error(`${action}: ${message(error)}`);
    if (await vscode.window.showErrorMessage(text, 'Show log') === 'Show log') {
        log.show(true);
    }
}
