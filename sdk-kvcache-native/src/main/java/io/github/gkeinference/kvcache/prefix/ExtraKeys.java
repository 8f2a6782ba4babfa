package io.github.gkeinference.kvcache.prefix;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Extra inputs of a block hash besides the tokens, as vLLM's {@code
 * generate_block_hash_extra_keys}: the adapter (LoRA) name on every block, the cache salt on the
 * first block only, and the content hash of each multimodal item on every block it overlaps.
 *
 * <p>Two requests with the same tokens but different extra keys never share cached blocks.
 * Immutable; build once per request.
 */
public final class ExtraKeys {

  /** No extra keys. */
  public static final ExtraKeys NONE = builder().build();

  final byte @Nullable [] adapter;
  final byte @Nullable [] salt;
  final int[] mmStart;
  final int[] mmLength;
  final byte[][] mmHash;

  private ExtraKeys(Builder b) {
    this.adapter = b.adapter == null ? null : b.adapter.getBytes(StandardCharsets.UTF_8);
    this.salt = b.salt == null ? null : b.salt.getBytes(StandardCharsets.UTF_8);
    int n = b.mmStarts.size();
    this.mmStart = new int[n];
    this.mmLength = new int[n];
    this.mmHash = new byte[n][];
    for (int i = 0; i < n; i++) {
      mmStart[i] = b.mmStarts.get(i);
      mmLength[i] = b.mmLengths.get(i);
      mmHash[i] = sha256(b.mmHashes.get(i));
    }
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }

  /**
   * Starts a builder with no keys.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Upper bound of the serialized extra bytes of any block. */
  int maxBytes() {
    int n = 0;
    if (adapter != null) {
      n += 5 + adapter.length;
    }
    if (salt != null) {
      n += 5 + salt.length;
    }
    return n + mmHash.length * 33;
  }

  /** Builder of {@link ExtraKeys}. */
  public static final class Builder {
    private @Nullable String adapter;
    private @Nullable String salt;
    private final List<Integer> mmStarts = new ArrayList<>();
    private final List<Integer> mmLengths = new ArrayList<>();
    private final List<String> mmHashes = new ArrayList<>();

    private Builder() {}

    /**
     * Sets the adapter (LoRA) name, hashed into every block.
     *
     * @param adapter adapter name
     * @return this
     */
    public Builder adapter(String adapter) {
      this.adapter = Objects.requireNonNull(adapter, "adapter");
      return this;
    }

    /**
     * Sets the cache salt, hashed into the first block only (so the whole chain differs).
     *
     * @param cacheSalt salt chosen per tenant
     * @return this
     */
    public Builder cacheSalt(String cacheSalt) {
      this.salt = Objects.requireNonNull(cacheSalt, "cacheSalt");
      return this;
    }

    /**
     * Adds a multimodal item occupying a token range, hashed into every block it overlaps.
     *
     * @param startToken first token position of the item
     * @param numTokens number of placeholder tokens, at least 1
     * @param contentHash identifier of the item's content (e.g. a hash of the image bytes)
     * @return this
     */
    public Builder addMultimodal(int startToken, int numTokens, String contentHash) {
      if (startToken < 0 || numTokens < 1) {
        throw new IllegalArgumentException(
            "multimodal: startToken "
                + startToken
                + " must be >= 0 and numTokens "
                + numTokens
                + " >= 1");
      }
      mmStarts.add(startToken);
      mmLengths.add(numTokens);
      mmHashes.add(Objects.requireNonNull(contentHash, "contentHash"));
      return this;
    }

    /**
     * Builds the keys.
     *
     * @return the keys
     */
    public ExtraKeys build() {
      return new ExtraKeys(this);
    }
  }
}
