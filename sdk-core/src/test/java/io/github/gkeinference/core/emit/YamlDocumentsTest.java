package io.github.gkeinference.core.emit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.gkeinference.core.SdkException;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class YamlDocumentsTest {
  @Test
  void read_duplicateKey_isAnErrorNamingTheKeyAndLine() {
    String yaml =
        """
        metadata:
          name: a
          namespace: dev
          namespace: prod
        """;

    assertThatThrownBy(() -> YamlDocuments.read(yaml))
        .isInstanceOf(YamlDocuments.InvalidYamlException.class)
        .hasMessage("duplicate key namespace (line 4, column 3)");
  }

  @Test
  void read_sameKeyInDifferentMappings_isFine() {
    assertThat(YamlDocuments.read("a: {name: x}\nb: {name: y}\n")).hasSize(1);
  }

  @Test
  void read_moreDocumentsThanTheLimit_stopsWithOneLine() {
    String three = "a: 1\n---\na: 2\n---\na: 3\n";

    assertThat(YamlDocuments.read(three, 3)).hasSize(3);
    assertThatThrownBy(() -> YamlDocuments.read(three, 2))
        .isInstanceOf(SdkException.class)
        .hasMessage("more than 2 YAML documents; split the input into smaller files");
  }

  @Test
  void read_emptyDocuments_areLeftOut() {
    assertThat(YamlDocuments.read("---\n---\na: 1\n---\n")).hasSize(1);
  }

  @Test
  void read_aliasToAMapping_isTheAnchoredMapping() {
    String yaml =
        """
        metadata:
          labels: &lbl {app: vllm, tier: serving}
        spec:
          selector:
            matchLabels: *lbl
        """;

    JsonNode doc = YamlDocuments.read(yaml).get(0);

    assertThat(doc.at("/spec/selector/matchLabels")).isEqualTo(doc.at("/metadata/labels"));
    assertThat(doc.at("/spec/selector/matchLabels/app").asString()).isEqualTo("vllm");
  }

  @Test
  void read_aliasToASequence_isTheSequenceNotItsName() {
    String yaml =
        """
        base: &i [--enable-prefix-caching, --max-num-seqs=64]
        spec:
          extraArgs: *i
        """;

    JsonNode args = YamlDocuments.read(yaml).get(0).at("/spec/extraArgs");

    assertThat(args.isArray()).isTrue();
    assertThat(args.valueStream().map(JsonNode::asString).toList())
        .containsExactly("--enable-prefix-caching", "--max-num-seqs=64");
  }

  @Test
  void read_mergeKey_addsTheMissingKeysOnly() {
    String yaml =
        """
        defaults: &d {replicas: 1, namespace: dev}
        spec:
          <<: *d
          replicas: 3
        """;

    JsonNode spec = YamlDocuments.read(yaml).get(0).get("spec");

    assertThat(spec.get("replicas").asInt()).isEqualTo(3);
    assertThat(spec.get("namespace").asString()).isEqualTo("dev");
    assertThat(spec.has("<<")).isFalse();
  }

  @Test
  void read_scalarsFollowTheJsonSchema() {
    JsonNode doc =
        YamlDocuments.read("a: 8\nb: 0.5\nc: true\nd: null\ne: '8'\nf: yes\ng: 12345678901\n")
            .get(0);

    assertThat(doc.get("a").isInt()).isTrue();
    assertThat(doc.get("b").isDouble()).isTrue();
    assertThat(doc.get("c").isBoolean()).isTrue();
    assertThat(doc.get("d").isNull()).isTrue();
    assertThat(doc.get("e").isString()).isTrue();
    assertThat(doc.get("f").asString()).isEqualTo("yes");
    assertThat(doc.get("g").asLong()).isEqualTo(12_345_678_901L);
  }

  @Test
  void read_billionLaughs_isRefusedWithOneLine() {
    StringBuilder yaml = new StringBuilder("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    char previous = 'a';
    for (char c = 'b'; c <= 'i'; c++) {
      yaml.append(c).append(": &").append(c).append(" [");
      yaml.append(String.join(", ", java.util.Collections.nCopies(9, "*" + previous)));
      yaml.append("]\n");
      previous = c;
    }

    assertThatThrownBy(() -> YamlDocuments.read(yaml.toString()))
        .isInstanceOf(YamlDocuments.InvalidYamlException.class)
        .hasMessageContaining("aliases")
        .hasMessageNotContaining("\n");
  }

  @Test
  void read_fewAliasesThatDoubleEachTime_stopAtTheExpansionLimit() {
    // 2 aliases a level stay under the alias limit, but 2^24 copied nodes do not fit in memory.
    StringBuilder yaml = new StringBuilder("l0: &l0 [x, x]\n");
    for (int i = 1; i <= 24; i++) {
      yaml.append("l").append(i).append(": &l").append(i).append(" [*l");
      yaml.append(i - 1).append(", *l").append(i - 1).append("]\n");
    }

    assertThatThrownBy(() -> YamlDocuments.read(yaml.toString()))
        .isInstanceOf(YamlDocuments.InvalidYamlException.class)
        .hasMessageStartingWith(
            "aliases expand to more than " + YamlDocuments.MAX_EXPANDED_NODES + " nodes")
        .hasMessageNotContaining("\n");
  }

  @Test
  void read_recursiveAlias_isRefused() {
    assertThatThrownBy(() -> YamlDocuments.read("a: &a [x, *a]\n"))
        .isInstanceOf(YamlDocuments.InvalidYamlException.class)
        .hasMessageContaining("refers to the collection it is in");
  }

  @Test
  void read_syntaxError_isOneLineWithoutAnExcerpt() {
    String secret = "hf_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789";

    assertThatThrownBy(() -> YamlDocuments.read("data: {key: " + secret + "\n"))
        .isInstanceOf(YamlDocuments.InvalidYamlException.class)
        .hasMessageContaining("line ")
        .hasMessageNotContaining("\n")
        .hasMessageNotContaining(secret);
  }

  @Test
  void read_json_isRead() {
    List<JsonNode> docs = YamlDocuments.read("{\"kind\": \"ConfigMap\", \"data\": {\"a\": \"1\"}}");

    assertThat(docs.get(0).at("/data/a").asString()).isEqualTo("1");
  }
}
