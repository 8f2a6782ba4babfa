package io.github.gkeinference.core.emit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.gkeinference.core.SdkException;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;

class YamlDocumentsTest {
  @Test
  void read_duplicateKey_isAnErrorNamingTheKey() {
    String yaml =
        """
        metadata:
          name: a
          namespace: dev
          namespace: prod
        """;

    assertThatThrownBy(() -> YamlDocuments.read(yaml))
        .isInstanceOf(JacksonException.class)
        .hasMessageContaining("namespace");
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
}
