/**
 * The languages `codeassist/translate` knows (docs/protocol.md), named as VS Code's language ids, which are the ids the
 * server takes too.
 */
export interface TranslationTarget {
    language: string;
    label: string;
}

export const translationTargets: readonly TranslationTarget[] = [
    { language: 'csharp', label: 'C#' },
    { language: 'java', label: 'Java' },
    { language: 'python', label: 'Python' },
    { language: 'typescript', label: 'TypeScript' },
    { language: 'go', label: 'Go' },
    { language: 'cpp', label: 'C++' },
    { language: 'rust', label: 'Rust' },
];

/** The targets worth offering for code in `sourceLanguage`: every other one. */
export function targetsFrom(sourceLanguage: string): TranslationTarget[] {
    return translationTargets.filter(target => target.language !== sourceLanguage);
}
