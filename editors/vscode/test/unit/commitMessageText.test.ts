import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commitMessageText } from '../../src/commitMessageText';

describe('commitMessageText', () => {
    it('puts a blank line between subject and body, and none without a body', () => {
        assert.equal(commitMessageText({ subject: 'Rename Lend to Checkout ', body: '\nCallers move too.\n' }), 'Rename Lend to Checkout\n\nCallers move too.');
        assert.equal(commitMessageText({ subject: 'Fix typo', body: '  ' }), 'Fix typo');
    });
});
