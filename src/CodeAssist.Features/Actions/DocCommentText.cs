using System.Text;
using System.Text.RegularExpressions;
using System.Xml;

namespace CodeAssist.Features.Actions;

/// <summary>
/// Turns what a model wrote into documentation comment lines of a language, and nothing else: the edit a feature offers
/// must insert only comments, whatever the model answered. XML doc comments the model wrote are kept when their XML is
/// well-formed; otherwise its prose becomes a summary, escaped, wrapped and commented out in the language's style.
/// </summary>
internal static partial class DocCommentText
{
    private const int MaxProse = 600;
    private const int Width = 96;

    /// <summary>The comment's lines without indentation or line breaks; empty when the model wrote nothing usable.</summary>
    public static IReadOnlyList<string> Lines(string answer, DocCommentStyle style)
    {
        if (style == DocCommentStyle.XmlLines && XmlLines(answer) is { Count: > 0 } written) return written;
        var prose = Prose(answer);
        if (prose.Length == 0) return [];
        var wrapped = Wrap(prose);
        return style switch
        {
            DocCommentStyle.XmlLines => ["/// <summary>", .. wrapped.Select(l => "/// " + EscapeXml(l)), "/// </summary>"],
            DocCommentStyle.Block => ["/**", .. wrapped.Select(l => " * " + l.Replace("*/", "* /", StringComparison.Ordinal)), " */"],
            DocCommentStyle.SlashLines => wrapped.Select(l => "/// " + l).ToArray(),
            DocCommentStyle.LineComments => wrapped.Select(l => "// " + l).ToArray(),
            DocCommentStyle.Docstring => Docstring(wrapped),
            _ => wrapped.Select(l => "# " + l).ToArray(),
        };
    }

    private static string[] Docstring(IReadOnlyList<string> wrapped)
    {
        var lines = wrapped.Select(l => l.Replace("\"\"\"", "'''", StringComparison.Ordinal).Replace("\\", "\\\\", StringComparison.Ordinal)).ToArray();
        if (lines.Length == 1) return ["\"\"\"" + lines[0] + "\"\"\""];
        return ["\"\"\"" + lines[0], .. lines[1..], "\"\"\""];
    }

    /// <summary>The <c>///</c> lines of the answer when together they are well-formed XML (a code fence around them is fine).</summary>
    private static List<string> XmlLines(string answer)
    {
        var lines = answer.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.StartsWith("///", StringComparison.Ordinal) && !l.StartsWith("////", StringComparison.Ordinal))
            .Select(l => "/// " + Clean(l[3..]).Trim())
            .Select(l => l.TrimEnd())
            .ToList();
        if (lines.Count == 0) return [];
        var xml = string.Join("\n", lines.Select(l => l[3..]));
        try
        {
            using var reader = XmlReader.Create(new StringReader("<doc>" + xml + "</doc>"), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit });
            while (reader.Read())
            {
            }
        }
        catch (XmlException)
        {
            return [];
        }
        return lines;
    }

    /// <summary>The answer's prose: fenced code, comment markers and tags removed, control characters dropped, whitespace collapsed.</summary>
    private static string Prose(string answer)
    {
        var text = Fence().Replace(answer, " ");
        text = CommentMarker().Replace(text, " ");
        text = Tag().Replace(text, " ");
        text = Clean(text);
        text = Whitespace().Replace(text, " ").Trim();
        if (text.Length <= MaxProse) return text;
        // Cut at the last sentence end that keeps it short, else at a word.
        int end = text.LastIndexOf(". ", MaxProse, StringComparison.Ordinal);
        if (end < MaxProse / 3) end = text.LastIndexOf(' ', MaxProse);
        return text[..(end > 0 ? end + 1 : MaxProse)].Trim();
    }

    /// <summary>Drops control characters, unpaired surrogates and the Unicode replacement character: noise from a model.</summary>
    private static string Clean(string text)
    {
        var clean = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                clean.Append(c).Append(text[++i]);
            }
            else if (char.IsWhiteSpace(c)) clean.Append(' ');
            else if (!char.IsControl(c) && !char.IsSurrogate(c) && c != '\uFFFD' && char.GetUnicodeCategory(c) != System.Globalization.UnicodeCategory.Format) clean.Append(c);
        }
        return clean.ToString();
    }

    private static List<string> Wrap(string prose)
    {
        var lines = new List<string>();
        var line = new StringBuilder();
        foreach (var word in prose.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > Width)
            {
                lines.Add(line.ToString());
                line.Clear();
            }
            if (line.Length > 0) line.Append(' ');
            line.Append(word);
        }
        if (line.Length > 0) lines.Add(line.ToString());
        return lines;
    }

    private static string EscapeXml(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    [GeneratedRegex(@"```.*?(```|\z)", RegexOptions.Singleline)]
    private static partial Regex Fence();

    [GeneratedRegex(@"(^|\s)(///|//|/\*\*|/\*|\*/|\*|#|""""""|''')", RegexOptions.Multiline)]
    private static partial Regex CommentMarker();

    [GeneratedRegex(@"</?[A-Za-z][^<>]*>")]
    private static partial Regex Tag();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
