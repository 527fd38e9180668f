using System.Text;
using System.Text.RegularExpressions;

namespace CodeAssist.Context;

/// <summary>
/// A gitignore-style glob (<c>*</c>, <c>?</c>, <c>[...]</c>, <c>**</c>) matched against '/'-separated relative paths.
/// Shared by user exclusion globs and .gitignore rules so both behave the same way.
/// </summary>
internal sealed class Glob
{
    private readonly Regex _regex;

    private Glob(Regex regex) => _regex = regex;

    public bool IsMatch(string relativePath) => _regex.IsMatch(relativePath);

    /// <param name="anchored">Match the whole relative path; otherwise also any trailing run of path segments.</param>
    public static Glob Create(string pattern, bool anchored)
    {
        var builder = new StringBuilder(anchored ? "^" : "^(?:.*/)?");
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            if (c == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                bool slashAfter = i + 2 < pattern.Length && pattern[i + 2] == '/';
                builder.Append(slashAfter ? "(?:.*/)?" : ".*");
                i += slashAfter ? 2 : 1;
            }
            else if (c == '*') builder.Append("[^/]*");
            else if (c == '?') builder.Append("[^/]");
            else if (c == '[')
            {
                int close = pattern.IndexOf(']', i + 1);
                if (close < 0) { builder.Append(@"\["); continue; }
                string body = pattern[(i + 1)..close].Replace(@"\", @"\\");
                if (body.StartsWith('!')) body = "^" + body[1..];
                builder.Append('[').Append(body).Append(']');
                i = close;
            }
            else if (c == '\\' && i + 1 < pattern.Length) builder.Append(Regex.Escape(pattern[++i].ToString()));
            else builder.Append(Regex.Escape(c.ToString()));
        }
        // A directory pattern also covers everything below it.
        builder.Append("(?:/.*)?$");
        return new Glob(new Regex(builder.ToString(), RegexOptions.CultureInvariant));
    }
}
