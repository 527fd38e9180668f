using System.Collections.Immutable;
using CodeAssist.Server.Documents;
using CodeAssist.Server.Protocol;

namespace CodeAssist.Server;

/// <summary>
/// Everything a request may read, frozen: readers keep the snapshot they were handed while mutations build
/// the next one.
/// </summary>
public sealed record WorkspaceSnapshot(
    ImmutableArray<WorkspaceFolder> Folders,
    ImmutableDictionary<string, TrackedDocument> Documents,
    ServerSettings Settings,
    ClientCapabilities Client)
{
    public static readonly WorkspaceSnapshot Empty =
        new([], ImmutableDictionary.Create<string, TrackedDocument>(StringComparer.Ordinal), ServerSettings.Default, new ClientCapabilities());
}

/// <summary>
/// Holds the current <see cref="WorkspaceSnapshot"/>. Only mutating handlers call <see cref="Update"/>, and
/// the request queue runs those one at a time, so updates need no lock; readers take
/// <see cref="Current"/> when the queue builds their context.
/// </summary>
public sealed class Workspace
{
    private volatile WorkspaceSnapshot _current = WorkspaceSnapshot.Empty;

    public WorkspaceSnapshot Current => _current;

    public void Update(Func<WorkspaceSnapshot, WorkspaceSnapshot> change) => _current = change(_current);
}

/// <summary>
/// What a handler gets from the queue: the snapshot as of its position in the queue, and that position (messages are
/// numbered as the queue takes them, in arrival order; reads may then run in any order, so features that let the newest
/// request win compare these).
/// </summary>
public sealed record RequestContext(WorkspaceSnapshot Snapshot, long Position);
