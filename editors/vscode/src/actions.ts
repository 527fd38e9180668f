import * as vscode from 'vscode';
import { BaseLanguageClient } from 'vscode-languageclient/node';
import { ChatPanel } from './chatPanel';
import { ServerConnection } from './connection';
import { reportError } from './errors';
import { DocumentResult, GenerateTestsResult, Methods, ServerCommands, TranslateResult } from './protocol';
import { streamRequest } from './streaming';
import { Target, targetOf } from './target';
import { targetsFrom, translationTargets } from './translation';

/**
 * Explain, Add documentation, Generate tests, Translate to… and Ask about this code, from the command palette and the
 * editor's context menu (on the selection, or the member at the cursor) and from the server's code actions (on the
 * range they carry). Each runs its `codeassist/*` request here, to show the result VS Code's way: explanations in the
 * chat panel, documentation and tests as workspace edits, translations in a new editor.
 */
export class Actions {
    constructor(private readonly _connection: ServerConnection, private readonly _chat: ChatPanel) {}

    register(): vscode.Disposable {
        const command = (id: string, action: (argument?: unknown) => Promise<unknown>, description: string) =>
            vscode.commands.registerCommand(id, (argument?: unknown) => this.guard(description, () => action(argument)));
        return vscode.Disposable.from(
            command('codeassist.explainSelection', argument => this.explain(argument), 'explain this code'),
            command('codeassist.documentSelection', argument => this.document(argument), 'document this code'),
            command('codeassist.generateTestsForSelection', argument => this.generateTests(argument), 'generate tests'),
            command('codeassist.translateSelection', argument => this.translate(argument), 'translate this code'),
            command('codeassist.askAboutSelection', argument => this.ask(argument), 'attach this code to the chat'),
        );
    }

    /** For the language client's executeCommand middleware: the server's code-action commands run here. */
    handleServerCommand(command: string, args: unknown[]): Thenable<unknown> | undefined {
        const argument = args[0];
        switch (command) {
            case ServerCommands.explain: return this.guard('explain this code', () => this.explain(argument));
            case ServerCommands.document: return this.guard('document this code', () => this.document(argument));
            case ServerCommands.generateTests: return this.guard('generate tests', () => this.generateTests(argument));
            case ServerCommands.translate: return this.guard('translate this code', () => this.translate(argument));
            default: return undefined;
        }
    }

    private async explain(argument: unknown): Promise<void> {
        await this._chat.explain(await targetOf(this._connection.client(), argument));
    }

    private async ask(argument: unknown): Promise<void> {
        this._chat.attach(await targetOf(this._connection.client(), argument));
    }

    private async document(argument: unknown): Promise<void> {
        const client = this._connection.client();
        const target = await targetOf(client, argument);
        const result = await withModelProgress(`Documenting ${target.label}`, (onText, token) =>
            streamRequest<DocumentResult>(client, Methods.document, { ...selection(target), overwrite: false }, onText, token));
        await applyEdit(client, result.edit);
        const skipped = result.skipped ?? [];
        if (result.documented.length > 0) {
            void vscode.window.showInformationMessage(`CodeAssist documented ${result.documented.join(', ')}.`);
        }
        if (skipped.length > 0) {
            void vscode.window.showWarningMessage(`CodeAssist left undocumented: ${skipped.join('; ')}.`);
        } else if (result.documented.length === 0) {
            void vscode.window.showInformationMessage(`Everything in ${target.label} is documented already.`);
        }
    }

    private async generateTests(argument: unknown): Promise<void> {
        const client = this._connection.client();
        const target = await targetOf(client, argument);
        const result = await withModelProgress(`Writing tests for ${target.label}`, (onText, token) =>
            streamRequest<GenerateTestsResult>(client, Methods.generateTests, selection(target), onText, token));
        await applyEdit(client, result.edit);
        await vscode.window.showTextDocument(vscode.Uri.parse(result.uri), { preview: false });
        if (!result.compiles) {
            void vscode.window.showWarningMessage(
                `The ${result.framework} tests do not compile yet after ${result.rounds} repair rounds ` +
                `(${result.diagnostics.length} diagnostics); fix them in the editor.`);
        }
    }

    private async translate(argument: unknown): Promise<void> {
        const client = this._connection.client();
        const target = await targetOf(client, argument);
        const language = (argument as { language?: unknown } | undefined)?.language;
        const chosen = typeof language === 'string' ? language : await pickLanguage(target);
        if (chosen === undefined) {
            return;
        }
        const label = translationTargets.find(candidate => candidate.language === chosen)?.label ?? chosen;
        const result = await withModelProgress(`Translating ${target.label} to ${label}`, (onText, token) =>
            streamRequest<TranslateResult>(client, Methods.translate, { ...selection(target), language: chosen }, onText, token));
        const known = await vscode.languages.getLanguages();
        const document = await vscode.workspace.openTextDocument({
            content: result.text, language: known.includes(result.language) ? result.language : 'plaintext',
        });
        await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: false });
        if (result.compiles === false) {
            void vscode.window.showWarningMessage(`The ${label} translation does not compile yet (${result.diagnostics.length} diagnostics).`);
        }
    }

    private async guard(description: string, action: () => Promise<unknown>): Promise<unknown> {
        try {
            return await action();
        } catch (error) {
            await reportError(this._connection.log, description, error);
            return undefined;
        }
    }
}

function selection(target: Target) {
    return { textDocument: { uri: target.uri }, range: target.range };
}

async function pickLanguage(target: Target): Promise<string | undefined> {
    const picked = await vscode.window.showQuickPick(
        targetsFrom(target.languageId).map(candidate => ({ label: candidate.label, description: candidate.language, language: candidate.language })),
        { title: `Translate ${target.label} to…`, placeHolder: 'Language' });
    return picked?.language;
}

/** A cancellable notification while the model writes, counting what it has written so far. */
function withModelProgress<R>(title: string, work: (onText: (text: string) => void, token: vscode.CancellationToken) => Promise<R>): Thenable<R> {
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
        let written = 0;
        return work(text => {
            written += text.length;
            progress.report({ message: `${written} characters` });
        }, token);
    });
}

async function applyEdit(client: BaseLanguageClient, edit: object): Promise<void> {
    const converted = await client.protocol2CodeConverter.asWorkspaceEdit(edit);
    // VS Code reports an empty edit as not applied; the server sends one when the model wrote nothing usable.
    if (converted.size === 0) {
        return;
    }
    if (!await vscode.workspace.applyEdit(converted)) {
        throw new Error('VS Code did not apply the edit: the document changed while the model was writing. Try again.');
    }
}
