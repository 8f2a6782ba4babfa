package io.github.gkeinference.core.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.github.gkeinference.core.SdkException;
import java.util.Optional;
import tools.jackson.databind.json.JsonMapper;

/**
 * The fabric8 kubernetes-client the SDK runs with, checked once: the SDK is built on fabric8 8.x,
 * whose serialization is Jackson 3 ({@code tools.jackson}). With an older fabric8 on the classpath
 * (for example one a platform's own {@code kubernetes-client-bom} 7.x put there) the first call
 * throws an {@link SdkException} that names the version found and the one required, instead of a
 * Jackson error deep inside rendering.
 */
public final class Fabric8Runtime {
  /** The major version of fabric8 kubernetes-client the SDK is built and tested with. */
  public static final int REQUIRED_MAJOR = 8;

  private Fabric8Runtime() {}

  /** Computed on first use, so that loading an SDK class never fails by itself. */
  private static final class Checked {
    static final Optional<String> PROBLEM = problem(foundVersion());
  }

  /** Created only after the check passed. */
  private static final class Shared {
    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  }

  /** Created on first use. */
  private static final class Writer {
    static final JsonMapper MAPPER =
        JsonMapper.builderWithJackson2Defaults()
            .changeDefaultPropertyInclusion(i -> i.withValueInclusion(JsonInclude.Include.NON_NULL))
            .build();
  }

  /**
   * Returns the SDK's one mapper for writing objects as JSON trees, after checking that fabric8 8.x
   * is on the classpath. It is configured for writing as fabric8's own mapper is ({@code
   * KubernetesSerialization} of kubernetes-client-api 8.0.0: Jackson 2 defaults, null values left
   * out), without the module fabric8 adds for fields that hold a value of another type (its
   * "unmatched field type" module). That module wraps every property writer, which made writing the
   * trees about a tenth slower in a one-shot CLI render (docs/benchmarks.md, "CLI start-up"); on
   * writing, all it does is let an additional property named like a field replace the field, and a
   * tree does the same, as a later key replaces an earlier one and additional properties come last
   * ({@code RenderedSetTest}). Reading stays with {@link #serialization()}.
   *
   * @return the mapper (Jackson 3)
   * @throws SdkException when an older fabric8 is on the classpath, naming both versions
   */
  public static JsonMapper writer() {
    requireSupported();
    return Writer.MAPPER;
  }

  /**
   * Returns the shared fabric8 serialization, after checking that fabric8 8.x is on the classpath.
   *
   * @return the serialization (Jackson 3)
   * @throws SdkException when an older fabric8 is on the classpath, naming both versions
   */
  public static KubernetesSerialization serialization() {
    requireSupported();
    return Shared.SERIALIZATION;
  }

  /**
   * Checks that fabric8 kubernetes-client 8.x is on the classpath.
   *
   * @throws SdkException when it is not, naming the version found and the one required
   */
  public static void requireSupported() {
    if (Checked.PROBLEM.isPresent()) {
      throw new SdkException(Checked.PROBLEM.get());
    }
  }

  /**
   * Returns what is wrong with a fabric8 version, or empty when the SDK can use it.
   *
   * @param found the kubernetes-client version found on the classpath, for example {@code 7.4.0}
   * @return the problem, in words that name the found and the required versions
   */
  static Optional<String> problem(String found) {
    int major;
    try {
      major = Integer.parseInt(found.split("[.-]", 2)[0]);
    } catch (NumberFormatException e) {
      major = -1;
    }
    if (major == REQUIRED_MAJOR) {
      return Optional.empty();
    }
    return Optional.of(
        "gke-inference-sdk requires fabric8 kubernetes-client "
            + REQUIRED_MAJOR
            + ".x (Jackson 3), but kubernetes-client "
            + found
            + " is on the classpath. Import io.fabric8:kubernetes-client-bom "
            + REQUIRED_MAJOR
            + ".x instead of an older fabric8 BOM or version.");
  }

  /** Returns the version of the kubernetes-client API on the classpath, as it reports it. */
  private static String foundVersion() {
    try {
      return io.fabric8.kubernetes.client.Version.clientVersion();
    } catch (LinkageError e) {
      // a fabric8 without the Version class, or none at all
      return "unknown (" + e + ")";
    }
  }
}
