package io.github.gkeinference.core.source;

import io.github.gkeinference.core.spec.SdkStyle;
import io.github.gkeinference.core.validate.Violations;
import java.util.regex.Pattern;
import org.immutables.value.Value;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * A folder in a Cloud Storage bucket that holds one model: {@code gs://bucket/path/}.
 *
 * <pre>{@code
 * GcsLocation llama = GcsLocation.of("my-models", "meta-llama/llama-3.1-8b-instruct");
 * llama.uri();   // gs://my-models/meta-llama/llama-3.1-8b-instruct
 * }</pre>
 *
 * <p>Bucket names follow the Cloud Storage naming rules (3-63 characters, or up to 222 with dots
 * and at most 63 per dot-separated part; lower-case letters, digits, '-', '_' and '.'; starting and
 * ending with a letter or digit; not starting with {@code goog} and not containing {@code google}).
 * Source: cloud.google.com/storage/docs/buckets#naming.
 */
@Value.Immutable
@SdkStyle
@JsonDeserialize(as = ImmutableGcsLocation.class)
public interface GcsLocation {
  /** Characters allowed in a bucket name, with a letter or digit at both ends. */
  Pattern BUCKET = Pattern.compile("[a-z0-9]([a-z0-9._-]*[a-z0-9])?");

  /**
   * Returns a location.
   *
   * @param bucket the bucket name, without {@code gs://}
   * @param path the folder inside the bucket, without leading or trailing {@code /}; may be empty
   * @return the location
   * @throws io.github.gkeinference.core.validate.SdkValidationException when either is invalid
   */
  static GcsLocation of(String bucket, String path) {
    return builder().bucket(bucket).path(path).build();
  }

  /**
   * Reads a {@code gs://bucket/path} URI; a trailing {@code /} is ignored.
   *
   * @param uri the URI, for example {@code gs://my-models/qwen/qwen3-32b}
   * @return the location
   * @throws io.github.gkeinference.core.validate.SdkValidationException when it is not a {@code
   *     gs://} URI or its bucket or path is invalid
   */
  static GcsLocation parse(String uri) {
    if (!uri.startsWith("gs://")) {
      Violations v = Violations.root();
      v.error("uri", uri, "must be a Cloud Storage URI: gs://bucket/path");
      v.throwIfErrors();
    }
    String rest = uri.substring("gs://".length());
    while (rest.endsWith("/")) {
      rest = rest.substring(0, rest.length() - 1);
    }
    int slash = rest.indexOf('/');
    return slash < 0 ? of(rest, "") : of(rest.substring(0, slash), rest.substring(slash + 1));
  }

  /** Returns a new builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Returns a builder initialised from this value. */
  default Builder toBuilder() {
    return builder().from(this);
  }

  /** The bucket name, without {@code gs://}. */
  String bucket();

  /** The folder inside the bucket, without leading or trailing {@code /}; empty for the root. */
  @Value.Default
  default String path() {
    return "";
  }

  /** Returns {@code gs://bucket/path} (no trailing slash). */
  default String uri() {
    return "gs://" + bucket() + (path().isEmpty() ? "" : "/" + path());
  }

  /**
   * Returns the object name of a file in this folder.
   *
   * @param file the file's path relative to the folder, for example {@code config.json}
   * @return {@code path/file}, or {@code file} at the bucket root
   */
  default String objectName(String file) {
    return path().isEmpty() ? file : path() + "/" + file;
  }

  /** Returns the object-name prefix of this folder: {@code path/}, or empty at the root. */
  default String prefix() {
    return path().isEmpty() ? "" : path() + "/";
  }

  /**
   * Checks both fields at once.
   *
   * @throws io.github.gkeinference.core.validate.SdkValidationException listing every violation
   */
  @Value.Check
  default void check() {
    Violations v = Violations.root();
    validate(v);
    v.throwIfErrors();
  }

  /**
   * Adds this value's violations to {@code v}.
   *
   * @param v the collector, positioned at this value
   */
  default void validate(Violations v) {
    String b = bucket();
    boolean partsOk = true;
    for (String part : b.split("\\.", -1)) {
      partsOk &= !part.isEmpty() && part.length() <= 63;
    }
    boolean lengthOk =
        b.contains(".")
            ? b.length() >= 3 && b.length() <= 222
            : b.length() >= 3 && b.length() <= 63;
    v.require(
        BUCKET.matcher(b).matches()
            && lengthOk
            && partsOk
            && !b.startsWith("goog")
            && !b.contains("google"),
        "bucket",
        b,
        "must be a Cloud Storage bucket name: 3-63 lower-case letters, digits, '-', '_' or '.',"
            + " starting and ending with a letter or digit, without gs://, not starting with"
            + " 'goog' and not containing 'google'");
    String p = path();
    v.require(
        !p.startsWith("/")
            && !p.endsWith("/")
            && !p.contains("//")
            && !p.contains("\n")
            && !p.contains(",")
            && !p.contains("..")
            && p.length() <= 900,
        "path",
        p,
        "must be a folder path without leading or trailing '/', empty segments, '..' or ','");
  }

  /** The builder; setters are named after the attributes. */
  final class Builder extends ImmutableGcsLocation.Builder {}
}
