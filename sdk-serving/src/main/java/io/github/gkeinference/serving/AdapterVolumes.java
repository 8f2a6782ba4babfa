package io.github.gkeinference.serving;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.github.gkeinference.accelerators.plan.LoraSlots;
import io.github.gkeinference.core.model.ModelCatalog;
import io.github.gkeinference.core.server.VllmVersion;
import io.github.gkeinference.core.source.GcsFuseSource;
import io.github.gkeinference.core.source.GcsLocation;
import io.github.gkeinference.core.source.HuggingFaceSource;
import io.github.gkeinference.core.source.ModelSource;
import io.github.gkeinference.core.spec.SecretRef;
import io.github.gkeinference.core.validate.MountPaths;
import io.github.gkeinference.core.validate.Violations;
import io.github.gkeinference.serving.vllm.LoraAdapter;
import io.github.gkeinference.serving.vllm.Speculative;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The LoRA adapters and the speculative draft model of a {@link VllmServer}, resolved once: each
 * bucket adapter or draft becomes its own read-only GCS FUSE volume ({@code only-dir} its folder)
 * mounted at a documented path, each Hub one its id; their paths are what the flags name.
 *
 * @param loraPaths each adapter's path in the container or Hub id, in the spec's order
 * @param draftPath the draft's path in the container or Hub id; empty for ngram or no speculation
 * @param sources the bucket mounts, by field path ({@code loraAdapters[0]}, {@code speculative})
 * @param hubToken the Secret reference that becomes {@code HF_TOKEN} for Hub adapters and drafts,
 *     when the model source does not already set it
 */
