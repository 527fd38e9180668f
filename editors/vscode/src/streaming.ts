import * as vscode from 'vscode';
import { BaseLanguageClient, ProgressType } from 'vscode-languageclient/node';
import { TextChunk } from './protocol';

/**
 * A long `codeassist/*` request whose text arrives in `$/progress` chunks under its `partialResultToken`
 * (docs/protocol.md, "Streaming"). The final result is the authority; the chunks are for showing it as it comes.
 * Cancelling the token sends `$/cancelRequest`, which stops the model at once.
 */
const textChunk = new ProgressType<TextChunk>();
let requests = 0;

export async function streamRequest<R>(
    client: BaseLanguageClient, method: string, params: object, onText: (text: string) => void, token: vscode.CancellationToken): Promise<R> {
    const partialResultToken = `codeassist-${process.pid}-${++requests}`;
    const listener = client.onProgress(textChunk, partialResultToken, value => {
        if (typeof value?.text === 'string' && !token.isCancellationRequested) {
            onText(value.text);
        }
    });
    try {
        return await client.sendRequest<R>(method, { ...params, partialResultToken }, token);
    } finally {
        listener.dispose();
    }
}
