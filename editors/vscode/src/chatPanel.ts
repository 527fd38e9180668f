import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { BaseLanguageClient } from 'vscode-languageclient/node';
import { message, ServerConnection } from './connection';
import { Conversation, locationLabel } from './conversation';
import { describeError } from './errors';
import { Answer, Methods, Range } from './protocol';
import { streamRequest } from './streaming';
import { Target } from './target';

/** Messages from the webview. */
type FromWebview =
    | { type: 'ask'; text: string }
    | { type: 'stop' }
    | { type: 'detach' }
    | { type: 'open'; uri: string; range: Range };

/**
 * Chat in a webview panel: questions to `codeassist/chat` (with the attached selection), Explain through
 * `codeassist/explain`, answers streamed as they are generated, references listed as links that open their location.
 * It works in every VS Code, chat API or not; where the chat API exists the `@codeassist` participant does the same
 * in the chat view.
 */
export class ChatPanel implements vscode.Disposable {
    private _panel: vscode.WebviewPanel | undefined;
    private _conversation = new Conversation();
    private _attachment: Target | undefined;
    private _running: vscode.CancellationTokenSource | undefined;
    private _turns = 0;

    constructor(private readonly _connection: ServerConnection) {}

    /** Shows the panel with the next question about `target`. */
    attach(target: Target): void {
        this._attachment = target;
        this.show();
        void this.post({ type: 'attachment', label: target.label });
        void this.post({ type: 'focus' });
    }

    explain(target: Target): Promise<void> {
        this.show();
        return this.run(`Explain ${target.label}`, (client, onText, token) =>
            streamRequest<Answer>(client, Methods.explain, { textDocument: { uri: target.uri }, range: target.range }, onText, token));
    }

    show(): void {
        if (this._panel !== undefined) {
            this._panel.reveal(undefined, true);
            return;
        }
        const panel = vscode.window.createWebviewPanel('codeassist.chat', 'CodeAssist Chat',
            { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, { enableScripts: true, retainContextWhenHidden: true });
        panel.webview.html = html(panel.webview);
        panel.webview.onDidReceiveMessage((received: FromWebview) => this.receive(received));
        panel.onDidDispose(() => {
            this._running?.cancel();
            this._panel = undefined;
            this._conversation = new Conversation();
            this._attachment = undefined;
        });
        this._panel = panel;
        if (this._attachment !== undefined) {
            void this.post({ type: 'attachment', label: this._attachment.label });
        }
    }

    private receive(received: FromWebview): void {
        switch (received.type) {
            case 'ask': {
                const question = received.text.trim();
                if (question.length === 0) {
                    return;
                }
                const attachment = this._attachment;
                void this.run(question, (client, onText, token) =>
                    streamRequest<Answer>(client, Methods.chat, this._conversation.ask(question, attachment), onText, token));
                return;
            }
            case 'stop':
                this._running?.cancel();
                return;
            case 'detach':
                this._attachment = undefined;
                return;
            case 'open':
                if (received.uri.startsWith('file:')) {
                    const range = new vscode.Range(received.range.start.line, received.range.start.character, received.range.end.line, received.range.end.character);
                    void vscode.window.showTextDocument(vscode.Uri.parse(received.uri), { selection: range, viewColumn: vscode.ViewColumn.One });
                }
                return;
        }
    }

    private async run(question: string,
        request: (client: BaseLanguageClient, onText: (text: string) => void, token: vscode.CancellationToken) => Promise<Answer>): Promise<void> {
        this._running?.cancel();
        const running = new vscode.CancellationTokenSource();
        this._running = running;
        const turn = ++this._turns;
        await this.post({ type: 'question', turn, text: question });
        try {
            const answer = await request(this._connection.client(), text => void this.post({ type: 'chunk', turn, text }), running.token);
            const folders = (vscode.workspace.workspaceFolders ?? []).map(folder => folder.uri.fsPath);
            const references = answer.references.map(reference => ({ ...reference, label: locationLabel(reference.uri, reference.range, folders) }));
            this._conversation.answered(question, answer.text);
            await this.post({ type: 'answer', turn, text: answer.text, references });
        } catch (error) {
            this._connection.log.warn(`Chat: ${message(error)}`);
            await this.post({ type: 'error', turn, message: describeError('answer', error) ?? 'Stopped.' });
        } finally {
            running.dispose();
            if (this._running === running) {
                this._running = undefined;
            }
        }
    }

    private post(value: object): Thenable<boolean> {
        return this._panel?.webview.postMessage(value) ?? Promise.resolve(false);
    }

    dispose(): void {
        this._running?.cancel();
        this._panel?.dispose();
    }
}

function html(webview: vscode.Webview): string {
    const nonce = randomBytes(16).toString('base64');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${webview.cspSource} 'nonce-${nonce}'; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>CodeAssist Chat</title>
<style nonce="${nonce}">
  body { display: flex; flex-direction: column; height: 100vh; margin: 0; padding: 0 12px; box-sizing: border-box;
         font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); }
  #transcript { flex: 1; overflow-y: auto; padding-top: 8px; }
  .question { font-weight: 600; margin: 12px 0 4px; white-space: pre-wrap; }
  .answer { white-space: pre-wrap; font-family: var(--vscode-editor-font-family); font-size: var(--vscode-editor-font-size);
            background: var(--vscode-textCodeBlock-background); padding: 6px 8px; border-radius: 4px; }
  .answer.pending::after { content: '▍'; animation: blink 1s steps(2) infinite; }
  .answer.error { color: var(--vscode-errorForeground); }
  @keyframes blink { to { visibility: hidden; } }
  .references { margin: 6px 0 0; padding-left: 18px; }
  .references a { color: var(--vscode-textLink-foreground); cursor: pointer; }
  .reason { color: var(--vscode-descriptionForeground); }
  form { padding: 8px 0 12px; border-top: 1px solid var(--vscode-panel-border); }
  #attachment { font-size: 90%; margin-bottom: 4px; color: var(--vscode-descriptionForeground); }
  #attachment button { margin-left: 6px; }
  textarea { width: 100%; box-sizing: border-box; resize: vertical; font-family: inherit; font-size: inherit;
             color: var(--vscode-input-foreground); background: var(--vscode-input-background);
             border: 1px solid var(--vscode-input-border, transparent); padding: 4px 6px; }
  .buttons { display: flex; gap: 6px; margin-top: 6px; }
  button { color: var(--vscode-button-foreground); background: var(--vscode-button-background); border: none; padding: 4px 12px; cursor: pointer; }
  button.secondary { color: var(--vscode-button-secondaryForeground); background: var(--vscode-button-secondaryBackground); }
</style>
</head>
<body>
<main id="transcript" aria-live="polite"></main>
<form id="ask">
  <div id="attachment" hidden><span></span><button type="button" class="secondary" title="Ask without this code">×</button></div>
  <textarea id="question" rows="3" placeholder="Ask about this repository (Enter to send, Shift+Enter for a new line)"></textarea>
  <div class="buttons"><button id="send" type="submit">Ask</button><button id="stop" type="button" class="secondary" hidden>Stop</button></div>
</form>
<script nonce="${nonce}">
  const vscode = acquireVsCodeApi();
  const transcript = document.getElementById('transcript');
  const form = document.getElementById('ask');
  const question = document.getElementById('question');
  const stop = document.getElementById('stop');
  const attachment = document.getElementById('attachment');
  const answers = new Map();

