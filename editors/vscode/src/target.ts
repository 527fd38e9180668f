import * as vscode from 'vscode';
import { BaseLanguageClient, CodeActionRequest, Command } from 'vscode-languageclient/node';
import { locationLabel } from './conversation';
import { CodeActionArgument, Range, ServerCommands } from './protocol';

/** The code a command works on: a code action's argument, or the active editor's selection. */
export interface Target {
    uri: string;
    range: Range;
    languageId: string;
    /** `src/Lending.cs:12-14`. */
    label: string;
}

export class NoTargetError extends Error {}

export async function targetOf(client: BaseLanguageClient, argument: unknown, token?: vscode.CancellationToken): Promise<Target> {
    if (isCodeActionArgument(argument)) {
        const document = vscode.workspace.textDocuments.find(open => open.uri.toString() === argument.textDocument.uri);
        return withLabel({ uri: argument.textDocument.uri, range: argument.range, languageId: document?.languageId ?? '' });
    }
    const editor = vscode.window.activeTextEditor;
    if (editor === undefined) {
        throw new NoTargetError('Open a file and select the code first.');
    }
    const uri = editor.document.uri.toString();
    const selection = editor.selection;
    let range: Range = {
        start: { line: selection.start.line, character: selection.start.character },
        end: { line: selection.end.line, character: selection.end.character },
    };
    if (selection.isEmpty) {
        range = await memberAt(client, uri, range, token) ?? range;
    }
    return withLabel({ uri, range, languageId: editor.document.languageId });
}

/**
 * With nothing selected, the member at the cursor: the range the server's code actions are offered for (docs/protocol.md,
 * "Code actions and commands"). Undefined when the server offers none there.
 */
async function memberAt(client: BaseLanguageClient, uri: string, cursor: Range, token?: vscode.CancellationToken): Promise<Range | undefined> {
    const actions = await client.sendRequest(CodeActionRequest.type, {
        textDocument: { uri }, range: cursor, context: { diagnostics: [], only: ['refactor.codeassist'] },
    }, token);
    const serverCommands: readonly string[] = Object.values(ServerCommands);
    for (const action of actions ?? []) {
        // A Command, or a CodeAction that carries one.
        const command = typeof action.command === 'string' ? action as Command : action.command;
        const argument = command?.arguments?.[0];
        if (command !== undefined && serverCommands.includes(command.command) && isCodeActionArgument(argument)) {
            return argument.range;
        }
    }
    return undefined;
}

function withLabel(target: Omit<Target, 'label'>): Target {
    const folders = (vscode.workspace.workspaceFolders ?? []).map(folder => folder.uri.fsPath);
    return { ...target, label: locationLabel(target.uri, target.range, folders) };
}

function isCodeActionArgument(value: unknown): value is CodeActionArgument {
    const candidate = value as CodeActionArgument | undefined;
    return typeof candidate?.textDocument?.uri === 'string' && typeof candidate.range?.start?.line === 'number';
}
