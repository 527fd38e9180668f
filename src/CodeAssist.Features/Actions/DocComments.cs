using CodeAssist.Context;
using CodeAssist.Features.Generation;
using CodeAssist.Models;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace CodeAssist.Features.Actions;

/// <summary>A replacement of <c>[Start, End)</c> (UTF-16 offsets of the document's text the request was made on) by <see cref="NewText"/>.</summary>
public sealed record DocumentEdit(int Start, int End, string NewText);

/// <summary>The comment insertions, the members they document, and the members left alone with why.</summary>
public sealed record DocumentationResult(IReadOnlyList<DocumentEdit> Edits, IReadOnlyList<string> Documented, IReadOnlyList<string> Skipped);

/// <summary>
/// <c>codeassist/document</c>: documentation comments for the members a selection covers, one model prompt per member,
/// offered as edits that insert only comments (in C#, checked with Roslyn: the edited file's syntax is equivalent to the
/// original's once trivia is ignored). Members already documented are left alone unless <c>overwrite</c> is asked;
/// then only their doc comments are replaced. Other languages get their convention's comment before the selection's
/// first line (a docstring after a Python <c>def</c> or <c>class</c> line).
/// </summary>
public static class DocComments
{
    public const string Task = "document";
    public const int MaxMembers = 24;
    private const int MaxCommentTokens = 256;
    private const int MaxShownCharacters = 6000;

