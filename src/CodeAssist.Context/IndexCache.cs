using System.Security.Cryptography;
using System.Text;

namespace CodeAssist.Context;

/// <summary>A file's size and last write time: if both are unchanged, so is what indexing learnt from it.</summary>
internal readonly record struct FileStamp(long Length, long LastWriteTicks)
{
    /// <summary>Null when the file cannot be seen (gone, or no permission).</summary>
    public static FileStamp? Of(string path)
    {
        try
        {
            var info = new FileInfo(path);
            return info.Exists ? new FileStamp(info.Length, info.LastWriteTimeUtc.Ticks) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }
}

internal sealed record CachedSummary(FileStamp Stamp, FileSummary Summary);

/// <summary>
/// The file summaries of one set of workspace folders, persisted between starts so that the next start reads and
/// tokenizes only the files that changed. One binary file per workspace, replaced whole (write to a temporary
/// file, then rename), so a crash leaves the previous one. Anything unreadable (another format version, a
/// truncated file) is treated as no cache: it only ever costs the time it was meant to save.
/// </summary>
internal static class IndexCache
{
    // Bump whenever what a summary holds or how it is rendered changes.
    private const int FormatVersion = 3;
    private static readonly byte[] s_magic = "CAIX"u8.ToArray();

    /// <summary>The cache file for these folders under <paramref name="directory"/>.</summary>
    public static string FileFor(string directory, IReadOnlyList<string> folders)
    {
        string key = string.Join("\n", folders.Order(StringComparer.Ordinal));
        return Path.Combine(directory, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..16] + ".index");
    }

    public static Dictionary<string, CachedSummary> Load(string file, Action<string> log)
    {
        var entries = new Dictionary<string, CachedSummary>(StringComparer.Ordinal);
        try
        {
            using var reader = new BinaryReader(new BufferedStream(File.OpenRead(file), 1 << 16), Encoding.UTF8);
            if (!reader.ReadBytes(4).AsSpan().SequenceEqual(s_magic) || reader.ReadInt32() != FormatVersion)
            {
                log($"index cache {file} has another format; indexing from scratch");
                return entries;
            }
            int count = ReadCount(reader, 1);
            for (int i = 0; i < count; i++)
            {
                string path = reader.ReadString();
                var stamp = new FileStamp(reader.ReadInt64(), reader.ReadInt64());
                entries[path] = new CachedSummary(stamp, ReadSummary(reader));
            }
            MarkUsed(file);
        }
        catch (FileNotFoundException) { }
        catch (DirectoryNotFoundException) { }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or EndOfStreamException or FormatException or ArgumentException or OverflowException)
        {
            log($"index cache {file} is unreadable ({e.Message}); indexing from scratch");
            entries.Clear();
        }
        return entries;
    }

    /// <summary>A cache read is in use: not one to prune. Best effort (a read-only cache is still a cache).</summary>
    private static void MarkUsed(string file)
    {
        try { File.SetLastWriteTimeUtc(file, DateTime.UtcNow); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    // Caches of workspaces not opened for this long, and temporary files a killed writer left, are deleted.
    private static readonly TimeSpan s_unusedFor = TimeSpan.FromDays(30);

    public static void Save(string file, IReadOnlyList<(string Path, CachedSummary Entry)> entries)
    {
        var directory = Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        foreach (var stale in directory.EnumerateFiles("*.index*").Where(f => f.LastWriteTimeUtc < DateTime.UtcNow - s_unusedFor)) stale.Delete();
        string temporary = $"{file}.{Environment.ProcessId}.tmp";
        try
        {
            using (var writer = new BinaryWriter(new BufferedStream(File.Create(temporary), 1 << 16), Encoding.UTF8))
            {
                writer.Write(s_magic);
                writer.Write(FormatVersion);
                writer.Write(entries.Count);
                foreach (var (path, entry) in entries)
                {
                    writer.Write(path);
                    writer.Write(entry.Stamp.Length);
                    writer.Write(entry.Stamp.LastWriteTicks);
                    WriteSummary(writer, entry.Summary);
                }
            }
            File.Move(temporary, file, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static void WriteSummary(BinaryWriter writer, FileSummary summary)
    {
        writer.Write(summary.Declarations.Count);
        foreach (var d in summary.Declarations)
        {
            writer.Write(d.Name);
            writer.Write(d.Container ?? "");
            writer.Write(d.IsType);
            writer.Write(d.Range.StartLine);
            writer.Write(d.Range.StartCharacter);
            writer.Write(d.Range.EndLine);
            writer.Write(d.Range.EndCharacter);
            writer.Write(d.Text);
            writer.Write(d.Start);
            writer.Write(d.Parent);
        }
        var lexical = summary.Lexical;
        writer.Write(lexical.LineCount);
        writer.Write(lexical.Tokens.Length);
        foreach (string token in lexical.Tokens) writer.Write(token);
        WriteInts(writer, lexical.TokenCounts);
        WriteInts(writer, lexical.RunStarts);
        writer.Write(lexical.Postings.Length);
        writer.Write(lexical.Postings);
        WriteInts(writer, lexical.WindowLengths);
    }

    private static FileSummary ReadSummary(BinaryReader reader)
    {
        var declarations = new Declaration[ReadCount(reader, 1)];
        for (int i = 0; i < declarations.Length; i++)
        {
            string name = Identifiers.Intern(reader.ReadString());
            string container = reader.ReadString();
            bool isType = reader.ReadBoolean();
            var range = new SourceSpan(reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32());
            declarations[i] = new Declaration(name, container.Length == 0 ? null : Identifiers.Intern(container), isType, range,
                reader.ReadString(), reader.ReadInt32(), reader.ReadInt32());
        }
        int lineCount = reader.ReadInt32();
        var tokens = new string[ReadCount(reader, 1)];
        for (int i = 0; i < tokens.Length; i++) tokens[i] = Identifiers.Intern(reader.ReadString());
        var tokenCounts = ReadInts(reader);
        var runStarts = ReadInts(reader);
        var postings = new byte[ReadCount(reader, 1)];
        reader.BaseStream.ReadExactly(postings);
        var windowLengths = ReadInts(reader);
        var lexical = new LexicalWindows(lineCount, tokens, tokenCounts, runStarts, postings, windowLengths);
        if (!lexical.IsWellFormed()) throw new FormatException("inconsistent lexical windows");
        return new FileSummary(declarations, lexical);
    }

    private static void WriteInts(BinaryWriter writer, ReadOnlySpan<int> values)
    {
        writer.Write(values.Length);
        writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values));
    }

    private static int[] ReadInts(BinaryReader reader)
    {
        var values = new int[ReadCount(reader, sizeof(int))];
        reader.BaseStream.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }

    /// <summary>A count of items at least <paramref name="itemBytes"/> long each, checked against what is left of the file.</summary>
    private static int ReadCount(BinaryReader reader, int itemBytes)
    {
        int count = reader.ReadInt32();
        if (count < 0 || (long)count * itemBytes > reader.BaseStream.Length - reader.BaseStream.Position) throw new FormatException($"a count of {count} does not fit the file");
        return count;
    }
}
