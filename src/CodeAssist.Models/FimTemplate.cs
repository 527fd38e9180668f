using System.Text;
using CodeAssist.Models.Gguf;

namespace CodeAssist.Models;

/// <summary>A piece of a prompt: a special marker (tokenized as one special token) or user text (never parsed for specials).</summary>
public readonly record struct PromptSegment(string Text, bool IsMarker)
{
    public static PromptSegment Marker(string text) => new(text, true);
    public static PromptSegment Plain(string text) => new(text, false);
}

public enum FimFamily { QwenCoder, DeepSeekCoder, StarCoder, CodeLlama, CodeGeeX4 }

/// <summary>
/// The fill-in-the-middle layout of a model family, chosen from GGUF metadata (<see cref="Detect"/>) or set by the user.
/// Builds segments rather than a string, so code that happens to contain marker text can never inject a control token.
/// </summary>
public sealed class FimTemplate
{
    private FimTemplate(FimFamily family) => Family = family;

    public FimFamily Family { get; }

    /// <summary>Marker spellings used for StarCoder-style vocabularies; set from the vocabulary by <see cref="Detect"/>.</summary>
    private string _repoMarker = "<repo_name>";
    private string _fileMarker = "<file_sep>";

    public static FimTemplate For(FimFamily family) => new(family);

    /// <summary>StarCoder layout with the vocabulary's own repository/file markers (StarCoder 1 has &lt;reponame&gt;/&lt;filename&gt;).</summary>
    public static FimTemplate StarCoder(string repoMarker, string fileMarker) =>
        new(FimFamily.StarCoder) { _repoMarker = repoMarker, _fileMarker = fileMarker };

    /// <summary>Picks the family from the tokens present, then from the architecture; null when the model has no FIM layout.</summary>
    public static FimTemplate? Detect(GgufFile header)
    {
        var tokens = header.Metadata.TryGetValue("tokenizer.ggml.tokens", out var value) && value.Value is GgufArray array
            ? new HashSet<string>(array.Items.OfType<string>(), StringComparer.Ordinal)
            : [];
        var architecture = header.Architecture ?? "";
        if (architecture is "chatglm" or "glm4" && tokens.Contains("<|code_middle|>") || tokens.Contains("<|code_middle|>"))
        {
            return For(FimFamily.CodeGeeX4);
        }
        if (tokens.Contains("<|fim_prefix|>"))
        {
            return For(FimFamily.QwenCoder);
        }
        if (tokens.Contains("<｜fim▁begin｜>"))
        {
            return For(FimFamily.DeepSeekCoder);
        }
        if (tokens.Contains("<fim_prefix>"))
        {
            return tokens.Contains("<file_sep>") ? StarCoder("<repo_name>", "<file_sep>")
                : tokens.Contains("<filename>") ? StarCoder("<reponame>", "<filename>")
                : StarCoder("", "");
        }
        if (tokens.Contains("▁<PRE>") || tokens.Contains("<PRE>"))
        {
            return For(FimFamily.CodeLlama);
        }
        return architecture switch
        {
            "starcoder2" or "starcoder" => For(FimFamily.StarCoder),
            "chatglm" => For(FimFamily.CodeGeeX4),
            _ => null,
        };
    }

    public static FimFamily? ParseFamily(string name) => name.ToLowerInvariant().Replace("-", "").Replace("_", "").Replace(".", "") switch
    {
        "qwen" or "qwencoder" or "qwen25coder" => FimFamily.QwenCoder,
        "deepseek" or "deepseekcoder" => FimFamily.DeepSeekCoder,
        "starcoder" or "starcoder2" => FimFamily.StarCoder,
        "codellama" => FimFamily.CodeLlama,
        "codegeex" or "codegeex4" => FimFamily.CodeGeeX4,
        _ => null,
    };

    /// <summary>Stop strings the family emits after the middle (file or turn boundaries).</summary>
    public IReadOnlyList<string> StopMarkers => Family switch
    {
        FimFamily.QwenCoder => ["<|endoftext|>", "<|file_sep|>", "<|fim_prefix|>", "<|repo_name|>"],
        FimFamily.StarCoder => _fileMarker.Length > 0 ? [_fileMarker, "<|endoftext|>"] : ["<|endoftext|>"],
        FimFamily.DeepSeekCoder => ["<｜end▁of▁sentence｜>"],
        FimFamily.CodeLlama => ["<EOT>"],
        FimFamily.CodeGeeX4 => ["<|user|>", "<|endoftext|>"],
        _ => [],
    };

