package io.github.gkeinference.core.model;

import io.github.gkeinference.core.validate.Violations;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The models the SDK knows without reading their {@code config.json}: the reference architecture's
 * models and the popular open models served on GKE.
 *
 * <p>Every entry's facts are copied from the model's published {@code config.json} (the URL is in
 * {@link CatalogEntry#source()}); a test parses a copy of each file and compares. Lookup is by
 * Hugging Face id, case-insensitive.
 */
public final class ModelCatalog {
  private static final String HF = "https://huggingface.co/";
  private static final Map<String, CatalogEntry> ENTRIES = entries();

  private ModelCatalog() {}

  /** Returns every entry, in catalog order. */
  public static List<CatalogEntry> all() {
    return List.copyOf(ENTRIES.values());
  }

  /**
   * Finds a model by Hugging Face id, ignoring case.
   *
   * @param huggingFaceId the id, for example {@code meta-llama/llama-3.1-8b-instruct}
   * @return the entry, or empty when the model is not in the catalog
   */
  public static Optional<CatalogEntry> find(String huggingFaceId) {
    return Optional.ofNullable(ENTRIES.get(huggingFaceId.trim().toLowerCase(Locale.ROOT)));
  }

  /**
   * Returns a model by Hugging Face id, ignoring case.
   *
   * @param huggingFaceId the id
   * @return the entry
   * @throws io.github.gkeinference.core.validate.SdkValidationException when the model is not in
   *     the catalog
   */
  public static CatalogEntry require(String huggingFaceId) {
    Optional<CatalogEntry> entry = find(huggingFaceId);
    if (entry.isEmpty()) {
      Violations v = Violations.root();
      v.error(
          "huggingFaceId",
          huggingFaceId,
          "is not in the model catalog; read the model's config.json with ModelConfigs instead");
      v.throwIfErrors();
    }
    return entry.orElseThrow();
  }

  private static Map<String, CatalogEntry> entries() {
    Map<String, CatalogEntry> all = new LinkedHashMap<>();
    for (CatalogEntry e : CatalogData.ENTRIES) {
      CatalogEntry previous = all.put(e.huggingFaceId().toLowerCase(Locale.ROOT), e);
      if (previous != null) {
        throw new IllegalStateException("duplicate catalog entry " + e.huggingFaceId());
      }
    }
    return all;
  }

  static String configUrl(String huggingFaceId) {
    return HF + huggingFaceId + "/blob/main/config.json";
  }
}
