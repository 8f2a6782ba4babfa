package io.github.gkeinference.kvcache;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.gkeinference.kvcache.prefix.HashAlgorithm;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;

/**
 * Model-based test of {@link KvCache}: long random chains of allocate (admit), append, fork, free,
 * lookup, evict, swap out/in and reset against {@link KvCacheModel}, with the pool's invariants
 * checked after every step. 20 tries of 50,000 steps = 1,000,000 operations, half of them with the
 * offload tier in an off-heap slab and half with it in a memory-mapped file.
 */
class KvCacheStateProperties {

  static final int STEPS = 50_000;
  static final int TRIES = 20;
  private static final AtomicLong TOTAL = new AtomicLong();

  private static Action.Independent<KvCacheModel> action(
      String name, BiConsumer<KvCacheModel, Integer> op) {
    return () ->
        Arbitraries.integers()
            .between(0, Integer.MAX_VALUE)
            .map(r -> Transformer.mutate(name + " " + r, m -> op.accept(m, r)));
  }

  private static Arbitrary<ActionChain<KvCacheModel>> chains(boolean fileTier) {
    return Arbitraries.of(HashAlgorithm.values())
        .flatMap(
            algo ->
                ActionChain.startWith(() -> new KvCacheModel(algo, fileTier))
                    .withAction(6, action("add", KvCacheModel::add))
                    .withAction(8, action("append", KvCacheModel::append))
                    .withAction(2, action("fork", KvCacheModel::fork))
                    .withAction(5, action("free", KvCacheModel::free))
                    .withAction(3, action("lookup", KvCacheModel::lookup))
                    .withAction(2, action("evict", KvCacheModel::evict))
                    .withAction(1, action("swapOut", KvCacheModel::swapOut))
                    .withAction(1, action("swapIn", KvCacheModel::swapIn))
                    .withAction(1, action("reset", KvCacheModel::reset))
                    .withMaxTransformations(STEPS));
  }

  @Provide
  Arbitrary<ActionChain<KvCacheModel>> slabTierChains() {
    return chains(false);
  }

  @Provide
  Arbitrary<ActionChain<KvCacheModel>> fileTierChains() {
    return chains(true);
  }

  private static void run(ActionChain<KvCacheModel> chain) {
    int[] step = {0};
    KvCacheModel end =
        chain.withInvariant("pool invariants", m -> m.checkInvariants(step[0]++)).run();
    TOTAL.addAndGet(end.operations);
    end.cache.close();
  }

  @Property(tries = TRIES / 2, shrinking = net.jqwik.api.ShrinkingMode.BOUNDED)
  void randomOperations_slabTier_keepInvariants(
      @ForAll("slabTierChains") ActionChain<KvCacheModel> chain) {
    run(chain);
  }

  @Property(tries = TRIES / 2, shrinking = net.jqwik.api.ShrinkingMode.BOUNDED)
  void randomOperations_fileTier_keepInvariants(
      @ForAll("fileTierChains") ActionChain<KvCacheModel> chain) {
    run(chain);
  }

  @AfterContainer
  static void atLeastOneMillionOperations() {
    assertThat(TOTAL.get()).as("operations run").isGreaterThanOrEqualTo(1_000_000L);
  }
}