    /// <summary>The prompt as segments, in the family's order.</summary>
    public IReadOnlyList<PromptSegment> Build(FimPrompt prompt)
    {
        var segments = new List<PromptSegment>();
        var path = prompt.FilePath ?? "";
        switch (Family)
        {
            case FimFamily.QwenCoder:
                if (prompt.Snippets.Count > 0 || prompt.RepositoryName is not null)
                {
                    segments.Add(PromptSegment.Marker("<|repo_name|>"));
                    segments.Add(PromptSegment.Plain((prompt.RepositoryName ?? "repository") + "\n"));
                    foreach (var snippet in prompt.Snippets)
                    {
                        segments.Add(PromptSegment.Marker("<|file_sep|>"));
                        segments.Add(PromptSegment.Plain($"{snippet.Path}\n{snippet.Text}\n"));
                    }
                    segments.Add(PromptSegment.Marker("<|file_sep|>"));
                    segments.Add(PromptSegment.Plain(path + "\n"));
                }
                segments.Add(PromptSegment.Marker("<|fim_prefix|>"));
                segments.Add(PromptSegment.Plain(prompt.Prefix));
                segments.Add(PromptSegment.Marker("<|fim_suffix|>"));
                segments.Add(PromptSegment.Plain(prompt.Suffix));
                segments.Add(PromptSegment.Marker("<|fim_middle|>"));
                break;
            case FimFamily.StarCoder:
                if (_fileMarker.Length > 0 && (prompt.Snippets.Count > 0 || prompt.RepositoryName is not null))
                {
                    if (prompt.RepositoryName is not null && _repoMarker.Length > 0)
                    {
                        segments.Add(PromptSegment.Marker(_repoMarker));
                        segments.Add(PromptSegment.Plain(prompt.RepositoryName));
                    }
                    foreach (var snippet in prompt.Snippets)
                    {
                        segments.Add(PromptSegment.Marker(_fileMarker));
                        segments.Add(PromptSegment.Plain($"{snippet.Path}\n{snippet.Text}\n"));
                    }
                    segments.Add(PromptSegment.Marker(_fileMarker));
                    segments.Add(PromptSegment.Plain(path + "\n"));
                }
                segments.Add(PromptSegment.Marker("<fim_prefix>"));
                segments.Add(PromptSegment.Plain(prompt.Prefix));
                segments.Add(PromptSegment.Marker("<fim_suffix>"));
                segments.Add(PromptSegment.Plain(prompt.Suffix));
                segments.Add(PromptSegment.Marker("<fim_middle>"));
                break;
            case FimFamily.DeepSeekCoder:
                var header = new StringBuilder();
                foreach (var snippet in prompt.Snippets)
                {
                    header.Append('#').Append(snippet.Path).Append('\n').Append(snippet.Text).Append('\n');
                }
                if (prompt.Snippets.Count > 0 && path.Length > 0)
                {
                    header.Append('#').Append(path).Append('\n');
                }
                segments.Add(PromptSegment.Marker("<｜fim▁begin｜>"));
                segments.Add(PromptSegment.Plain(header + prompt.Prefix));
                segments.Add(PromptSegment.Marker("<｜fim▁hole｜>"));
                segments.Add(PromptSegment.Plain(prompt.Suffix));
                segments.Add(PromptSegment.Marker("<｜fim▁end｜>"));
                break;
            case FimFamily.CodeLlama:
                // "<PRE> {prefix} <SUF>{suffix} <MID>" (the markers are "▁<PRE>" etc. in the vocabulary).
                segments.Add(PromptSegment.Marker("<PRE>"));
                segments.Add(PromptSegment.Plain(" " + string.Concat(prompt.Snippets.Select(s => $"// {s.Path}\n{s.Text}\n")) + prompt.Prefix));
                segments.Add(PromptSegment.Marker("<SUF>"));
                segments.Add(PromptSegment.Plain(prompt.Suffix));
                segments.Add(PromptSegment.Marker("<MID>"));
                break;
            case FimFamily.CodeGeeX4:
                // Infilling is a chat turn: references, then headers, then suffix before prefix.
                segments.Add(PromptSegment.Marker("<|user|>"));
                var turn = new StringBuilder("\n");
                foreach (var snippet in prompt.Snippets)
                {
                    turn.Append("###REFERENCE:\n###PATH: ").Append(snippet.Path).Append('\n').Append(snippet.Text).Append('\n');
                }
                turn.Append("###PATH: ").Append(path).Append('\n');
                turn.Append("###LANGUAGE: ").Append(prompt.Language ?? "").Append('\n');
                turn.Append("###MODE: BLOCK\n");
                segments.Add(PromptSegment.Plain(turn.ToString()));
                segments.Add(PromptSegment.Marker("<|code_suffix|>"));
                segments.Add(PromptSegment.Plain(prompt.Suffix));
                segments.Add(PromptSegment.Marker("<|code_prefix|>"));
                segments.Add(PromptSegment.Plain(prompt.Prefix));
                segments.Add(PromptSegment.Marker("<|code_middle|>"));
                segments.Add(PromptSegment.Marker("<|assistant|>"));
                segments.Add(PromptSegment.Plain("\n"));
                break;
        }
        return segments;
    }

    /// <summary>The prompt as one string (markers inline), for remote servers and golden tests.</summary>
    public string Render(FimPrompt prompt) => string.Concat(Build(prompt).Select(s => s.Text));
}
