import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChatMessage, ChatParams, Range } from './protocol';

/**
 * The turns of one chat, as `codeassist/chat` takes them: every earlier question and answer, then the new question,
 * with the selection it is about when there is one.
 */
export interface Attachment {
    uri: string;
    /** Absent for a whole file. */
    range?: Range;
}

export class Conversation {
    private readonly _messages: ChatMessage[] = [];

    /** The params for a new question (the turn is recorded only once answered). */
    ask(question: string, attachment?: Attachment): ChatParams {
        return chatParams(this._messages, question, attachment);
    }

    /** Records a finished turn, so the next question is asked with it. */
    answered(question: string, answer: string): void {
        this._messages.push({ role: 'user', content: question }, { role: 'assistant', content: answer });
    }

    get messages(): readonly ChatMessage[] {
        return this._messages;
    }
}

export function chatParams(history: readonly ChatMessage[], question: string, attachment?: Attachment): ChatParams {
    const params: ChatParams = { messages: [...history, { role: 'user', content: question }] };
    if (attachment !== undefined) {
        params.textDocument = { uri: attachment.uri };
        if (attachment.range !== undefined) {
            params.range = attachment.range;
        }
    }
    return params;
}

/** `src/Lending.cs:12-14`: a location as people read it, relative to the workspace folder that holds it (1-based lines). */
export function locationLabel(uri: string, range: Range, workspaceFolders: readonly string[]): string {
    let file: string;
    try {
        file = fileURLToPath(uri);
    } catch {
        return uri;
    }
    const folder = workspaceFolders.find(root => file === root || file.startsWith(root.endsWith(path.sep) ? root : root + path.sep));
    const shown = folder === undefined ? file : path.relative(folder, file).split(path.sep).join('/');
    const first = range.start.line + 1;
    // A range that ends at the start of a line does not include that line.
    const last = range.end.character === 0 && range.end.line > range.start.line ? range.end.line : range.end.line + 1;
    return first === last ? `${shown}:${first}` : `${shown}:${first}-${last}`;
}
