import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Which `codeassist` the extension starts: the `codeassist.server.path` setting, else the server built in the
 * repository around a workspace folder (or around the extension, when it runs from its source folder), else
 * `codeassist` on PATH. A `.dll` runs under `dotnet`.
 */
export interface ServerCommand {
    command: string;
    args: string[];
    /** Where it was found, for the log and the error message. */
    source: 'settings' | 'repository' | 'path';
}

export class ServerNotFoundError extends Error {}

const serveArgs = ['serve', '--stdio'];
const builds = ['Release', 'Debug'].map(configuration => path.join('src', 'CodeAssist.Server', 'bin', configuration, 'net10.0', 'codeassist.dll'));

export function resolveServerCommand(configuredPath: string, searchFrom: readonly string[], pathVariable: string | undefined): ServerCommand {
    const configured = configuredPath.trim();
    if (configured.length > 0) {
        const file = expandHome(configured);
        if (!fs.existsSync(file)) {
            throw new ServerNotFoundError(`codeassist.server.path is "${configured}", which does not exist.`);
        }
        return commandFor(file, 'settings', pathVariable);
    }
    const built = findRepositoryBuild(searchFrom);
    if (built !== undefined) {
        return commandFor(built, 'repository', pathVariable);
    }
    const onPath = findOnPath('codeassist', pathVariable);
    if (onPath !== undefined) {
        return commandFor(onPath, 'path', pathVariable);
    }
    throw new ServerNotFoundError(
        'No codeassist server was found: set codeassist.server.path, build it in the repository ' +
        '(dotnet build src/CodeAssist.Server -c Release), or put codeassist on PATH.');
}

function commandFor(file: string, source: ServerCommand['source'], pathVariable: string | undefined): ServerCommand {
    if (!file.endsWith('.dll')) {
        return { command: file, args: [...serveArgs], source };
    }
    const dotnet = findOnPath('dotnet', pathVariable);
    if (dotnet === undefined) {
        throw new ServerNotFoundError(`${file} runs on .NET, but dotnet is not on PATH.`);
    }
    return { command: dotnet, args: [file, ...serveArgs], source };
}

/** The first repository build found walking up from each folder; Release before Debug. */
function findRepositoryBuild(searchFrom: readonly string[]): string | undefined {
    for (const start of searchFrom) {
        for (let directory = path.resolve(start); ; directory = path.dirname(directory)) {
            const found = builds.map(build => path.join(directory, build)).find(candidate => fs.existsSync(candidate));
            if (found !== undefined) {
                return found;
            }
            if (path.dirname(directory) === directory) {
                break;
            }
        }
    }
    return undefined;
}

function findOnPath(name: string, pathVariable: string | undefined): string | undefined {
    for (const directory of (pathVariable ?? '').split(path.delimiter).filter(entry => entry.length > 0)) {
        const candidate = path.join(directory, name);
        try {
            fs.accessSync(candidate, fs.constants.X_OK);
            if (fs.statSync(candidate).isFile()) {
                return candidate;
            }
        } catch {
            // Not in this directory, or not executable: keep looking.
        }
    }
    return undefined;
}

function expandHome(file: string): string {
    return file === '~' || file.startsWith('~/') ? path.join(os.homedir(), file.slice(1)) : path.resolve(file);
}
