using System.Text;
using CodeAssist.Git;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CodeAssist.Features.Commit;

/// <summary>
/// The API-level summary of a change set: files added and deleted, test files touched, and for every other C# file
/// the visible types and members added, removed, renamed or with a changed signature, from both versions' syntax.
/// A declaration removed from one file and added to another unchanged moved: it is no API change.
/// </summary>
public static class ApiChanges
{
    /// <summary>Files larger than this are not parsed: generated tables and data, not hand-written API.</summary>
    public const int MaxParsedBytes = 1024 * 1024;

    /// <param name="isAllowed">Whether a file's contents may be read into the summary (the prompt policy).</param>
    public static async Task<IReadOnlyList<ApiChange>> CollectAsync(GitRepository repository, ChangeSet changes, Func<string, bool> isAllowed,
        CancellationToken cancellationToken)
    {
        var result = new List<ApiChange>();
        var parsed = changes.Files
            .Where(f => f.Kind is not (FileChangeKind.Conflicted or FileChangeKind.TypeChanged) && PathConventions.IsCSharp(f.Path)
                        && !PathConventions.IsGenerated(f.Path) && isAllowed(f.Path) && (f.OldPath is null || isAllowed(f.OldPath)))
            .ToArray();
        var blobs = await repository.ReadBlobsAsync(
            parsed.SelectMany(f => new[] { f.OldBlob, f.NewBlob }).OfType<string>(), cancellationToken);

        var byFile = new List<ApiChange>();
        foreach (var file in changes.Files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (file.Kind == FileChangeKind.Added) result.Add(new ApiChange(ApiChangeKind.FileAdded, file.Path, null, file.Path));
            if (file.Kind == FileChangeKind.Deleted) result.Add(new ApiChange(ApiChangeKind.FileDeleted, file.Path, null, file.Path));
            if (!parsed.Contains(file)) continue;

            string? before = Text(file.OldBlob is null ? null : blobs.GetValueOrDefault(file.OldBlob));
            string? after = Text(file.NewBlob is not null ? blobs.GetValueOrDefault(file.NewBlob)
                : changes.Source == ChangeSource.Unstaged && file.Kind != FileChangeKind.Deleted ? repository.ReadWorkingFile(file.Path) : null);
            if (PathConventions.IsTest(file.Path))
            {
                if (before != after) result.Add(new ApiChange(ApiChangeKind.TestsChanged, TestTypes(after ?? before ?? "", file.Path), null, file.Path));
                continue;
            }
            var old = before is null ? [] : ApiDeclarations.Of(before, cancellationToken);
            var current = after is null ? [] : ApiDeclarations.Of(after, cancellationToken);
            byFile.AddRange(ApiComparison.Compare(file.Path, old, current));
        }
        foreach (var file in changes.Files.Where(f => PathConventions.IsTest(f.Path) && !parsed.Contains(f) && f.Kind != FileChangeKind.Conflicted))
        {
            result.Add(new ApiChange(ApiChangeKind.TestsChanged, Path.GetFileNameWithoutExtension(file.Path), null, file.Path));
        }
        result.AddRange(WithoutMoves(byFile));
        return Order(result);
    }

    /// <summary>Removed here and added there under the same symbol: moved between files.</summary>
    private static IEnumerable<ApiChange> WithoutMoves(List<ApiChange> changes)
    {
        var removed = changes.Where(c => c.Kind == ApiChangeKind.Removed).GroupBy(c => c.Symbol).ToDictionary(g => g.Key, g => g.Select(c => c.File).ToHashSet());
        var added = changes.Where(c => c.Kind == ApiChangeKind.Added).GroupBy(c => c.Symbol).ToDictionary(g => g.Key, g => g.Select(c => c.File).ToHashSet());
        return changes.Where(c => c.Kind switch
        {
            ApiChangeKind.Removed => !(added.TryGetValue(c.Symbol, out var files) && files.Any(f => f != c.File)),
            ApiChangeKind.Added => !(removed.TryGetValue(c.Symbol, out var files) && files.Any(f => f != c.File)),
            _ => true,
        });
    }

    private static IReadOnlyList<ApiChange> Order(List<ApiChange> changes) =>
        changes.OrderBy(c => c.Kind switch
            {
                ApiChangeKind.Renamed => 0,
                ApiChangeKind.SignatureChanged => 1,
                ApiChangeKind.Removed => 2,
                ApiChangeKind.Added => 3,
                ApiChangeKind.FileAdded => 4,
                ApiChangeKind.FileDeleted => 5,
                _ => 6,
            })
            .ThenBy(c => c.File, StringComparer.Ordinal)
            .ToArray();

    private static string TestTypes(string text, string path)
    {
        var root = CSharpSyntaxTree.ParseText(text, ApiDeclarations.ParseOptions).GetCompilationUnitRoot();
        var names = root.DescendantNodes(n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax)
            .OfType<BaseTypeDeclarationSyntax>().Select(t => t.Identifier.ValueText).Distinct().ToArray();
        return names.Length > 0 ? string.Join(", ", names) : Path.GetFileNameWithoutExtension(path);
    }

    /// <summary>Strict UTF-8 without BOM, or null for what is not text worth parsing.</summary>
    private static string? Text(byte[]? bytes)
    {
        if (bytes is null || bytes.Length > MaxParsedBytes || Array.IndexOf(bytes, (byte)0) >= 0) return null;
        try
        {
            int start = bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, start, bytes.Length - start);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}
