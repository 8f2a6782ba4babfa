package io.github.gkeinference.core.emit;

import io.github.gkeinference.core.SdkException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads multi-document YAML (or JSON, which is YAML too) into JSON trees: the one YAML reader of
 * spec files, manifests and {@code validate} input.
 *
 * <p>Anchors and aliases are resolved as kubectl resolves them ({@code matchLabels: *lbl} is the
 * anchored mapping, {@code <<: *base} merges a mapping's keys), with the limits of the parser,
 * snakeyaml-engine, so that a "billion laughs" text cannot exhaust memory: at most {@link
 * #MAX_ALIASES_FOR_COLLECTIONS} aliases to collections per text, no recursive alias, and at most
 * {@link #MAX_EXPANDED_NODES} nodes copied out of aliases. A key given twice in one mapping is an
 * error that names the key and its line (YAML 1.2 requires unique keys,
 * https://yaml.org/spec/1.2.2/#3211-nodes; silently keeping the last one would render a value the
 * author did not mean). Plain scalars are typed by the YAML 1.2 JSON schema
 * (https://yaml.org/spec/1.2.2/#102-json-schema): {@code true}/{@code false}, {@code null} and JSON
 * numbers; anything else is a string. At most {@link #MAX_DOCUMENTS} documents are read unless the
 * caller passes another limit. Every error is one line without an excerpt of the input (which might
 * hold a secret).
 */
public final class YamlDocuments {
  /**
   * The default maximum number of documents in one text: far above any real bundle (a sample
   * renders a few dozen objects), low enough that a runaway input stops early.
   */
  public static final int MAX_DOCUMENTS = 10_000;

  /**
   * The most aliases to mappings or sequences in one text: snakeyaml-engine's own default (50),
   * enough for shared labels and argument lists, far too few for an exponential expansion.
   */
  public static final int MAX_ALIASES_FOR_COLLECTIONS = 50;

  /**
   * The most nodes that aliases may copy into the trees of one text. Fifty aliases can still double
   * a tree fifty times, so the expansion itself is bounded too; a real manifest copies a few labels
   * or arguments.
   */
  public static final int MAX_EXPANDED_NODES = 100_000;

  private static final String MERGE_KEY = "<<";

  private static final LoadSettings SETTINGS =
      LoadSettings.builder()
          .setMaxAliasesForCollections(MAX_ALIASES_FOR_COLLECTIONS)
          .setAllowRecursiveKeys(false)
          .setAllowNonScalarKeys(false)
          // Sizes are limited by the callers before parsing (the CLI's input limit).
          .setCodePointLimit(Integer.MAX_VALUE)
          .setLabel("input")
          .build();

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private YamlDocuments() {}

  /** A text that is not YAML, with a one-line reason and the line and column where it fails. */
  public static final class InvalidYamlException extends SdkException {
    private static final long serialVersionUID = 1L;

    InvalidYamlException(String message) {
      super(message);
    }
  }

  /**
   * Reads every document of a YAML text as a JSON tree.
   *
   * @param yaml the YAML text; documents are separated by {@code ---}
   * @return the documents in file order, empty ones left out
   * @throws InvalidYamlException when the text is not YAML, a key is duplicated or aliases exceed
   *     their limits
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
   * @throws InvalidYamlException when the text is not YAML, a key is duplicated or aliases exceed
   *     their limits
   * @throws SdkException when the text holds more than {@code maxDocuments} documents
   */
  public static List<JsonNode> read(String yaml, int maxDocuments) {
    List<JsonNode> docs = new ArrayList<>();
    Converter converter = new Converter();
    try {
      // the composer of the exported API (api.lowlevel is not exported to named modules)
      Composer composer =
          new Composer(SETTINGS, new ParserImpl(SETTINGS, new StreamReader(SETTINGS, yaml)));
      while (composer.hasNext()) {
        Node node = composer.next();
        JsonNode doc = converter.convert(node);
        if (doc.isNull()) {
          continue;
        }
        if (docs.size() == maxDocuments) {
          throw new SdkException(
              "more than " + maxDocuments + " YAML documents; split the input into smaller files");
        }
        docs.add(doc);
      }
    } catch (MarkedYamlEngineException e) {
      throw new InvalidYamlException(
          e.getProblem()
              + e.getProblemMark().or(e::getContextMark).map(YamlDocuments::at).orElse(""));
    } catch (YamlEngineException e) {
      throw new InvalidYamlException(oneLine(e.getMessage()));
    }
    return docs;
  }

  private static String at(Mark mark) {
    return " (line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ")";
  }

  private static String at(Node node) {
    return node.getStartMark().map(YamlDocuments::at).orElse("");
  }

  private static String oneLine(String message) {
    String text = message == null ? "not YAML" : message.strip();
    int eol = text.indexOf('\n');
    return eol < 0 ? text : text.substring(0, eol);
  }

  /** Turns composed nodes into JSON trees, copying what aliases point to within the budget. */
  private static final class Converter {
    /** Nodes already converted once: meeting one again means an alias copies it. */
    private final Map<Node, Boolean> seen = new IdentityHashMap<>();

    /** Collections being converted: meeting one again means a recursive alias. */
    private final Map<Node, Boolean> open = new IdentityHashMap<>();

    private int expanded;

    JsonNode convert(Node node) {
      return convert(node, false);
    }

    private JsonNode convert(Node node, boolean copying) {
      boolean copy = copying || seen.put(node, Boolean.TRUE) != null;
      if (copy && ++expanded > MAX_EXPANDED_NODES) {
        throw new InvalidYamlException(
            "aliases expand to more than "
                + MAX_EXPANDED_NODES
                + " nodes"
                + at(node)
                + "; write the values out or use fewer aliases");
      }
      if (node instanceof ScalarNode scalar) {
        return scalar(scalar);
      }
      if (open.put(node, Boolean.TRUE) != null) {
        throw new InvalidYamlException("an alias refers to the collection it is in" + at(node));
      }
      try {
        if (node instanceof SequenceNode sequence) {
          ArrayNode array = NODES.arrayNode();
          for (Node item : sequence.getValue()) {
            array.add(convert(item, copy));
          }
          return array;
        }
        MappingNode mapping = (MappingNode) node;
        ObjectNode object = NODES.objectNode();
        List<ObjectNode> merged = new ArrayList<>();
        for (NodeTuple tuple : mapping.getValue()) {
          Node keyNode = tuple.getKeyNode();
          if (!(keyNode instanceof ScalarNode key)) {
            throw new InvalidYamlException("a mapping key is not a scalar" + at(keyNode));
          }
          JsonNode value = convert(tuple.getValueNode(), copy);
          if (MERGE_KEY.equals(key.getValue()) && key.isPlain()) {
            merged.addAll(mergeSources(value, tuple.getValueNode()));
            continue;
          }
          if (object.has(key.getValue())) {
            throw new InvalidYamlException("duplicate key " + key.getValue() + at(keyNode));
          }
          object.set(key.getValue(), value);
        }
        // Merge keys (https://yaml.org/type/merge.html, which kubectl's YAML reader follows):
        // keys written in the mapping win, then the first merged mapping that has the key.
        for (ObjectNode source : merged) {
          for (Map.Entry<String, JsonNode> e : source.properties()) {
            if (!object.has(e.getKey())) {
              object.set(e.getKey(), e.getValue());
            }
          }
        }
        return object;
      } finally {
        open.remove(node);
      }
    }

    private static List<ObjectNode> mergeSources(JsonNode value, Node where) {
      List<ObjectNode> sources = new ArrayList<>();
      if (value instanceof ObjectNode o) {
        sources.add(o);
      } else if (value instanceof ArrayNode a) {
        for (JsonNode item : a) {
          if (!(item instanceof ObjectNode o)) {
            throw new InvalidYamlException("<< merges only mappings" + at(where));
          }
          sources.add(o);
        }
      } else {
        throw new InvalidYamlException("<< merges only mappings" + at(where));
      }
      return sources;
    }

    private static JsonNode scalar(ScalarNode node) {
      String text = node.getValue();
      Tag tag = node.getTag();
      if (Tag.NULL.equals(tag)) {
        return NODES.nullNode();
      }
      if (Tag.BOOL.equals(tag)) {
        return NODES.booleanNode(Boolean.parseBoolean(text));
      }
      try {
        if (Tag.INT.equals(tag)) {
          BigInteger value = new BigInteger(text);
          if (value.bitLength() < Integer.SIZE) {
            return NODES.numberNode(value.intValue());
          }
          if (value.bitLength() < Long.SIZE) {
            return NODES.numberNode(value.longValue());
          }
          return NODES.numberNode(value);
        }
        if (Tag.FLOAT.equals(tag)) {
          return NODES.numberNode(Double.parseDouble(text));
        }
      } catch (NumberFormatException e) {
        // An explicit !!int or !!float tag on text that is no number: keep the text.
        return NODES.stringNode(text);
      }
      return NODES.stringNode(text);
    }
  }
}
