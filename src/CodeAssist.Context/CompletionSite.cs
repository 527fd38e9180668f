namespace CodeAssist.Context;

/// <summary>
/// What the code at a cursor asks of a completion, for the pipeline to decide what to generate and how to shape it:
/// where the cursor is (code, comment, literal, preprocessor line), whether one line or several fit there, the
/// indentation to match, and after <c>expr.</c> or <c>new </c> the names the first identifier must come from.
/// </summary>
/// <param name="Place">What the cursor is inside. Files other than C# are always <see cref="SitePlace.Code"/>.</param>
/// <param name="StringKind">Which literal, when <see cref="Place"/> is <see cref="SitePlace.String"/>; otherwise <see cref="StringKind.None"/>.</param>
/// <param name="IsMultiLine">Whether the completion may span lines: at an empty line of a block, after <c>{</c>, after a member
/// signature or a statement header that opens a block; never in the middle of an expression or line.</param>
/// <param name="LineIndentation">The cursor line's leading whitespace (the whole line when it is blank).</param>
/// <param name="IndentUnit">One level of the document's indentation: <c>"\t"</c> or N spaces (four when the document does not say).</param>
/// <param name="NewLine">The document's line break: <c>"\r\n"</c> or <c>"\n"</c>.</param>
/// <param name="Names">After <c>expr.</c>, <c>expr?.</c>, <c>Namespace.</c> or <c>new </c>: the accessible names the first
/// identifier of the completion comes from; null elsewhere, and when the receiver does not bind.</param>
public sealed partial record CompletionSite(
    bool IsCSharp,
    SitePlace Place,
    StringKind StringKind,
    bool IsMultiLine,
    string LineIndentation,
    string IndentUnit,
    string NewLine,
    NameChoice? Names);

public enum SitePlace
{
    Code,
    /// <summary>A comment, a documentation comment, or code an <c>#if</c> leaves out.</summary>
    Comment,
    /// <summary>The text of a string literal; an interpolated string's holes are <see cref="Code"/>.</summary>
    String,
    Character,
    /// <summary>A <c>#</c> directive line.</summary>
    Preprocessor,
}

public enum StringKind { None, Regular, Verbatim, Raw, Interpolated, InterpolatedVerbatim, InterpolatedRaw }

/// <summary>Where the names of a <see cref="NameChoice"/> come from.</summary>
public enum NameSource
{
    /// <summary><c>value.</c>: instance members of the value's type, base types and extension methods in scope included.</summary>
    InstanceMember,
    /// <summary><c>Type.</c>: static members, nested types, enum members.</summary>
    StaticMember,
    /// <summary><c>Namespace.</c>: its types and namespaces.</summary>
    NamespaceMember,
    /// <summary><c>new </c>: types in scope that can be created, the expected type and the types that fit it first.</summary>
    Type,
}

/// <summary>
/// The names the identifier at the cursor can be: each name once (overloads and partial declarations collapse), as
/// written in source. <see cref="TypedPrefix"/> is what the user typed of the identifier before the cursor; the list
/// is not filtered by it. <see cref="TypeName"/> is the receiver's type (members) or the expected type (<c>new</c>), when known.
/// </summary>
public sealed record NameChoice(NameSource Source, string TypedPrefix, IReadOnlyList<string> Names, string? TypeName);
