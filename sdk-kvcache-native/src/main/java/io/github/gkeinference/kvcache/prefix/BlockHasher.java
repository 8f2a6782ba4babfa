package io.github.gkeinference.kvcache.prefix;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * Chained block hash of the prefix cache, as vLLM's {@code hash_block_tokens}: {@code h_0 = H(NONE,
 * tokens[0:B], extra_0)}, {@code h_i = H(h_{i-1}, tokens[iB:(i+1)B], extra_i)}.
 *
 * <p>Each hash is {@value #HASH_LONGS} longs (256 bits). The input of {@code H} is the parent hash
 * (32 bytes, big-endian longs), the block's tokens (4 bytes each, big-endian), then the extra keys
 * of {@link ExtraKeys}. vLLM pickles a Python tuple instead, so the hashes are not byte-compatible
 * with vLLM's. {@code NONE} is derived from the seed (like vLLM with {@code PYTHONHASHSEED} set),
 * so hashes are reproducible across processes with the same seed.
 *
 * <p>Hashing allocates nothing once the scratch buffer fits the largest extra keys seen. Not
 * thread-safe: use one hasher per thread.
 */
public final class BlockHasher {

  /** Longs per block hash. */
  public static final int HASH_LONGS = 4;

  private static final VarHandle INT_BE =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle LONG_BE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final HashAlgorithm algorithm;
  private final int blockSize;
  private final MessageDigest sha256;
  private final long[] none = new long[HASH_LONGS];
  private final byte[] digest = new byte[32];
  private byte[] scratch;

  private BlockHasher(HashAlgorithm algorithm, int blockSize, long seed) {
    this.algorithm = algorithm;
    this.blockSize = blockSize;
    try {
      this.sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
    this.scratch = new byte[32 + 4 * blockSize + 64];
    byte[] seedBytes = new byte[40];
    byte[] tag = "gkeinference-kvcache-none".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    System.arraycopy(tag, 0, seedBytes, 0, tag.length);
    LONG_BE.set(seedBytes, 32, seed);
    hashBytes(seedBytes, seedBytes.length, none, 0);
  }

  /**
   * Creates a hasher.
   *
   * @param algorithm hash function
   * @param blockSize tokens per block, at least 1
   * @param seed seed of the root parent hash
   * @return a hasher
   */
  public static BlockHasher create(HashAlgorithm algorithm, int blockSize, long seed) {
    Objects.requireNonNull(algorithm, "algorithm");
    if (blockSize < 1) {
      throw new IllegalArgumentException("blockSize: " + blockSize + " must be at least 1");
    }
    return new BlockHasher(algorithm, blockSize, seed);
  }

  /**
   * Hash function in use.
   *
   * @return algorithm
   */
  public HashAlgorithm algorithm() {
    return algorithm;
  }

  /**
   * Tokens per block.
   *
   * @return block size
   */
  public int blockSize() {
    return blockSize;
  }

  /**
   * Copies the root parent hash ({@code NONE}), the parent of block 0.
   *
   * @param out receives {@value #HASH_LONGS} longs
   * @param outOffset first index written
   */
  public void rootHash(long[] out, int outOffset) {
    System.arraycopy(none, 0, out, outOffset, HASH_LONGS);
  }

  /**
   * Hashes one full block.
   *
   * @param parent array holding the parent hash (the root hash for block 0)
   * @param parentOffset index of the parent hash
   * @param tokens token ids
   * @param tokensOffset index of the block's first token in {@code tokens}
   * @param blockIndex position of the block in its sequence (selects the extra keys)
   * @param extra extra keys of the sequence
   * @param out receives the hash
   * @param outOffset first index written (may equal the parent's, to chain in place)
   */
  public void hashBlock(
      long[] parent,
      int parentOffset,
      int[] tokens,
      int tokensOffset,
      int blockIndex,
      ExtraKeys extra,
      long[] out,
      int outOffset) {
    int need = 32 + 4 * blockSize + extra.maxBytes();
    if (scratch.length < need) {
      scratch = new byte[need];
    }
    byte[] s = scratch;
    for (int i = 0; i < HASH_LONGS; i++) {
      LONG_BE.set(s, i * 8, parent[parentOffset + i]);
    }
    int p = 32;
    for (int i = 0; i < blockSize; i++) {
      INT_BE.set(s, p, tokens[tokensOffset + i]);
      p += 4;
    }
    if (extra.adapter != null) {
      p = putTagged(s, p, (byte) 'A', extra.adapter);
    }
    if (blockIndex == 0 && extra.salt != null) {
      p = putTagged(s, p, (byte) 'S', extra.salt);
    }
    long start = (long) blockIndex * blockSize;
    long end = start + blockSize;
    for (int i = 0; i < extra.mmStart.length; i++) {
      long ms = extra.mmStart[i];
      long me = ms + extra.mmLength[i];
      if (ms < end && me > start) {
        s[p++] = 'M';
        System.arraycopy(extra.mmHash[i], 0, s, p, 32);
        p += 32;
      }
    }
    hashBytes(s, p, out, outOffset);
  }

  /**
   * Hashes every full block of a token sequence from block 0.
   *
   * @param tokens token ids
   * @param offset index of the first token
   * @param numTokens number of tokens; a trailing partial block is not hashed
   * @param extra extra keys
   * @param out receives {@value #HASH_LONGS} longs per full block
   * @param outOffset first index written
   * @return number of full blocks hashed
   */
  public int hashBlocks(
      int[] tokens, int offset, int numTokens, ExtraKeys extra, long[] out, int outOffset) {
    int blocks = numTokens / blockSize;
    for (int b = 0; b < blocks; b++) {
      int o = outOffset + b * HASH_LONGS;
      if (b == 0) {
        hashBlock(none, 0, tokens, offset, 0, extra, out, o);
      } else {
        hashBlock(out, o - HASH_LONGS, tokens, offset + b * blockSize, b, extra, out, o);
      }
    }
    return blocks;
  }

  private static int putTagged(byte[] s, int p, byte tag, byte[] value) {
    s[p] = tag;
    INT_BE.set(s, p + 1, value.length);
    System.arraycopy(value, 0, s, p + 5, value.length);
    return p + 5 + value.length;
  }

  private void hashBytes(byte[] s, int len, long[] out, int outOffset) {
    if (algorithm == HashAlgorithm.SHA_256) {
      sha256.update(s, 0, len);
      try {
        sha256.digest(digest, 0, 32);
      } catch (DigestException e) {
        throw new IllegalStateException("32-byte buffer is always large enough", e);
      }
      for (int i = 0; i < HASH_LONGS; i++) {
        out[outOffset + i] = (long) LONG_BE.get(digest, i * 8);
      }
    } else {
      fastHash(s, len, out, outOffset);
    }
  }

  private static final long P1 = 0x9E3779B185EBCA87L;
  private static final long P2 = 0xC2B2AE3D27D4EB4FL;

  private static void fastHash(byte[] s, int len, long[] out, int outOffset) {
    long a = 0x243F6A8885A308D3L;
    long b = 0x13198A2E03707344L;
    long c = 0xA4093822299F31D0L;
    long d = 0x082EFA98EC4E6C89L;
    int words = len >>> 3;
    int i = 0;
    for (; i + 4 <= words; i += 4) {
      a = lane(a, (long) LONG_LE.get(s, i * 8));
      b = lane(b, (long) LONG_LE.get(s, i * 8 + 8));
      c = lane(c, (long) LONG_LE.get(s, i * 8 + 16));
      d = lane(d, (long) LONG_LE.get(s, i * 8 + 24));
    }
    for (; i < words; i++) {
      long w = (long) LONG_LE.get(s, i * 8);
      a = lane(a, w);
      long t = a;
      a = b;
      b = c;
      c = d;
      d = t;
    }
    long tailWord = 0;
    for (int k = words * 8; k < len; k++) {
      tailWord = (tailWord << 8) | (s[k] & 0xFF);
    }
    a = lane(a, tailWord ^ ((long) len << 56));
    b ^= len;
    a += d;
    b += a;
    c += b;
    d += c;
    a = fmix(a);
    b = fmix(b + a);
    c = fmix(c + b);
    d = fmix(d + c);
    a += d;
    out[outOffset] = a;
    out[outOffset + 1] = b;
    out[outOffset + 2] = c;
    out[outOffset + 3] = d;
  }

  private static long lane(long acc, long w) {
    return Long.rotateLeft(acc ^ (w * P1), 31) * P2;
  }

  private static long fmix(long k) {
    k ^= k >>> 33;
    k *= 0xFF51AFD7ED558CCDL;
    k ^= k >>> 33;
    k *= 0xC4CEB93FE1A85EC5L;
    k ^= k >>> 33;
    return k;
  }
}
