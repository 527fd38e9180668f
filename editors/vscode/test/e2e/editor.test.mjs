// The extension in a real VS Code (code-server) driven through headless Chromium, against the real codeassist server
// and a random-weight model: a copy of samples/ as a git repository, typing in a C# file until ghost text comes,
// accepting it, chat, and the commit message. editors/vscode/test.sh prepares everything and sets the variables.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { readLogs, startCodeServer } from './support/codeServer.mjs';
import { launchBrowser, Workbench } from './support/workbench.mjs';

const repository = path.resolve(import.meta.dirname, '../../../..');
const variable = name => {
    const value = process.env[name];
    assert.ok(value, `${name} is not set: run editors/vscode/test.sh, which prepares the editor tests`);
    return path.resolve(repository, value);
};
// Screenshots for the README go to docs/images with CODEASSIST_SCREENSHOTS=docs/images.
const screenshots = path.resolve(repository, process.env.CODEASSIST_SCREENSHOTS ?? 'editors/vscode/out/screenshots');
const model = variable('CODEASSIST_TEST_MODEL');
// An undocumented member, written into the workspace, for the actions to work on (LateFee is on line 7).
const fees = `namespace Bookshelf.Services;

/// <summary>Fees a member owes.</summary>
public static class Fees
{
    public const decimal PerDay = 0.25m;
    public static decimal LateFee(int daysLate) => daysLate <= 0 ? 0m : daysLate * PerDay;
}
`;
const modelName = path.basename(model, '.gguf');

