namespace CodeAssist.Features.Commit;

/// <summary>
/// What changed between the visible declarations of two versions of a C# file: types first (a renamed type renames
/// its members' containers, so they are not all reported again), then members. Pairs are found in this order:
/// the same symbol with a different signature; the same name in the same container, one on each side (a changed
/// parameter list); the same shape under another name (a rename: same body, new name); what is left was added or
/// removed. The members of an added or removed type are implied by it and not listed.
/// </summary>
internal static class ApiComparison
{
    public static List<ApiChange> Compare(string file, IReadOnlyList<ApiDeclaration> before, IReadOnlyList<ApiDeclaration> after)
    {
        var changes = new List<ApiChange>();
        var renamedContainers = new List<(ApiDeclaration Old, ApiDeclaration New)>();

        var (oldTypes, newTypes) = (before.Where(d => d.IsType).ToList(), after.Where(d => d.IsType).ToList());
        Pair(file, oldTypes, newTypes, changes, (oldType, newType) => renamedContainers.Add((oldType, newType)));
        PairRenamedTypes(file, oldTypes, newTypes, before, after, changes, renamedContainers);
        var removedTypes = oldTypes.Select(t => t.Symbol).ToHashSet(StringComparer.Ordinal);
        var addedTypes = newTypes.Select(t => t.Symbol).ToHashSet(StringComparer.Ordinal);
        foreach (var type in oldTypes) changes.Add(new ApiChange(ApiChangeKind.Removed, type.Symbol, null, file));
        foreach (var type in newTypes) changes.Add(new ApiChange(ApiChangeKind.Added, type.Symbol, null, file));

        // Old members under their type's new name, so a renamed type's unchanged members match.
        var oldMembers = before.Where(d => !d.IsType && !IsInside(d.Container, removedTypes))
            .Select(d => Rename(d, renamedContainers)).ToList();
        var newMembers = after.Where(d => !d.IsType && !IsInside(d.Container, addedTypes)).ToList();
        Pair(file, oldMembers, newMembers, changes, (_, _) => { });
        foreach (var member in oldMembers) changes.Add(new ApiChange(ApiChangeKind.Removed, member.Symbol, null, file));
        foreach (var member in newMembers) changes.Add(new ApiChange(ApiChangeKind.Added, member.Symbol, null, file));
        return changes;
    }

    /// <summary>Matches declarations of both sides, reporting what changed and removing the matched ones from both lists.</summary>
    private static void Pair(string file, List<ApiDeclaration> before, List<ApiDeclaration> after, List<ApiChange> changes,
        Action<ApiDeclaration, ApiDeclaration> matched)
    {
        var bySymbol = after.GroupBy(d => d.Symbol, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        foreach (var old in before.ToArray())
        {
            if (!bySymbol.Remove(old.Symbol, out var current)) continue;
            before.Remove(old);
            after.Remove(current);
            matched(old, current);
            if (old.Signature != current.Signature)
            {
                changes.Add(new ApiChange(ApiChangeKind.SignatureChanged, current.Symbol, null, file));
            }
        }

        foreach (var group in before.GroupBy(d => (d.Container, d.Name, d.Kind)).ToArray())
        {
            var candidates = after.Where(d => (d.Container, d.Name, d.Kind) == group.Key).ToArray();
            if (group.Count() == 1 && candidates.Length == 1)
            {
                before.Remove(group.Single());
                after.Remove(candidates[0]);
                matched(group.Single(), candidates[0]);
                changes.Add(new ApiChange(ApiChangeKind.SignatureChanged, candidates[0].Symbol, group.Single().Symbol, file));
            }
        }

        foreach (var old in before.ToArray())
        {
            string shape = ApiDeclarations.Shape(old);
            var renamed = after.FirstOrDefault(d => d.Container == old.Container && d.Kind == old.Kind && d.Name != old.Name && ApiDeclarations.Shape(d) == shape);
            if (renamed is null) continue;
            before.Remove(old);
            after.Remove(renamed);
            matched(old, renamed);
            changes.Add(new ApiChange(ApiChangeKind.Renamed, renamed.Symbol, old.Symbol, file));
        }
    }

    /// <summary>
    /// A type renamed while its members changed too has another shape: it is the same type when most of its members
    /// (by name and parameters, constructors aside) are still there, in a type of the same kind and container.
    /// </summary>
    private static void PairRenamedTypes(string file, List<ApiDeclaration> oldTypes, List<ApiDeclaration> newTypes,
        IReadOnlyList<ApiDeclaration> before, IReadOnlyList<ApiDeclaration> after, List<ApiChange> changes,
        List<(ApiDeclaration Old, ApiDeclaration New)> renamed)
    {
        HashSet<string> Members(IReadOnlyList<ApiDeclaration> declarations, ApiDeclaration type) =>
            declarations.Where(d => d.Container == type.Symbol && d.Kind != "constructor")
                .Select(d => d.Symbol[type.Symbol.Length..]).ToHashSet(StringComparer.Ordinal);

        foreach (var oldType in oldTypes.ToArray())
        {
            var oldMembers = Members(before, oldType);
            if (oldMembers.Count == 0) continue;
            var best = newTypes
                .Where(t => t.Container == oldType.Container && t.Node.RawKind == oldType.Node.RawKind)
                .Select(t => (Type: t, Members: Members(after, t)))
                .Select(t => (t.Type, Similarity: (double)t.Members.Intersect(oldMembers).Count() / t.Members.Union(oldMembers).Count()))
                .Where(t => t.Similarity >= 0.5)
                .OrderByDescending(t => t.Similarity)
                .FirstOrDefault();
            if (best.Type is null) continue;
            oldTypes.Remove(oldType);
            newTypes.Remove(best.Type);
            renamed.Add((oldType, best.Type));
            changes.Add(new ApiChange(ApiChangeKind.Renamed, best.Type.Symbol, oldType.Symbol, file));
        }
    }

    private static bool IsInside(string container, HashSet<string> types) =>
        types.Any(t => container == t || container.StartsWith(t + ".", StringComparison.Ordinal));

    private static ApiDeclaration Rename(ApiDeclaration declaration, List<(ApiDeclaration Old, ApiDeclaration New)> renamedTypes)
    {
        foreach (var (oldType, newType) in renamedTypes)
        {
            if (declaration.Container != oldType.Symbol && !declaration.Container.StartsWith(oldType.Symbol + ".", StringComparison.Ordinal))
            {
                continue;
            }
            string container = newType.Symbol + declaration.Container[oldType.Symbol.Length..];
            string member = declaration.Symbol[declaration.Container.Length..];
            string name = declaration.Name;
            if (declaration.Kind == "constructor" && declaration.Container == oldType.Symbol)
            {
                // A constructor bears its type's name: renamed with it.
                member = "." + newType.Name + member[(1 + oldType.Name.Length)..];
                name = newType.Name;
            }
            string signature = name == declaration.Name ? declaration.Signature : declaration.Signature.Replace(oldType.Name + "(", newType.Name + "(", StringComparison.Ordinal);
            return declaration with { Container = container, Name = name, Symbol = container + member, Signature = signature };
        }
        return declaration;
    }
}
