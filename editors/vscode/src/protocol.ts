/**
 * The `codeassist/*` methods this client calls, with their params and results as docs/protocol.md defines them. Plain
 * LSP shapes (positions in UTF-16 code units); conversion to VS Code types happens where they are used.
 */

export interface Position {
    line: number;
    character: number;
}

export interface Range {
    start: Position;
    end: Position;
}

export interface TextDocumentIdentifier {
    uri: string;
}

export const Methods = {
    status: 'codeassist/status',
    didShowCompletion: 'codeassist/didShowCompletion',
    didPartiallyAcceptCompletion: 'codeassist/didPartiallyAcceptCompletion',
    chat: 'codeassist/chat',
    explain: 'codeassist/explain',
    document: 'codeassist/document',
    generateTests: 'codeassist/generateTests',
    translate: 'codeassist/translate',
    commitMessage: 'codeassist/commitMessage',
} as const;

/** The commands the server's code actions carry; the client runs their requests itself to show the results. */
export const ServerCommands = {
    explain: 'codeassist.explain',
    document: 'codeassist.document',
    generateTests: 'codeassist.generateTests',
    translate: 'codeassist.translate',
    didAcceptCompletion: 'codeassist.didAcceptCompletion',
} as const;

/** The argument of a code action's command: the selection (or the member at the cursor) it was offered for. */
export interface CodeActionArgument {
    textDocument: { uri: string; version?: number | null };
    range: Range;
    language?: string;
}

/** `$/progress` value of a streamed request: the next chunk of the result's text. */
export interface TextChunk {
    text: string;
}

export interface CompletionNotice {
    completionId: string;
}

export interface PartialAcceptNotice extends CompletionNotice {
    acceptedLength: number;
}

export interface ChatMessage {
    role: 'user' | 'assistant' | 'system';
    content: string;
}

export interface ChatParams {
    messages: ChatMessage[];
    textDocument?: TextDocumentIdentifier;
    range?: Range;
    budgetTokens?: number;
}

export interface Reference {
    uri: string;
    range: Range;
    reason: string;
}

/** The answer of `codeassist/chat` and `codeassist/explain`. */
export interface Answer {
    text: string;
    references: Reference[];
}

export interface SelectionParams {
    textDocument: TextDocumentIdentifier;
    range: Range;
}

export interface DocumentParams extends SelectionParams {
    overwrite: boolean;
}

/** An LSP WorkspaceEdit, converted by the language client's protocol converter. */
export type WorkspaceEditJson = object;

export interface DocumentResult {
    edit: WorkspaceEditJson;
    documented: string[];
    /** Members left alone, each with why (the model wrote nothing usable, …). */
    skipped?: string[];
}

export interface GenerateTestsResult {
    uri: string;
    text: string;
    framework: string;
    compiles: boolean;
    rounds: number;
    diagnostics: unknown[];
    edit: WorkspaceEditJson;
}

export interface TranslateParams extends SelectionParams {
    language: string;
}

export interface TranslateResult {
    text: string;
    language: string;
    compiles: boolean | null;
    rounds: number;
    diagnostics: unknown[];
}

export interface CommitMessageResult {
    subject: string;
    body: string;
    source: string;
    apiChanges: { kind: string; symbol: string; oldSymbol?: string; file: string }[];
    notes: string[];
}

export interface Status {
    version: string;
    workspaceFolders: string[];
    index?: { state: 'notStarted' | 'indexing' | 'ready'; filesIndexed: number; filesSkipped: number; lines: number };
    model?: {
        state: 'none' | 'loading' | 'ready' | 'failed';
        backend?: string;
        path?: string | null;
        name?: string | null;
        contextSize?: number | null;
        fimFamily?: string | null;
        error?: string | null;
    };
    completion?: { enabled: boolean; unavailable: string | null; shown: number; accepted: number };
}
