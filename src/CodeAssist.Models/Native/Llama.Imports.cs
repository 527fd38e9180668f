using System.Runtime.InteropServices;

namespace CodeAssist.Models.Native;

/// <summary>
/// Raw imports of the pinned llama.h / ggml-backend.h. Declarations only: every caller goes through the safe layer
/// (<see cref="LlamaModel"/>, <see cref="LlamaContext"/>, <see cref="LlamaSampler"/>), which checks handles for NULL
/// before a call and results after it. Pointers to opaque native objects are <see cref="IntPtr"/> here.
/// </summary>
internal static unsafe partial class Llama
{
    public const string LibLlama = "llama";
    public const string LibGgml = "ggml";
    public const string LibGgmlBase = "ggml-base";

    // --- backend ---
    [LibraryImport(LibLlama)] public static partial void llama_backend_init();
    [LibraryImport(LibLlama)] public static partial IntPtr llama_version();
    [LibraryImport(LibLlama)] public static partial IntPtr llama_print_system_info();
    [LibraryImport(LibLlama)] public static partial void llama_log_set(IntPtr log_callback, IntPtr user_data);
    [LibraryImport(LibLlama)] [return: MarshalAs(UnmanagedType.U1)] public static partial bool llama_supports_gpu_offload();
    [LibraryImport(LibLlama)] public static partial llama_model_params llama_model_default_params();
    [LibraryImport(LibLlama)] public static partial llama_context_params llama_context_default_params();
    [LibraryImport(LibLlama)] public static partial llama_sampler_chain_params llama_sampler_chain_default_params();

    [LibraryImport(LibGgml, StringMarshalling = StringMarshalling.Utf8)] public static partial void ggml_backend_load_all_from_path(string dir_path);
    [LibraryImport(LibGgml)] public static partial nuint ggml_backend_dev_count();
    [LibraryImport(LibGgml)] public static partial IntPtr ggml_backend_dev_get(nuint index);
    [LibraryImport(LibGgml)] public static partial IntPtr ggml_backend_dev_name(IntPtr device);
    [LibraryImport(LibGgml)] public static partial IntPtr ggml_backend_dev_description(IntPtr device);
    [LibraryImport(LibGgml)] public static partial int ggml_backend_dev_type(IntPtr device);
    [LibraryImport(LibGgml)] public static partial void ggml_backend_dev_memory(IntPtr device, out nuint free, out nuint total);
    [LibraryImport(LibGgmlBase)] public static partial void ggml_log_set(IntPtr log_callback, IntPtr user_data);
    [LibraryImport(LibGgml)] public static partial IntPtr ggml_backend_dev_by_type(int type);
    [LibraryImport(LibGgml)] public static partial IntPtr ggml_backend_dev_backend_reg(IntPtr device);
    [LibraryImport(LibGgml, StringMarshalling = StringMarshalling.Utf8)] public static partial IntPtr ggml_backend_reg_get_proc_address(IntPtr reg, string name);
    [LibraryImport(LibGgmlBase)] public static partial void ggml_threadpool_params_init(byte* p, int n_threads);

    // --- model ---
    [LibraryImport(LibLlama, StringMarshalling = StringMarshalling.Utf8)] public static partial IntPtr llama_model_load_from_file(string path_model, llama_model_params @params);
    [LibraryImport(LibLlama)] public static partial void llama_model_free(IntPtr model);
    [LibraryImport(LibLlama)] public static partial IntPtr llama_model_get_vocab(IntPtr model);
    [LibraryImport(LibLlama)] public static partial int llama_model_n_ctx_train(IntPtr model);
    [LibraryImport(LibLlama)] public static partial int llama_model_n_embd(IntPtr model);
    [LibraryImport(LibLlama)] public static partial int llama_model_n_layer(IntPtr model);
    [LibraryImport(LibLlama)] public static partial ulong llama_model_size(IntPtr model);
    [LibraryImport(LibLlama)] public static partial ulong llama_model_n_params(IntPtr model);
    [LibraryImport(LibLlama)] public static partial int llama_model_desc(IntPtr model, byte* buf, nuint buf_size);
    [LibraryImport(LibLlama)] public static partial int llama_model_meta_val_str(IntPtr model, byte* key, byte* buf, nuint buf_size);
    [LibraryImport(LibLlama)] public static partial IntPtr llama_model_chat_template(IntPtr model, byte* name);

