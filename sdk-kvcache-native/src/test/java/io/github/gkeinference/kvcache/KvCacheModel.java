package io.github.gkeinference.kvcache;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.gkeinference.kvcache.pool.BlockPool;
import io.github.gkeinference.kvcache.prefix.ExtraKeys;
import io.github.gkeinference.kvcache.prefix.HashAlgorithm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A {@link KvCache} under test next to a simple reference model: the token list and state of each
 * sequence, and the fingerprints of every prefix ever entered into the cache.
 *
 * <p>Each token's K is written as {@code [token, position]} and V as {@code [-token, salt]}, so
 * that reading a sequence back checks that its blocks (shared, copied on write, found by prefix
 * hash, swapped out and in, or loaded from the offload tier) hold exactly its own tokens.
 */
final class KvCacheModel {

  static final int BLOCK = 4;
  static final int BLOCKS = 40;
  static final int MAX_SEQS = 10;
  static final int MAX_TOKENS = 48;
  static final String[] SALTS = {"", "tenant-b"};

  private static final class Seq {
    int[] tokens = new int[MAX_TOKENS];
    int size;
    int salt;
    boolean swapped;
  }

  final KvCache cache;
  final BlockPool pool;
  private final Map<Integer, Seq> seqs = new LinkedHashMap<>();
  private final Set<Long> cachedPrefixes = new HashSet<>();
  private final ExtraKeys[] extras = new ExtraKeys[SALTS.length];
  private final float[] kv = new float[2];
  private final float[] kv2 = new float[2];
  private final int[] scratch = new int[MAX_TOKENS];
  private final int[] freeList = new int[BLOCKS];
  private final long[] hash = new long[4];
  private final long[] hash2 = new long[4];
  long operations;

