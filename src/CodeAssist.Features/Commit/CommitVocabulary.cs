namespace CodeAssist.Features.Commit;

/// <summary>
/// The words commit subjects start with, and a few English function words: enough to tell an English, imperative
/// subject from another language, another mood, or noise (what a random-weight model writes).
/// </summary>
internal static class CommitVocabulary
{
    private static readonly HashSet<string> s_verbs = new(StringComparer.OrdinalIgnoreCase)
    {
        "add", "adapt", "adjust", "align", "allow", "apply", "avoid", "bump", "build", "cache", "call", "catch", "change", "check",
        "clarify", "clean", "clear", "close", "collapse", "combine", "compile", "complete", "compute", "configure", "convert",
        "copy", "correct", "count", "cover", "create", "cut", "declare", "default", "defer", "define", "delete", "deprecate",
        "describe", "detect", "disable", "document", "drop", "emit", "enable", "encode", "ensure", "expand", "explain", "expose",
        "extend", "extract", "fill", "filter", "find", "fix", "flatten", "follow", "format", "generate", "give", "guard",
        "handle", "harden", "hide", "ignore", "implement", "import", "improve", "include", "index", "inline", "introduce",
        "keep", "let", "limit", "link", "list", "load", "lock", "log", "make", "mark", "measure", "merge", "migrate", "move",
        "name", "normalize", "normalise", "open", "optimize", "optimise", "pack", "parse", "pass", "pin", "polish", "port",
        "prefer", "prepare", "prevent", "print", "read", "record", "reduce", "refactor", "reformat", "register", "reject",
        "release", "reload", "remove", "rename", "reorder", "replace", "report", "require", "reset", "resolve", "restore",
        "restrict", "retry", "return", "reuse", "revert", "rewrite", "run", "save", "scan", "search", "separate", "serve",
        "set", "share", "show", "simplify", "skip", "sort", "speed", "split", "start", "stop", "store", "stream", "strip",
        "support", "switch", "sync", "teach", "test", "throw", "tidy", "track", "translate", "trim", "tune", "turn", "undo",
        "unify", "update", "upgrade", "use", "validate", "verify", "wait", "warn", "wire", "wrap", "write",
    };

    private static readonly HashSet<string> s_functionWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "the", "a", "an", "to", "of", "in", "for", "and", "with", "from", "on", "by", "when", "not", "no", "into", "as",
        "its", "it", "is", "at", "or", "be", "that", "this", "than", "without", "per", "one", "all",
    };

    /// <summary>A verb commits start with, in its base form ("Add").</summary>
    public static bool IsImperativeVerb(string word) => s_verbs.Contains(word.TrimEnd(':', ','));

    /// <summary>A commit verb in any form: base, past ("Added"), third person ("Adds"), gerund ("Adding").</summary>
    public static bool IsCommitVerb(string word)
    {
        word = word.TrimEnd(':', ',').ToLowerInvariant();
        if (s_verbs.Contains(word)) return true;
        foreach (var (suffix, replacements) in new[] { ("ied", new[] { "y" }), ("ies", new[] { "y" }), ("ed", new[] { "", "e" }),
                     ("es", new[] { "", "e" }), ("s", new[] { "" }), ("ing", new[] { "", "e" }) })
        {
            if (!word.EndsWith(suffix, StringComparison.Ordinal)) continue;
            string stem = word[..^suffix.Length];
            if (replacements.Any(r => s_verbs.Contains(stem + r))) return true;
            // Doubled consonant: "dropped", "splitting".
            if (stem.Length > 2 && stem[^1] == stem[^2] && s_verbs.Contains(stem[..^1])) return true;
        }
        return false;
    }

    public static bool IsEnglishWord(string word) => s_functionWords.Contains(word) || IsCommitVerb(word);
}
