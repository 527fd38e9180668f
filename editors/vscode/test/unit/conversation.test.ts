import assert from 'node:assert/strict';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { chatParams, Conversation, locationLabel } from '../../src/conversation';

const range = (startLine: number, startCharacter: number, endLine: number, endCharacter: number) =>
    ({ start: { line: startLine, character: startCharacter }, end: { line: endLine, character: endCharacter } });

describe('Conversation', () => {
    it('asks with every earlier turn, the question last, and records a turn only once it is answered', () => {
        const conversation = new Conversation();
        assert.deepEqual(conversation.ask('Where are overdue loans found?'),
            { messages: [{ role: 'user', content: 'Where are overdue loans found?' }] });
        assert.equal(conversation.messages.length, 0);
        conversation.answered('Where are overdue loans found?', 'In LendingService.Overdue.');
        const selection = range(3, 0, 9, 1);
        assert.deepEqual(conversation.ask('And who calls it?', { uri: 'file:///repo/a.cs', range: selection }), {
            messages: [
                { role: 'user', content: 'Where are overdue loans found?' },
                { role: 'assistant', content: 'In LendingService.Overdue.' },
                { role: 'user', content: 'And who calls it?' },
            ],
            textDocument: { uri: 'file:///repo/a.cs' },
            range: selection,
        });
    });

    it('sends a whole attached file without a range', () => {
        assert.deepEqual(chatParams([], 'What is this?', { uri: 'file:///repo/a.cs' }),
            { messages: [{ role: 'user', content: 'What is this?' }], textDocument: { uri: 'file:///repo/a.cs' } });
    });
});

describe('locationLabel', () => {
    const root = path.resolve('/work/repo');
    const uri = (relative: string) => pathToFileURL(path.join(root, relative)).toString();

    it('shows the path relative to its workspace folder and 1-based lines', () => {
        assert.equal(locationLabel(uri('src/Lending Service.cs'), range(11, 4, 13, 5), [root]), 'src/Lending Service.cs:12-14');
        assert.equal(locationLabel(uri('src/A.cs'), range(0, 0, 0, 10), [root]), 'src/A.cs:1');
    });

    it('does not count the line a range ends at the start of', () => {
        assert.equal(locationLabel(uri('src/A.cs'), range(4, 0, 7, 0), [root]), 'src/A.cs:5-7');
    });

    it('keeps the absolute path outside the workspace folders, including a sibling that shares the prefix', () => {
        const sibling = pathToFileURL(path.resolve('/work/repo-old/A.cs')).toString();
        assert.equal(locationLabel(sibling, range(1, 0, 1, 3), [root]), `${path.resolve('/work/repo-old/A.cs')}:2`);
    });

    it('shows a URI that is not a file as it is', () => {
        assert.equal(locationLabel('untitled:Untitled-1', range(0, 0, 0, 0), [root]), 'untitled:Untitled-1');
    });
});
