using System.Text;

namespace CodeAssist.Git;

/// <summary>
/// A patch as git prints it, split per file and per hunk, for packing into a prompt. Lines are decoded as UTF-8
/// (invalid bytes become U+FFFD) without their line break; a CRLF file's lines lose the CR too, since the model
/// reads text, not line endings.
/// </summary>
public static class UnifiedDiff
{
    public static IReadOnlyList<DiffFile> Parse(byte[] patch)
    {
        var files = new List<DiffFile>();
        List<string>? header = null;
        List<DiffHunk>? hunks = null;
        string? hunkHeader = null;
        List<string>? hunkLines = null;

        void EndHunk()
        {
            if (hunkHeader is not null) hunks!.Add(new DiffHunk(hunkHeader, hunkLines!));
            hunkHeader = null;
            hunkLines = null;
        }
        void EndFile()
        {
            EndHunk();
            if (header is not null) files.Add(new DiffFile(PathOf(header), header, hunks!));
            header = null;
            hunks = null;
        }

        foreach (string line in Lines(patch))
        {
            if (line.StartsWith("diff --git ", StringComparison.Ordinal) || line.StartsWith("diff --cc ", StringComparison.Ordinal)
                || line.StartsWith("diff --combined ", StringComparison.Ordinal) || line.StartsWith("* Unmerged path ", StringComparison.Ordinal))
            {
                EndFile();
                header = [line];
                hunks = [];
            }
            else if (header is null)
            {
                continue; // text before the first file (none from git diff)
            }
            else if (line.StartsWith("@@", StringComparison.Ordinal))
            {
                EndHunk();
                hunkHeader = line;
                hunkLines = [];
            }
            else if (hunkLines is not null)
            {
                hunkLines.Add(line);
            }
            else
            {
                header.Add(line);
            }
        }
        EndFile();
        return files;
    }

    private static IEnumerable<string> Lines(byte[] patch)
    {
        var decoder = new UTF8Encoding(false, throwOnInvalidBytes: false);
        int start = 0;
        while (start < patch.Length)
        {
            int end = Array.IndexOf(patch, (byte)'\n', start);
            int next = end < 0 ? patch.Length : end + 1;
            int length = (end < 0 ? patch.Length : end) - start;
            if (length > 0 && patch[start + length - 1] == '\r') length--;
            yield return decoder.GetString(patch, start, length);
            start = next;
        }
    }

    /// <summary>The file's path on the new side (the old side for a deletion), unquoted as git quotes it.</summary>
    private static string PathOf(IReadOnlyList<string> header)
    {
        string? renamedTo = null, newSide = null, oldSide = null;
        foreach (string line in header)
        {
            if (line.StartsWith("* Unmerged path ", StringComparison.Ordinal)) return line["* Unmerged path ".Length..];
            if (line.StartsWith("rename to ", StringComparison.Ordinal)) renamedTo = Unquote(line["rename to ".Length..]);
            else if (line.StartsWith("copy to ", StringComparison.Ordinal)) renamedTo = Unquote(line["copy to ".Length..]);
            else if (line.StartsWith("+++ ", StringComparison.Ordinal)) newSide = StripPrefix(Unquote(line[4..]));
            else if (line.StartsWith("--- ", StringComparison.Ordinal)) oldSide = StripPrefix(Unquote(line[4..]));
        }
        if (renamedTo is not null) return renamedTo;
        if (newSide is not null && newSide != "/dev/null") return newSide;
        if (oldSide is not null && oldSide != "/dev/null") return oldSide;
        return PathOfDiffLine(header[0]);
    }

    // "diff --git a/x b/x" without ---/+++ (binary, mode only): both halves name the same file.
    private static string PathOfDiffLine(string line)
    {
        string rest = line.StartsWith("diff --git ", StringComparison.Ordinal) ? line["diff --git ".Length..] : line;
        if (rest.StartsWith('"'))
        {
            int close = ClosingQuote(rest);
            return StripPrefix(Unquote(rest[..(close + 1)]));
        }
        // Unquoted: "a/P b/P" with the same P twice, so the split is in the middle.
        int middle = (rest.Length - 1) / 2;
        return rest.Length > 2 && rest[middle] == ' ' ? StripPrefix(rest[..middle]) : StripPrefix(rest);
    }

    private static int ClosingQuote(string text)
    {
        for (int i = 1; i < text.Length; i++)
        {
            if (text[i] == '\\') i++;
            else if (text[i] == '"') return i;
        }
        return text.Length - 1;
    }

    private static string StripPrefix(string path) =>
        path.Length > 2 && path[1] == '/' && path[0] is 'a' or 'b' or 'i' or 'w' or 'c' or 'o' ? path[2..] : path;

    /// <summary>Undoes git's C-style quoting (<c>core.quotePath</c>): octal escapes are bytes, decoded as UTF-8 at the end.</summary>
    internal static string Unquote(string text)
    {
        text = text.TrimEnd('\t');
        if (text.Length < 2 || text[0] != '"')
        {
            return text;
        }
        var bytes = new List<byte>();
        for (int i = 1; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '"') break;
            if (c != '\\' || i + 1 >= text.Length)
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
                continue;
            }
            char escaped = text[++i];
            if (escaped is >= '0' and <= '7' && i + 2 < text.Length)
            {
                bytes.Add(Convert.ToByte(text.Substring(i, 3), 8));
                i += 2;
                continue;
            }
            bytes.Add(escaped switch
            {
                'n' => (byte)'\n',
                't' => (byte)'\t',
                'r' => (byte)'\r',
                'a' => 7,
                'b' => 8,
                'f' => 12,
                'v' => 11,
                _ => (byte)escaped,
            });
        }
        return new UTF8Encoding(false, throwOnInvalidBytes: false).GetString(bytes.ToArray());
    }
}

/// <summary>
/// One file of a patch: <see cref="Header"/> holds the <c>diff --git</c> line and what follows up to the first hunk
/// (index, mode, rename, <c>---</c>/<c>+++</c>, "Binary files … differ").
/// </summary>
public sealed record DiffFile(string Path, IReadOnlyList<string> Header, IReadOnlyList<DiffHunk> Hunks)
{
    public bool IsBinary => Header.Any(line => line.StartsWith("Binary files ", StringComparison.Ordinal) || line == "GIT binary patch");

    public int AddedLines => Hunks.Sum(h => h.Lines.Count(line => line.StartsWith('+')));

    public int RemovedLines => Hunks.Sum(h => h.Lines.Count(line => line.StartsWith('-')));
}

/// <summary>One hunk: its <c>@@ -a,b +c,d @@</c> line and its lines, each starting with ' ', '+', '-' or '\'.</summary>
public sealed record DiffHunk(string Header, IReadOnlyList<string> Lines);
