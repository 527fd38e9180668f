/**
 * A line the server wrote to stderr, read for the output channel. The server's own lines look like
 * `[14:14:10.167 info] Indexed 33 files`; the same lines reach the client through window/logMessage once the
 * connection is up, so only the others (what a native library prints, a crash) are worth showing twice.
 */
export type LogLevel = 'error' | 'warning' | 'info' | 'log' | 'debug';

export interface ServerLogLine {
    /** The level the server gave the line; undefined for lines it did not write itself. */
    level: LogLevel | undefined;
    text: string;
}

const serverLine = /^\[\d{2}:\d{2}:\d{2}(?:\.\d+)? (error|warning|info|log|debug)\] (.*)$/;

export function parseServerLogLine(line: string): ServerLogLine {
    const match = serverLine.exec(line);
    return match === null ? { level: undefined, text: line } : { level: match[1] as LogLevel, text: match[2] };
}