  function busy(running) { stop.hidden = !running; }
  function scroll() { transcript.scrollTop = transcript.scrollHeight; }

  window.addEventListener('message', ({ data }) => {
    switch (data.type) {
      case 'question': {
        const turn = document.createElement('section');
        turn.className = 'turn';
        const asked = document.createElement('div');
        asked.className = 'question';
        asked.textContent = data.text;
        const answer = document.createElement('div');
        answer.className = 'answer pending';
        turn.append(asked, answer);
        transcript.append(turn);
        answers.set(data.turn, answer);
        busy(true);
        break;
      }
      case 'chunk': {
        const answer = answers.get(data.turn);
        if (answer && answer.classList.contains('pending')) { answer.textContent += data.text; }
        break;
      }
      case 'answer': {
        const answer = answers.get(data.turn);
        answer.classList.remove('pending');
        answer.textContent = data.text;
        if (data.references.length > 0) {
          const list = document.createElement('ul');
          list.className = 'references';
          for (const reference of data.references) {
            const item = document.createElement('li');
            const link = document.createElement('a');
            link.textContent = reference.label;
            link.title = reference.reason;
            link.addEventListener('click', () => vscode.postMessage({ type: 'open', uri: reference.uri, range: reference.range }));
            const reason = document.createElement('span');
            reason.className = 'reason';
            reason.textContent = ' — ' + reference.reason;
            item.append(link, reason);
            list.append(item);
          }
          answer.after(list);
        }
        busy(false);
        break;
      }
      case 'error': {
        const answer = answers.get(data.turn);
        answer.classList.remove('pending');
        answer.classList.add('error');
        answer.textContent = data.message;
        busy(false);
        break;
      }
      case 'attachment':
        attachment.hidden = false;
        attachment.querySelector('span').textContent = 'About ' + data.label;
        break;
      case 'focus':
        question.focus();
        break;
    }
    scroll();
  });

  form.addEventListener('submit', event => {
    event.preventDefault();
    if (question.value.trim().length === 0) { return; }
    vscode.postMessage({ type: 'ask', text: question.value });
    question.value = '';
  });
  question.addEventListener('keydown', event => {
    if (event.key === 'Enter' && !event.shiftKey) { event.preventDefault(); form.requestSubmit(); }
  });
  stop.addEventListener('click', () => vscode.postMessage({ type: 'stop' }));
  attachment.querySelector('button').addEventListener('click', () => {
    attachment.hidden = true;
    vscode.postMessage({ type: 'detach' });
  });
</script>
</body>
</html>`;
}