describe('the extension in VS Code (code-server)', { timeout: 600_000 }, () => {
    let home;
    let workspace;
    let codeServer;
    let browser;
    let workbench;

    before(async () => {
        home = fs.mkdtempSync(path.join(os.tmpdir(), 'codeassist-vscode-'));
        workspace = path.join(home, 'samples');
        fs.cpSync(path.join(repository, 'samples'), workspace, {
            recursive: true, filter: source => !['bin', 'obj', 'TestResults'].includes(path.basename(source)),
        });
        fs.writeFileSync(path.join(workspace, 'src/Bookshelf.Services/Fees.cs'), fees);
        git('init', '-q', '-b', 'main');
        git('add', '-A');
        git('-c', 'user.name=Test', '-c', 'user.email=test@example.com', 'commit', '-q', '-m', 'Add the Bookshelf sample');
        fs.mkdirSync(screenshots, { recursive: true });

        codeServer = await startCodeServer({
            node: variable('CODEASSIST_NODE24'),
            entry: variable('CODEASSIST_CODE_SERVER'),
            vsix: variable('CODEASSIST_VSIX'),
            home,
            machineSettings: {
                'codeassist.server.path': variable('CODEASSIST_DLL'),
                'codeassist.model': model,
            },
            settings: {
                'editor.inlineSuggest.enabled': true,
                // The suggest widget would change what the inline request is about; ghost text alone is under test.
                'editor.quickSuggestions': { other: false, comments: false, strings: false },
                'editor.suggestOnTriggerCharacters': false,
                'workbench.startupEditor': 'none',
                // Copilot's chat view would take a third of every screenshot.
                'workbench.secondarySideBar.defaultVisibility': 'hidden',
                'workbench.tips.enabled': false,
                'security.workspace.trust.enabled': false,
                'telemetry.telemetryLevel': 'off',
                'extensions.autoCheckUpdates': false,
                'extensions.autoUpdate': false,
                'git.autofetch': false,
                'git.openRepositoryInParentFolders': 'never',
            },
        });
        browser = await launchBrowser(variable('CHROMIUM'), path.join(home, 'chromium'));
        workbench = await Workbench.open(browser, codeServer.url, workspace);
        // The extension's status bar item appears when it activates; its commands are there from then on.
        await workbench.page.locator('[id="codeassist.codeassist.codeassist.status"]').waitFor({ timeout: 120_000 });
        // Requests never wait for indexing; the tests do, so that chat finds the declarations a question names.
        await workbench.statusItem(`${modelName} · CPU`).filter({ hasNotText: 'indexing' }).waitFor({ timeout: 180_000 });
    });

    after(async () => {
        await browser?.close();
        await codeServer?.stop();
        if (home !== undefined) {
            fs.rmSync(home, { recursive: true, force: true });
        }
    });

    function git(...args) {
        return execFileSync('git', args, { cwd: workspace, encoding: 'utf8' });
    }

    /** VS Code's logs (the CodeAssist output channel among them) when a step fails, so the failure says why. */
    function logs() {
        return `${readLogs(codeServer.logs, /CodeAssist|exthost/)}\n== code-server\n${codeServer.output()}`;
    }

    async function step(description, action) {
        try {
            return await action();
        } catch (error) {
            error.message += `\nwhile ${description}\n${logs()}`;
            throw error;
        }
    }

    /** Each test starts from a quiet workbench: no menu or quick pick open, no notifications left by the last one. */
    beforeEach(async () => {
        await workbench.page.keyboard.press('Escape');
        await workbench.page.keyboard.press('Escape');
        await workbench.command('Notifications: Clear All Notifications');
    });

    /**
     * Runs `action`, then waits for `done` unless an error notification of CodeAssist comes first, which fails the test
     * with its text (a missing server feature, a model error) instead of a time-out.
     */
    async function unlessFailed(description, action, done) {
        await action();
        const failure = workbench.errorNotification('CodeAssist');
        const outcome = await step(description, () => Promise.race([
            done().then(() => 'done'),
            failure.waitFor({ timeout: 180_000 }).then(() => 'failed'),
        ]));
        if (outcome === 'failed') {
            assert.fail(`${description}: ${await failure.innerText()}`);
        }
    }

    it('starts the server, which loads the model the settings name, and shows it in the status bar', { timeout: 180_000 }, async () => {
        const item = workbench.statusItem(`${modelName} · CPU`);
        await step('waiting for the status bar item', () => item.waitFor({ timeout: 120_000 }));
        await item.hover();
        const tooltip = workbench.page.locator('.monaco-hover', { hasText: 'Completions are on' });
        await tooltip.waitFor();
        assert.match(await tooltip.innerText(), new RegExp(`Model: ${modelName} on CPU`));
        await workbench.screenshot(path.join(screenshots, 'vscode-status.png'));
        await workbench.page.mouse.move(700, 400);
    });

    it('shows ghost text from the server while typing in a C# file, and Tab puts it into the document', { timeout: 240_000 }, async () => {
        const file = path.join(workspace, 'src/Bookshelf.Services/LendingService.cs');
        const original = fs.readFileSync(file, 'utf8');
        const line = 45;
        assert.equal(original.split('\n')[line - 1].trim(), 'var today = clock.Today;');
        await workbench.openFile('src/Bookshelf.Services/LendingService.cs');
        await workbench.endOfLine(line);
        await workbench.page.keyboard.press('Enter');
        await workbench.cursorOnLine(line + 1);
        const typed = 'var dueOn = today.';
        await workbench.page.keyboard.type(typed, { delay: 40 });

        // Ghost text shown while typing may still be on screen until the answer for the last keystroke replaces it (or,
        // when the compiler check held every candidate back, removes it): take the one that stays.
        const shown = await step('waiting for ghost text that stays', async () => {
            let last = '';
            let seen = 0;
            for (;;) {
                const text = (await workbench.ghostText().allTextContents()).join('');
                seen = text.trim().length > 0 && text === last ? seen + 1 : 0;
                last = text;
                if (seen === 4) return text;
                await workbench.page.waitForTimeout(250);
            }
        });
        await workbench.screenshot(path.join(screenshots, 'vscode-ghost-text.png'));

        // Accepting is asynchronous in VS Code: the cursor moving to the suggestion's end says it is in the document. (The
        // next suggestion, prepared while this one was shown, may appear at once: the ghost text need not go away.)
        const cursor = await workbench.cursor();
        await workbench.page.keyboard.press('Tab');
        await step('waiting for the suggestion in the document', () => workbench.cursorMovedFrom(cursor));
        const cursorAfter = await workbench.cursor();
        await workbench.page.keyboard.press('Control+S');
        await workbench.page.locator('.tab.active:not(.dirty)').waitFor();

        // The saved text is the original with the typed line and the accepted suggestion after line 45. code-server may
        // mark the tab saved before its write reaches the disk: wait for the accepted text there.
        let saved = fs.readFileSync(file, 'utf8');
        for (let waited = 0; waited < 10_000 && saved.length <= original.length + typed.length + 10; waited += 250) {
            await workbench.page.waitForTimeout(250);
            saved = fs.readFileSync(file, 'utf8');
        }
        const endOfLine = original.split('\n').slice(0, line).join('\n').length;
        const before = original.slice(0, endOfLine);
        const rest = original.slice(endOfLine);
        assert.ok(saved.startsWith(before), 'the text before the cursor changed');
        assert.ok(saved.endsWith(rest), 'the text after the cursor changed');
        const inserted = saved.slice(before.length, saved.length - rest.length);
        assert.match(inserted, /^\r?\n\s*var dueOn = today\./);
        const accepted = inserted.slice(inserted.indexOf(typed) + typed.length);
        // VS Code renders whitespace in ghost text its own way (non-breaking spaces, one element per line).
        const visible = text => text.replace(/[\s\u00a0]+/g, '');
        assert.ok(visible(accepted).length > 0, `nothing was accepted: the line is ${JSON.stringify(inserted)}, the ghost text was ${JSON.stringify(shown)}, the cursor ${cursor} → ${cursorAfter}\n${logs()}`);
        assert.equal(visible(accepted), visible(shown));
    });

    it('counts the shown and accepted suggestion in the server, as the status bar tooltip reports', { timeout: 60_000 }, async () => {
        const item = workbench.statusItem(`${modelName} · CPU`);
        // The status bar polls codeassist/status; hover until the tooltip carries the counts the server keeps (the
        // test's timeout ends the loop if they never come).
        await step('waiting for the counts', async () => {
            for (;;) {
                await item.hover();
                const tooltip = workbench.page.locator('.monaco-hover', { hasText: 'Suggestions since the server started' });
                await tooltip.waitFor();
                const counts = /(\d+) shown, (\d+) accepted/.exec(await tooltip.innerText());
                await workbench.page.mouse.move(700, 400);
                if (counts !== null && Number(counts[1]) >= 1 && Number(counts[2]) >= 1) {
                    return;
                }
                await workbench.page.waitForTimeout(1000);
            }
        });
    });

    it('answers a question in the chat panel as it is generated, with references that open their files', { timeout: 240_000 }, async () => {
        await workbench.command('CodeAssist: Open Chat');
        const chat = workbench.webview();
        const question = chat.locator('#question');
        await question.waitFor({ timeout: 60_000 });
        await question.fill('Where are overdue loans found?');
        await question.press('Enter');
        await chat.locator('.question', { hasText: 'Where are overdue loans found?' }).waitFor();
        const answer = chat.locator('.answer').last();
        await step('waiting for the answer', () => chat.locator('.answer:not(.pending)').last().waitFor({ timeout: 180_000 }));
        assert.equal(await answer.evaluate(element => element.classList.contains('error')), false, await answer.innerText());
        // The random-weight model's answer is noise, whitespace as often as not: what matters is that it arrived.
        assert.ok(await answer.evaluate(element => element.textContent.length) > 0, 'the answer is empty');
        const references = chat.locator('.turn').last().locator('.references a');
        assert.ok(await references.count() > 0, 'the answer lists no references');
        await workbench.screenshot(path.join(screenshots, 'vscode-chat.png'));
        const first = await references.first().innerText();
        await references.first().click();
        const name = first.split(':')[0].split('/').pop();
        await workbench.page.locator(`.tab.active[aria-label^="${name}"]`).waitFor({ timeout: 30_000 });
    });

    it('explains the member at the cursor in the chat panel (CodeAssist: Explain)', { timeout: 240_000 }, async () => {
        await workbench.openFile('src/Bookshelf.Services/LendingService.cs');
        await workbench.endOfLine(17);
        const chat = workbench.webview();
        // With nothing selected the extension asks the server's code actions for the member at the cursor (BorrowAsync).
        const question = chat.locator('.turn').last().locator('.question', { hasText: /^Explain src\/Bookshelf\.Services\/LendingService\.cs:15-\d+$/ });
        await unlessFailed('explaining', () => workbench.command('CodeAssist: Explain'), () => question.waitFor({ timeout: 180_000 }));
        const answer = chat.locator('.turn').last().locator('.answer');
        await step('waiting for the explanation', () => chat.locator('.turn').last().locator('.answer:not(.pending)').waitFor({ timeout: 180_000 }));
        assert.equal(await answer.evaluate(element => element.classList.contains('error')), false, await answer.innerText());
        // The random-weight model's explanation is noise, possibly empty; the locations it was given show it came.
        assert.ok(await chat.locator('.turn').last().locator('.references a').count() > 0, 'the explanation lists no references');
    });

    it('offers the server\'s code actions in the light bulb, and Add documentation reports what it documented', { timeout: 240_000 }, async () => {
        const file = path.join(workspace, 'src/Bookshelf.Services/InMemoryRepository.cs');
        const original = fs.readFileSync(file, 'utf8');
        await workbench.openFile('src/Bookshelf.Services/InMemoryRepository.cs');
        await workbench.startOfLine(17);
        const menu = workbench.page.locator('.action-widget');
        const item = title => menu.locator('.monaco-list-row.action', { hasText: title }).first();
        // Right after opening a file the menu can come up empty ("No code actions available"); ask again until the
        // server's actions are there (the test's timeout ends the loop if they never come).
        await step('waiting for the code actions', async () => {
            for (;;) {
                await workbench.page.keyboard.press('Control+.');
                try {
                    await item(/documentation/i).waitFor({ timeout: 10_000 });
                    return;
                } catch {
                    await workbench.page.keyboard.press('Escape');
                }
            }
        });
        const titles = await menu.locator('.monaco-list-row.action .title').allInnerTexts();
        for (const expected of [/explain/i, /documentation/i, /tests/i, /translate/i]) {
            assert.ok(titles.some(title => expected.test(title)), `no code action matches ${expected}: ${titles.join(', ')}`);
        }
        // The random-weight model may write nothing usable; the server then says so instead of editing.
        const outcome = workbench.notification(/CodeAssist documented|CodeAssist left undocumented/);
        await unlessFailed('documenting', () => item(/documentation/i).click(), () => outcome.waitFor({ timeout: 180_000 }));
        const text = await outcome.innerText();
        if (/CodeAssist documented/.test(text)) {
            await workbench.page.keyboard.press('Control+S');
            await workbench.page.locator('.tab.active:not(.dirty)').waitFor();
        }
        const saved = fs.readFileSync(file, 'utf8');
        assert.equal(saved.replace(/^\s*\/\/\/.*\n/gm, ''), original.replace(/^\s*\/\/\/.*\n/gm, ''), 'more than doc comments changed');
        if (/CodeAssist documented/.test(text)) {
            assert.match(saved, /\/\/\/.*\n\s*public Task<TEntity\?> FindAsync/);
        } else {
            assert.match(text, /FindAsync/);
            assert.equal(saved, original);
        }
    });

    it('writes tests for the member at the cursor into a new file of the test project (CodeAssist: Generate Tests)', { timeout: 240_000 }, async () => {
        await workbench.openFile('src/Bookshelf.Services/InMemoryRepository.cs');
        await workbench.startOfLine(17);
        const tab = workbench.page.locator('.tab.active', { hasText: /Tests?\.cs/ });
        await unlessFailed('generating tests', () => workbench.command('CodeAssist: Generate Tests'), () => tab.waitFor({ timeout: 180_000 }));
        const name = (await tab.getAttribute('aria-label')).split(',')[0];
        await workbench.page.keyboard.press('Control+S');
        await workbench.page.locator('.tab.active:not(.dirty)', { hasText: name }).waitFor();
        const written = fs.readdirSync(workspace, { recursive: true }).filter(file => path.basename(String(file)) === name);
        assert.equal(written.length, 1, `${name} is not in the workspace`);
        assert.match(String(written[0]), /^tests\//, 'the tests are not in the test project');
    });

    it('opens the translation in a new editor in the chosen language (CodeAssist: Translate to…)', { timeout: 240_000 }, async () => {
        await workbench.openFile('src/Bookshelf.Services/Fees.cs');
        await workbench.startOfLine(7);
        const python = workbench.page.locator('.quick-input-list .monaco-list-row', { hasText: 'Python' });
        await unlessFailed('asking for the language', () => workbench.command('CodeAssist: Translate to…'), () => python.waitFor({ timeout: 60_000 }));
        await unlessFailed('translating', () => python.click(),
            () => workbench.page.locator('.tab.active', { hasText: /^Untitled/ }).waitFor({ timeout: 180_000 }));
        await workbench.statusItem(/^Python$/).waitFor();
    });

    it('fills the commit message box from "Generate Commit Message" in the Source Control title bar', { timeout: 240_000 }, async () => {
        const genre = path.join(workspace, 'src/Bookshelf.Core/Genre.cs');
        fs.appendFileSync(genre, '\npublic static class GenreNames\n{\n    public static string Describe(Genre genre) => genre.ToString();\n}\n');
        git('add', 'src/Bookshelf.Core/Genre.cs');
        await workbench.page.keyboard.press('Control+Shift+G');
        // The title bar of the Changes view, not the commit box, where Copilot puts its own action of the same name.
        const action = workbench.page.locator('.pane-header .action-label[aria-label="Generate Commit Message"]');
        await step('waiting for the Source Control title bar action', () => action.waitFor({ timeout: 60_000 }));
        const input = workbench.page.locator('.scm-editor .view-lines');
        await unlessFailed('writing the commit message', () => action.click(), () => workbench.page.waitForFunction(
            () => document.querySelector('.scm-editor .view-lines')?.textContent.trim().length > 0, undefined, { timeout: 180_000 }));
        assert.ok((await input.innerText()).trim().length > 0);
        await workbench.screenshot(path.join(screenshots, 'vscode-commit-message.png'));
    });

    it('says clearly when the server cannot start, and "Show log" opens the log', { timeout: 120_000 }, async () => {
        const settingsFile = path.join(home, 'user-data', 'Machine', 'settings.json');
        const settings = JSON.parse(fs.readFileSync(settingsFile, 'utf8'));
        settings['codeassist.server.path'] = path.join(home, 'no-such-codeassist');
        fs.writeFileSync(settingsFile, JSON.stringify(settings, null, 2));
        const toast = workbench.notification('CodeAssist could not start its server');
        await step('waiting for the notification', () => toast.waitFor({ timeout: 60_000 }));
        assert.match(await toast.innerText(), /codeassist\.server\.path is ".*no-such-codeassist", which does not exist/);
        await workbench.screenshot(path.join(screenshots, 'vscode-start-failure.png'));
        await workbench.statusItem('CodeAssist').locator('.codicon-error').waitFor();
        await toast.locator('.monaco-button', { hasText: 'Show log' }).click();
        await workbench.page.locator('.output-view-content, .part.panel .monaco-editor', { hasText: 'The server could not start' })
            .first().waitFor({ timeout: 30_000 });
    });
});
