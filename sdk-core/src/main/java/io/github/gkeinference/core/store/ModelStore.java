package io.github.gkeinference.core.store;

import com.google.cloud.WriteChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import io.github.gkeinference.core.SdkException;
import io.github.gkeinference.core.model.ModelArchitecture;
import io.github.gkeinference.core.model.ModelConfigs;
import io.github.gkeinference.core.source.GcsLocation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A model kept in a Cloud Storage folder: check it is complete, read its architecture, and upload a
 * local copy into it. Never deletes anything.
 *
 * <pre>{@code
 * Storage storage = StorageOptions.getDefaultInstance().getService();
 * ModelStore store = ModelStore.of(storage, GcsLocation.of("my-models", "qwen/qwen3-32b"));
 * store.upload(Path.of("/data/Qwen3-32B"), 8, (file, done, total) -> log(done * 100 / total));
 * store.verify().throwIfIncomplete();
 * ModelArchitecture arch = store.architecture();
 * }</pre>
 *
 * <p>The store does not own the {@link Storage} client and does not close it. Transient Cloud
 * Storage errors are retried by the client's own bounded, jittered retry settings; what still fails
 * is wrapped in an {@link SdkException} naming the object and the operation.
 */
public final class ModelStore {
  /** The model's configuration file. */
  public static final String CONFIG = "config.json";

  /** The shard index of sharded safetensors checkpoints. */
  public static final String INDEX = "model.safetensors.index.json";

  /** The single weights file of unsharded safetensors checkpoints. */
  public static final String SINGLE = "model.safetensors";

