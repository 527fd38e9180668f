using System.Text.Json.Serialization;

namespace CodeAssist.Lsp;

/// <summary>Params of <c>window/workDoneProgress/create</c>.</summary>
public sealed record CreateProgressParams(ProgressToken Token);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(CreateProgressParams))]
internal sealed partial class LspJsonContext : JsonSerializerContext;
