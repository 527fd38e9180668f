// code-server, the real VS Code workbench served to a browser, started for one test suite: its own user data,
// extensions and configuration folders under a temporary directory, the extension installed from the .vsix.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * @param {object} options
 * @param {string} options.node Node 24, which code-server needs
 * @param {string} options.entry code-server's out/node/entry.js
 * @param {string} options.home a temporary folder for everything code-server and the extension write
 * @param {string} options.vsix the packaged extension
 * @param {object} options.settings VS Code user settings
 * @param {object} options.machineSettings settings of the machine code-server runs on: VS Code applies machine-scoped
 *   settings (paths such as codeassist.server.path) of a remote window from there, not from the user's settings
 */
export async function startCodeServer({ node, entry, home, vsix, settings, machineSettings }) {
    const userData = path.join(home, 'user-data');
    const extensions = path.join(home, 'extensions');
    const config = path.join(home, 'code-server.yaml');
    fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
    fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
    fs.mkdirSync(path.join(userData, 'Machine'), { recursive: true });
    fs.writeFileSync(path.join(userData, 'Machine', 'settings.json'), JSON.stringify(machineSettings, null, 2));
    fs.writeFileSync(config, 'auth: none\n');
    const common = ['--config', config, '--user-data-dir', userData, '--extensions-dir', extensions];
    // XDG_CONFIG_HOME keeps the user's own ~/.config/codeassist/settings.json away from the server the extension starts.
    const env = { ...process.env, XDG_CONFIG_HOME: path.join(home, 'config') };

    const install = spawnSync(node, [entry, ...common, '--install-extension', vsix], { encoding: 'utf8', env });
    if (install.status !== 0) {
        throw new Error(`code-server --install-extension ${vsix} failed (${install.status}):\n${install.stdout}\n${install.stderr}`);
    }

    // Its own process group, so that stop() ends the extension host, the file watcher and the codeassist server with it;
    // no reconnection grace time, or an orphaned extension host would wait three hours for the browser to come back.
    const child = spawn(node, [entry, ...common, '--auth', 'none', '--bind-addr', '127.0.0.1:0', '--disable-telemetry',
        '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override', '--reconnection-grace-time', '0'],
        { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    const url = await new Promise((resolve, reject) => {
        const read = chunk => {
            output += chunk;
            const listening = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output);
            if (listening) {
                resolve(listening[1]);
            }
        };
        child.stdout.on('data', read);
        child.stderr.on('data', read);
        child.on('exit', code => reject(new Error(`code-server exited (${code}) before listening:\n${output}`)));
    });
    return {
        url,
        /** Everything code-server printed so far (the extension host's and the server's stderr go to VS Code's logs). */
        output: () => output,
        /** VS Code's log files, where the extension's output channel ("CodeAssist") is written too. */
        logs: path.join(userData, 'logs'),
        async stop() {
            if (child.exitCode === null) {
                const exited = new Promise(resolve => child.once('exit', resolve));
                child.kill('SIGTERM');
                await exited;
            }
            try {
                process.kill(-child.pid, 'SIGKILL');
            } catch {
                // The group is gone already.
            }
        },
    };
}

/** The text of every log file under `folder` whose name matches `pattern`, for failure messages. */
export function readLogs(folder, pattern) {
    const found = [];
    const walk = directory => {
        for (const entry of fs.existsSync(directory) ? fs.readdirSync(directory, { withFileTypes: true }) : []) {
            const full = path.join(directory, entry.name);
            if (entry.isDirectory()) {
                walk(full);
            } else if (pattern.test(entry.name)) {
                found.push(`== ${full}\n${fs.readFileSync(full, 'utf8')}`);
            }
        }
    };
    walk(folder);
    return found.join('\n');
}
