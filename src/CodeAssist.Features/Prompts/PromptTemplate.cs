using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;
using CodeAssist.Models;

namespace CodeAssist.Features.Prompts;

/// <summary>
/// A prompt template: a small subset of Mustache whose output is split into chat messages.
/// <list type="bullet">
/// <item><c>{{name}}</c> inserts a value as is (no escaping: prompts are not HTML); <c>{{a.b}}</c> reads a property.</item>
/// <item><c>{{#name}}…{{/name}}</c> repeats for each item of a list (the item's properties in scope, <c>{{.}}</c> the
/// item itself), or renders once for <c>true</c> or a non-empty value; <c>{{^name}}…{{/name}}</c> renders when the value
/// is missing, false, empty or an empty list.</item>
/// <item><c>{{! … }}</c> is a comment; each template opens with one that documents its variables.</item>
/// <item>A line holding only a section tag or a comment disappears whole, so templates can be laid out readably.</item>
/// <item>A line <c>=== system ===</c>, <c>=== user ===</c> or <c>=== assistant ===</c> starts a message with that role; such a
/// line inside a value is escaped, so no code or question can start a message.</item>
/// </list>
/// Values come from the properties of ordinary objects (records, anonymous types) or from dictionaries, matched by name
/// without regard to case. A variable the template names but the caller did not supply is an error: a typo in a template
/// must not silently drop context from every prompt.
/// </summary>
public sealed class PromptTemplate
{
    private readonly Node[] _nodes;

    private PromptTemplate(string name, string text, Node[] nodes)
    {
        Name = name;
        Text = text;
        _nodes = nodes;
    }

    /// <summary>Where the template came from (a file path or a settings key), for error messages.</summary>
    public string Name { get; }

    public string Text { get; }

    /// <exception cref="PromptException">The text is not a well-formed template.</exception>
    public static PromptTemplate Parse(string name, string text)
    {
        var tokens = Tokenize(name, text.Replace("\r\n", "\n", StringComparison.Ordinal));
        var position = 0;
        var nodes = ParseNodes(name, tokens, ref position, closing: null);
        return new PromptTemplate(name, text, nodes);
    }

    /// <summary>The template rendered with <paramref name="variables"/> and split into messages.</summary>
    /// <exception cref="PromptException">A variable the template uses is missing, or no message has any text.</exception>
    public IReadOnlyList<ChatMessage> Render(object variables)
    {
        var text = RenderText(variables);
        var messages = new List<ChatMessage>();
        string? role = null;
        var content = new StringBuilder();
        void Flush()
        {
            if (role is not null && content.ToString().Trim().Length > 0)
            {
                messages.Add(new ChatMessage(role, content.ToString().Trim('\n')));
            }
            content.Clear();
        }
        foreach (var line in text.Split('\n'))
        {
            if (RoleOf(line) is { } next)
            {
                Flush();
                role = next;
                continue;
            }
            if (role is null && line.Trim().Length > 0)
            {
                throw new PromptException($"{Name}: text before the first '=== user ===' (or system/assistant) line has no role.");
            }
            content.Append(line).Append('\n');
        }
        Flush();
        if (messages.Count == 0)
        {
            throw new PromptException($"{Name}: the rendered prompt has no message.");
        }
        return messages;
    }

    /// <summary>The rendered text before it is split into messages (golden tests read it whole).</summary>
    public string RenderText(object variables)
    {
        var output = new StringBuilder();
        RenderNodes(_nodes, new Scope(variables, null), output);
        return output.ToString();
    }

    // Only a line that starts with the marker: inserted text such as a diff's context line " === user ===" is content.
    private static string? RoleOf(string line) => line.TrimEnd() switch
    {
        "=== system ===" => "system",
        "=== user ===" => "user",
        "=== assistant ===" => "assistant",
        _ => null,
    };

    private abstract record Node;
    private sealed record TextNode(string Text) : Node;
    private sealed record VariableNode(string Path) : Node;
    private sealed record SectionNode(string Path, bool Inverted, Node[] Children) : Node;

