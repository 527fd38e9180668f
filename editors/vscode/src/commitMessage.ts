import * as vscode from 'vscode';
import { ServerConnection } from './connection';
import { reportError } from './errors';
import { commitMessageText } from './commitMessageText';
import { CommitMessageResult, Methods } from './protocol';

/** The part of the built-in git extension's API (`vscode.git`, API version 1) this command uses. */
interface GitApi {
    readonly repositories: readonly GitRepository[];
    getRepository(uri: vscode.Uri): GitRepository | null;
}

interface GitRepository {
    readonly rootUri: vscode.Uri;
    readonly inputBox: { value: string };
}

/**
 * "Generate commit message" in the Source Control title bar: asks `codeassist/commitMessage` about the repository's
 * staged changes (or unstaged ones when nothing is staged) and fills its commit input box.
 */
export function registerCommitMessage(connection: ServerConnection): vscode.Disposable {
    return vscode.commands.registerCommand('codeassist.generateCommitMessage', async (sourceControl?: { rootUri?: vscode.Uri }) => {
        try {
            const repository = await repositoryFor(sourceControl?.rootUri ?? vscode.window.activeTextEditor?.document.uri);
            const client = connection.client();
            const result = await vscode.window.withProgress(
                { location: vscode.ProgressLocation.SourceControl, title: 'Writing a commit message' },
                () => client.sendRequest<CommitMessageResult>(Methods.commitMessage, { uri: repository.rootUri.toString() }));
            repository.inputBox.value = commitMessageText(result);
            if (result.notes.length > 0) {
                void vscode.window.showInformationMessage(`CodeAssist: ${result.notes.join('; ')}`);
            }
        } catch (error) {
            await reportError(connection.log, 'write a commit message', error);
        }
    });
}

async function repositoryFor(uri: vscode.Uri | undefined): Promise<GitRepository> {
    const extension = vscode.extensions.getExtension<{ getAPI(version: 1): GitApi }>('vscode.git');
    if (extension === undefined) {
        throw new Error('the built-in git extension is disabled.');
    }
    const git = (extension.isActive ? extension.exports : await extension.activate()).getAPI(1);
    const repository = (uri !== undefined ? git.getRepository(uri) : null) ?? (git.repositories.length === 1 ? git.repositories[0] : undefined);
    if (repository === undefined) {
        throw new Error(git.repositories.length === 0
            ? 'no git repository is open.'
            : 'choose the repository: run this from its Source Control title bar, or with one of its files active.');
    }
    return repository;
}
