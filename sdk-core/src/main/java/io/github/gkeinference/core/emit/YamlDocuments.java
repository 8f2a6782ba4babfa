package io.github.gkeinference.core.emit;

import io.github.gkeinference.core.SdkException;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads multi-document YAML (or JSON, which is YAML too) into JSON trees.
 *
 * <p>A key given twice in one mapping is an error that names the key and its line (YAML 1.2
 * requires unique keys, https://yaml.org/spec/1.2.2/#3211-nodes; silently keeping the last one
 * would render a value the author did not mean). At most {@link #MAX_DOCUMENTS} documents are read
 * unless the caller passes another limit.
 */
public final class YamlDocuments {
  /**
   * The default maximum number of documents in one text: far above any real bundle (a sample
   * renders a few dozen objects), low enough that a runaway input stops early.
   */
  public static final int MAX_DOCUMENTS = 10_000;

  private static final YAMLMapper YAML =
      YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private YamlDocuments() {}

  /**
   * Reads every document of a YAML text as a JSON tree.
   *
   * @param yaml the YAML text; documents are separated by {@code ---}
   * @return the documents in file order, empty ones left out
   * @throws tools.jackson.core.JacksonException when the text is not YAML or a key is duplicated
   * @throws SdkException when the text holds more than {@link #MAX_DOCUMENTS} documents
   */
  public static List<JsonNode> read(String yaml) {
    return read(yaml, MAX_DOCUMENTS);
  }

  /**
   * Reads every document of a YAML text as a JSON tree, stopping at a limit.
   *
   * @param yaml the YAML text; documents are separated by {@code ---}
   * @param maxDocuments the most documents to accept
   * @return the documents in file order, empty ones left out
   * @throws tools.jackson.core.JacksonException when the text is not YAML or a key is duplicated
   * @throws SdkException when the text holds more than {@code maxDocuments} documents
   */
  public static List<JsonNode> read(String yaml, int maxDocuments) {
    List<JsonNode> docs = new ArrayList<>();
    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yaml)) {
      while (it.hasNext()) {
        if (docs.size() == maxDocuments) {
          throw new SdkException(
              "more than " + maxDocuments + " YAML documents; split the input into smaller files");
        }
        JsonNode doc = it.next();
        if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
          docs.add(doc);
        }
      }
    }
    return docs;
  }
}
