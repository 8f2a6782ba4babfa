package io.github.gkeinference.core.model;

/**
 * Counts parameters from an architecture: the matrices of embeddings, attention and MLPs, plus
 * RMSNorm weights; biases, rotary tables and vision towers are left out (each well under 1% of the
 * models in the catalog).
 */
final class Parameters {
  private Parameters() {}

  static long count(ModelArchitecture a, boolean activeOnly) {
    long h = a.hiddenSize();
    long embeddings = embeddings(a);
    long attention = attention(a);
    long dense = 3L * h * a.intermediateSize(); // gate, up and down projections
    long total = embeddings + h; // final norm
    for (int layer = 0; layer < a.numLayers(); layer++) {
      total += attention + 2 * h; // input and post-attention norms
      if (a.moe().isPresent() && a.moe().get().isMoeLayer(layer)) {
        MixtureOfExperts m = a.moe().get();
        long experts = activeOnly ? m.expertsPerToken() : m.numExperts();
        total += h * m.numExperts(); // router
        total += experts * 3L * h * m.expertIntermediateSize();
        total += m.numSharedExperts() * 3L * h * m.sharedExpertIntermediateSize();
      } else {
        total += dense;
      }
    }
    return total;
  }

  /** Returns the parameters of the routed experts of all MoE layers; 0 for dense models. */
  static long routedExperts(ModelArchitecture a) {
    if (a.moe().isEmpty()) {
      return 0;
    }
    MixtureOfExperts m = a.moe().get();
    long perLayer = m.numExperts() * 3L * a.hiddenSize() * m.expertIntermediateSize();
    long total = 0;
    for (int layer = 0; layer < a.numLayers(); layer++) {
      if (m.isMoeLayer(layer)) {
        total += perLayer;
      }
    }
    return total;
  }

  /** Returns the parameters of the token embeddings and the output head. */
  static long embeddings(ModelArchitecture a) {
    return (long) a.vocabSize() * a.hiddenSize() * (a.tiedEmbeddings() ? 1 : 2);
  }

  /** Returns the attention projection parameters of one layer. */
  static long attention(ModelArchitecture a) {
    long h = a.hiddenSize();
    long heads = a.numAttentionHeads();
    long output = heads * a.valueHeadDim() * h;
    if (a.mla().isPresent()) {
      LatentAttention m = a.mla().get();
      long qk = m.qkNopeHeadDim() + m.qkRopeHeadDim();
      long query =
          m.qLoraRank() > 0
              ? h * m.qLoraRank() + m.qLoraRank() + (long) m.qLoraRank() * heads * qk
              : h * heads * qk;
      long kvDown = h * (m.kvLoraRank() + m.qkRopeHeadDim()) + m.kvLoraRank();
      long kvUp = (long) m.kvLoraRank() * heads * (m.qkNopeHeadDim() + a.valueHeadDim());
      return query + kvDown + kvUp + output;
    }
    long kv = a.numKeyValueHeads();
    return h * heads * a.headDim() + h * kv * a.headDim() + h * kv * a.valueHeadDim() + output;
  }
}
