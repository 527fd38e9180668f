/**
 * The part of VS Code's proposed API `inlineCompletionsAdditions` this extension uses: the events that tell a provider
 * an item is on screen and how much of it was accepted word by word or line by line. VS Code allows them only where the
 * proposal is enabled for the extension (code-server enables proposals for every extension; VS Code itself with
 * `--enable-proposed-api codeassist.codeassist` or the same key in argv.json).
 */
declare module 'vscode' {
    export interface InlineCompletionItemProvider {
        handleDidShowCompletionItem?(completionItem: InlineCompletionItem, updatedInsertText: string): void;
        /** Called twice per partial accept: with the accepted length (deprecated form) and with PartialAcceptInfo. */
        handleDidPartiallyAcceptCompletionItem?(completionItem: InlineCompletionItem, info: number | PartialAcceptInfo): void;
    }

    export interface PartialAcceptInfo {
        /** Word, line or other (VS Code's PartialAcceptTriggerKind). */
        kind: number;
        /** UTF-16 code units of the item's insert text accepted so far. */
        acceptedLength: number;
    }
}
