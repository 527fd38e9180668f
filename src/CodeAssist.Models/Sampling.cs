using CodeAssist.Models.Native;

namespace CodeAssist.Models;

/// <summary>Sampling settings. Temperature 0 means greedy (argmax), which is deterministic.</summary>
public sealed record SamplingOptions
{
    public float Temperature { get; init; }
    public int TopK { get; init; } = 40;
    public float TopP { get; init; } = 0.95f;
    public float MinP { get; init; } = 0.05f;
    public float RepeatPenalty { get; init; } = 1.0f;
    public int RepeatLastTokens { get; init; } = 64;
    public uint Seed { get; init; } = 42;

    public static SamplingOptions Greedy { get; } = new();
}

/// <summary>A llama.cpp sampler chain built from <see cref="SamplingOptions"/>: penalties → top-k → top-p → min-p → temperature → seeded dist.</summary>
internal sealed class LlamaSampler : IDisposable
{
    private readonly SamplerHandle? _chain;

    public LlamaSampler(LlamaModel model, SamplingOptions options)
    {
        Options = options;
        UsesArgMax = options.Temperature <= 0 && options.RepeatPenalty == 1.0f;
        if (UsesArgMax)
        {
            return;
        }
        var chainParams = Llama.llama_sampler_chain_default_params();
        chainParams.no_perf = 1;
        var chain = Llama.llama_sampler_chain_init(chainParams);
        if (chain == IntPtr.Zero)
        {
            throw new ModelException("llama.cpp could not create a sampler chain.");
        }
        _chain = LlamaHandle.Wrap<SamplerHandle>(chain);
        // The chain takes ownership of each added sampler.
        void Add(IntPtr sampler)
        {
            if (sampler == IntPtr.Zero)
            {
                throw new ModelException("llama.cpp could not create a sampler.");
            }
            Llama.llama_sampler_chain_add(_chain.Pointer, sampler);
        }
        if (options.RepeatPenalty != 1.0f)
        {
            Add(Llama.llama_sampler_init_penalties(model.VocabularySize, options.RepeatLastTokens, options.RepeatPenalty, 0, 0));
        }
        if (options.Temperature <= 0)
        {
            Add(Llama.llama_sampler_init_greedy());
            return;
        }
        if (options.TopK > 0)
        {
            Add(Llama.llama_sampler_init_top_k(options.TopK));
        }
        if (options.TopP is > 0 and < 1)
        {
            Add(Llama.llama_sampler_init_top_p(options.TopP, 1));
        }
        if (options.MinP is > 0 and < 1)
        {
            Add(Llama.llama_sampler_init_min_p(options.MinP, 1));
        }
        Add(Llama.llama_sampler_init_temp(options.Temperature));
        Add(Llama.llama_sampler_init_dist(options.Seed));
    }

    public SamplingOptions Options { get; }
    public bool UsesArgMax { get; }

    /// <summary>Tells penalty samplers about tokens already in the prompt.</summary>
    public void AcceptPrompt(ReadOnlySpan<int> tokens)
    {
        if (_chain is null || Options.RepeatPenalty == 1.0f)
        {
            return;
        }
        var start = Math.Max(0, tokens.Length - Options.RepeatLastTokens);
        foreach (var token in tokens[start..])
        {
            Native.Llama.llama_sampler_accept(_chain.Pointer, token);
        }
    }

    /// <summary>Samples (and accepts) the next token from the context's last logits.</summary>
    public int Sample(LlamaContext context) =>
        _chain is null ? context.ArgMaxLastLogits() : Llama.llama_sampler_sample(_chain.Pointer, context.Pointer, -1);

    public void Dispose() => _chain?.Dispose();
}
