namespace CodeAssist.Models;

/// <summary>
/// A constraint on the first identifier a completion generates, for the cursor right after <c>expr.</c> or <c>new </c>:
/// the identifier the user started (<see cref="TypedPrefix"/>, already in the document) must become one of
/// <see cref="Names"/>, so the generated text starts with the rest of a name and then a character that cannot continue
/// an identifier, or ends there. Names are compared ordinally; those not starting with the typed prefix are ignored.
/// </summary>
public sealed record IdentifierChoice(string TypedPrefix, IReadOnlyList<string> Names);

/// <summary>What became of a <see cref="CompletionRequest.FirstIdentifier"/>, reported on the final chunk.</summary>
public enum IdentifierConstraintOutcome
{
    /// <summary>No choice was given, or it named nothing: generation was free.</summary>
    NotRequested,
    /// <summary>The first identifier was held to the names (unless generation stopped inside it: max tokens, deadline).</summary>
    Applied,
    /// <summary>No name starts with the typed prefix: generation was free.</summary>
    NoNameMatchesPrefix,
    /// <summary>No token of the vocabulary continues any name (a vocabulary without byte tokens): the rest was free.</summary>
    Abandoned,
    /// <summary>The backend cannot constrain generation (the remote one): the caller checks the text instead.</summary>
    Unsupported,
}
