package io.github.gkeinference.serving.gateway.epp;

import io.github.gkeinference.core.validate.Violations;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The supported combinations of endpoint-picker image, the config API group and plugin set it
 * reads, the CRD bundle it serves, the GKE version floor and the vLLM releases it was tested with.
 *
 * <p>Each row cites its sources. A picker image outside the table is accepted with a warning (the
 * SDK cannot say what it reads); a listed image with a config it does not read is an error.
 */
public final class EppCompatibility {
  /**
   * The GKE version from which GKE installs the GA Gateway API Inference Extension CRDs
   * (InferencePool {@code inference.networking.k8s.io/v1});
   * https://cloud.google.com/kubernetes-engine/docs/how-to/deploy-gke-inference-gateway ("Prepare
   * your environment").
   */
  public static final String GKE_GA_CRDS_FLOOR = "1.34.0-gke.1626000";

  /**
   * One supported combination.
   *
   * @param eppImage the picker image
   * @param configGroups the {@code EndpointPickerConfig} groups the image reads
   * @param pluginOrigins the plugin sets the image registers
   * @param crdBundle the CRD bundle (InferencePool and InferenceObjective groups) it serves
   * @param gkeVersionFloor the GKE version that installs those CRDs; earlier versions need the
   *     bundle applied by hand
   * @param vllmVersions the vLLM releases the image's project tested against
   * @param source where the row's facts come from
   */
  public record Entry(
      String eppImage,
      Set<EppApiGroup> configGroups,
      Set<KnownPlugin.Origin> pluginOrigins,
      String crdBundle,
      String gkeVersionFloor,
      String vllmVersions,
      String source) {
    /** Copies the sets. */
    public Entry {
      configGroups = Set.copyOf(configGroups);
      pluginOrigins = Set.copyOf(pluginOrigins);
    }
  }

  /**
   * The GIE v1.5.0 picker: reads {@code inference.networking.x-k8s.io/v1alpha1} only, GIE plugins.
   */
  public static final Entry GIE_V1_5_0 =
      new Entry(
          "registry.k8s.io/gateway-api-inference-extension/epp:v1.5.0",
          Set.of(EppApiGroup.GATEWAY_API_INFERENCE_EXTENSION),
          Set.of(KnownPlugin.Origin.GIE),
          "GIE v1.5.0: InferencePool inference.networking.k8s.io/v1, InferenceObjective"
              + " inference.networking.x-k8s.io/v1alpha2",
          GKE_GA_CRDS_FLOOR,
          "vLLM >= 0.10 (vllm:kv_cache_usage_perc)",
          "kubernetes-sigs/gateway-api-inference-extension v1.5.0 config/charts/epplib/values.yaml,"
              + " pkg/epp/config/loader/defaults.go, config/crd/bases");

  /**
   * The llm-d inference scheduler v0.8.0: reads {@code inference.networking.x-k8s.io/v1alpha1} (its
   * {@code llm-d.ai} group came after the release, PR #972), GIE and llm-d plugins.
   */
  public static final Entry LLM_D_V0_8_0 =
      new Entry(
          "ghcr.io/llm-d/llm-d-inference-scheduler:v0.8.0",
          Set.of(EppApiGroup.GATEWAY_API_INFERENCE_EXTENSION),
          Set.of(KnownPlugin.Origin.GIE, KnownPlugin.Origin.LLM_D),
          "GIE v1 InferencePool inference.networking.k8s.io/v1, InferenceObjective"
              + " inference.networking.x-k8s.io/v1alpha2",
          GKE_GA_CRDS_FLOOR,
          "vLLM >= 0.10 with --kv-events-config",
          "llm-d/llm-d-inference-scheduler v0.8.0 deploy/config/*.yaml,"
              + " pkg/epp/framework/plugins/register.go; RELEASE-NOTES.md at commit 520af478");

  /** Every supported combination. No released image reads {@link EppApiGroup#LLM_D} yet. */
  public static final List<Entry> ALL = List.of(GIE_V1_5_0, LLM_D_V0_8_0);

  private EppCompatibility() {}

  /**
   * Returns the row of a picker image.
   *
   * @param eppImage the image reference
   * @return the row, if the image is listed
   */
  public static Optional<Entry> of(String eppImage) {
    return ALL.stream().filter(e -> e.eppImage().equals(eppImage)).findFirst();
  }

  /**
   * Adds an error for a configuration a listed picker image does not read: a config API group it
   * does not parse, or a plugin type it does not register. An image outside the table adds nothing
   * here; see {@link #checkListed}.
   *
   * @param eppImage the picker image
   * @param config the configuration
   * @param v the collector, at the configuration's path
   */
  public static void check(String eppImage, EndpointPickerConfig config, Violations v) {
    Optional<Entry> row = of(eppImage);
    if (row.isEmpty()) {
      return;
    }
    Entry e = row.get();
    v.require(
        e.configGroups().contains(config.apiGroup()),
        "apiGroup",
        config.apiGroup().apiVersion(),
        "is not read by "
            + eppImage
            + ", which reads "
            + String.join(
                ", ", e.configGroups().stream().map(EppApiGroup::apiVersion).sorted().toList()));
    for (int i = 0; i < config.plugins().size(); i++) {
      EppPlugin p = config.plugins().get(i);
      Optional<KnownPlugin> known = KnownPlugin.of(p.type());
      if (known.isPresent() && !e.pluginOrigins().contains(known.get().origin())) {
        v.at("plugins", i)
            .error(
                "type",
                p.type(),
                "is not registered in " + eppImage + "; use " + LLM_D_V0_8_0.eppImage());
      }
    }
  }

  /**
   * Adds a warning when the picker image is outside the table, so nothing about it can be checked.
   *
   * @param eppImage the picker image
   * @param v the collector, at the image field's parent
   * @param field the image field's name
   */
  public static void checkListed(String eppImage, Violations v, String field) {
    if (of(eppImage).isEmpty()) {
      v.warning(
          field,
          eppImage,
          "is not in the SDK's compatibility table ("
              + String.join(", ", ALL.stream().map(Entry::eppImage).toList())
              + "), so its config group and plugins cannot be checked");
    }
  }
}
