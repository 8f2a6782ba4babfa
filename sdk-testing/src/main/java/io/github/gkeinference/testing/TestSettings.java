package io.github.gkeinference.testing;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;

/**
 * The one place in the test kit that reads system properties.
 *
 * <ul>
 *   <li>{@code gkeinference.schemas.dir}: a schema folder to validate against instead of the
 *       schemas bundled with the kit.
 *   <li>{@code golden.update}: {@code true} rewrites golden files instead of comparing.
 * </ul>
 */
public final class TestSettings {
  private TestSettings() {}

  /** Returns the schema folder named by {@code -Dgkeinference.schemas.dir}, if one is. */
  public static Optional<Path> schemasDir() {
    String configured = System.getProperty("gkeinference.schemas.dir");
    if (configured == null || configured.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(Paths.get(configured).toAbsolutePath().normalize());
  }

  /** Returns whether golden files are rewritten instead of compared. */
  public static boolean updateGoldenFiles() {
    return Boolean.getBoolean("golden.update");
  }

  /** Returns the current working directory (the module directory under Maven). */
  public static Path workingDirectory() {
    return Paths.get(System.getProperty("user.dir")).toAbsolutePath();
  }
}