  /**
   * Creates the cache under test.
   *
   * @param algorithm block hash
   * @param fileTier whether the offload tier lives in a memory-mapped temporary file (deleted when
   *     the cache is closed) instead of an off-heap slab
   */
  KvCacheModel(HashAlgorithm algorithm, boolean fileTier) {
    KvCache.Builder builder =
        KvCache.builder()
            .layout(
                KvCacheLayout.builder()
                    .numLayers(1)
                    .numKvHeads(1)
                    .headDim(2)
                    .blockSize(BLOCK)
                    .dtype(KvDtype.F32)
                    .build())
            .numBlocks(BLOCKS)
            .maxSequences(MAX_SEQS)
            .maxTokensPerSequence(MAX_TOKENS)
            .offloadBlocks(12)
            .hashAlgorithm(algorithm);
    if (fileTier) {
      try {
        builder.offloadFile(Files.createTempFile("kvcache-model-", ".offload"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    this.cache = builder.build();
    this.pool = cache.blockPool();
    for (int i = 0; i < SALTS.length; i++) {
      extras[i] =
          SALTS[i].isEmpty() ? ExtraKeys.NONE : ExtraKeys.builder().cacheSalt(SALTS[i]).build();
    }
  }

  @Override
  public String toString() {
    return "KvCacheModel[" + seqs.size() + " sequences, " + pool.numFree() + " free]";
  }

  // ------------------------------------------------------------------ helpers

  /** Tokens from a few families so that prompts share prefixes. */
  private static int token(int family, int position, int r) {
    return position < 4 + (family * 7) % 20
        ? family * 100 + position
        : 10_000 + (r >>> (position % 16)) % 5;
  }

  /** Fingerprint of (salt, tokens[0:n]), independent of the cache's hash. */
  private static long fingerprint(int salt, int[] tokens, int n) {
    long h = 0x1234_5678L + salt * 0x9E37_79B9L;
    for (int i = 0; i < n; i++) {
      h = h * 0x100000001B3L + tokens[i] + 1;
    }
    return h ^ n;
  }

  private void recordFullBlocks(Seq s, int fromTokens) {
    for (int end = (fromTokens / BLOCK + 1) * BLOCK; end <= s.size; end += BLOCK) {
      cachedPrefixes.add(fingerprint(s.salt, s.tokens, end));
    }
  }

  private void writeTokens(int id, Seq s, int from) {
    for (int i = from; i < s.size; i++) {
      kv[0] = s.tokens[i];
      kv[1] = i;
      kv2[0] = -s.tokens[i];
      kv2[1] = s.salt;
      if (!(cache.writeKv(id, i, 0, kv, 0, kv2, 0) == KvStatus.OK)) {
        throw new AssertionError("writeKv");
      }
    }
  }

  private void checkData(int id, Seq s) {
    for (int i = 0; i < s.size; i++) {
      cache.readK(id, i, 0, kv, 0);
      cache.readV(id, i, 0, kv2, 0);
      if (kv[0] != s.tokens[i] || kv[1] != i || kv2[0] != -s.tokens[i] || kv2[1] != s.salt) {
        throw new AssertionError(
            "sequence "
                + id
                + " token "
                + i
                + " holds K "
                + Arrays.toString(kv)
                + " V "
                + Arrays.toString(kv2)
                + ", expected token "
                + s.tokens[i]);
      }
    }
  }

  private int pick(int r, boolean swapped) {
    int n = 0;
    for (Map.Entry<Integer, Seq> e : seqs.entrySet()) {
      if (e.getValue().swapped == swapped) {
        scratch[n++] = e.getKey();
      }
    }
    return n == 0 ? -1 : scratch[Math.floorMod(r, n)];
  }

  private int[] freeSnapshot() {
    return Arrays.copyOf(freeList, pool.freeList(freeList));
  }

  // ------------------------------------------------------------------ operations

  void add(int r) {
    operations++;
    Seq s = new Seq();
    s.salt = (r & 1) == 1 && (r & 2) == 2 ? 1 : 0;
    int family = (r >>> 2) % 6;
    s.size = 1 + (r >>> 5) % 40;
    for (int i = 0; i < s.size; i++) {
      s.tokens[i] = token(family, i, r);
    }
    int[] before = freeSnapshot();
    int id = cache.addSequence(s.tokens, 0, s.size, extras[s.salt]);
    if (id == KvStatus.NO_FREE_BLOCKS) {
      assertThat(cache.missingBlocks()).isPositive();
      assertThat(freeSnapshot()).containsExactly(before);
      return;
    }
    if (id == KvStatus.NO_SEQUENCE_SLOT) {
      assertThat(seqs).hasSize(MAX_SEQS);
      return;
    }
    if (!(id >= 0)) {
      throw new AssertionError("addSequence returned " + id);
    }
    int hit = cache.cachedTokens(id);
    if (!(hit % BLOCK == 0 && hit <= s.size - 1)) {
      throw new AssertionError("hit " + hit + " for " + s.size + " tokens");
    }
    if (!(hit == 0 || cachedPrefixes.contains(fingerprint(s.salt, s.tokens, hit)))) {
      throw new AssertionError("hit on a prefix never cached");
    }
    seqs.put(id, s);
    // the cached prefix must already hold this prompt's K/V
    int size = s.size;
    s.size = hit;
    checkData(id, s);
    s.size = size;
    writeTokens(id, s, hit);
    recordFullBlocks(s, 0);
  }

  void append(int r) {
    operations++;
    int id = pick(r, false);
    if (id < 0) {
      return;
    }
    Seq s = seqs.get(id);
    int n = 1 + (r >>> 8) % 6;
    int[] t = new int[n];
    for (int i = 0; i < n; i++) {
      t[i] = 20_000 + (r >>> (i * 3)) % 4;
    }
    int[] before = freeSnapshot();
    int res = cache.appendTokens(id, t, 0, n);
    if (res == KvStatus.SEQUENCE_TOO_LONG) {
      assertThat(s.size + n).isGreaterThan(MAX_TOKENS);
      return;
    }
    if (res == KvStatus.NO_FREE_BLOCKS) {
      assertThat(freeSnapshot()).containsExactly(before);
      assertThat(cache.numTokens(id)).isEqualTo(s.size);
      return;
    }
    if (!(res == KvStatus.OK)) {
      throw new AssertionError("appendTokens returned " + res);
    }
    int from = s.size;
    System.arraycopy(t, 0, s.tokens, s.size, n);
    s.size += n;
    writeTokens(id, s, from);
    recordFullBlocks(s, from);
  }

  void fork(int r) {
    operations++;
    int id = pick(r, false);
    if (id < 0) {
      return;
    }
    int child = cache.fork(id);
    if (child == KvStatus.NO_SEQUENCE_SLOT) {
      assertThat(seqs).hasSize(MAX_SEQS);
      return;
    }
    assertThat(child).isNotNegative();
    Seq p = seqs.get(id);
    Seq c = new Seq();
    c.tokens = p.tokens.clone();
    c.size = p.size;
    c.salt = p.salt;
    seqs.put(child, c);
  }

  void free(int r) {
    operations++;
    int id = pick(r, (r & 1) == 1);
    if (id < 0) {
      return;
    }
    if (!(cache.free(id) == KvStatus.OK)) {
      throw new AssertionError("free");
    }
    seqs.remove(id);
    if (!(cache.free(id) == KvStatus.UNKNOWN_SEQUENCE)) {
      throw new AssertionError("double free");
    }
  }

  void lookup(int r) {
    operations++;
    int id = pick(r, false);
    if (id < 0) {
      return;
    }
    Seq s = seqs.get(id);
    int n = 1 + Math.floorMod(r >>> 4, s.size);
    int hit = cache.cachedPrefixLength(s.tokens, 0, n, extras[s.salt]);
    if (!(hit % BLOCK == 0 && hit <= n - 1)) {
      throw new AssertionError("lookup hit " + hit + " for " + n + " tokens");
    }
    if (!(hit == 0 || cachedPrefixes.contains(fingerprint(s.salt, s.tokens, hit)))) {
      throw new AssertionError("lookup hit on a prefix never cached");
    }
  }

  void evict(int r) {
    operations++;
    int block = 1 + Math.floorMod(r, BLOCKS - 1);
    boolean wasCached = pool.isCached(block);
    if (!(pool.evictCached(block) == wasCached && !pool.isCached(block))) {
      throw new AssertionError("evictCached " + block);
    }
  }

  void swapOut(int r) {
    operations++;
    int id = pick(r, false);
    if (id < 0) {
      return;
    }
    int[] before = freeSnapshot();
    int res = cache.swapOut(id);
    if (res == KvStatus.OFFLOAD_UNAVAILABLE) {
      assertThat(freeSnapshot()).containsExactly(before);
      return;
    }
    assertThat(res).isEqualTo(KvStatus.OK);
    seqs.get(id).swapped = true;
    assertThat(cache.isSwappedOut(id)).isTrue();
  }

  void swapIn(int r) {
    operations++;
    int id = pick(r, true);
    if (id < 0) {
      return;
    }
    int[] before = freeSnapshot();
    int res = cache.swapIn(id);
    if (res == KvStatus.NO_FREE_BLOCKS) {
      assertThat(freeSnapshot()).containsExactly(before);
      return;
    }
    assertThat(res).isEqualTo(KvStatus.OK);
    Seq s = seqs.get(id);
    s.swapped = false;
    checkData(id, s);
  }

  void reset(int r) {
    operations++;
    boolean allFree = seqs.values().stream().allMatch(s -> s.swapped);
    assertThat(cache.resetPrefixCache()).isEqualTo(allFree);
    if (allFree) {
      assertThat(pool.numCached()).isZero();
    }
  }

  // ------------------------------------------------------------------ invariants

  void checkInvariants(int r) {
    String problem = pool.verifyIntegrity();
    if (!(problem == null)) {
      throw new AssertionError(String.valueOf(problem));
    }
    int[] refs = new int[BLOCKS];
    int liveCount = 0;
    for (Map.Entry<Integer, Seq> e : seqs.entrySet()) {
      int id = e.getKey();
      Seq s = e.getValue();
      if (!(cache.numTokens(id) == s.size)) {
        throw new AssertionError("token count of sequence " + id);
      }
      if (!(cache.numBlocks(id) == (s.size + BLOCK - 1) / BLOCK)) {
        throw new AssertionError("block count of sequence " + id);
      }
      if (!(cache.isSwappedOut(id) == s.swapped)) {
        throw new AssertionError("swap state of sequence " + id);
      }
      if (s.swapped) {
        continue;
      }
      scratch[liveCount++] = id;
      for (int b = 0; b < cache.numBlocks(id); b++) {
        int block = cache.blockId(id, b);
        if (!(block >= 1 && block < BLOCKS)) {
          throw new AssertionError("sequence " + id + " holds block " + block);
        }
        refs[block]++;
      }
    }
    int used = 0;
    for (int b = 1; b < BLOCKS; b++) {
      if (pool.refCount(b) != refs[b]) {
        throw new AssertionError(
            "block "
                + b
                + " has ref count "
                + pool.refCount(b)
                + " but is in "
                + refs[b]
                + " tables");
      }
      if (!(pool.isFree(b) != (refs[b] > 0))) {
        throw new AssertionError("block " + b + " is both free and referenced, or neither");
      }
      if (pool.isCached(b)) {
        pool.hashOf(b, hash, 0);
        int found = pool.cachedBlock(hash, 0);
        if (!(pool.hashOf(found, hash2, 0) && Arrays.equals(hash, hash2))) {
          throw new AssertionError("hash map lost block " + b);
        }
      }
      used += refs[b] > 0 ? 1 : 0;
    }
    if (!(pool.numFree() == BLOCKS - 1 - used)) {
      throw new AssertionError("free count " + pool.numFree() + ", used " + used);
    }
    if (liveCount > 0 && (r & 3) == 0) {
      // K/V contents of one live sequence every fourth step (cost); touched sequences are checked
      // in
      // the operations themselves
      int id = scratch[Math.floorMod(r >>> 2, liveCount)];
      checkData(id, seqs.get(id));
    }
  }
}
