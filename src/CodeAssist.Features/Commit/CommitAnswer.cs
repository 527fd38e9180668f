using System.Text.RegularExpressions;

namespace CodeAssist.Features.Commit;

/// <summary>
/// Reads a model's answer as a commit message, or rejects it. Usable means a plausible subject line: a few words,
/// mostly letters, of sane length; and, for a repository that writes English, starting (after any
/// <c>type(scope):</c> or area prefix) with a verb commits start with. Whatever a random-weight model writes fails
/// this, and so do a refusal, an empty answer or a paragraph of explanation.
/// </summary>
internal static partial class CommitAnswer
{
    [GeneratedRegex(@"^(subject|commit message|commit|message|title)\s*:\s*", RegexOptions.IgnoreCase)]
    private static partial Regex LabelPattern();

    [GeneratedRegex(@"^([a-z]+(\([^)]+\))?!?|[A-Z][\w.\-/ ]{0,30}?): ")]
    private static partial Regex PrefixPattern();

    public static (string Subject, string Body)? Parse(string answer, CommitStyle style)
    {
        var lines = answer.Replace("\r", "").Split('\n')
            .Where(line => !line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            .Select(line => line.TrimEnd())
            .SkipWhile(line => line.Trim().Length == 0)
            .ToList();
        if (lines.Count == 0)
        {
            return null;
        }
        string subject = LabelPattern().Replace(lines[0].Trim(), "").Trim('"', '\'', '`', ' ', '*', '-');
        if (!IsPlausibleSubject(subject, style))
        {
            return null;
        }
        var bodyLines = lines.Skip(1).SkipWhile(line => line.Trim().Length == 0).ToList();
        string body = string.Join("\n", bodyLines).Trim();
        return (subject, IsPlausibleBody(body) ? body : "");
    }

    public static bool IsPlausibleSubject(string subject, CommitStyle style)
    {
        if (subject.Length is < 8 or > 120 || subject.Any(char.IsControl)) return false;
        var nonSpace = subject.Where(c => !char.IsWhiteSpace(c)).ToArray();
        if (nonSpace.Count(char.IsLetter) < nonSpace.Length * 0.6) return false;
        string text = PrefixPattern().Replace(subject, "", 1);
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length < 2 || words.Any(w => w.Length > 40)) return false;
        // Real words: letters, perhaps joined by identifier punctuation (Lend, LendingService.Lend, build.sh, don't).
        int wordlike = words.Count(w => char.IsLetter(w[0]) || w[0] is '`' or '"' or '\'' or '(');
        if (wordlike < words.Length * 0.7) return false;
        return !style.English || CommitVocabulary.IsCommitVerb(words[0].Trim('`', '"', '\''));
    }

    private static bool IsPlausibleBody(string body)
    {
        if (body.Length == 0 || body.Length > 4000) return false;
        var nonSpace = body.Where(c => !char.IsWhiteSpace(c)).ToArray();
        return nonSpace.Count(char.IsLetter) >= nonSpace.Length * 0.5;
    }
}