    private enum TokenKind { Text, Variable, Open, Inverted, Close, Comment }
    private readonly record struct Token(TokenKind Kind, string Value, int Line);

    private static List<Token> Tokenize(string name, string text)
    {
        var tokens = new List<Token>();
        var lineNumber = 1;
        foreach (var line in SplitLines(text))
        {
            var lineTokens = TokenizeLine(name, line, lineNumber);
            lineNumber += line.Count(c => c == '\n');
            // A line of only section tags and comments (and blanks) leaves no trace, its line break included.
            var standalone = lineTokens.Any(t => t.Kind is TokenKind.Open or TokenKind.Inverted or TokenKind.Close or TokenKind.Comment)
                && lineTokens.All(t => t.Kind is not TokenKind.Variable && (t.Kind != TokenKind.Text || string.IsNullOrWhiteSpace(t.Value)));
            tokens.AddRange(lineTokens.Where(t => t.Kind != TokenKind.Comment && !(standalone && t.Kind == TokenKind.Text)));
        }
        return tokens;
    }

    /// <summary>Lines keeping their '\n'; a comment spanning lines is kept within the line it starts on.</summary>
    private static IEnumerable<string> SplitLines(string text)
    {
        var start = 0;
        var i = 0;
        while (i < text.Length)
        {
            if (string.CompareOrdinal(text, i, "{{!", 0, 3) == 0)
            {
                var end = text.IndexOf("}}", i + 3, StringComparison.Ordinal);
                i = end < 0 ? text.Length : end + 2;
                continue;
            }
            if (text[i] == '\n')
            {
                yield return text[start..(i + 1)];
                start = i + 1;
            }
            i++;
        }
        if (start < text.Length)
        {
            yield return text[start..];
        }
    }

