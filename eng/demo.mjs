// The README's demo: starts `codeassist serve --stdio` as an editor would, points it at samples/ with the model
// eng/demo.sh chose, opens a document with the cursor after `book.Author.`, and prints the context the server retrieves
// there and the inline suggestions it makes.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(resolve(root, 'tests/e2e/package.json'));
const rpc = require('vscode-languageserver-protocol/node');

const dll = resolve(root, process.env.CODEASSIST_DLL ?? 'src/CodeAssist.Server/bin/Release/net10.0/codeassist.dll');
// The server's log also arrives as window/logMessage, printed below; its stderr copy is not needed.
const server = spawn('dotnet', [dll, 'serve', '--stdio'], { stdio: ['pipe', 'pipe', 'ignore'] });
const connection = rpc.createProtocolConnection(
  new rpc.StreamMessageReader(server.stdout),
  new rpc.StreamMessageWriter(server.stdin),
);
connection.onNotification('window/logMessage', (p) => console.log(`  [server] ${p.message}`));
connection.onRequest('window/workDoneProgress/create', () => null);
connection.onNotification('$/progress', ({ value }) => {
  if (value.kind !== 'report') console.log(`  [progress] ${value.kind} ${value.title ?? ''} ${value.message ?? ''}`.trimEnd());
});
connection.listen();

const samples = resolve(root, 'samples');
const file = resolve(samples, 'src/Bookshelf.Services/CatalogService.cs');
const uri = pathToFileURL(file).href;
const lines = readFileSync(file, 'utf8').split('\n');
const line = lines.findIndex((l) => l.includes('.OrderBy(book => book.Author.'));
const character = lines[line].indexOf('book.Author.') + 'book.Author.'.length;
// What the user has typed so far: the rest of the line is not written yet.
const text = [...lines.slice(0, line), lines[line].slice(0, character), ...lines.slice(line + 1)].join('\n');

const init = await connection.sendRequest('initialize', {
  processId: process.pid,
  clientInfo: { name: 'codeassist-demo' },
  rootUri: pathToFileURL(samples).href,
  capabilities: { general: { positionEncodings: ['utf-16'] }, window: { workDoneProgress: true } },
  initializationOptions: { model: process.env.CODEASSIST_DEMO_MODEL },
});
console.log(`initialize → ${init.serverInfo.name} ${init.serverInfo.version}, positions in ${init.capabilities.positionEncoding}`);
await connection.sendNotification('initialized', {});
await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'csharp', version: 1, text } });
// Requests answer from whatever is indexed so far and the model loads in the background; the demo waits for both.
for (;;) {
  const { index, model } = await connection.sendRequest('codeassist/status', {});
  if (index.state === 'ready' && model.state !== 'loading') break;
  await new Promise((wait) => setTimeout(wait, 50));
}

console.log(`\ncodeassist/context at ${file.slice(root.length + 1)}:${line + 1}:${character + 1} (after "book.Author."), budget 512 tokens →`);
const context = await connection.sendRequest('codeassist/context', { textDocument: { uri }, position: { line, character }, budgetTokens: 512 });
for (const item of context.items) {
  const where = `${decodeURIComponent(item.uri.slice(uri.lastIndexOf('/samples/') + 1))}:${item.range.start.line + 1}`;
  console.log(`  ${item.kind.padEnd(14)} ${where}`);
  for (const textLine of item.text.trimEnd().split('\n')) console.log(`      ${textLine}`);
}
console.log(`  (${context.items.length} items, ${context.tokens} tokens)`);

// Invoked (the user asked, as with Alt-\\ in VS Code): up to three distinct candidates, the first one the ghost text.
console.log(`\ntextDocument/inlineCompletion at the same cursor →`);
const completion = await connection.sendRequest('textDocument/inlineCompletion', {
  textDocument: { uri }, position: { line, character }, context: { triggerKind: 1 },
});
for (const [i, item] of completion.items.entries()) {
  const { start, end } = item.range;
  console.log(`  suggestion ${i + 1}, replacing ${start.line + 1}:${start.character + 1}-${end.line + 1}:${end.character + 1}:`);
  for (const textLine of item.insertText.split('\n')) console.log(`      ${textLine}`);
}
if (completion.items.length === 0) console.log('  (no suggestion: see completion.unavailable and the counters below)');

const status = await connection.sendRequest('codeassist/status', {});
console.log(`\ncodeassist/status (model and completion) →\n${JSON.stringify({ model: status.model, completion: status.completion }, null, 2)}`);

await connection.sendRequest('shutdown');
await connection.sendNotification('exit');
const code = await new Promise((done) => server.on('exit', done));
console.log(`\nserver exited with code ${code}`);
process.exit(code);
