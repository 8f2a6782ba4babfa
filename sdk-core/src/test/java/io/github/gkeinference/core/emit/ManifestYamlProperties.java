package io.github.gkeinference.core.emit;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.container.v1.Cluster;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.github.gkeinference.core.render.CloudResource;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class ManifestYamlProperties {

  @Property(tries = 500)
  void toJson_parsesBackToTheSameMessage(@ForAll("anyText") String text)
      throws InvalidProtocolBufferException {
    Cluster cluster = cluster(text);

    String json = toJson(cluster);

    Cluster.Builder parsed = Cluster.newBuilder();
    JsonFormat.parser().merge(json, parsed);
    assertThat(parsed.build()).isEqualTo(cluster);
  }

  @Property(tries = 200)
  void toJson_writesTextWithoutJsonSpecialCharactersAsItIs(@ForAll("plainText") String text) {
    String json = toJson(cluster(text));

    assertThat(json)
        .contains("\"description\": \"" + text + "\"")
        .contains("\"" + text + "\": \"v\"");
  }

  @Provide
  Arbitrary<String> anyText() {
    // a backslash followed by the text u003d must stay escaped; \u2028 and controls stay escapes
    return fragments(
        "=", "<", ">", "&", "'", "a", " ", "\\", "\\u003d", "u0026", "\"", "\n", "\u2028", "é",
        "\u0001");
  }

  @Provide
  Arbitrary<String> plainText() {
    return fragments("=", "<", ">", "&", "'", "a", " ", "u003d", "{", "}", "[", "]", "é");
  }

  private static Arbitrary<String> fragments(String... fragments) {
    return Arbitraries.of(fragments)
        .list()
        .ofMinSize(1)
        .ofMaxSize(12)
        .map(parts -> String.join("", parts));
  }

  private static Cluster cluster(String text) {
    return Cluster.newBuilder()
        .setName("c")
        .setDescription(text)
        .putResourceLabels(text, "v")
        .build();
  }

  private static String toJson(Cluster cluster) {
    return ManifestYaml.toJson(
        CloudResource.of("container.googleapis.com/v1", "Cluster", "c", cluster));
  }
}
