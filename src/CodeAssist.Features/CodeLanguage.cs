namespace CodeAssist.Features;

/// <summary>How a language writes documentation comments.</summary>
public enum DocCommentStyle
{
    /// <summary>C#: <c>/// &lt;summary&gt;…&lt;/summary&gt;</c> lines before the member.</summary>
    XmlLines,
    /// <summary>Java, TypeScript, JavaScript, C, C++, Kotlin, Swift, PHP: a <c>/** … */</c> block before the declaration.</summary>
    Block,
    /// <summary>Rust: <c>///</c> lines of Markdown before the item.</summary>
    SlashLines,
    /// <summary>Go: <c>//</c> lines before the declaration, starting with its name.</summary>
    LineComments,
    /// <summary>Python: a docstring as the first statement of the body.</summary>
    Docstring,
    /// <summary>Ruby, shell and unknown languages: <c>#</c> lines before the declaration.</summary>
    HashLines,
}

/// <summary>A programming language as the features name it: its id (LSP's <c>languageId</c>), name, Markdown fence, file extensions.</summary>
public sealed record CodeLanguage(string Id, string Name, string Fence, IReadOnlyList<string> Aliases, IReadOnlyList<string> Extensions, DocCommentStyle DocComments)
{
    public static readonly CodeLanguage CSharp = new("csharp", "C#", "csharp", ["c#", "cs"], [".cs"], DocCommentStyle.XmlLines);

    /// <summary>A document in a language we do not know: explained and documented generically, never a translation target.</summary>
    public static readonly CodeLanguage Unknown = new("plaintext", "code", "", [], [], DocCommentStyle.HashLines);

    /// <summary>The languages the translator writes (and reads).</summary>
    public static IReadOnlyList<CodeLanguage> All { get; } =
    [
        CSharp,
        new("java", "Java", "java", [], [".java"], DocCommentStyle.Block),
        new("python", "Python", "python", ["py", "python3"], [".py"], DocCommentStyle.Docstring),
        new("typescript", "TypeScript", "typescript", ["ts", "typescriptreact", "tsx"], [".ts", ".tsx"], DocCommentStyle.Block),
        new("javascript", "JavaScript", "javascript", ["js", "javascriptreact", "jsx", "node"], [".js", ".jsx", ".mjs", ".cjs"], DocCommentStyle.Block),
        new("go", "Go", "go", ["golang"], [".go"], DocCommentStyle.LineComments),
        new("cpp", "C++", "cpp", ["c++", "cxx", "cc"], [".cpp", ".cc", ".cxx", ".hpp", ".hh", ".hxx"], DocCommentStyle.Block),
        new("c", "C", "c", [], [".c", ".h"], DocCommentStyle.Block),
        new("rust", "Rust", "rust", ["rs"], [".rs"], DocCommentStyle.SlashLines),
        new("kotlin", "Kotlin", "kotlin", ["kt"], [".kt", ".kts"], DocCommentStyle.Block),
        new("swift", "Swift", "swift", [], [".swift"], DocCommentStyle.Block),
        new("php", "PHP", "php", [], [".php"], DocCommentStyle.Block),
        new("ruby", "Ruby", "ruby", ["rb"], [".rb"], DocCommentStyle.HashLines),
    ];

    /// <summary>The language a name means (id, alias or display name, any case); null for one the translator does not know.</summary>
    public static CodeLanguage? Find(string name)
    {
        var wanted = name.Trim();
        return All.FirstOrDefault(l => l.Id.Equals(wanted, StringComparison.OrdinalIgnoreCase)
            || l.Name.Equals(wanted, StringComparison.OrdinalIgnoreCase)
            || l.Aliases.Contains(wanted, StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>The language of a document, from the client's <c>languageId</c> when it is one we know, else from the file's extension.</summary>
    public static CodeLanguage Of(string path, string? languageId = null)
    {
        if (languageId is { Length: > 0 } && Find(languageId) is { } named) return named;
        string extension = System.IO.Path.GetExtension(path);
        return All.FirstOrDefault(l => l.Extensions.Contains(extension, StringComparer.OrdinalIgnoreCase)) ?? Unknown;
    }

    /// <summary>"csharp, java, python, …": for messages that list what is possible.</summary>
    public static string Known => string.Join(", ", All.Select(l => l.Id));

    /// <summary>The file extension of code written in this language.</summary>
    public string Extension => Extensions.Count > 0 ? Extensions[0] : ".txt";
}
