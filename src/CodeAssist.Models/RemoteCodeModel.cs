using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CodeAssist.Models;

public enum RemoteApi
{
    /// <summary>OpenAI-compatible <c>/v1/completions</c> and <c>/v1/chat/completions</c>.</summary>
    OpenAi,
    /// <summary>llama-server: <c>/infill</c> for FIM, <c>/completion</c> for plain prompts, <c>/v1/chat/completions</c> for chat.</summary>
    LlamaServer,
}

/// <summary>Where and how to reach a remote model. The API key is read from an environment variable at request time and never stored or logged.</summary>
public sealed record RemoteModelOptions
{
    public required Uri BaseUrl { get; init; }
    public RemoteApi Api { get; init; } = RemoteApi.OpenAi;
    public string? Model { get; init; }
    public string? ApiKeyEnvironmentVariable { get; init; }
    /// <summary>FIM layout to render into a plain completion prompt; null = the server's own FIM (llama-server /infill, or OpenAI's suffix field).</summary>
    public FimFamily? FimFamily { get; init; }
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>Limit for a whole request, streaming included.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(120);
    /// <summary>Retries of a request that failed before any output (connection refused, 429, 5xx), with doubling backoff.</summary>
    public int MaxRetries { get; init; } = 2;
    /// <summary>The server's context window, which its API does not tell: what prompts are packed to.</summary>
    public int ContextSize { get; init; } = 8192;
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(200);
}

/// <summary>
/// An OpenAI-compatible or llama-server endpoint behind <see cref="ICodeModel"/>, streamed over SSE. Requests are retried
/// with backoff only before the first byte of output; a stream that breaks midway raises <see cref="ModelException"/>
/// (the caller has already shown part of it).
/// </summary>
public sealed class RemoteCodeModel : ICodeModel
{
    private readonly RemoteModelOptions _options;
    private readonly HttpClient _client;

    public RemoteCodeModel(RemoteModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        var handler = new SocketsHttpHandler { ConnectTimeout = options.ConnectTimeout, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan, BaseAddress = options.BaseUrl };
        Description = new ModelDescription(options.Model ?? options.BaseUrl.ToString(), "remote", options.ContextSize, options.FimFamily?.ToString());
    }

    public ModelDescription Description { get; }

    public int CountTokens(string text) => (text.Length + 3) / 4;

    public IAsyncEnumerable<CompletionChunk> CompleteAsync(CompletionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = new JsonObject { ["stream"] = true };
        AddSampling(body, request.Sampling, request.StopSequences);
        string path;
        if (request.Fim is { } fim && _options.FimFamily is { } family)
        {
            path = _options.Api == RemoteApi.LlamaServer ? "completion" : "v1/completions";
            body["prompt"] = FimTemplate.For(family).Render(fim);
        }
        else if (request.Fim is { } serverFim && _options.Api == RemoteApi.LlamaServer)
        {
            path = "infill";
            body["input_prefix"] = serverFim.Prefix;
            body["input_suffix"] = serverFim.Suffix;
            body["input_extra"] = new JsonArray(serverFim.Snippets.Select(s => (JsonNode)new JsonObject { ["filename"] = s.Path, ["text"] = s.Text }).ToArray());
            body["prompt"] = "";
        }
        else if (request.Fim is { } openAiFim)
        {
            path = "v1/completions";
            body["prompt"] = openAiFim.Prefix;
            body["suffix"] = openAiFim.Suffix;
        }
        else
        {
            var prompt = request.Prompt ?? throw new ArgumentException("A remote completion needs Prompt or Fim (token prompts are in-process only).", nameof(request));
            path = _options.Api == RemoteApi.LlamaServer ? "completion" : "v1/completions";
            body["prompt"] = prompt;
        }
        var openAiShape = path.StartsWith("v1/", StringComparison.Ordinal);
        body[openAiShape ? "max_tokens" : "n_predict"] = request.MaxTokens;
        if (openAiShape && _options.Model is not null)
        {
            body["model"] = _options.Model;
        }
        if (!openAiShape)
        {
            body["cache_prompt"] = true;
        }
        var chunks = StreamAsync(path, body, request.Deadline, cancellationToken);
        return request.FirstIdentifier is { Names.Count: > 0 } ? Unconstrained(chunks) : chunks;
    }

    /// <summary>The server samples on its own: a first-identifier constraint cannot be applied, and the final chunk says so.</summary>
    private static async IAsyncEnumerable<CompletionChunk> Unconstrained(IAsyncEnumerable<CompletionChunk> chunks)
    {
        await foreach (var chunk in chunks.ConfigureAwait(false))
        {
            yield return chunk.IsFinal ? chunk with { FirstIdentifier = IdentifierConstraintOutcome.Unsupported } : chunk;
        }
    }

