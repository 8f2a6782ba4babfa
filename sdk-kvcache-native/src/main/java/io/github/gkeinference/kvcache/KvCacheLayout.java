package io.github.gkeinference.kvcache;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Shape of a paged KV cache: layers, KV heads, head dimensions, tokens per block, element type and
 * per-layer K and V scales.
 *
 * <p>Sizes follow vLLM's {@code AttentionSpec.page_size_bytes} ({@code
 * vllm/v1/kv_cache_interface.py}): one block of one layer ("page") holds {@code blockSize *
 * numKvHeads * (headDim + vHeadDim) * dtype.bytes()} bytes, which is {@code 2 * blockSize *
 * numKvHeads * headDim * dtypeBytes} when K and V have the same head dimension. A block over all
 * layers is {@code numLayers} pages.
 *
 * <p>Memory order inside one block (all layers of a block are contiguous, so a block is copied,
 * offloaded and checksummed as one range): per layer, K as {@code [kv head][dim][token in block]}
 * and then V as {@code [kv head][token in block][dim]}. K is stored transposed (one dimension of
 * all the block's tokens is contiguous), as in vLLM's CUDA key cache {@code [num_blocks,
 * num_kv_heads, head_size/x, block_size, x]} ({@code vllm/attention/ops/paged_attn.py}): decode
 * attention then computes the scores of a whole block with one multiply-add per dimension, and the
 * K and V of one head of one block are each one contiguous range.
 *
 * {@snippet :
 * KvCacheLayout llama8b = KvCacheLayout.builder()
 *     .numLayers(32).numKvHeads(8).headDim(128)
 *     .dtype(KvDtype.BF16)
 *     .build();
 * long perToken = llama8b.bytesPerToken(); // 131072 = 2 * 32 * 8 * 128 * 2
 * }
 */
public final class KvCacheLayout {

  /**
   * vLLM's default number of tokens per block ({@code DEFAULT_BLOCK_SIZE = 16}, {@code
   * vllm/config/cache.py}).
   */
  public static final int DEFAULT_BLOCK_SIZE = 16;

  private final int numLayers;
  private final int numKvHeads;
  private final int headDim;
  private final int vHeadDim;
  private final int blockSize;
  private final KvDtype dtype;
  private final float[] kScales;
  private final float[] vScales;

  private KvCacheLayout(Builder b) {
    List<String> errors = new ArrayList<>();
    if (b.numLayers < 1) {
      errors.add("numLayers: " + b.numLayers + " must be at least 1");
    }
    if (b.numKvHeads < 1) {
      errors.add("numKvHeads: " + b.numKvHeads + " must be at least 1");
    }
    if (b.headDim < 1) {
      errors.add("headDim: " + b.headDim + " must be at least 1");
    }
    int v = b.vHeadDim == 0 ? b.headDim : b.vHeadDim;
    if (v < 1) {
      errors.add("vHeadDim: " + b.vHeadDim + " must be at least 1 (0 means headDim)");
    }
    if (b.blockSize < 1) {
      errors.add("blockSize: " + b.blockSize + " must be at least 1");
    }
    checkScales("kScales", b.kScales, b.numLayers, errors);
    checkScales("vScales", b.vScales, b.numLayers, errors);
    if (errors.isEmpty()) {
      long page = (long) b.blockSize * b.numKvHeads * ((long) b.headDim + v) * b.dtype.bytes();
      if (page * b.numLayers > Integer.MAX_VALUE) {
        errors.add(
            "blockSize: one block over all layers must stay below 2 GiB, was "
                + page * b.numLayers);
      }
    }
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException("Invalid KvCacheLayout: " + String.join("; ", errors));
    }
    this.numLayers = b.numLayers;
    this.numKvHeads = b.numKvHeads;
    this.headDim = b.headDim;
    this.vHeadDim = v;
    this.blockSize = b.blockSize;
    this.dtype = b.dtype;
    this.kScales = fill(b.kScales, b.numLayers);
    this.vScales = fill(b.vScales, b.numLayers);
  }

  private static void checkScales(
      String name, float @Nullable [] scales, int layers, List<String> errors) {
    if (scales == null) {
      return;
    }
    if (scales.length != layers) {
      errors.add(
          name + ": has " + scales.length + " entries, needs one per layer (" + layers + ")");
    }
    for (int i = 0; i < scales.length; i++) {
      if (!(scales[i] > 0f) || Float.isInfinite(scales[i])) {
        errors.add(name + "[" + i + "]: " + scales[i] + " must be finite and > 0");
      }
    }
  }

  private static float[] fill(float @Nullable [] scales, int layers) {
    if (scales != null) {
      return scales.clone();
    }
    float[] ones = new float[layers];
    Arrays.fill(ones, 1.0f);
    return ones;
  }

  /**
   * Starts a builder with block size {@value #DEFAULT_BLOCK_SIZE}, dtype {@link KvDtype#BF16} and
   * all scales 1.0.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Number of transformer layers that keep a KV cache.
   *
   * @return layers
   */
  public int numLayers() {
    return numLayers;
  }

  /**
   * Number of K/V heads per layer (after grouped-query sharing, per tensor-parallel rank).
   *
   * @return KV heads
   */
  public int numKvHeads() {
    return numKvHeads;
  }

  /**
   * Dimension of one K head.
   *
   * @return K head dimension
   */
  public int headDim() {
    return headDim;
  }

  /**
   * Dimension of one V head (equal to {@link #headDim()} unless set).
   *
   * @return V head dimension
   */
  public int vHeadDim() {
    return vHeadDim;
  }

  /**
   * Tokens per block.
   *
   * @return block size in tokens
   */
  public int blockSize() {
    return blockSize;
  }

  /**
   * Element type.
   *
   * @return dtype
   */
  public KvDtype dtype() {
    return dtype;
  }

  /**
   * K scale of a layer (stored = k / scale).
   *
   * @param layer layer index
   * @return scale
   */
  public float kScale(int layer) {
    return kScales[layer];
  }

  /**
   * V scale of a layer (stored = v / scale).
   *
   * @param layer layer index
   * @return scale
   */
  public float vScale(int layer) {
    return vScales[layer];
  }

  /**
   * Bytes of K for one token of one layer: {@code numKvHeads * headDim * dtypeBytes}.
   *
   * @return bytes
   */
  public long kBytesPerTokenLayer() {
    return (long) numKvHeads * headDim * dtype.bytes();
  }

  /**
   * Bytes of V for one token of one layer: {@code numKvHeads * vHeadDim * dtypeBytes}.
   *
   * @return bytes
   */
  public long vBytesPerTokenLayer() {
    return (long) numKvHeads * vHeadDim * dtype.bytes();
  }

  /**
   * Bytes of one block of one layer (vLLM's page size): {@code blockSize * numKvHeads * (headDim +
   * vHeadDim) * dtypeBytes}.
   *
   * @return page bytes
   */
  public long pageBytes() {
    return blockSize * (kBytesPerTokenLayer() + vBytesPerTokenLayer());
  }

  /**
   * Bytes of one block over all layers: {@code numLayers * pageBytes()}.
   *
   * @return block bytes
   */
  public long bytesPerBlock() {
    return numLayers * pageBytes();
  }

  /**
   * Bytes of KV cache per token over all layers: {@code numLayers * numKvHeads * (headDim +
   * vHeadDim) * dtypeBytes}.
   *
   * @return bytes per token
   */
  public long bytesPerToken() {
    return numLayers * (kBytesPerTokenLayer() + vBytesPerTokenLayer());
  }

  /**
   * Number of whole blocks that fit in a memory budget, as vLLM's {@code get_num_blocks}: {@code
   * floor(budgetBytes / bytesPerBlock())}.
   *
   * @param budgetBytes memory available for the KV cache
   * @return blocks, 0 when the budget is negative or smaller than one block
   */
  public long numBlocksFor(long budgetBytes) {
    return budgetBytes <= 0 ? 0 : budgetBytes / bytesPerBlock();
  }

  /**
   * Offset inside a block of one K element: {@code layer * pageBytes() + ((kvHead * headDim + dim)
   * * blockSize + tokenInBlock) * dtypeBytes}. The elements of one dimension of consecutive tokens
   * are adjacent.
   *
   * @param layer layer index
   * @param kvHead KV head index
   * @param dim dimension index, below {@code headDim}
   * @param tokenInBlock token position inside the block
   * @return byte offset from the start of the block
   */
  public long kOffset(int layer, int kvHead, int dim, int tokenInBlock) {
    return layer * pageBytes()
        + (((long) kvHead * headDim + dim) * blockSize + tokenInBlock) * dtype.bytes();
  }

  /**
   * Offset inside a block of the V vector of one head of one token of one layer: {@code layer *
   * pageBytes() + blockSize * kBytesPerTokenLayer() + (kvHead * blockSize + tokenInBlock) *
   * vHeadDim * dtypeBytes}. The {@code vHeadDim} elements of the vector are adjacent.
   *
   * @param layer layer index
   * @param kvHead KV head index
   * @param tokenInBlock token position inside the block
   * @return byte offset from the start of the block
   */
  public long vOffset(int layer, int kvHead, int tokenInBlock) {
    return layer * pageBytes()
        + blockSize * kBytesPerTokenLayer()
        + ((long) kvHead * blockSize + tokenInBlock) * vHeadDim * dtype.bytes();
  }

  @Override
  public String toString() {
    return "KvCacheLayout[layers="
        + numLayers
        + ", kvHeads="
        + numKvHeads
        + ", headDim="
        + headDim
        + ", vHeadDim="
        + vHeadDim
        + ", blockSize="
        + blockSize
        + ", dtype="
        + dtype
        + "]";
  }

  /** Builder of {@link KvCacheLayout}; {@link #build()} reports every bad field at once. */
  public static final class Builder {
    private int numLayers;
    private int numKvHeads;
    private int headDim;
    private int vHeadDim;
    private int blockSize = DEFAULT_BLOCK_SIZE;
    private KvDtype dtype = KvDtype.BF16;
    private float @Nullable [] kScales;
    private float @Nullable [] vScales;

    private Builder() {}

    /**
     * Sets the number of layers.
     *
     * @param numLayers at least 1
     * @return this
     */
    public Builder numLayers(int numLayers) {
      this.numLayers = numLayers;
      return this;
    }

    /**
     * Sets the number of KV heads.
     *
     * @param numKvHeads at least 1
     * @return this
     */
    public Builder numKvHeads(int numKvHeads) {
      this.numKvHeads = numKvHeads;
      return this;
    }

    /**
     * Sets the K head dimension (and the V head dimension unless {@link #vHeadDim(int)} is set).
     *
     * @param headDim at least 1
     * @return this
     */
    public Builder headDim(int headDim) {
      this.headDim = headDim;
      return this;
    }

    /**
     * Sets a V head dimension that differs from the K head dimension; 0 means the same.
     *
     * @param vHeadDim at least 1, or 0
     * @return this
     */
    public Builder vHeadDim(int vHeadDim) {
      this.vHeadDim = vHeadDim;
      return this;
    }

    /**
     * Sets the tokens per block.
     *
     * @param blockSize at least 1; default {@value KvCacheLayout#DEFAULT_BLOCK_SIZE}
     * @return this
     */
    public Builder blockSize(int blockSize) {
      this.blockSize = blockSize;
      return this;
    }

    /**
     * Sets the element type.
     *
     * @param dtype element type; default BF16
     * @return this
     */
    public Builder dtype(KvDtype dtype) {
      this.dtype = java.util.Objects.requireNonNull(dtype, "dtype");
      return this;
    }

    /**
     * Sets one K scale per layer (default all 1.0).
     *
     * @param kScales finite, positive, one per layer
     * @return this
     */
    public Builder kScales(float... kScales) {
      this.kScales = kScales.clone();
      return this;
    }

    /**
     * Sets one V scale per layer (default all 1.0).
     *
     * @param vScales finite, positive, one per layer
     * @return this
     */
    public Builder vScales(float... vScales) {
      this.vScales = vScales.clone();
      return this;
    }

    /**
     * Builds the layout.
     *
     * @return the layout
     * @throws IllegalArgumentException naming every invalid field
     */
    public KvCacheLayout build() {
      return new KvCacheLayout(this);
    }
  }
}
