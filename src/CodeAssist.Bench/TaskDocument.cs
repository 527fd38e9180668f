using System.Security.Cryptography;
using System.Text;

namespace CodeAssist.Bench;

/// <summary>The document a task's client sends: the file with everything from the cursor to the end of its line removed.</summary>
public static class TaskDocument
{
    /// <summary>Reads the task's file from the corpus and hides the rest of the cursor line.</summary>
    /// <exception cref="BenchException">The file is missing, or its cursor line differs from the task's (lineSha1).</exception>
    public static string Create(BenchTask task, string corpusDirectory)
    {
        string path = task.DocumentPath(corpusDirectory);
        if (!File.Exists(path)) throw new BenchException($"{task.Id}: {path} does not exist; is the corpus at {corpusDirectory}?");
        return Truncate(task, Decode(File.ReadAllBytes(path)));
    }

    /// <summary>What <see cref="Create"/> hides: the cursor line from the cursor to its end, as the file has it.</summary>
    public static string HiddenText(BenchTask task, string corpusDirectory)
    {
        string text = Decode(File.ReadAllBytes(task.DocumentPath(corpusDirectory)));
        var (start, length, _) = SplitLines(text)[task.Line];
        return text.Substring(start + task.Character, length - task.Character);
    }

    /// <summary>UTF-8 without its BOM.</summary>
    public static string Decode(byte[] bytes)
    {
        int start = bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        return Encoding.UTF8.GetString(bytes, start, bytes.Length - start);
    }

    public static string Truncate(BenchTask task, string text)
    {
        var lines = SplitLines(text);
        if (task.Line >= lines.Count) throw new BenchException($"{task.Id}: line {task.Line} is past the end of {task.File}");
        var (start, length, breakLength) = lines[task.Line];
        string line = text.Substring(start, length);
        if (LineSha1(line) != task.LineSha1)
            throw new BenchException($"{task.Id}: line {task.Line} of {task.File} differs from the task's (lineSha1 {task.LineSha1}); wrong corpus version?");
        if (task.Character > length) throw new BenchException($"{task.Id}: character {task.Character} is past the end of line {task.Line}");
        return string.Concat(text.AsSpan(0, start + task.Character), text.AsSpan(start + length));
    }

    /// <summary>First 8 hex digits of the SHA-1 of the line's UTF-8 bytes.</summary>
    public static string LineSha1(string line) => Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(line)))[..8];

    /// <summary>LSP lines: each ends at <c>\r\n</c>, <c>\r</c> or <c>\n</c>; the text after the last break is a line too.</summary>
    public static IReadOnlyList<(int Start, int Length, int BreakLength)> SplitLines(string text)
    {
        var lines = new List<(int, int, int)>();
        int start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] is not ('\r' or '\n')) continue;
            int breakLength = text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n' ? 2 : 1;
            lines.Add((start, i - start, breakLength));
            i += breakLength - 1;
            start = i + 1;
        }
        lines.Add((start, text.Length - start, 0));
        return lines;
    }
}
