using CodeAssist.Models.Gguf;

namespace CodeAssist.Models;

/// <summary>What <c>codeassist model info</c> shows about a GGUF file.</summary>
public sealed record ModelInfo(
    string Path,
    string? Architecture,
    string? Name,
    long ParameterCount,
    long FileSizeBytes,
    long? ContextLength,
    IReadOnlyDictionary<string, string> FimTokens,
    string? ChatTemplate,
    string? FimFamily,
    string Backend);

/// <summary>
/// Reads a GGUF's header directly (no llama.cpp load), so it works on files llama.cpp would refuse and costs
/// milliseconds even for large models. Bad files raise <see cref="ModelException"/> with the reason.
/// </summary>
public static class ModelInspector
{
    private static readonly (string Role, string[] Texts)[] s_fimRoles =
    [
        ("prefix", ["<|fim_prefix|>", "<fim_prefix>", "<｜fim▁begin｜>", "▁<PRE>", "<|code_prefix|>"]),
        ("suffix", ["<|fim_suffix|>", "<fim_suffix>", "<｜fim▁hole｜>", "▁<SUF>", "<|code_suffix|>"]),
        ("middle", ["<|fim_middle|>", "<fim_middle>", "<｜fim▁end｜>", "▁<MID>", "<|code_middle|>"]),
        ("pad", ["<|fim_pad|>", "<fim_pad>"]),
        ("repo", ["<|repo_name|>", "<repo_name>", "<reponame>"]),
        ("file_separator", ["<|file_sep|>", "<file_sep>", "<filename>"]),
    ];

    public static ModelInfo Inspect(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var fullPath = System.IO.Path.GetFullPath(path);
        var header = GgufFile.Read(fullPath);
        var architecture = header.Architecture;
        var parameters = header.Tensors.Aggregate(0L, (sum, t) => sum + (long)t.ElementCount);
        var tokens = header.Metadata.TryGetValue("tokenizer.ggml.tokens", out var tokenValue) && tokenValue.Value is GgufArray array
            ? array.Items.OfType<string>().Select((text, id) => (text, id)).ToDictionary(p => p.text, p => p.id, StringComparer.Ordinal)
            : new Dictionary<string, int>();
        var fim = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (role, texts) in s_fimRoles)
        {
            foreach (var text in texts)
            {
                if (tokens.TryGetValue(text, out var id))
                {
                    fim[role] = $"{text} ({id})";
                    break;
                }
            }
        }
        var backend = LlamaLibrary.DescribeBackend();
        return new ModelInfo(
            fullPath,
            architecture,
            header.GetString("general.name"),
            parameters,
            header.FileSize,
            architecture is null ? null : header.GetInteger($"{architecture}.context_length"),
            fim,
            header.GetString("tokenizer.chat_template"),
            FimTemplate.Detect(header)?.Family.ToString(),
            backend);
    }
}
