package io.github.gkeinference.core.store;

import io.github.gkeinference.core.validate.Violations;
import java.util.List;

/**
 * What {@link ModelStore#verify()} found: every missing object and every other problem, not only
 * the first.
 *
 * @param location the verified folder, {@code gs://bucket/path}
 * @param missingObjects the object names that should exist and do not, in index order
 * @param problems other problems (empty shards, sizes smaller than the index says), as sentences
 * @param objectCount the objects found under the folder
 * @param totalBytes the bytes of all objects found under the folder
 */
public record ModelVerification(
    String location,
    List<String> missingObjects,
    List<String> problems,
    int objectCount,
    long totalBytes) {

  /** Copies the lists. */
  public ModelVerification {
    missingObjects = List.copyOf(missingObjects);
    problems = List.copyOf(problems);
  }

  /** Returns whether nothing is missing and nothing is wrong. */
  public boolean isComplete() {
    return missingObjects.isEmpty() && problems.isEmpty();
  }

  /**
   * Throws unless the model is complete, with one violation per missing object and per problem.
   *
   * @throws io.github.gkeinference.core.validate.SdkValidationException when anything is missing or
   *     wrong
   */
  public void throwIfIncomplete() {
    Violations v = Violations.root("store");
    for (String name : missingObjects) {
      v.error("objects", name, "is missing from " + location);
    }
    for (String problem : problems) {
      v.error("objects", null, problem);
    }
    v.throwIfErrors();
  }
}
