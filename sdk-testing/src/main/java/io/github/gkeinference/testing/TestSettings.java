package io.github.gkeinference.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The one place in the test kit that reads system properties.
 *
 * <ul>
 *   <li>{@code gkeinference.schemas.dir}: the schema folder; default {@code ../shared/schemas} next
 *       to the repository root (the folder that holds {@code mvnw}).
 *   <li>{@code gkeinference.schemas.required}: {@code true} makes a missing schema folder a test
 *       failure instead of a skip (CI sets it).
 *   <li>{@code golden.update}: {@code true} rewrites golden files instead of comparing.
 * </ul>
 */
public final class TestSettings {
  private TestSettings() {}

  /** Returns the schema folder (which may not exist). */
  public static Path schemasDir() {
    String configured = System.getProperty("gkeinference.schemas.dir");
    if (configured != null && !configured.isBlank()) {
      return Paths.get(configured).toAbsolutePath().normalize();
    }
    return repositoryRoot().resolve("../shared/schemas").toAbsolutePath().normalize();
  }

  /** Returns whether a missing schema folder must fail the tests. */
  public static boolean schemasRequired() {
    return Boolean.getBoolean("gkeinference.schemas.required");
  }

  /** Returns whether golden files are rewritten instead of compared. */
  public static boolean updateGoldenFiles() {
    return Boolean.getBoolean("golden.update");
  }

  /** Returns the current working directory (the module directory under Maven). */
  public static Path workingDirectory() {
    return Paths.get(System.getProperty("user.dir")).toAbsolutePath();
  }

  /** Returns the nearest folder at or above the working directory that holds {@code mvnw}. */
  static Path repositoryRoot() {
    Path dir = workingDirectory();
    for (Path p = dir; p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("mvnw"))) {
        return p;
      }
    }
    return dir;
  }
}
