package io.github.gkeinference.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import io.github.gkeinference.core.model.ModelCatalog;
import io.github.gkeinference.core.source.GcsLocation;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelStoreTest {
  private static final GcsLocation LOCATION = GcsLocation.of("models-bucket", "qwen/qwen3-32b");
  private static final String INDEX =
      "{\"metadata\":{\"total_size\":20},\"weight_map\":{"
          + "\"a.weight\":\"model-00001-of-00002.safetensors\","
          + "\"b.weight\":\"model-00002-of-00002.safetensors\","
          + "\"c.weight\":\"model-00002-of-00002.safetensors\"}}";

  private Storage storage;
  private ModelStore store;

  @BeforeEach
  void setUp() {
    storage = LocalStorageHelper.getOptions().getService();
    store = ModelStore.of(storage, LOCATION);
  }

  private static byte[] qwenConfig() throws IOException {
    try (InputStream in =
        ModelStoreTest.class.getResourceAsStream("/catalog/Qwen/Qwen3-32B/config.json")) {
      return in.readAllBytes();
    }
  }

  private void put(String file, byte[] content) {
    storage.create(
        BlobInfo.newBuilder(LOCATION.bucket(), LOCATION.objectName(file)).build(), content);
  }

  private void putCompleteModel() throws IOException {
    put("config.json", qwenConfig());
    put("model.safetensors.index.json", INDEX.getBytes(StandardCharsets.UTF_8));
    put("model-00001-of-00002.safetensors", new byte[12]);
    put("model-00002-of-00002.safetensors", new byte[16]);
  }

  @Test
  void verify_completeModel_isComplete() throws IOException {
    putCompleteModel();
    ModelVerification v = store.verify();
    assertThat(v.isComplete()).isTrue();
    assertThat(v.objectCount()).isEqualTo(4);
    assertThat(v.totalBytes()).isEqualTo(qwenConfig().length + INDEX.length() + 12 + 16);
    assertThat(store.totalBytes()).isEqualTo(v.totalBytes());
    v.throwIfIncomplete(); // does not throw
  }

  @Test
  void verify_missingShard_isReportedByName() throws IOException {
    put("config.json", qwenConfig());
    put("model.safetensors.index.json", INDEX.getBytes(StandardCharsets.UTF_8));
    put("model-00001-of-00002.safetensors", new byte[12]);
    ModelVerification v = store.verify();
    assertThat(v.isComplete()).isFalse();
    assertThat(v.missingObjects())
        .containsExactly("qwen/qwen3-32b/model-00002-of-00002.safetensors");
  }

  @Test
  void verify_reportsEveryMissingObject_notOnlyTheFirst() {
    put("model.safetensors.index.json", INDEX.getBytes(StandardCharsets.UTF_8));
    ModelVerification v = store.verify();
    assertThat(v.missingObjects())
        .containsExactly(
            "qwen/qwen3-32b/config.json",
            "qwen/qwen3-32b/model-00001-of-00002.safetensors",
            "qwen/qwen3-32b/model-00002-of-00002.safetensors");
    assertThatThrownBy(v::throwIfIncomplete)
        .isInstanceOfSatisfying(
            SdkValidationException.class,
            e ->
                assertThat(e.violations())
                    .extracting(Violation::rejectedValue)
                    .containsExactlyElementsOf(v.missingObjects()));
  }

  @Test
  void verify_shardsSmallerThanIndexTotal_isAProblem() throws IOException {
    putCompleteModel();
    put("model-00002-of-00002.safetensors", new byte[2]); // 12 + 2 < total_size 20
    assertThat(store.verify().problems()).singleElement().asString().contains("total_size of 20");
  }

  @Test
  void verify_unshardedModel_needsModelSafetensors() throws IOException {
    put("config.json", qwenConfig());
    assertThat(store.verify().missingObjects()).containsExactly("qwen/qwen3-32b/model.safetensors");
    put("model.safetensors", new byte[4]);
    assertThat(store.verify().isComplete()).isTrue();
  }

  @Test
  void architecture_isReadFromConfigJson() throws IOException {
    putCompleteModel();
    assertThat(store.architecture())
        .isEqualTo(ModelCatalog.require("Qwen/Qwen3-32B").architecture());
  }

  private static Path localModel(Path dir) throws IOException {
    Files.write(dir.resolve("config.json"), qwenConfig());
    Files.writeString(dir.resolve("model.safetensors.index.json"), INDEX);
    Files.write(dir.resolve("model-00001-of-00002.safetensors"), new byte[12]);
    byte[] shard = new byte[16];
    shard[3] = 7;
    Files.write(dir.resolve("model-00002-of-00002.safetensors"), shard);
    Files.createDirectories(dir.resolve(".cache/huggingface"));
    Files.writeString(dir.resolve(".cache/huggingface/lock"), "x");
    return dir;
  }

  @Test
  void upload_thenVerify_isComplete_andProgressReaches100Percent(@TempDir Path dir)
      throws IOException {
    localModel(dir);
    List<long[]> calls = new ArrayList<>();
    UploadResult r =
        store.upload(dir, 3, (file, done, total) -> calls.add(new long[] {done, total}));
    long expectedTotal = qwenConfig().length + INDEX.length() + 12 + 16;
    assertThat(r.uploaded()).hasSize(4).noneMatch(n -> n.contains(".cache"));
    assertThat(r.bytesUploaded()).isEqualTo(expectedTotal);
    assertThat(calls).hasSize(4);
    long[] last = calls.get(calls.size() - 1);
    assertThat(last[0]).isEqualTo(last[1]).isEqualTo(expectedTotal);
    for (int i = 1; i < calls.size(); i++) {
      assertThat(calls.get(i)[0]).isGreaterThanOrEqualTo(calls.get(i - 1)[0]);
    }
    assertThat(store.verify().isComplete()).isTrue();
    assertThat(
            storage
                .readAllBytes(
                    BlobId.of("models-bucket", "qwen/qwen3-32b/model-00002-of-00002.safetensors"))[
                3])
        .isEqualTo((byte) 7);
  }

  @Test
  void upload_again_skipsIdenticalFiles_andReuploadsChangedOnes(@TempDir Path dir)
      throws IOException {
    localModel(dir);
    store.upload(dir, 2, UploadProgress.NONE);
    Files.write(dir.resolve("model-00001-of-00002.safetensors"), new byte[13]); // size changed
    byte[] sameSize = new byte[16];
    sameSize[3] = 8; // same size, different CRC32C
    Files.write(dir.resolve("model-00002-of-00002.safetensors"), sameSize);
    UploadResult again = store.upload(dir, 2, UploadProgress.NONE);
    assertThat(again.skipped())
        .containsExactly(
            "qwen/qwen3-32b/config.json", "qwen/qwen3-32b/model.safetensors.index.json");
    assertThat(again.uploaded())
        .containsExactly(
            "qwen/qwen3-32b/model-00001-of-00002.safetensors",
            "qwen/qwen3-32b/model-00002-of-00002.safetensors");
    UploadResult third = store.upload(dir, 2, UploadProgress.NONE);
    assertThat(third.uploaded()).isEmpty();
    assertThat(third.bytesSkipped()).isEqualTo(qwenConfig().length + INDEX.length() + 13 + 16);
  }

  @Test
  void upload_neverDeletesObjectsItDoesNotHave(@TempDir Path dir) throws IOException {
    put("README.md", "keep me".getBytes(StandardCharsets.UTF_8));
    store.upload(localModel(dir), 2, UploadProgress.NONE);
    assertThat(storage.get(BlobId.of("models-bucket", "qwen/qwen3-32b/README.md"))).isNotNull();
  }

  @Test
  void crc32c_matchesCloudStorageEncoding(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("f");
    Files.writeString(f, "123456789");
    // CRC-32C check value of "123456789" is 0xE3069283 (RFC 3720 / iSCSI); base64 of its bytes.
    assertThat(ModelStore.crc32c(f)).isEqualTo("4waSgw==");
  }
}
