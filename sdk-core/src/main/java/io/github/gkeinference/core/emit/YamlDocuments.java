package io.github.gkeinference.core.emit;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** Reads multi-document YAML (or JSON, which is YAML too) into JSON trees. */
public final class YamlDocuments {
  private static final YAMLMapper YAML = YAMLMapper.builder().build();

  private YamlDocuments() {}

  /**
   * Reads every document of a YAML text as a JSON tree.
   *
   * @param yaml the YAML text; documents are separated by {@code ---}
   * @return the documents in file order, empty ones left out
   * @throws tools.jackson.core.JacksonException when the text is not YAML
   */
  public static List<JsonNode> read(String yaml) {
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
