// The VS Code workbench in headless Chromium, driven the way a person drives it: the keyboard, the command palette,
// quick open, clicks. Every wait has a generous limit so that a hang fails the test instead of stalling the run;
// nothing is asserted about how long anything takes.
import { chromium } from 'playwright-core';

const flags = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'];

/** Debian's Chromium, headless, with a fresh profile in `profile`. */
export async function launchBrowser(executablePath, profile) {
    const browser = await chromium.launchPersistentContext(profile, {
        executablePath, headless: true, args: flags, viewport: { width: 1440, height: 900 },
    });
    // Playwright's 30 s default is short for a 2-core machine that builds something else at the same time.
    browser.setDefaultTimeout(60_000);
    return browser;
}

export class Workbench {
    constructor(page) {
        this.page = page;
    }

    static async open(browser, url, folder) {
        const page = browser.pages()[0] ?? await browser.newPage();
        await page.goto(`${url}?folder=${encodeURIComponent(folder)}`, { timeout: 120_000 });
        await page.locator('.monaco-workbench .part.editor').waitFor({ timeout: 120_000 });
        await page.locator('.explorer-folders-view').waitFor({ timeout: 120_000 });
        return new Workbench(page);
    }

    /** Runs a command by its title from the command palette (F1). */
    async command(title) {
        await this.page.keyboard.press('F1');
        const input = this.page.locator('.quick-input-widget input');
        await input.waitFor();
        await input.fill(`>${title}`);
        const row = this.page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
        await row.waitFor({ timeout: 30_000 });
        await row.click();
    }

    /** Opens a file by its path relative to the folder (quick open), and waits for its editor. */
    async openFile(relativePath) {
        await this.page.keyboard.press('Control+P');
        const input = this.page.locator('.quick-input-widget input');
        await input.waitFor();
        await input.fill(relativePath);
        const name = relativePath.split('/').pop();
        const folder = relativePath.split('/').slice(0, -1).join('/');
        // The row of that file ("Fees.cs src/Bookshelf.Services, …"): the first row may be another recent file.
        await this.page.locator(`.quick-input-list .monaco-list-row[aria-label^="${name} ${folder},"]`).first().click();
        try {
            await this.page.locator(`.tab.active[aria-label^="${name}"]`).first().waitFor();
        } catch (error) {
            const tabs = await this.page.locator('.tab').evaluateAll(tabs => tabs.map(tab => `${tab.getAttribute('aria-label')} (${tab.className})`));
            error.message += `\nthe tabs: ${tabs.join('; ')}`;
            throw error;
        }
    }

    /** Puts the cursor at the end of a line (1-based), through Go to Line. */
    async endOfLine(line) {
        await this.page.keyboard.press('Control+G');
        const input = this.page.locator('.quick-input-widget input');
        await input.waitFor();
        await input.fill(`:${line}`);
        await this.page.keyboard.press('Enter');
        // Keys sent while the quick input is still open would go to it, not to the editor. An Enter that reaches it
        // before it has taken the line number is lost (once in CI, the widget open a minute later): press it again.
        try {
            await input.waitFor({ state: 'hidden', timeout: 5_000 });
        } catch {
            await this.page.keyboard.press('Enter');
            await input.waitFor({ state: 'hidden' });
        }
        await this.page.keyboard.press('End');
        await this.cursorOnLine(line);
    }

    /** Waits until the status bar puts the cursor on a line (1-based): the editor has taken the keys before. */
    cursorOnLine(line) {
        return this.statusItem(new RegExp(`^\\s*Ln ${line}, Col \\d+`)).first().waitFor();
    }

    /** The cursor as the status bar shows it ("Ln 46, Col 27"). */
    async cursor() {
        return (await this.statusItem(/^\s*Ln \d+, Col \d+/).first().innerText()).trim();
    }

    /** Waits until the cursor has left where it was: an edit the keys before made (accepting ghost text) is applied. */
    async cursorMovedFrom(position) {
        await this.statusItem(/^\s*Ln \d+, Col \d+/).filter({ hasNotText: new RegExp(`^\\s*${position}\\s*$`) }).first().waitFor();
    }

    /** Puts the cursor on the first character of a line (1-based) that is not white space. */
    async startOfLine(line) {
        await this.endOfLine(line);
        await this.page.keyboard.press('Home');
    }

    /** The status bar entry whose text matches. */
    statusItem(text) {
        return this.page.locator('.statusbar-item', { hasText: text });
    }

    /** The ghost text on screen: the inline part and the lines below it, as VS Code renders them. */
    ghostText() {
        return this.page.locator('.monaco-editor .ghost-text-decoration, .monaco-editor .ghost-text-decoration-preview, .monaco-editor .ghost-text');
    }

    /** A notification toast whose text matches. */
    notification(text) {
        return this.page.locator('.notification-toast', { hasText: text });
    }

    /** An error notification whose text matches. */
    errorNotification(text) {
        return this.page.locator('.notification-toast', { hasText: text, has: this.page.locator('.codicon-error') });
    }

    /** The document of the active webview panel (webviews nest an iframe in an iframe). */
    webview() {
        return this.page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    }

    screenshot(file) {
        return this.page.screenshot({ path: file });
    }
}