    /// <summary>The tokens of one line (a comment may span several).</summary>
    private static List<Token> TokenizeLine(string name, string line, int lineNumber)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < line.Length)
        {
            var open = line.IndexOf("{{", i, StringComparison.Ordinal);
            if (open < 0)
            {
                tokens.Add(new Token(TokenKind.Text, line[i..], lineNumber));
                break;
            }
            if (open > i)
            {
                tokens.Add(new Token(TokenKind.Text, line[i..open], lineNumber));
            }
            var close = line.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                throw new PromptException($"{name}:{lineNumber}: '{{{{' without a closing '}}}}' on its line.");
            }
            var inner = line[(open + 2)..close].Trim();
            i = close + 2;
            if (inner.StartsWith('!'))
            {
                tokens.Add(new Token(TokenKind.Comment, "", lineNumber));
                continue;
            }
            var (kind, value) = inner.Length > 0 ? inner[0] switch
            {
                '#' => (TokenKind.Open, inner[1..].Trim()),
                '^' => (TokenKind.Inverted, inner[1..].Trim()),
                '/' => (TokenKind.Close, inner[1..].Trim()),
                _ => (TokenKind.Variable, inner),
            } : (TokenKind.Variable, "");
            if (value.Length == 0 || value != "." && !value.All(c => char.IsLetterOrDigit(c) || c is '_' or '.'))
            {
                throw new PromptException($"{name}:{lineNumber}: '{{{{{inner}}}}}' is not a variable name.");
            }
            tokens.Add(new Token(kind, value, lineNumber));
        }
        return tokens;
    }

    private static Node[] ParseNodes(string name, List<Token> tokens, ref int position, Token? closing)
    {
        var nodes = new List<Node>();
        while (position < tokens.Count)
        {
            var token = tokens[position++];
            switch (token.Kind)
            {
                case TokenKind.Text or TokenKind.Comment:
                    nodes.Add(new TextNode(token.Value));
                    break;
                case TokenKind.Variable:
                    nodes.Add(new VariableNode(token.Value));
                    break;
                case TokenKind.Open or TokenKind.Inverted:
                    var children = ParseNodes(name, tokens, ref position, token);
                    nodes.Add(new SectionNode(token.Value, token.Kind == TokenKind.Inverted, children));
                    break;
                case TokenKind.Close:
                    if (closing is not { } open || open.Value != token.Value)
                    {
                        throw new PromptException($"{name}:{token.Line}: '{{{{/{token.Value}}}}}' closes no open section.");
                    }
                    return nodes.ToArray();
            }
        }
        if (closing is { } unclosed)
        {
            throw new PromptException($"{name}:{unclosed.Line}: section '{unclosed.Value}' is never closed.");
        }
        return nodes.ToArray();
    }

    private sealed record Scope(object? Value, Scope? Parent);

    private void RenderNodes(Node[] nodes, Scope scope, StringBuilder output)
    {
        foreach (var node in nodes)
        {
            switch (node)
            {
                case TextNode text:
                    output.Append(text.Text);
                    break;
                case VariableNode variable:
                    output.Append(EscapeRoleLines(Format(Lookup(scope, variable.Path))));
                    break;
                case SectionNode section:
                    var value = Lookup(scope, section.Path);
                    var items = Items(value);
                    if (section.Inverted)
                    {
                        if (items.Count == 0) RenderNodes(section.Children, scope, output);
                    }
                    else
                    {
                        foreach (var item in items)
                        {
                            RenderNodes(section.Children, new Scope(item, scope), output);
                        }
                    }
                    break;
            }
        }
    }

    /// <summary>What a section iterates: a list's items, once for a truthy value, never for a falsy one.</summary>
    private static IReadOnlyList<object?> Items(object? value) => value switch
    {
        null or false or "" => [],
        true => [true],
        string text => [text],
        IEnumerable list => list.Cast<object?>().ToArray(),
        _ => [value],
    };

    private object? Lookup(Scope scope, string path)
    {
        if (path == ".")
        {
            return scope.Value;
        }
        var parts = path.Split('.');
        // The first name is looked up from the innermost scope outwards; the rest are properties of what it found.
        for (var current = scope; current is not null; current = current.Parent)
        {
            if (TryGet(current.Value, parts[0], out var found))
            {
                foreach (var part in parts.Skip(1))
                {
                    if (!TryGet(found, part, out found))
                    {
                        throw new PromptException($"{Name}: '{path}' has no '{part}'.");
                    }
                }
                return found;
            }
        }
        throw new PromptException($"{Name}: the variable '{path}' was not supplied.");
    }

    private static bool TryGet(object? target, string name, out object? value)
    {
        value = null;
        switch (target)
        {
            case null:
                return false;
            case IReadOnlyDictionary<string, object?> dictionary:
                foreach (var (key, item) in dictionary)
                {
                    if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
                    {
                        value = item;
                        return true;
                    }
                }
                return false;
            case string or bool or int or long or double:
                return false;
        }
        var property = target.GetType().GetProperty(name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
        if (property is null || property.GetIndexParameters().Length > 0)
        {
            return false;
        }
        value = property.GetValue(target);
        return true;
    }

    /// <summary>
    /// A value (code, a question) may hold a line that reads as a role marker; it must never start a message, so such a
    /// line gets a zero-width space inside its first "===" and stays text.
    /// </summary>
    private static string EscapeRoleLines(string value)
    {
        if (!value.Contains("===", StringComparison.Ordinal)) return value;
        var lines = value.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            if (RoleOf(lines[i].TrimEnd('\r')) is not null)
            {
                int at = lines[i].IndexOf("===", StringComparison.Ordinal);
                lines[i] = lines[i].Insert(at + 1, "\u200B");
            }
        }
        return string.Join('\n', lines);
    }

    private static string Format(object? value) => value switch
    {
        null => "",
        string text => text,
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}

/// <summary>A template that cannot be parsed or rendered; the message names the template and the line.</summary>
public sealed class PromptException(string message) : Exception(message);
