package io.github.gkeinference.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;

/**
 * Compares rendered text with reviewed golden files under {@code src/test/resources/golden/} of the
 * module under test. Run with {@code -Dgolden.update=true} to rewrite them, then read the diff
 * before committing.
 */
public final class GoldenFiles {
  private GoldenFiles() {}

  /** Returns the golden folder of the module under test. */
  public static Path directory() {
    return TestSettings.workingDirectory().resolve("src/test/resources/golden");
  }

  /**
   * Fails unless {@code actual} equals the golden file exactly; rewrites the file instead when
   * {@code -Dgolden.update=true}.
   *
   * @param name the file's path below the golden folder, for example {@code vllm/l4.yaml}
   * @param actual the rendered text
   */
  public static void assertMatches(String name, String actual) {
    Path file = directory().resolve(name);
    try {
      if (TestSettings.updateGoldenFiles()) {
        Files.createDirectories(file.getParent());
        Files.writeString(file, actual, StandardCharsets.UTF_8);
        return;
      }
      if (!Files.isRegularFile(file)) {
        Assertions.fail(
            "golden file "
                + file
                + " does not exist; run the test with -Dgolden.update=true, then review it");
      }
      String expected = Files.readString(file, StandardCharsets.UTF_8);
      Assertions.assertEquals(
          expected,
          actual,
          "rendered output differs from golden file "
              + file
              + "; if the change is intended, rerun with -Dgolden.update=true and review the diff");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
