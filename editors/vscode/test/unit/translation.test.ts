import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { targetsFrom } from '../../src/translation';

describe('targetsFrom', () => {
    it('offers every language the translator knows but the source one', () => {
        const targets = targetsFrom('csharp').map(target => target.language);
        assert.deepEqual(targets, ['java', 'python', 'typescript', 'go', 'cpp', 'rust']);
        assert.equal(targetsFrom('markdown').length, 7);
    });
});