    public IAsyncEnumerable<CompletionChunk> ChatAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = new JsonObject
        {
            ["stream"] = true,
            ["max_tokens"] = request.MaxTokens,
            ["messages"] = new JsonArray(request.Messages.Select(m => (JsonNode)new JsonObject { ["role"] = m.Role, ["content"] = m.Content }).ToArray()),
        };
        if (_options.Model is not null)
        {
            body["model"] = _options.Model;
        }
        AddSampling(body, request.Sampling, request.StopSequences);
        return StreamAsync("v1/chat/completions", body, request.Deadline, cancellationToken);
    }

    private static void AddSampling(JsonObject body, SamplingOptions sampling, IReadOnlyList<string> stops)
    {
        body["temperature"] = sampling.Temperature;
        body["top_p"] = sampling.TopP;
        body["seed"] = sampling.Seed;
        if (sampling.Temperature > 0)
        {
            body["top_k"] = sampling.TopK;
            body["min_p"] = sampling.MinP;
        }
        if (sampling.RepeatPenalty != 1.0f)
        {
            body["repeat_penalty"] = sampling.RepeatPenalty;
        }
        if (stops.Count > 0)
        {
            body["stop"] = new JsonArray(stops.Select(s => (JsonNode)JsonValue.Create(s)!).ToArray());
        }
    }

    private async IAsyncEnumerable<CompletionChunk> StreamAsync(string path, JsonObject body, TimeSpan? deadline, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.RequestTimeout);
        var started = DateTime.UtcNow;
        var url = new Uri(_options.BaseUrl, path);
        using var response = await SendWithRetriesAsync(url, body.ToJsonString(), timeout.Token, cancellationToken).ConfigureAwait(false);
        using var stream = await Guard(url, () => response.Content.ReadAsStreamAsync(timeout.Token), timeout.Token, cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var generated = 0;
        var usage = Usage.Empty;
        while (true)
        {
            if (deadline is { } limit && DateTime.UtcNow - started >= limit)
            {
                yield return new CompletionChunk("", true, FinishReason.Deadline, usage);
                yield break;
            }
            var line = await Guard(url, () => reader.ReadLineAsync(timeout.Token).AsTask(), timeout.Token, cancellationToken, midStream: true).ConfigureAwait(false);
            if (line is null)
            {
                throw new ModelException($"{url} closed the connection before the response was complete.");
            }
            if (!line.StartsWith("data:", StringComparison.Ordinal))
            {
                continue; // blank separators, comments, event names
            }
            var data = line.AsSpan(5).Trim();
            if (data.SequenceEqual("[DONE]"))
            {
                yield return new CompletionChunk("", true, FinishReason.Stop, usage);
                yield break;
            }
            var (text, finish, eventUsage, error) = ParseEvent(data.ToString());
            if (error is not null)
            {
                throw new ModelException($"{url} reported an error: {error}");
            }
            if (text.Length > 0)
            {
                generated++;
            }
            usage = eventUsage ?? usage with { GeneratedTokens = Math.Max(usage.GeneratedTokens, generated) };
            if (text.Length > 0)
            {
                yield return new CompletionChunk(text, false, FinishReason.None, usage);
            }
            if (finish is { } reason && !path.StartsWith("v1/", StringComparison.Ordinal))
            {
                // llama-server's native endpoints end with a stop event and no [DONE].
                yield return new CompletionChunk("", true, reason, usage);
                yield break;
            }
            if (finish is { } openAiReason)
            {
                usage = eventUsage ?? usage;
                // OpenAI streams send [DONE] next; finish here so a missing [DONE] is not an error.
                yield return new CompletionChunk("", true, openAiReason, usage);
                yield break;
            }
        }
    }

    private static (string Text, FinishReason? Finish, Usage? Usage, string? Error) ParseEvent(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.TryGetProperty("error", out var error))
        {
            return ("", null, null, error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var m) ? m.GetString() : error.ToString());
        }
        var text = "";
        FinishReason? finish = null;
        if (root.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array && choices.GetArrayLength() > 0)
        {
            var choice = choices[0];
            if (choice.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String)
            {
                text = t.GetString()!;
            }
            else if (choice.TryGetProperty("delta", out var delta) && delta.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String)
            {
                text = c.GetString()!;
            }
            if (choice.TryGetProperty("finish_reason", out var f) && f.ValueKind == JsonValueKind.String)
            {
                finish = f.GetString() == "length" ? FinishReason.Length : FinishReason.Stop;
            }
        }
        else
        {
            if (root.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String)
            {
                text = content.GetString()!;
            }
            if (root.TryGetProperty("stop", out var stop) && stop.ValueKind == JsonValueKind.True)
            {
                var type = root.TryGetProperty("stop_type", out var st) ? st.GetString() : null;
                finish = type switch { "limit" => FinishReason.Length, "eos" => FinishReason.EndOfGeneration, _ => FinishReason.Stop };
            }
        }
        Usage? usage = null;
        if (root.TryGetProperty("timings", out var timings) && timings.ValueKind == JsonValueKind.Object)
        {
            int Int(string name) => timings.TryGetProperty(name, out var v) && v.TryGetInt32(out var i) ? i : 0;
            double Double(string name) => timings.TryGetProperty(name, out var v) && v.TryGetDouble(out var d) ? d : 0;
            usage = new Usage(Int("prompt_n") + Int("cache_n"), Int("cache_n"), Int("predicted_n"), Double("prompt_ms"), Double("predicted_ms"));
        }
        else if (root.TryGetProperty("usage", out var u) && u.ValueKind == JsonValueKind.Object)
        {
            int Int(string name) => u.TryGetProperty(name, out var v) && v.TryGetInt32(out var i) ? i : 0;
            usage = new Usage(Int("prompt_tokens"), 0, Int("completion_tokens"), 0, 0);
        }
        return (text, finish, usage, null);
    }

    private async Task<HttpResponseMessage> SendWithRetriesAsync(Uri url, string json, CancellationToken timeoutToken, CancellationToken userToken)
    {
        var delay = _options.RetryDelay;
        for (var attempt = 0; ; attempt++)
        {
            var last = attempt >= _options.MaxRetries;
            using var message = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
            message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
            var keyVariable = _options.ApiKeyEnvironmentVariable;
            if (keyVariable is not null && Environment.GetEnvironmentVariable(keyVariable) is { Length: > 0 } key)
            {
                message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            }
            HttpResponseMessage? response = null;
            try
            {
                response = await _client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeoutToken).ConfigureAwait(false);
            }
            catch (HttpRequestException) when (!last)
            {
            }
            catch (HttpRequestException exception)
            {
                throw new ModelException($"Could not reach {url} after {attempt + 1} attempt(s): {exception.Message}. Check that the server is running.", inner: exception);
            }
            catch (OperationCanceledException) when (!userToken.IsCancellationRequested)
            {
                throw new ModelException($"{url} did not answer within {_options.RequestTimeout.TotalSeconds:0.###} s.");
            }
            if (response is not null)
            {
                if (response.IsSuccessStatusCode)
                {
                    return response;
                }
                var status = response.StatusCode;
                var retryable = status == HttpStatusCode.TooManyRequests || (int)status >= 500;
                if (!retryable || last)
                {
                    var detail = await ReadErrorAsync(response, timeoutToken).ConfigureAwait(false);
                    response.Dispose();
                    throw status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
                        ? new ModelException($"{url} rejected the request ({(int)status}); check the API key in the environment variable {keyVariable ?? "(none configured)"}.")
                        : new ModelException($"{url} answered {(int)status} {status}: {detail}");
                }
                response.Dispose();
            }
            try
            {
                await Task.Delay(delay, timeoutToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!userToken.IsCancellationRequested)
            {
                throw new ModelException($"{url} did not answer within {_options.RequestTimeout.TotalSeconds:0.###} s.");
            }
            delay *= 2;
        }
    }

    private static async Task<string> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return text.Length > 300 ? text[..300] : text;
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException or OperationCanceledException)
        {
            return "(no body)";
        }
    }

    /// <summary>Runs a read, turning transport failures into <see cref="ModelException"/> and a fired timeout into a clear message.</summary>
    private async Task<T> Guard<T>(Uri url, Func<Task<T>> read, CancellationToken timeoutToken, CancellationToken userToken, bool midStream = false)
    {
        try
        {
            return await read().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!userToken.IsCancellationRequested && timeoutToken.IsCancellationRequested)
        {
            throw new ModelException($"{url} did not finish within {_options.RequestTimeout.TotalSeconds:0.###} s.");
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException)
        {
            throw new ModelException(midStream
                ? $"The connection to {url} was lost mid-stream: {exception.Message}"
                : $"Could not read the response of {url}: {exception.Message}", inner: exception);
        }
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }
}