    public static async Task<DocumentationResult> WriteAsync(Workbench bench, CodeSelection selection, bool overwrite,
        Func<string, CancellationToken, Task>? onText, CancellationToken cancellationToken)
    {
        bench.Counters.Request();
        var budget = PromptBudget.For(bench, MaxCommentTokens);
        PromptInputs.CheckSelection(bench, selection, budget, "document");
        return selection.Language == CodeLanguage.CSharp
            ? await CSharpAsync(bench, selection, overwrite, budget, onText, cancellationToken).ConfigureAwait(false)
            : await OtherAsync(bench, selection, overwrite, budget, onText, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<DocumentationResult> CSharpAsync(Workbench bench, CodeSelection selection, bool overwrite, PromptBudget budget,
        Func<string, CancellationToken, Task>? onText, CancellationToken cancellationToken)
    {
        var tree = CodeTargets.Parse(selection.DocumentText);
        var root = tree.GetRoot(cancellationToken);
        var members = CodeTargets.MembersIn(root, TextSpan.FromBounds(selection.Start, selection.End));
        if (members.Count == 0) throw new FeatureException("The selection holds no declaration to document: select a type or a member.");
        if (members.Count > MaxMembers) throw new FeatureException($"The selection holds {members.Count} declarations; document at most {MaxMembers} at a time.");
        string newLine = selection.DocumentText.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        var text = tree.GetText(cancellationToken);
        var edits = new List<DocumentEdit>();
        var documented = new List<string>();
        var skipped = new List<string>();
        foreach (var member in members)
        {
            string name = CodeTargets.DisplayName(member);
            var docs = member.GetLeadingTrivia().Where(t => t.IsKind(SyntaxKind.SingleLineDocumentationCommentTrivia) || t.IsKind(SyntaxKind.MultiLineDocumentationCommentTrivia)).ToArray();
            if (docs.Length > 0 && !overwrite)
            {
                skipped.Add($"{name}: already documented");
                continue;
            }
            var line = text.Lines.GetLineFromPosition(member.SpanStart);
            string indent = text.ToString(TextSpan.FromBounds(line.Start, member.SpanStart));
            if (indent.Any(c => !char.IsWhiteSpace(c))) indent = new string(' ', indent.Length - indent.TrimStart().Length);
            string existing = string.Concat(docs.Select(d => d.ToFullString())).Trim();
            var prompt = Prompt(bench, selection, budget, CodeTargets.KindName(member), name, CodeTargets.Shown(member, Math.Min(MaxShownCharacters, budget.PromptLimit)),
                existing, member.Span, cancellationToken);
            string answer = await ModelGeneration.RunAsync(bench, prompt, onText, cancellationToken).ConfigureAwait(false);
            var lines = DocCommentText.Lines(answer, DocCommentStyle.XmlLines);
            if (lines.Count == 0)
            {
                skipped.Add($"{name}: the model wrote no usable comment");
                continue;
            }
            string comment = string.Concat(lines.Select(l => indent + l + newLine));
            edits.Add(docs.Length > 0
                ? new DocumentEdit(text.Lines.GetLineFromPosition(docs[0].SpanStart).Start, line.Start, comment)
                : new DocumentEdit(line.Start, line.Start, comment));
            documented.Add(name);
        }
        EnsureOnlyComments(tree, selection.DocumentText, edits, cancellationToken);
        return new DocumentationResult(edits, documented, skipped);
    }

    /// <summary>The invariant of this feature, checked before anything is offered: the edits change no token of the file.</summary>
    private static void EnsureOnlyComments(SyntaxTree tree, string documentText, IReadOnlyList<DocumentEdit> edits, CancellationToken cancellationToken)
    {
        if (edits.Count == 0) return;
        var edited = Apply(documentText, edits);
        var editedTree = CSharpSyntaxTree.ParseText(edited, CodeTargets.ParseOptions, cancellationToken: cancellationToken);
        if (!SyntaxFactory.AreEquivalent(tree.GetRoot(cancellationToken), editedTree.GetRoot(cancellationToken), topLevel: false))
            throw new InvalidOperationException("A documentation edit changed code, not only comments.");
    }

    /// <summary>The text with the (non-overlapping) edits applied.</summary>
    public static string Apply(string text, IReadOnlyList<DocumentEdit> edits)
    {
        var result = new System.Text.StringBuilder(text);
        foreach (var edit in edits.OrderByDescending(e => e.Start))
        {
            result.Remove(edit.Start, edit.End - edit.Start).Insert(edit.Start, edit.NewText);
        }
        return result.ToString();
    }

    /// <summary>
    /// Without a parser for the language, the selection is the declaration: its first non-blank line is where the comment
    /// goes (for a Python <c>def</c>/<c>class</c> line, a docstring after it). A comment already above it counts as its doc.
    /// </summary>
    private static async Task<DocumentationResult> OtherAsync(Workbench bench, CodeSelection selection, bool overwrite, PromptBudget budget,
        Func<string, CancellationToken, Task>? onText, CancellationToken cancellationToken)
    {
        var text = SourceText.From(selection.DocumentText);
        var first = text.Lines.Skip(text.Lines.GetLineFromPosition(selection.Start).LineNumber)
            .First(l => l.End >= selection.Start && !string.IsNullOrWhiteSpace(l.ToString()) || l.Start >= selection.End);
        string firstText = first.ToString();
        string name = firstText.Trim().Length > 80 ? firstText.Trim()[..80] + "…" : firstText.Trim();
        string indent = firstText[..(firstText.Length - firstText.TrimStart().Length)];
        var style = selection.Language.DocComments;
        bool docstring = style == DocCommentStyle.Docstring && firstText.TrimEnd().EndsWith(':');
        if (style == DocCommentStyle.Docstring && !docstring) style = DocCommentStyle.HashLines;
        string newLine = selection.DocumentText.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";

        var (existingStart, existing) = docstring ? DocstringAfter(text, first) : CommentsAbove(text, first, style);
        if (existing.Length > 0 && !overwrite) return new DocumentationResult([], [], [$"{name}: already documented"]);
        int shown = Math.Min(MaxShownCharacters, budget.PromptLimit);
        var prompt = Prompt(bench, selection, budget, "declaration", name, selection.Text.Length <= shown ? selection.Text : selection.Text[..shown],
            existing, TextSpan.FromBounds(selection.Start, selection.End), cancellationToken);
        string answer = await ModelGeneration.RunAsync(bench, prompt, onText, cancellationToken).ConfigureAwait(false);
        var lines = DocCommentText.Lines(answer, style);
        if (lines.Count == 0) return new DocumentationResult([], [], [$"{name}: the model wrote no usable comment"]);
        if (docstring)
        {
            string bodyIndent = indent + "    ";
            // After the def line; a def on the last line without a line break gets one first.
            int at = first.EndIncludingLineBreak;
            string comment = (at == first.End ? newLine : "") + string.Concat(lines.Select(l => bodyIndent + l + newLine));
            var edit = existing.Length > 0 ? new DocumentEdit(existingStart, ExistingEnd(text, existingStart, existing), comment) : new DocumentEdit(at, at, comment);
            return new DocumentationResult([edit], [name], []);
        }
        string block = string.Concat(lines.Select(l => indent + l + newLine));
        var insert = existing.Length > 0 ? new DocumentEdit(existingStart, first.Start, block) : new DocumentEdit(first.Start, first.Start, block);
        return new DocumentationResult([insert], [name], []);
    }

    private static int ExistingEnd(SourceText text, int start, string existing) => Math.Min(text.Length, text.Lines[text.Lines.GetLineFromPosition(start + existing.Length - 1).LineNumber].EndIncludingLineBreak);

    private static (int Start, string Text) CommentsAbove(SourceText text, TextLine first, DocCommentStyle style)
    {
        string[] prefixes = style switch
        {
            DocCommentStyle.Block => ["/**", "*", "*/"],
            DocCommentStyle.SlashLines => ["///"],
            DocCommentStyle.LineComments => ["//"],
            _ => ["#"],
        };
        int line = first.LineNumber - 1;
        while (line >= 0 && prefixes.Any(p => text.Lines[line].ToString().TrimStart().StartsWith(p, StringComparison.Ordinal))) line--;
        if (line == first.LineNumber - 1) return (first.Start, "");
        int start = text.Lines[line + 1].Start;
        return (start, text.ToString(TextSpan.FromBounds(start, first.Start)));
    }

    private static (int Start, string Text) DocstringAfter(SourceText text, TextLine first)
    {
        if (first.LineNumber + 1 >= text.Lines.Count) return (text.Length, "");
        var next = text.Lines[first.LineNumber + 1];
        string trimmed = next.ToString().TrimStart();
        if (!trimmed.StartsWith("\"\"\"", StringComparison.Ordinal) && !trimmed.StartsWith("'''", StringComparison.Ordinal)) return (next.Start, "");
        string quote = trimmed[..3];
        int close = trimmed.IndexOf(quote, 3, StringComparison.Ordinal);
        int endLine = next.LineNumber;
        if (close < 0)
        {
            while (endLine + 1 < text.Lines.Count && !text.Lines[endLine + 1].ToString().Contains(quote, StringComparison.Ordinal)) endLine++;
            endLine = Math.Min(text.Lines.Count - 1, endLine + 1);
        }
        return (next.Start, text.ToString(TextSpan.FromBounds(next.Start, text.Lines[endLine].End)));
    }

    private static PreparedPrompt Prompt(Workbench bench, CodeSelection selection, PromptBudget budget, string kind, string name, string code, string existing,
        TextSpan span, CancellationToken cancellationToken)
    {
        var template = bench.Template(Task);
        var question = new Question { Text = name, Path = selection.Path, SelectionStart = span.Start, SelectionEnd = span.End };
        IReadOnlyList<ChatMessage> Render(IReadOnlyList<QuestionItem> items, IReadOnlyList<ChatMessage> _) => template.Render(new
        {
            Language = selection.Language.Name,
            Convention = Convention(selection.Language.DocComments),
            Kind = kind,
            Name = name,
            Fence = selection.Language.Fence,
            Code = code.TrimEnd(),
            Existing = existing,
            Context = PromptInputs.Context(bench, items),
        });
        string TooLong(int tokens) => $"{name} takes {tokens:N0} tokens of a prompt; the model's window of {budget.Window:N0} tokens leaves {budget.PromptLimit:N0}: select less.";
        // Documenting needs the signatures around a member, not the whole repository: a small context keeps each prompt quick.
        return budget.Fit(bench, Task, question, Math.Min(2048, budget.PromptLimit / 4), [], Render, TooLong, [], cancellationToken);
    }

    private static string Convention(DocCommentStyle style) => style switch
    {
        DocCommentStyle.XmlLines => "XML documentation comments: /// <summary>, <param>, <returns>, <exception>",
        DocCommentStyle.Block => "a /** … */ block",
        DocCommentStyle.SlashLines => "/// lines of Markdown",
        DocCommentStyle.LineComments => "// lines starting with the declared name",
        DocCommentStyle.Docstring => "a docstring",
        _ => "# comment lines",
    };
}