  private static final Logger LOG = LoggerFactory.getLogger(ModelStore.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final int CHUNK = 8 * 1024 * 1024;

  private final Storage storage;
  private final GcsLocation location;

  private ModelStore(Storage storage, GcsLocation location) {
    this.storage = Objects.requireNonNull(storage, "storage");
    this.location = Objects.requireNonNull(location, "location");
  }

  /**
   * Returns a store over a bucket folder.
   *
   * @param storage the Cloud Storage client; not closed by the store
   * @param location the folder that holds (or will hold) the model's files
   * @return the store
   */
  public static ModelStore of(Storage storage, GcsLocation location) {
    return new ModelStore(storage, location);
  }

  /** Returns the folder this store works on. */
  public GcsLocation location() {
    return location;
  }

  /**
   * Checks that the model is complete: {@value #CONFIG} is present, and either every shard listed
   * in {@value #INDEX} is present and not empty, with the shards together at least as large as the
   * index's {@code metadata.total_size}, or {@value #SINGLE} is present.
   *
   * @return every missing object and problem found
   * @throws SdkException when Cloud Storage cannot be listed or the index cannot be read
   */
  public ModelVerification verify() {
    Map<String, Long> sizes = list();
    List<String> missing = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    if (!sizes.containsKey(CONFIG)) {
      missing.add(location.objectName(CONFIG));
    }
    if (sizes.containsKey(INDEX)) {
      JsonNode index = readJson(INDEX);
      JsonNode weightMap = index.path("weight_map");
      if (!weightMap.isObject() || weightMap.isEmpty()) {
        problems.add(location.objectName(INDEX) + " has no weight_map");
      }
      Set<String> shards = new LinkedHashSet<>();
      weightMap.forEach(shard -> shards.add(shard.asString()));
      long shardBytes = 0;
      for (String shard : shards) {
        Long size = sizes.get(shard);
        if (size == null) {
          missing.add(location.objectName(shard));
        } else if (size == 0) {
          problems.add(location.objectName(shard) + " is empty");
        } else {
          shardBytes += size;
        }
      }
      JsonNode total = index.path("metadata").path("total_size");
      if (missing.isEmpty() && total.isNumber() && shardBytes < total.asLong()) {
        problems.add(
            "the shards hold "
                + shardBytes
                + " bytes, fewer than the index's metadata.total_size of "
                + total.asLong());
      }
    } else if (!sizes.containsKey(SINGLE)) {
      missing.add(location.objectName(SINGLE));
    }
    long totalBytes = sizes.values().stream().mapToLong(Long::longValue).sum();
    return new ModelVerification(location.uri(), missing, problems, sizes.size(), totalBytes);
  }

  /**
   * Reads the model's {@value #CONFIG} into an architecture.
   *
   * @return the architecture
   * @throws io.github.gkeinference.core.validate.SdkValidationException when the config is invalid
   * @throws SdkException when the object cannot be read
   */
  public ModelArchitecture architecture() {
    return ModelConfigs.parse(read(CONFIG));
  }

  /**
   * Returns the bytes of every object under the folder.
   *
   * @return the total size
   * @throws SdkException when Cloud Storage cannot be listed
   */
  public long totalBytes() {
    return list().values().stream().mapToLong(Long::longValue).sum();
  }

  /**
   * Uploads every file of a local model directory, {@code parallelism} files at a time, skipping
   * files already present with the same size and CRC32C. Hidden files and folders (names starting
   * with {@code .}, such as the {@code .cache} folder {@code hf download} leaves) are left out.
   * Each file goes up in a resumable upload that carries its CRC32C, so Cloud Storage rejects a
   * corrupted copy. Running it again after a failure uploads only what is still missing or
   * different.
   *
   * @param directory the local model directory
   * @param parallelism how many files to upload at once; at least 1
   * @param progress receives progress after each file
   * @return what was uploaded and what was skipped
   * @throws SdkException when a file cannot be read or uploaded
   */
  public UploadResult upload(Path directory, int parallelism, UploadProgress progress) {
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be at least 1, was " + parallelism);
    }
    Objects.requireNonNull(progress, "progress");
    Map<String, Path> files = localFiles(directory);
    long total = 0;
    for (Path file : files.values()) {
      total += size(file);
    }
    Tracker tracker = new Tracker(total, progress);
    ExecutorService pool =
        Executors.newFixedThreadPool(Math.min(parallelism, Math.max(1, files.size())));
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (Map.Entry<String, Path> e : files.entrySet()) {
        futures.add(pool.submit(() -> uploadOne(e.getKey(), e.getValue(), tracker)));
      }
      for (Future<?> f : futures) {
        await(f);
      }
    } finally {
      pool.shutdownNow();
    }
    if (files.isEmpty()) {
      progress.onProgress("", 0, 0);
    }
    return tracker.result();
  }

  private void uploadOne(String relative, Path file, Tracker tracker) {
    String name = location.objectName(relative);
    long size = size(file);
    String crc = crc32c(file);
    Blob existing;
    try {
      existing = storage.get(BlobId.of(location.bucket(), name));
    } catch (StorageException e) {
      throw new SdkException("cannot read metadata of gs://" + location.bucket() + "/" + name, e);
    }
    if (existing != null
        && existing.getSize() != null
        && existing.getSize() == size
        && crc.equals(existing.getCrc32c())) {
      LOG.debug("skipping gs://{}/{}: same size and CRC32C", location.bucket(), name);
      tracker.skipped(name, size);
      return;
    }
    BlobInfo info = BlobInfo.newBuilder(location.bucket(), name).setCrc32c(crc).build();
    try (WriteChannel writer = storage.writer(info, Storage.BlobWriteOption.crc32cMatch());
        FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
      writer.setChunkSize(CHUNK);
      ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
      while (in.read(buffer) >= 0) {
        buffer.flip();
        while (buffer.hasRemaining()) {
          writer.write(buffer);
        }
        buffer.clear();
      }
    } catch (IOException | StorageException e) {
      throw new SdkException(
          "cannot upload " + file + " to gs://" + location.bucket() + "/" + name, e);
    }
    LOG.debug("uploaded gs://{}/{} ({} bytes)", location.bucket(), name, size);
    tracker.uploaded(name, size);
  }

  private Map<String, Long> list() {
    Map<String, Long> sizes = new LinkedHashMap<>();
    String prefix = location.prefix();
    try {
      for (Blob blob :
          storage.list(location.bucket(), Storage.BlobListOption.prefix(prefix)).iterateAll()) {
        if (!blob.getName().endsWith("/")) {
          sizes.put(
              blob.getName().substring(prefix.length()),
              blob.getSize() == null ? 0 : blob.getSize());
        }
      }
    } catch (StorageException e) {
      throw new SdkException("cannot list " + location.uri(), e);
    }
    return sizes;
  }

  private byte[] read(String file) {
    String name = location.objectName(file);
    try {
      return storage.readAllBytes(BlobId.of(location.bucket(), name));
    } catch (StorageException e) {
      throw new SdkException("cannot read gs://" + location.bucket() + "/" + name, e);
    }
  }

  private JsonNode readJson(String file) {
    try {
      return JSON.readTree(read(file));
    } catch (JacksonException e) {
      throw new SdkException("cannot parse " + location.objectName(file) + " as JSON", e);
    }
  }

  private static Map<String, Path> localFiles(Path directory) {
    if (!Files.isDirectory(directory)) {
      throw new SdkException("not a directory: " + directory);
    }
    Map<String, Path> files = new java.util.TreeMap<>();
    try (Stream<Path> walk = Files.walk(directory)) {
      walk.filter(Files::isRegularFile)
          .forEach(
              p -> {
                Path rel = directory.relativize(p);
                boolean hidden = false;
                for (Path part : rel) {
                  hidden |= part.toString().startsWith(".");
                }
                if (!hidden) {
                  files.put(rel.toString().replace('\\', '/'), p);
                }
              });
    } catch (IOException e) {
      throw new SdkException("cannot list " + directory, e);
    }
    return files;
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new SdkException("cannot read the size of " + file, e);
    }
  }

  /** Returns the CRC32C of a file as Cloud Storage writes it: base64 of the big-endian value. */
  static String crc32c(Path file) {
    CRC32C crc = new CRC32C();
    byte[] buffer = new byte[CHUNK];
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        crc.update(buffer, 0, n);
      }
    } catch (IOException e) {
      throw new SdkException("cannot read " + file, e);
    }
    return Base64.getEncoder()
        .encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  private static void await(Future<?> future) {
    try {
      future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SdkException("interrupted while uploading", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof SdkException) {
        throw (SdkException) cause;
      }
      throw new SdkException("upload failed", cause);
    }
  }

  /** Collects results and reports progress, one call at a time. */
  private static final class Tracker {
    private final long total;
    private final UploadProgress progress;
    private final List<String> uploaded = new ArrayList<>();
    private final List<String> skipped = new ArrayList<>();
    private long done;
    private long bytesUploaded;
    private long bytesSkipped;

    Tracker(long total, UploadProgress progress) {
      this.total = total;
      this.progress = progress;
    }

    synchronized void uploaded(String name, long size) {
      uploaded.add(name);
      bytesUploaded += size;
      advance(name, size);
    }

    synchronized void skipped(String name, long size) {
      skipped.add(name);
      bytesSkipped += size;
      advance(name, size);
    }

    private void advance(String name, long size) {
      done += size;
      progress.onProgress(name, done, total);
    }

    synchronized UploadResult result() {
      List<String> u = new ArrayList<>(uploaded);
      List<String> s = new ArrayList<>(skipped);
      Collections.sort(u);
      Collections.sort(s);
      return new UploadResult(u, s, bytesUploaded, bytesSkipped);
    }
  }
}
