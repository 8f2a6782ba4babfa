package io.github.gkeinference.testing;

import io.github.gkeinference.schemas.KubernetesSchemas;
import io.github.gkeinference.schemas.SchemaFinding;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assertions;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Validates rendered Kubernetes objects in tests against the official schema of their {@code
 * apiVersion}/{@code kind}, as strictly as {@code kubectl apply --validate=strict}: a
 * JUnit-friendly face of {@link KubernetesSchemas}, which says what is checked.
 *
 * <p>The schemas come with the kit (the {@code gke-inference-sdk-schemas} jar), so schema tests run
 * anywhere and never skip; {@code -Dgkeinference.schemas.dir=DIR} validates against another folder
 * laid out the same way.
 *
 * <p>Thread-safe.
 */
public final class SchemaValidator {
  private static final YAMLMapper YAML = YAMLMapper.builder().build();

  private final KubernetesSchemas schemas;

  private SchemaValidator(KubernetesSchemas schemas) {
    this.schemas = schemas;
  }

  /**
   * Returns the validator for a schema folder.
   *
   * @param schemasDir a folder laid out like the bundled schemas ({@code index.json}, {@code
   *     crds/}, {@code k8s/v1.33/})
   * @return the validator
   * @throws IllegalArgumentException when the folder has no {@code index.json}, naming it
   */
  public static SchemaValidator of(Path schemasDir) {
    return new SchemaValidator(KubernetesSchemas.of(schemasDir));
  }

  /** Returns the validator over the schemas bundled with the kit. */
  public static SchemaValidator bundled() {
    return new SchemaValidator(KubernetesSchemas.bundled());
  }

  /**
   * Returns the validator for tests: the folder named by {@code -Dgkeinference.schemas.dir} when
   * set, else the bundled schemas. A configured folder that does not exist fails the calling test
   * with a message that names it; nothing is skipped.
   *
   * @return the validator
   */
  public static SchemaValidator forTests() {
    Optional<Path> dir = TestSettings.schemasDir();
    if (dir.isEmpty()) {
      return bundled();
    }
    try {
      return of(dir.get());
    } catch (IllegalArgumentException e) {
      return Assertions.fail("-Dgkeinference.schemas.dir: " + e.getMessage());
    }
  }

  /**
   * Returns whether a schema exists for this kind.
   *
   * @param apiVersion for example {@code apps/v1}
   * @param kind for example {@code Deployment}
   * @return whether it can be validated
   */
  public boolean knows(String apiVersion, String kind) {
    return schemas.knows(apiVersion, kind);
  }

  /**
   * Validates one object: a fabric8 object, one of the SDK's typed resources, or a JSON tree.
   *
   * @param object the object
   * @return every finding; empty when the object is valid
   */
  public List<SchemaFinding> validate(Object object) {
    return schemas.validate(object);
  }

  /**
   * Validates every document of a (multi-document) YAML text.
   *
   * @param yaml the YAML
   * @return every finding of every document
   */
  public List<SchemaFinding> validateYaml(String yaml) {
    List<SchemaFinding> findings = new ArrayList<>();
    for (JsonNode doc : readYamlDocuments(yaml)) {
      findings.addAll(schemas.validate(doc));
    }
    return findings;
  }

  /**
   * Fails the calling test with every finding when the object is invalid.
   *
   * @param object the object
   */
  public void assertValid(Object object) {
    List<SchemaFinding> findings = validate(object);
    if (!findings.isEmpty()) {
      Assertions.fail(
          "schema violations:\n  "
              + String.join("\n  ", findings.stream().map(String::valueOf).toList()));
    }
  }

  /**
   * Reads every document of a YAML text as a JSON tree.
   *
   * @param yaml the YAML
   * @return the documents, empty ones left out
   */
  public static List<JsonNode> readYamlDocuments(String yaml) {
    List<JsonNode> docs = new ArrayList<>();
    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yaml)) {
      while (it.hasNext()) {
        JsonNode doc = it.next();
        if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
          docs.add(doc);
        }
      }
    }
    return docs;
  }
}
