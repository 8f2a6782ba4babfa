package io.github.gkeinference.serving.gateway.epp;

import io.github.gkeinference.core.render.WorkloadFacts;
import io.github.gkeinference.core.server.VllmReleases;
import io.github.gkeinference.core.validate.Violations;
import io.github.gkeinference.serving.vllm.VllmFlags;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks an endpoint-picker configuration against the model servers of its pool, read from their
 * typed {@link WorkloadFacts}: a scorer whose server-side prerequisite is missing degrades to
 * scoring every endpoint alike, which routes at random without an error anywhere.
 *
 * <p>Each finding is one error at the plugin's path: a scorer reading a metric family a server does
 * not export; the precise prefix-cache scorer against a server without {@code --kv-events-config};
 * a block size or hash seed that differs between the scorer and a server; a prefill/decode profile
 * handler ({@link KnownPlugin#DISAGG_PROFILE_HANDLER}) against a server without a KV connector
 * ({@code --kv-transfer-config}), which could not hand its KV cache over.
 */
public final class EppServerChecks {
  /** The variable vLLM seeds its block hashes from. */
  public static final String HASH_SEED_ENV = "PYTHONHASHSEED";

  /**
   * vLLM's KV block size when {@code --block-size} is not given on CUDA (vllm-project/vllm v0.11.2
   * vllm/platforms/cuda.py, {@code check_and_update_config}: 16).
   */
  public static final int VLLM_DEFAULT_BLOCK_SIZE = 16;

  /** The profile handlers that split a request into prefill and decode. */
  private static final Set<KnownPlugin> DISAGGREGATING =
      Set.of(KnownPlugin.DISAGG_PROFILE_HANDLER, KnownPlugin.PD_PROFILE_HANDLER);

  /** The {@code WorkloadFacts.server()} of vLLM servers rendered by this SDK. */
  static final String VLLM = "vllm";

  private EppServerChecks() {}

  /**
   * Adds a violation for every server prerequisite {@code config} needs and a server lacks.
   *
   * @param config the picker's configuration
   * @param servers the facts of the pool's servers
   * @param v the collector, at the configuration's path
   */
  public static void check(EndpointPickerConfig config, List<WorkloadFacts> servers, Violations v) {
    Set<String> referenced = referenced(config);
    for (int i = 0; i < config.plugins().size(); i++) {
      EppPlugin p = config.plugins().get(i);
      if (!referenced.contains(p.name())) {
        continue;
      }
      Violations at = v.at("plugins", i);
      Optional<KnownPlugin> known = KnownPlugin.of(p.type());
      Optional<String> metric = known.flatMap(KnownPlugin::serverMetric);
      for (WorkloadFacts s : servers) {
        metric
            .filter(m -> !exports(s, m))
            .ifPresent(
                m ->
                    at.error(
                        "type",
                        p.type(),
                        "reads the metric "
                            + m
                            + ", which server "
                            + s
                            + " ("
                            + s.server().orElse("unknown server")
                            + ") does not export: remove the scorer or serve with vLLM"
                            + (m.startsWith("vllm:lora") ? " with LoRA enabled" : "")));
        if (known.equals(Optional.of(KnownPlugin.PRECISE_PREFIX_CACHE_SCORER))) {
          precisePrefix(p, s, at);
        }
      }
    }
    for (int i = 0; i < config.plugins().size(); i++) {
      EppPlugin p = config.plugins().get(i);
      if (KnownPlugin.of(p.type()).filter(DISAGGREGATING::contains).isEmpty()) {
        continue;
      }
      for (WorkloadFacts s : servers) {
        if (!s.flags().containsKey(VllmFlags.KV_TRANSFER_CONFIG)) {
          v.at("plugins", i)
              .error(
                  "type",
                  p.type(),
                  "sends prefill and decode to different servers, and server "
                      + s
                      + " has no "
                      + VllmFlags.KV_TRANSFER_CONFIG
                      + ", so it cannot hand its KV cache over: render the pools with"
                      + " DisaggregatedServing");
        }
      }
    }
  }

  private static void precisePrefix(EppPlugin p, WorkloadFacts s, Violations at) {
    if (!s.flags().containsKey(VllmFlags.KV_EVENTS_CONFIG)) {
      at.error(
          "type",
          p.type(),
          "needs KV events from every server, and server "
              + s
              + " has no "
              + VllmFlags.KV_EVENTS_CONFIG
              + ": give the server the same PrecisePrefixRouting");
      return;
    }
    Map<?, ?> tokens =
        p.parameters().get("tokenProcessorConfig") instanceof Map<?, ?> m ? m : Map.of();
    Violations params = at.at("parameters").at("tokenProcessorConfig");
    Object eppBlock = tokens.get("blockSize");
    String serverBlock =
        s.flags().getOrDefault(VllmFlags.BLOCK_SIZE, Integer.toString(VLLM_DEFAULT_BLOCK_SIZE));
    if (eppBlock != null && !String.valueOf(eppBlock).equals(serverBlock)) {
      params.error(
          "blockSize",
          eppBlock,
          "must equal the block size of server " + s + " (" + serverBlock + ")");
    }
    Object eppSeed = tokens.get("hashSeed");
    String serverSeed = s.env().get(HASH_SEED_ENV);
    if (eppSeed != null && !String.valueOf(eppSeed).equals(serverSeed)) {
      params.error(
          "hashSeed",
          eppSeed,
          "must equal "
              + HASH_SEED_ENV
              + " of server "
              + s
              + " ("
              + (serverSeed == null ? "unset, so vLLM seeds its hashes at random" : serverSeed)
              + ")");
    }
  }

  private static boolean exports(WorkloadFacts s, String metric) {
    if (!s.server().map(VLLM::equals).orElse(false)) {
      return false;
    }
    if (metric.startsWith("vllm:lora")) {
      return s.flags().containsKey(VllmFlags.ENABLE_LORA);
    }
    // the metric names the server's release exports (the release table); the SDK's default
    // release when the facts carry none
    return s.vllmVersion()
        .map(VllmReleases::release)
        .orElseGet(VllmReleases::defaultRelease)
        .metrics()
        .contains(metric);
  }

  /** The plugins the picker runs: those in a profile, or all when upstream builds the profile. */
  private static Set<String> referenced(EndpointPickerConfig config) {
    if (config.schedulingProfiles().isEmpty()) {
      return Set.copyOf(config.plugins().stream().map(EppPlugin::name).toList());
    }
    return Set.copyOf(
        config.schedulingProfiles().stream()
            .flatMap(s -> s.plugins().stream())
            .map(SchedulingProfile.Entry::pluginRef)
            .toList());
  }
}
