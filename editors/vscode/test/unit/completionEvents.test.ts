import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { completionIdOf, PartialAccepts } from '../../src/completionEvents';

describe('completionIdOf', () => {
    it('reads the id from the argument of the accept command the server sent', () => {
        assert.equal(completionIdOf({ arguments: [{ completionId: 'c42.0' }] }), 'c42.0');
    });

    it('gives nothing for items without the server command or with another argument', () => {
        assert.equal(completionIdOf(undefined), undefined);
        assert.equal(completionIdOf({}), undefined);
        assert.equal(completionIdOf({ arguments: [] }), undefined);
        assert.equal(completionIdOf({ arguments: ['c42.0'] }), undefined);
        assert.equal(completionIdOf({ arguments: [{ completionId: 42 }] }), undefined);
        assert.equal(completionIdOf({ arguments: [null] }), undefined);
    });
});

describe('PartialAccepts', () => {
    it('reports each new accepted length once, although VS Code calls with the length and again with PartialAcceptInfo', () => {
        const accepts = new PartialAccepts();
        const item = {};
        assert.equal(accepts.record(item, 5), 5);
        assert.equal(accepts.record(item, { acceptedLength: 5 }), undefined);
        assert.equal(accepts.record(item, { acceptedLength: 12 }), 12);
        assert.equal(accepts.record(item, 12), undefined);
    });

    it('keeps items apart and ignores lengths that do not grow', () => {
        const accepts = new PartialAccepts();
        const first = {};
        const second = {};
        assert.equal(accepts.record(first, 0), undefined);
        assert.equal(accepts.record(first, 3), 3);
        assert.equal(accepts.record(second, 3), 3);
        assert.equal(accepts.record(first, 2), undefined);
    });
});
