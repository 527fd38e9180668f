namespace CodeAssist.Bench;

/// <summary>0-based LSP positions; <see cref="EndCharacter"/> exclusive.</summary>
public readonly record struct AnswerRange(int StartLine, int StartCharacter, int EndLine, int EndCharacter);

/// <summary>One item of a <c>codeassist/context</c> answer; <see cref="Location"/> is a <c>file://</c> URI or an absolute path.</summary>
public sealed record AnswerItem(string Location, AnswerRange Range, string Kind, string Text);

public sealed record ContextAnswer(IReadOnlyList<AnswerItem> Items, int Tokens);

/// <summary>
/// What the benchmark asks of a context provider: the answer for <paramref name="task"/>'s cursor in
/// <paramref name="documentText"/> (the truncated document the client would send) within <paramref name="budgetTokens"/>.
/// A budget of 0 asks for nothing: an answerer with documents to open opens it afresh, as a task's first request finds
/// it, and answers empty, so the benchmark times the opening alone.
/// </summary>
public delegate Task<ContextAnswer> ContextAnswerer(BenchTask task, string documentText, int budgetTokens, CancellationToken cancellationToken);
