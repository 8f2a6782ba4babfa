package io.github.gkeinference.core.store;

import java.util.List;

/**
 * What {@link ModelStore#upload} did.
 *
 * @param uploaded the object names written, sorted
 * @param skipped the object names already present with the same size and CRC32C, sorted
 * @param bytesUploaded the bytes written
 * @param bytesSkipped the bytes not written because they were already present
 */
public record UploadResult(
    List<String> uploaded, List<String> skipped, long bytesUploaded, long bytesSkipped) {

  /** Copies the lists. */
  public UploadResult {
    uploaded = List.copyOf(uploaded);
    skipped = List.copyOf(skipped);
  }
}
