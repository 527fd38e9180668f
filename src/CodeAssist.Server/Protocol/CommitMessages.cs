using System.Text.Json.Serialization;
using CodeAssist.Features.Commit;
using CodeAssist.Lsp;

namespace CodeAssist.Server.Protocol;

// codeassist/commitMessage: see docs/protocol.md. Its own file and its own source-generated context, with ProtocolJson's
// options: [JsonSerializable] attributes on a second partial declaration of ProtocolJson make the generator emit every
// type twice (CS8785, duplicate hint names), so they cannot simply be added there from another file.

public sealed record CommitMessageParams(string Uri, ProgressToken? PartialResultToken = null, ProgressToken? WorkDoneToken = null);

/// <summary><see cref="Source"/>: "staged" or "unstaged".</summary>
public sealed record CommitMessageResult(string Subject, string Body, string Source, ApiChangeReport[] ApiChanges, string[] Notes)
{
    public static CommitMessageResult From(CommitMessage message) => new(
        message.Subject,
        message.Body,
        message.Source == CodeAssist.Git.ChangeSource.Unstaged ? "unstaged" : "staged",
        message.ApiChanges.Select(ApiChangeReport.From).ToArray(),
        message.Notes.ToArray());
}

/// <summary><see cref="Kind"/>: added, removed, renamed, signatureChanged, testsChanged, fileAdded, fileDeleted.</summary>
public sealed record ApiChangeReport(string Kind, string Symbol, string? OldSymbol, string File)
{
    public static ApiChangeReport From(ApiChange change) =>
        new(KindName(change.Kind), change.Symbol, change.OldSymbol, change.File);

    private static string KindName(ApiChangeKind kind) => char.ToLowerInvariant(kind.ToString()[0]) + kind.ToString()[1..];
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(CommitMessageParams))]
[JsonSerializable(typeof(CommitMessageResult))]
public sealed partial class CommitMessageJson : JsonSerializerContext;
