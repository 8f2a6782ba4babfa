package io.github.gkeinference.accelerators.preflight;

import io.github.gkeinference.accelerators.Accelerators;
import io.github.gkeinference.core.spec.GcpNames;
import io.github.gkeinference.core.spec.SdkStyle;
import io.github.gkeinference.core.validate.Violations;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.immutables.value.Value;

/**
 * What to check before deploying: the project and region, the cluster (its version, or its name to
 * read the version from GKE), the features the deployment uses and what each service asks of the
 * region.
 *
 * <pre>{@code
 * PreflightRequest.builder()
 *     .project("my-project").region("us-central1").clusterVersion("1.34.1-gke.1127000")
 *     .addFeature(Feature.GCS_FUSE)
 *     .addDemand(AcceleratorDemand.of("vllm", computeClass, 1, 4))
 *     .build();
 * }</pre>
 */
@Value.Immutable
@SdkStyle
public interface PreflightRequest {
  /** A region name: {@code us-central1}, {@code europe-west4}. */
  Pattern REGION = Pattern.compile("[a-z]+-[a-z]+[0-9]+");

  /** A GKE version: {@code 1.34}, {@code 1.34.1}, {@code 1.34.1-gke.1127000}. */
  Pattern VERSION = Pattern.compile("[0-9]+\\.[0-9]+(\\.[0-9]+)?(-gke\\.[0-9]+)?");

  /** Returns a new builder. */
  static Builder builder() {
    return new Builder();
  }

  /** The project id. */
  String project();

  /** The region whose quota and zones are checked, for example {@code us-central1}. */
  String region();

  /** The cluster's control-plane version; when empty it is read from GKE by cluster name. */
  Optional<String> clusterVersion();

  /** The cluster's name, to read its version from GKE when {@link #clusterVersion()} is empty. */
  Optional<String> clusterName();

  /** The cluster's location (region or zone); default {@link #region()}. */
  @Value.Default
  default String clusterLocation() {
    return region();
  }

  /** The features the deployment uses. */
  Set<Feature> features();

  /** What each service asks of the region. */
  List<AcceleratorDemand> demands();

  /**
   * Checks every field at once.
   *
   * @throws io.github.gkeinference.core.validate.SdkValidationException listing every violation
   */
  @Value.Check
  default void check() {
    Violations v = Violations.root();
    v.require(
        GcpNames.PROJECT_ID.matcher(project()).matches(),
        "project",
        project(),
        "must be a project id: 6-30 lower-case letters, digits and hyphens, starting with a letter");
    v.require(
        REGION.matcher(region()).matches(),
        "region",
        region(),
        "must be a region such as us-central1");
    clusterVersion()
        .ifPresent(
            c ->
                v.require(
                    VERSION.matcher(c).matches(),
                    "clusterVersion",
                    c,
                    "must be a GKE version such as 1.34.1-gke.1127000"));
    for (int i = 0; i < demands().size(); i++) {
      Accelerators.catalog()
          .checkLabel(v.at("demands", i), "accelerator", demands().get(i).accelerator());
    }
    v.throwIfErrors();
  }

  /** The builder; setters are named after the attributes. */
  final class Builder extends ImmutablePreflightRequest.Builder {}
}
