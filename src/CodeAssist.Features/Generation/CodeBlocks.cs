using System.Text.RegularExpressions;

namespace CodeAssist.Features.Generation;

/// <summary>The code in a model's answer: chat models wrap it in Markdown fences, with prose around it.</summary>
internal static partial class CodeBlocks
{
    [GeneratedRegex(@"^[ \t]*```[ \t]*([A-Za-z0-9_+#.-]*)[^\n]*\n(.*?)(?:^[ \t]*```[ \t]*$|\z)", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex Fenced();

    /// <summary>
    /// The first fenced block tagged <paramref name="fence"/>, else the first fenced block, else the whole answer; an
    /// unclosed fence (the answer was cut at its token limit) runs to the end.
    /// </summary>
    public static string Extract(string answer, string fence)
    {
        var text = answer.Replace("\r\n", "\n", StringComparison.Ordinal);
        var blocks = Fenced().Matches(text).Select(m => (Tag: m.Groups[1].Value, Code: m.Groups[2].Value)).ToArray();
        if (blocks.Length == 0) return text.Trim('\n') + "\n";
        var chosen = blocks.FirstOrDefault(b => b.Tag.Equals(fence, StringComparison.OrdinalIgnoreCase));
        var code = chosen.Code ?? blocks[0].Code;
        return code.TrimEnd() + "\n";
    }
}
