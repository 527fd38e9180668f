using System.Text.Json;
using System.Text.Json.Serialization;

namespace CodeAssist.Lsp;

/// <summary>A <c>$/progress</c> token: like a request id, a number or a string chosen by whoever created it.</summary>
[JsonConverter(typeof(ProgressTokenConverter))]
public readonly record struct ProgressToken(RequestId Value)
{
    public override string ToString() => Value.ToString();
}

public sealed class ProgressTokenConverter : JsonConverter<ProgressToken>
{
    public override ProgressToken Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return RequestId.TryParse(document.RootElement, out var id)
            ? new ProgressToken(id)
            : throw new JsonException("a progress token must be a number or a string");
    }

    public override void Write(Utf8JsonWriter writer, ProgressToken value, JsonSerializerOptions options) => value.Value.WriteTo(writer);
}
