package io.github.gkeinference.core.store;

/**
 * Receives upload progress; called after each file is uploaded or skipped, never concurrently, with
 * a non-decreasing {@code doneBytes} that ends at {@code totalBytes}.
 */
@FunctionalInterface
public interface UploadProgress {
  /** A listener that ignores progress. */
  UploadProgress NONE = (file, doneBytes, totalBytes) -> {};

  /**
   * Reports progress.
   *
   * @param file the object name that was just finished
   * @param doneBytes the bytes of all finished files, uploaded or skipped
   * @param totalBytes the bytes of all files to upload
   */
  void onProgress(String file, long doneBytes, long totalBytes);
}
