package io.github.gkeinference.kvcache.prefix;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BlockHasherTest {

  private static int[] tokens(int n, int start) {
    int[] t = new int[n];
    for (int i = 0; i < n; i++) {
      t[i] = start + i;
    }
    return t;
  }

  private static long[] chain(BlockHasher h, int[] tokens, ExtraKeys extra) {
    long[] out = new long[tokens.length / h.blockSize() * 4];
    h.hashBlocks(tokens, 0, tokens.length, extra, out, 0);
    return out;
  }

  private static long[] block(long[] chain, int i) {
    return Arrays.copyOfRange(chain, i * 4, i * 4 + 4);
  }

  @Test
  void sha256_block0_equalsDigestOfParentAndBigEndianTokens() throws Exception {
    BlockHasher h = BlockHasher.create(HashAlgorithm.SHA_256, 4, 7);
    long[] root = new long[4];
    h.rootHash(root, 0);
    // root = SHA-256("gkeinference-kvcache-none" padded to 32 bytes || seed as 8 big-endian bytes)
    ByteBuffer seedInput = ByteBuffer.allocate(40);
    seedInput.put("gkeinference-kvcache-none".getBytes(StandardCharsets.US_ASCII));
    seedInput.putLong(32, 7L);
    ByteBuffer expectedRoot =
        ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(seedInput.array()));
    for (int i = 0; i < 4; i++) {
      assertThat(root[i]).isEqualTo(expectedRoot.getLong(i * 8));
    }
    ByteBuffer in = ByteBuffer.allocate(32 + 16);
    for (long r : root) {
      in.putLong(r);
    }
    for (int t : new int[] {10, 11, 12, 13}) {
      in.putInt(t);
    }
    ByteBuffer expected = ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(in.array()));
    long[] out = chain(h, new int[] {10, 11, 12, 13, 14}, ExtraKeys.NONE);
    assertThat(out).hasSize(4); // the partial block (token 14) is not hashed
    for (int i = 0; i < 4; i++) {
      assertThat(out[i]).isEqualTo(expected.getLong(i * 8));
    }
  }

  @Test
  void chain_changeInFirstBlock_changesEveryLaterHash() {
    for (HashAlgorithm algo : HashAlgorithm.values()) {
      BlockHasher h = BlockHasher.create(algo, 16, 0);
      int[] a = tokens(64, 0);
      int[] b = a.clone();
      b[3] = 999;
      long[] ca = chain(h, a, ExtraKeys.NONE);
      long[] cb = chain(h, b, ExtraKeys.NONE);
      for (int i = 0; i < 4; i++) {
        assertThat(block(ca, i)).as(algo + " block " + i).isNotEqualTo(block(cb, i));
      }
      assertThat(chain(h, a, ExtraKeys.NONE)).as("deterministic").isEqualTo(ca);
    }
  }

  @Test
  void seedAndAlgorithm_giveDifferentHashes() {
    int[] t = tokens(16, 5);
    long[] s0 = chain(BlockHasher.create(HashAlgorithm.SHA_256, 16, 0), t, ExtraKeys.NONE);
    long[] s1 = chain(BlockHasher.create(HashAlgorithm.SHA_256, 16, 1), t, ExtraKeys.NONE);
    long[] f0 = chain(BlockHasher.create(HashAlgorithm.FAST, 16, 0), t, ExtraKeys.NONE);
    assertThat(s0).isNotEqualTo(s1).isNotEqualTo(f0);
  }

  @Test
  void adapter_changesEveryBlock_saltOnlyTheFirstBlockInput() {
    BlockHasher h = BlockHasher.create(HashAlgorithm.SHA_256, 16, 0);
    int[] t = tokens(32, 0);
    long[] plain = chain(h, t, ExtraKeys.NONE);
    long[] adapter = chain(h, t, ExtraKeys.builder().adapter("lora-a").build());
    long[] salt = chain(h, t, ExtraKeys.builder().cacheSalt("tenant-1").build());
    assertThat(block(adapter, 0)).isNotEqualTo(block(plain, 0));
    assertThat(block(salt, 0)).isNotEqualTo(block(plain, 0));
    assertThat(block(salt, 1)).isNotEqualTo(block(plain, 1)); // through the chain
    // With the same parent, block 1 ignores the salt but not the adapter.
    long[] out = new long[4];
    h.hashBlock(plain, 0, t, 16, 1, ExtraKeys.builder().cacheSalt("tenant-1").build(), out, 0);
    assertThat(out).isEqualTo(block(plain, 1));
    h.hashBlock(plain, 0, t, 16, 1, ExtraKeys.builder().adapter("lora-a").build(), out, 0);
    assertThat(out).isNotEqualTo(block(plain, 1));
  }

  @Test
  void multimodal_affectsOnlyOverlappingBlocks() {
    BlockHasher h = BlockHasher.create(HashAlgorithm.FAST, 16, 0);
    int[] t = tokens(48, 0);
    long[] plain = chain(h, t, ExtraKeys.NONE);
    ExtraKeys image = ExtraKeys.builder().addMultimodal(20, 8, "image-sha").build();
    long[] withImage = chain(h, t, image);
    assertThat(block(withImage, 0)).isEqualTo(block(plain, 0)); // tokens 0-15: no overlap
    assertThat(block(withImage, 1)).isNotEqualTo(block(plain, 1)); // tokens 16-31 hold the image
    long[] out = new long[4];
    h.hashBlock(plain, 4, t, 32, 2, image, out, 0); // block 2 with the same parent: no overlap
    assertThat(out).isEqualTo(block(plain, 2));
  }
}