record AdapterVolumes(
    List<String> loraPaths,
    Optional<String> draftPath,
    Map<String, GcsFuseSource> sources,
    Optional<SecretRef> hubToken) {

  /** The volume of adapter {@code i}: {@code lora-<i>}. */
  static String loraVolume(int i) {
    return "lora-" + i;
  }

  /** The volume of the draft model. */
  static final String DRAFT_VOLUME = "draft-model";

  /** Resolves the adapters and draft of a server whose fields passed their own checks. */
  static AdapterVolumes of(VllmServer spec) {
    List<String> paths = new ArrayList<>();
    Map<String, GcsFuseSource> sources = new LinkedHashMap<>();
    for (int i = 0; i < spec.loraAdapters().size(); i++) {
      LoraAdapter a = spec.loraAdapters().get(i);
      GcsFuseSource mount =
          mount(
              spec.source(),
              a.source(),
              a.modelBucketPath(),
              loraVolume(i),
              LoraAdapter.mountPath(a.name()));
      if (mount != null) {
        sources.put("loraAdapters[" + i + "]", mount);
        paths.add(mount.resolvedMountPath());
      } else {
        paths.add(a.source().map(ModelSource::modelArgument).orElse(""));
      }
    }
    Optional<String> draft = Optional.empty();
    if (spec.speculative().isPresent()) {
      Speculative s = spec.speculative().get();
      GcsFuseSource mount =
          mount(
              spec.source(), s.source(), s.modelBucketPath(), DRAFT_VOLUME, Speculative.MOUNT_PATH);
      if (mount != null) {
        sources.put("speculative", mount);
        draft = Optional.of(mount.resolvedMountPath());
      } else {
        draft = s.source().map(ModelSource::modelArgument).or(s::model);
      }
    }
    return new AdapterVolumes(paths, draft, sources, hubToken(spec));
  }

  /**
   * Returns the GCS FUSE mount of an adapter or draft, or null when it is not read from a bucket: a
   * folder of the model's bucket with the model's options, or its own GCS FUSE source; either
   * without prefetch, under its own volume name, at its source's mount path or {@code fallback}.
   */
  private static @Nullable GcsFuseSource mount(
      ModelSource model,
      Optional<ModelSource> source,
      Optional<String> modelBucketPath,
      String volume,
      String fallback) {
    if (modelBucketPath.isPresent() && model instanceof GcsFuseSource m) {
      return GcsFuseSource.builder()
          .from(m)
          .location(GcsLocation.of(m.location().bucket(), modelBucketPath.get()))
          .volumeName(volume)
          .mountPath(fallback)
          .prefetch(false)
          .build();
    }
    if (source.isPresent() && source.get() instanceof GcsFuseSource f) {
      return f.toBuilder()
          .volumeName(volume)
          .mountPath(f.mountPath().orElse(fallback))
          .prefetch(false)
          .build();
    }
    return null;
  }

  /** The Hub sources of the adapters and the draft, by field path. */
  private static Map<String, HuggingFaceSource> hubSources(VllmServer spec) {
    Map<String, HuggingFaceSource> hub = new LinkedHashMap<>();
    for (int i = 0; i < spec.loraAdapters().size(); i++) {
      if (spec.loraAdapters().get(i).source().orElse(null) instanceof HuggingFaceSource hf) {
        hub.put("loraAdapters[" + i + "].source.token", hf);
      }
    }
    if (spec.speculative().flatMap(Speculative::source).orElse(null)
        instanceof HuggingFaceSource hf) {
      hub.put("speculative.source.token", hf);
    }
    return hub;
  }

  private static Optional<SecretRef> hubToken(VllmServer spec) {
    if (spec.source() instanceof HuggingFaceSource hf && hf.token().isPresent()) {
      return Optional.empty(); // the model source sets HF_TOKEN already
    }
    return hubSources(spec).values().stream().flatMap(h -> h.token().stream()).findFirst();
  }

  /** Returns whether the pod mounts an adapter or draft bucket through GCS FUSE. */
  boolean fuse() {
    return !sources.isEmpty();
  }

  /** Returns the buckets adapters and drafts are read from. */
  List<GcsLocation> locations() {
    return sources.values().stream().map(GcsFuseSource::location).toList();
  }

  /** Returns the CSI volumes (the sidecar's own volumes come with the model's source, if any). */
  List<Volume> volumes() {
    return sources.values().stream().map(s -> s.volumes().get(0)).toList();
  }

  /** Returns the server container's read-only mounts of {@link #volumes()}. */
  List<VolumeMount> mounts() {
    return sources.values().stream().map(s -> s.volumeMounts().get(0)).toList();
  }

  /** Returns {@code HF_TOKEN} from {@link #hubToken()}, when set. */
  List<EnvVar> env() {
    return hubToken.map(t -> List.of(t.toEnvVar("HF_TOKEN"))).orElse(List.of());
  }

  /**
   * Adds the violations that span the spec: adapter names unique and not the served model's, a
   * model bucket to read {@code modelBucketPath} from, one Secret for every Hub token, mount paths
   * usable and distinct, LoRA limits, and the draft's method and tokenizer.
   */
  static void check(Violations v, VllmServer spec) {
    String served = spec.servedModelName().orElse(spec.modelId());
    boolean bucket = spec.source() instanceof GcsFuseSource;
    Set<String> names = new HashSet<>();
    for (int i = 0; i < spec.loraAdapters().size(); i++) {
      LoraAdapter a = spec.loraAdapters().get(i);
      Violations at = v.at("loraAdapters", i);
      a.validate(at);
      at.require(names.add(a.name()), "name", a.name(), "must be unique");
      at.require(
          !a.name().equals(served),
          "name",
          a.name(),
          "must differ from the served model name: clients would reach the adapter or the base"
              + " model, not both");
      at.require(
          a.modelBucketPath().isEmpty() || bucket,
          "modelBucketPath",
          a.modelBucketPath().orElse(null),
          "needs a gcsFuse model source (the bucket it names); use a gcsFuse source instead");
    }
    if (spec.loraAdapters().isEmpty()) {
      v.require(
          spec.maxLoras().isEmpty(),
          "maxLoras",
          spec.maxLoras().isPresent() ? spec.maxLoras().getAsInt() : null,
          "needs loraAdapters");
      v.require(
          spec.maxCpuLoras().isEmpty(),
          "maxCpuLoras",
          spec.maxCpuLoras().isPresent() ? spec.maxCpuLoras().getAsInt() : null,
          "needs loraAdapters");
    }
    v.require(
        spec.loraAdapters().isEmpty() || spec.maxLoraRank().isPresent(),
        "maxLoraRank",
        null,
        "is required when LoRA adapters are listed");
    spec.maxLoraRank()
        .ifPresent(
            r ->
                v.require(
                    LoraSlots.RANKS.contains(r),
                    "maxLoraRank",
                    r,
                    "must be 8, 16, 32, 64, 128, 256, 320 or 512 (vLLM's accepted ranks)"));
    spec.maxLoras().ifPresent(n -> v.require(n >= 1, "maxLoras", n, "must be at least 1"));
    int maxLoras = spec.maxLoras().orElse(1);
    spec.maxCpuLoras()
        .ifPresent(
            n ->
                v.require(
                    n >= maxLoras,
                    "maxCpuLoras",
                    n,
                    "must be at least maxLoras (" + maxLoras + "), as vLLM requires"));
    spec.speculative().ifPresent(s -> checkSpeculative(v.at("speculative"), spec, s, bucket));
    checkTokens(v, spec);
    if (!v.hasErrors()) {
      checkMounts(v, spec);
    }
  }

  private static void checkSpeculative(
      Violations v, VllmServer spec, Speculative s, boolean bucket) {
    s.validate(v);
    v.require(
        s.modelBucketPath().isEmpty() || bucket,
        "modelBucketPath",
        s.modelBucketPath().orElse(null),
        "needs a gcsFuse model source (the bucket it names); use a gcsFuse source instead");
    if (s.method().equals("draft_model")) {
      spec.vllmVersion()
          .filter(ver -> ver.compareTo(DRAFT_MODEL_RELEASE) < 0)
          .ifPresent(
              ver ->
                  v.error(
                      "method",
                      s.method(),
                      "is not supported by vLLM "
                          + ver
                          + " (vllm/config/speculative.py raises NotImplementedError for a draft"
                          + " model up to v0.13); use eagle, eagle3 or ngram, or an image of v"
                          + DRAFT_MODEL_RELEASE
                          + " or later"));
      // vLLM checks that draft and target share the vocabulary (vllm-project/vllm pull 24322)
      s.resolvedModelId()
          .flatMap(ModelCatalog::find)
          .ifPresent(
              draft ->
                  spec.architecture()
                      .filter(t -> t.vocabSize() != draft.architecture().vocabSize())
                      .ifPresent(
                          t ->
                              v.error(
                                  s.modelId().isPresent() ? "modelId" : "source",
                                  draft.huggingFaceId(),
                                  "has another tokenizer than the served model (vocabulary "
                                      + draft.architecture().vocabSize()
                                      + " against "
                                      + t.vocabSize()
                                      + "); a draft model must share the target's tokenizer")));
    }
  }

  /**
   * The first vLLM release the SDK counts on for draft-model speculation: v0.14.0. vLLM v0.11 to
   * v0.13 refuse {@code draft_model} (vllm/config/speculative.py, vllm-project/vllm issue 31883 on
   * v0.13.0); vllm-project/vllm pull 24322 adds it. An SDK reading of the release history.
   */
  static final VllmVersion DRAFT_MODEL_RELEASE = new VllmVersion(0, 14, 0);

  /** Every Hub token of the server names the same Secret key: the pod has one {@code HF_TOKEN}. */
  private static void checkTokens(Violations v, VllmServer spec) {
    Optional<SecretRef> first =
        spec.source() instanceof HuggingFaceSource hf ? hf.token() : Optional.empty();
    for (Map.Entry<String, HuggingFaceSource> e : hubSources(spec).entrySet()) {
      Optional<SecretRef> token = e.getValue().token();
      if (token.isEmpty()) {
        continue;
      }
      if (first.isEmpty()) {
        first = token;
      } else {
        v.require(
            first.equals(token),
            e.getKey(),
            token.get().name() + "/" + token.get().key(),
            "must name the same Secret key as the server's other Hub token ("
                + first.get().name()
                + "/"
                + first.get().key()
                + "): the container has one HF_TOKEN");
      }
    }
  }

  private static String normal(String path) {
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  /** Every adapter and draft mount path is usable and differs from the others and the model's. */
  private static void checkMounts(Violations v, VllmServer spec) {
    AdapterVolumes resolved = of(spec);
    Map<String, String> taken = new LinkedHashMap<>();
    if (spec.source() instanceof GcsFuseSource m) {
      taken.put(normal(m.resolvedMountPath()), "source.mountPath");
    }
    taken.put(VllmServer.HOME, "the server's home");
    resolved.sources.forEach(
        (field, s) -> {
          String path = s.resolvedMountPath();
          MountPaths.checkChosen(v, field + ".mountPath", path);
          String earlier = taken.putIfAbsent(normal(path), field);
          v.require(
              earlier == null,
              field + ".mountPath",
              path,
              "is already mounted by " + earlier + "; give each adapter and draft its own folder");
        });
  }
}
