import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseServerLogLine } from '../../src/serverLog';

describe('parseServerLogLine', () => {
    it('reads the level and text of the server\'s own lines', () => {
        assert.deepEqual(parseServerLogLine('[14:14:10.167 info] Indexed 33 files (1378 lines), skipped 0'),
            { level: 'info', text: 'Indexed 33 files (1378 lines), skipped 0' });
        assert.deepEqual(parseServerLogLine('[09:00:01 warning] Setting \'exclude\' has an invalid value'),
            { level: 'warning', text: 'Setting \'exclude\' has an invalid value' });
    });

    it('keeps every other line whole, without a level', () => {
        assert.deepEqual(parseServerLogLine('llama_model_load: error loading model'), { level: undefined, text: 'llama_model_load: error loading model' });
        assert.deepEqual(parseServerLogLine('[note] something'), { level: undefined, text: '[note] something' });
        assert.deepEqual(parseServerLogLine('Unhandled exception. System.InvalidOperationException: boom'),
            { level: undefined, text: 'Unhandled exception. System.InvalidOperationException: boom' });
    });
});
