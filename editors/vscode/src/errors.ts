import * as vscode from 'vscode';
import { ErrorCodes, LSPErrorCodes, ResponseError } from 'vscode-languageclient/node';
import { message, ServerNotRunningError } from './connection';

/**
 * How a failure reads to the user. A cancelled request is no failure (undefined). The server's RequestFailed (-32803)
 * is worded for the user (no model, an empty selection, not a repository) and is shown as it is; a method the server
 * does not know means an older server; anything else says what failed and why.
 */
export function describeError(action: string, error: unknown): string | undefined {
    if ((error instanceof ResponseError && error.code === LSPErrorCodes.RequestCancelled) || error instanceof vscode.CancellationError) {
        return undefined;
    }
    if (error instanceof ResponseError && error.code === LSPErrorCodes.RequestFailed) {
        return `CodeAssist: ${error.message}`;
    }
    if (error instanceof ResponseError && error.code === ErrorCodes.MethodNotFound) {
        return `CodeAssist: this server cannot ${action} yet (${error.message}); update codeassist.`;
    }
    if (error instanceof ServerNotRunningError) {
        return error.message;
    }
    return `CodeAssist could not ${action}: ${message(error)}`;
}

/** Logs a failed command and shows it, with the log at hand. */
export async function reportError(log: vscode.LogOutputChannel, action: string, error: unknown): Promise<void> {
    const text = describeError(action, error);
    if (text === undefined) {
        return;
    }
    log.error(`${action}: ${message(error)}`);
    if (await vscode.window.showErrorMessage(text, 'Show log') === 'Show log') {
        log.show(true);
    }
}
