/**
 * What the server counts about a ghost-text item, from VS Code's inline completion events: which item (the
 * `completionId` in the argument of its accept command) and how much of it was accepted word by word or line by line.
 */

/** The `completionId` the server put in the item's `codeassist.didAcceptCompletion` command, if it is there. */
export function completionIdOf(command: { arguments?: unknown[] } | undefined): string | undefined {
    const argument = command?.arguments?.[0];
    if (typeof argument === 'object' && argument !== null && 'completionId' in argument) {
        const id = (argument as { completionId: unknown }).completionId;
        return typeof id === 'string' ? id : undefined;
    }
    return undefined;
}

/**
 * Partial accepts of each item, so the server hears each new length once: VS Code reports a partial accept twice, once
 * through the deprecated `(item, acceptedLength)` signature and once through `(item, PartialAcceptInfo)`.
 */
export class PartialAccepts {
    private readonly _accepted = new WeakMap<object, number>();

    /** The accepted length to report, or undefined when it was already reported. */
    record(item: object, info: number | { acceptedLength: number }): number | undefined {
        const length = typeof info === 'number' ? info : info.acceptedLength;
        if (!(length > (this._accepted.get(item) ?? 0))) {
            return undefined;
        }
        this._accepted.set(item, length);
        return length;
    }
}