    // --- vocab ---
    [LibraryImport(LibLlama)] public static partial int llama_vocab_n_tokens(IntPtr vocab);
    [LibraryImport(LibLlama)] [return: MarshalAs(UnmanagedType.U1)] public static partial bool llama_vocab_is_eog(IntPtr vocab, int token);
    [LibraryImport(LibLlama)] public static partial int llama_vocab_bos(IntPtr vocab);
    [LibraryImport(LibLlama)] public static partial int llama_vocab_eos(IntPtr vocab);
    [LibraryImport(LibLlama)] [return: MarshalAs(UnmanagedType.U1)] public static partial bool llama_vocab_get_add_bos(IntPtr vocab);
    [LibraryImport(LibLlama)] public static partial int llama_vocab_fim_pre(IntPtr vocab);
    [LibraryImport(LibLlama)] public static partial int llama_vocab_fim_suf(IntPtr vocab);
    [LibraryImport(LibLlama)] public static partial int llama_vocab_fim_mid(IntPtr vocab);
    [LibraryImport(LibLlama)] public static partial int llama_vocab_fim_pad(IntPtr vocab);
    [LibraryImport(LibLlama)] public static partial int llama_vocab_fim_rep(IntPtr vocab);
    [LibraryImport(LibLlama)] public static partial int llama_vocab_fim_sep(IntPtr vocab);
    [LibraryImport(LibLlama)] public static partial int llama_tokenize(IntPtr vocab, byte* text, int text_len, int* tokens, int n_tokens_max, [MarshalAs(UnmanagedType.U1)] bool add_special, [MarshalAs(UnmanagedType.U1)] bool parse_special);
    [LibraryImport(LibLlama)] public static partial int llama_token_to_piece(IntPtr vocab, int token, byte* buf, int length, int lstrip, [MarshalAs(UnmanagedType.U1)] bool special);
    [LibraryImport(LibLlama)] public static partial int llama_chat_apply_template(byte* tmpl, llama_chat_message* chat, nuint n_msg, [MarshalAs(UnmanagedType.U1)] bool add_ass, byte* buf, int length);

    // --- context ---
    [LibraryImport(LibLlama)] public static partial IntPtr llama_init_from_model(IntPtr model, llama_context_params @params);
    [LibraryImport(LibLlama)] public static partial void llama_free(IntPtr ctx);
    [LibraryImport(LibLlama)] public static partial uint llama_n_ctx(IntPtr ctx);
    [LibraryImport(LibLlama)] public static partial uint llama_n_batch(IntPtr ctx);
    [LibraryImport(LibLlama)] public static partial uint llama_n_ubatch(IntPtr ctx);
    [LibraryImport(LibLlama)] public static partial uint llama_n_seq_max(IntPtr ctx);
    [LibraryImport(LibLlama)] public static partial IntPtr llama_get_memory(IntPtr ctx);
    [LibraryImport(LibLlama)] public static partial void llama_memory_clear(IntPtr mem, [MarshalAs(UnmanagedType.U1)] bool data);
    [LibraryImport(LibLlama)] [return: MarshalAs(UnmanagedType.U1)] public static partial bool llama_memory_seq_rm(IntPtr mem, int seq_id, int p0, int p1);
    [LibraryImport(LibLlama)] public static partial int llama_memory_seq_pos_max(IntPtr mem, int seq_id);
    [LibraryImport(LibLlama)] public static partial llama_batch llama_batch_init(int n_tokens, int embd, int n_seq_max);
    [LibraryImport(LibLlama)] public static partial void llama_batch_free(llama_batch batch);
    [LibraryImport(LibLlama)] public static partial int llama_decode(IntPtr ctx, llama_batch batch);
    [LibraryImport(LibLlama)] public static partial float* llama_get_logits_ith(IntPtr ctx, int i);
    [LibraryImport(LibLlama)] public static partial void llama_attach_threadpool(IntPtr ctx, IntPtr threadpool, IntPtr threadpool_batch);
    /// <summary><c>abort_callback</c> is a <c>bool (*)(void * data)</c> (ggml_abort_callback); IntPtr.Zero removes it.</summary>
    [LibraryImport(LibLlama)] public static partial void llama_set_abort_callback(IntPtr ctx, IntPtr abort_callback, IntPtr abort_callback_data);
    [LibraryImport(LibLlama)] public static partial void llama_detach_threadpool(IntPtr ctx);
    [LibraryImport(LibLlama)] public static partial void llama_set_n_threads(IntPtr ctx, int n_threads, int n_threads_batch);

    // --- sampling ---
    [LibraryImport(LibLlama)] public static partial IntPtr llama_sampler_chain_init(llama_sampler_chain_params @params);
    [LibraryImport(LibLlama)] public static partial void llama_sampler_chain_add(IntPtr chain, IntPtr smpl);
    [LibraryImport(LibLlama)] public static partial void llama_sampler_free(IntPtr smpl);
    [LibraryImport(LibLlama)] public static partial void llama_sampler_accept(IntPtr smpl, int token);
    [LibraryImport(LibLlama)] public static partial void llama_sampler_reset(IntPtr smpl);
    [LibraryImport(LibLlama)] public static partial int llama_sampler_sample(IntPtr smpl, IntPtr ctx, int idx);
    [LibraryImport(LibLlama)] public static partial IntPtr llama_sampler_init_greedy();
    [LibraryImport(LibLlama)] public static partial IntPtr llama_sampler_init_dist(uint seed);
    [LibraryImport(LibLlama)] public static partial IntPtr llama_sampler_init_top_k(int k);
    [LibraryImport(LibLlama)] public static partial IntPtr llama_sampler_init_top_p(float p, nuint min_keep);
    [LibraryImport(LibLlama)] public static partial IntPtr llama_sampler_init_min_p(float p, nuint min_keep);
    [LibraryImport(LibLlama)] public static partial IntPtr llama_sampler_init_temp(float t);
    [LibraryImport(LibLlama)] public static partial IntPtr llama_sampler_init_penalties(int n_vocab, int penalty_last_n, float penalty_repeat, float penalty_freq, float penalty_present);
}
