import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import {
    ClientCapabilities,
    DocumentSelector,
    FeatureClient,
    InlineCompletionOptions,
    InlineCompletionRegistrationOptions,
    InlineCompletionRequest,
    ServerCapabilities,
    TextDocumentLanguageFeature,
} from 'vscode-languageclient/node';
import { completionIdOf, PartialAccepts } from './completionEvents';
import { CompletionNotice, Methods, PartialAcceptNotice } from './protocol';

/**
 * Ghost text from `textDocument/inlineCompletion`, in place of the language client's own provider, which cannot tell
 * the server which items were shown and how much of them was accepted word by word or line by line. Accepting,
 * cycling and dismissing are VS Code's own inline-suggest commands; accepting a whole item runs its
 * `codeassist.didAcceptCompletion` command, which the language client forwards to the server.
 */
export class GhostTextFeature extends TextDocumentLanguageFeature<
    boolean | InlineCompletionOptions, InlineCompletionRegistrationOptions, vscode.InlineCompletionItemProvider, object> {

    constructor(client: FeatureClient<object>, private readonly _log: vscode.LogOutputChannel) {
        super(client, InlineCompletionRequest.type);
    }

    fillClientCapabilities(capabilities: ClientCapabilities): void {
        ((capabilities.textDocument ??= {}).inlineCompletion ??= {}).dynamicRegistration = true;
    }

    initialize(capabilities: ServerCapabilities, documentSelector: DocumentSelector): void {
        const options = this.getRegistrationOptions(documentSelector, capabilities.inlineCompletionProvider);
        if (options !== undefined) {
            this.register({ id: randomUUID(), registerOptions: options });
        }
    }

    protected registerLanguageProvider(options: InlineCompletionRegistrationOptions): [vscode.Disposable, vscode.InlineCompletionItemProvider] {
        const client = this._client;
        const selector = client.protocol2CodeConverter.asDocumentSelector(options.documentSelector ?? []);
        const provider: vscode.InlineCompletionItemProvider = {
            provideInlineCompletionItems: async (document, position, context, token) => {
                try {
                    const params = client.code2ProtocolConverter.asInlineCompletionParams(document, position, context);
                    const result = await client.sendRequest(InlineCompletionRequest.type, params, token);
                    return token.isCancellationRequested ? undefined : await client.protocol2CodeConverter.asInlineCompletionResult(result, token);
                } catch (error) {
                    // Failures go to the log, not to a notification on every keystroke.
                    return client.handleFailedRequest(InlineCompletionRequest.type, token, error, undefined, false);
                }
            },
        };
        const partialAccepts = new PartialAccepts();
        const notify = (method: string, notice: CompletionNotice | PartialAcceptNotice) => {
            client.sendNotification(method, notice).catch(error => this._log.warn(`${method}: ${error}`));
        };
        const withEvents: vscode.InlineCompletionItemProvider = {
            ...provider,
            handleDidShowCompletionItem: item => {
                const completionId = completionIdOf(item.command);
                if (completionId !== undefined) {
                    notify(Methods.didShowCompletion, { completionId });
                }
            },
            handleDidPartiallyAcceptCompletionItem: (item, info) => {
                const completionId = completionIdOf(item.command);
                const acceptedLength = partialAccepts.record(item, info);
                if (completionId !== undefined && acceptedLength !== undefined) {
                    notify(Methods.didPartiallyAcceptCompletion, { completionId, acceptedLength });
                }
            },
        };
        try {
            return [vscode.languages.registerInlineCompletionItemProvider(selector, withEvents), withEvents];
        } catch (error) {
            // VS Code refuses the event handlers unless the proposed API is enabled for this extension.
            this._log.warn('Ghost text works, but the server will not hear which suggestions were shown or partially accepted: ' +
                `${error instanceof Error ? error.message : error}`);
            return [vscode.languages.registerInlineCompletionItemProvider(selector, provider), provider];
        }
    }
}
