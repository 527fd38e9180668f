import * as vscode from 'vscode';
import { message, ServerConnection } from './connection';
import { Attachment, chatParams } from './conversation';
import { describeError } from './errors';
import { Answer, ChatMessage, Methods } from './protocol';
import { streamRequest } from './streaming';
import { targetOf } from './target';

const participantId = 'codeassist.chat';

/**
 * `@codeassist` in VS Code's chat view: a question goes to `codeassist/chat` with the earlier turns of this
 * participant and the code the user attached (a selection or a file); `/explain` explains the active editor's
 * selection. Answers stream into the view; the repository locations the model was given are listed as references.
 * Returns undefined where the chat API is absent (the chat panel serves there).
 */
export function registerChatParticipant(connection: ServerConnection): vscode.Disposable | undefined {
    if (typeof vscode.chat?.createChatParticipant !== 'function') {
        return undefined;
    }
    const participant = vscode.chat.createChatParticipant(participantId, async (request, context, stream, token) => {
        let streamed = false;
        const onText = (text: string) => {
            streamed = true;
            stream.markdown(text);
        };
        try {
            const client = connection.client();
            let answer: Answer;
            if (request.command === 'explain') {
                const target = await targetOf(client, undefined, token);
                stream.progress(`Explaining ${target.label}…`);
                answer = await streamRequest<Answer>(client, Methods.explain, { textDocument: { uri: target.uri }, range: target.range }, onText, token);
            } else {
                const params = chatParams(history(context), request.prompt, attachmentOf(request.references));
                answer = await streamRequest<Answer>(client, Methods.chat, params, onText, token);
            }
            if (!streamed) {
                stream.markdown(answer.text);
            }
            for (const reference of answer.references) {
                const { start, end } = reference.range;
                stream.reference(new vscode.Location(vscode.Uri.parse(reference.uri),
                    new vscode.Range(start.line, start.character, end.line, end.character)));
            }
            return {};
        } catch (error) {
            connection.log.warn(`@codeassist: ${message(error)}`);
            const text = describeError('answer', error);
            return text === undefined ? {} : { errorDetails: { message: text } };
        }
    });
    participant.iconPath = new vscode.ThemeIcon('sparkle');
    return participant;
}

/** Earlier turns with this participant, as chat messages. */
function history(context: vscode.ChatContext): ChatMessage[] {
    const messages: ChatMessage[] = [];
    for (const turn of context.history) {
        if (turn.participant !== participantId) {
            continue;
        }
        if (turn instanceof vscode.ChatRequestTurn) {
            messages.push({ role: 'user', content: turn.prompt });
        } else if (turn instanceof vscode.ChatResponseTurn) {
            const text = turn.response
                .filter((part): part is vscode.ChatResponseMarkdownPart => part instanceof vscode.ChatResponseMarkdownPart)
                .map(part => part.value.value)
                .join('');
            messages.push({ role: 'assistant', content: text });
        }
    }
    return messages;
}

/** The first attached selection or file (`#selection`, `#file`, the implicit context of the active editor). */
function attachmentOf(references: readonly vscode.ChatPromptReference[]): Attachment | undefined {
    for (const reference of references) {
        const value = reference.value;
        if (value instanceof vscode.Location) {
            const { start, end } = value.range;
            return {
                uri: value.uri.toString(),
                range: { start: { line: start.line, character: start.character }, end: { line: end.line, character: end.character } },
            };
        }
        if (value instanceof vscode.Uri && value.scheme === 'file') {
            return { uri: value.toString() };
        }
    }
    return undefined;
}
