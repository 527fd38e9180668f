using System.Runtime.InteropServices;

namespace CodeAssist.Models.Native;

// Blittable mirrors of the structs in the pinned include/llama.h (node-llama-cpp 3.22.1, llama_version 0.5.0-dev).
// Field order and widths follow the header exactly; C bool is one byte. LlamaLibrary checks the sizes at startup,
// because these structs pass by value and any header change would silently shift every later field.
#pragma warning disable IDE1006 // native names stay verbatim

[StructLayout(LayoutKind.Sequential)]
internal struct llama_model_params
{
    public IntPtr devices;
    public IntPtr tensor_buft_overrides;
    public int n_gpu_layers;
    public int split_mode;
    public int load_mode;
    public int lazy_mode;
    public int main_gpu;
    public IntPtr tensor_split;
    public IntPtr progress_callback;
    public IntPtr progress_callback_user_data;
    public IntPtr kv_overrides;
    public byte vocab_only;
    public byte check_tensors;
    public byte use_extra_bufts;
    public byte no_host;
    public byte no_alloc;
    public byte load_mtp;
}

[StructLayout(LayoutKind.Sequential)]
internal struct llama_context_params
{
    public uint n_ctx;
    public uint n_batch;
    public uint n_ubatch;
    public uint n_seq_max;
    public uint n_rs_seq;
    public uint n_outputs_max;
    public uint n_outputs_max_per_seq;
    public int n_threads;
    public int n_threads_batch;
    public int ctx_type;
    public int rope_scaling_type;
    public int pooling_type;
    public int attention_type;
    public int flash_attn_type;
    public float rope_freq_base;
    public float rope_freq_scale;
    public float yarn_ext_factor;
    public float yarn_attn_factor;
    public float yarn_beta_fast;
    public float yarn_beta_slow;
    public uint yarn_orig_ctx;
    public float defrag_thold;
    public IntPtr cb_eval;
    public IntPtr cb_eval_user_data;
    public int type_k;
    public int type_v;
    public IntPtr abort_callback;
    public IntPtr abort_callback_data;
    public byte embeddings;
    public byte offload_kqv;
    public byte no_perf;
    public byte op_offload;
    public byte swa_full;
    public byte kv_unified;
    public IntPtr samplers;
    public nuint n_samplers;
    public IntPtr ctx_other;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct llama_batch
{
    public int n_tokens;
    public int* token;
    public float* embd;
    public int* pos;
    public int* n_seq_id;
    public int** seq_id;
    public sbyte* logits;
}

[StructLayout(LayoutKind.Sequential)]
internal struct llama_chat_message
{
    public IntPtr role;
    public IntPtr content;
}

[StructLayout(LayoutKind.Sequential)]
internal struct llama_sampler_chain_params
{
    public byte no_perf;
}

[StructLayout(LayoutKind.Sequential)]
internal struct llama_perf_context_data
{
    public double t_start_ms;
    public double t_load_ms;
    public double t_p_eval_ms;
    public double t_eval_ms;
    public int n_p_eval;
    public int n_eval;
    public int n_reused;
}

internal static class LlamaConstants
{
    public const int LLAMA_FLASH_ATTN_TYPE_AUTO = -1;
    public const int GGML_BACKEND_DEVICE_TYPE_CPU = 0;
    public const int GGML_BACKEND_DEVICE_TYPE_GPU = 1;
    public const int GGML_BACKEND_DEVICE_TYPE_IGPU = 2;
    public const int GGML_LOG_LEVEL_ERROR = 4;
    public const int GGML_LOG_LEVEL_WARN = 3;
    public const int LLAMA_TOKEN_NULL = -1;
}
