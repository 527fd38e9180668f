namespace CodeAssist.Features.Commit;

public enum ApiChangeKind { Added, Removed, Renamed, SignatureChanged, TestsChanged, FileAdded, FileDeleted }

/// <summary>
/// One change a commit makes to what other code can see. <see cref="Symbol"/> names a type or member as
/// <c>Type.Member(ParameterTypes)</c> (nested types joined by dots, no namespace), or a file's path for file changes
/// and the test types touched for <see cref="ApiChangeKind.TestsChanged"/>; <see cref="OldSymbol"/> is the name before
/// a rename or a signature change. <see cref="File"/> is relative to the repository root.
/// </summary>
public sealed record ApiChange(ApiChangeKind Kind, string Symbol, string? OldSymbol, string File);
