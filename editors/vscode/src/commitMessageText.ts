import type { CommitMessageResult } from './protocol';

/** The subject, a blank line and the body, as git wants a message; no body, no blank line. */
export function commitMessageText(result: Pick<CommitMessageResult, 'subject' | 'body'>): string {
    const subject = result.subject.trim();
    const body = (result.body ?? '').trim();
    return body.length > 0 ? `${subject}\n\n${body}` : subject;
}
