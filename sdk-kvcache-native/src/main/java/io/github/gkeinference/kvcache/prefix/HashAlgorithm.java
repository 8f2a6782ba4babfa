package io.github.gkeinference.kvcache.prefix;

/**
 * Hash function of the chained block hash.
 *
 * <p>vLLM's default is SHA-256 ({@code prefix_caching_hash_algo = "sha256"}, {@code
 * vllm/config/cache.py}); it also offers xxHash for speed. TensorRT-LLM requires a cryptographic
 * 256-bit hash when a cache salt isolates tenants.
 */
public enum HashAlgorithm {
  /**
   * SHA-256 over the block's serialized parent hash, tokens and extra keys. Collision resistant
   * even against a client who picks prompts to collide with another tenant's cached prefix: use it
   * whenever requests from different users share a cache. About 130 ns per 16-token block with the
   * JDK's SHA-NI intrinsic (see docs/benchmarks.md).
   */
  SHA_256,
  /**
   * A non-cryptographic 256-bit multiply-rotate mix (four 64-bit lanes) over the same bytes.
   * Several times faster, with good spread for accidental collisions, but an adversary can
   * construct colliding prompts and so read another tenant's KV through a forged prefix hit. Use it
   * only when every request sharing the cache is trusted.
   */
  FAST
}
