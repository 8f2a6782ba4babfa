package io.github.gkeinference.serving.vllm;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.gkeinference.core.server.VllmRelease;
import io.github.gkeinference.core.server.VllmReleases;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Every vLLM flag the SDK can render is listed in the release table, so that {@code VllmServer} and
 * {@code validate} check it against the image's release: a flag the table does not list passes
 * unchecked. The flags come from {@link VllmFlags} (the names the renderers write) and from the
 * arguments of every vLLM container in the rendered golden files of this module and of the samples,
 * so a flag a renderer writes without a constant is caught too.
 */
class RenderedFlagsInReleaseTableTest {
  private static final String TABLE =
      "sdk-core/src/main/resources/io/github/gkeinference/core/server/vllm-releases.yaml";

  /** The golden directories whose vLLM containers are read, relative to this module. */
  private static final List<Path> GOLDEN =
      List.of(
          Path.of("src/test/resources/golden"), Path.of("../samples/src/test/resources/golden"));

  @Test
  void everyVllmFlagsConstant_isListed() throws IllegalAccessException {
    Map<String, String> missing = new TreeMap<>();
    for (Field f : VllmFlags.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers())
          && f.getType() == String.class
          && f.get(null) instanceof String flag
          && flag.startsWith("-")
          && !VllmReleases.listsFlag(flag)) {
        missing.put(flag, "VllmFlags." + f.getName());
      }
    }
    for (String flag : VllmFlags.MODELLED) {
      if (!VllmReleases.listsFlag(flag)) {
        missing.putIfAbsent(flag, "VllmFlags.MODELLED");
      }
    }
    assertThat(missing).as(howToAdd(missing)).isEmpty();
  }

  @Test
  void everyFlagOfARenderedVllmContainer_isListed() throws IOException {
    Map<String, String> missing = new TreeMap<>();
    int containers = 0;
    for (Path dir : GOLDEN) {
      if (!Files.isDirectory(dir)) {
        continue;
      }
      List<Path> files;
      try (Stream<Path> walk = Files.walk(dir)) {
        files = walk.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
      }
      for (Path file : files) {
        for (JsonNode container : vllmContainers(file)) {
          containers++;
          for (JsonNode arg : container.path("args")) {
            String a = arg.asString();
            if (a.startsWith("-")
                && VllmRelease.flagOf(a).isPresent()
                && !VllmReleases.listsFlag(a)) {
              missing.putIfAbsent(VllmRelease.flagOf(a).orElseThrow(), file.toString());
            }
          }
        }
      }
    }
    // the goldens hold GPU, TPU, multi-host, batch, gateway and LoRA servers
    assertThat(containers).isGreaterThanOrEqualTo(10);
    assertThat(missing).as(howToAdd(missing)).isEmpty();
  }

  @Test
  void aFlagTheTableDoesNotList_isReportedWithWhatToAdd() {
    String message = howToAdd(Map.of("--no-such-flag", "VllmFlags.NO_SUCH_FLAG"));
    assertThat(VllmReleases.listsFlag("--no-such-flag")).isFalse();
    assertThat(message)
        .contains(TABLE)
        .contains("- name: --no-such-flag")
        .contains("rendered by VllmFlags.NO_SUCH_FLAG");
  }

  /** Returns the containers of a multi-document YAML file whose image is a vLLM image. */
  private static List<JsonNode> vllmContainers(Path file) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    try (MappingIterator<JsonNode> docs =
        YAMLMapper.builder().build().readerFor(JsonNode.class).readValues(file.toFile())) {
      while (docs.hasNext()) {
        collect(docs.next(), out);
      }
    }
    return out;
  }

  private static void collect(JsonNode node, List<JsonNode> out) {
    if (node.isObject()
        && node.path("image").isString()
        && isVllm(node.path("image").asString())
        && node.has("args")) {
      out.add(node);
    }
    for (JsonNode child : node) {
      collect(child, out);
    }
  }

  /** vLLM's images: vllm/vllm-openai, vllm/vllm-tpu and mirrors of them. */
  private static boolean isVllm(String image) {
    String ref = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
    String name = ref.substring(ref.lastIndexOf('/') + 1);
    return name.startsWith("vllm-");
  }

  /** The failure message: the entry to append for each flag, and where. */
  private static String howToAdd(Map<String, String> missing) {
    StringBuilder b =
        new StringBuilder(
            "vLLM flags the SDK renders but the release table does not list (they would pass"
                + " unchecked). Append one entry per flag to the `flags:` list of "
                + TABLE
                + ", in your own contiguous block, with the releases that have it and a source"
                + " (vllm-project/vllm <path> @ <tag>, or a docs.vllm.ai/en/<tag>/ page):");
    missing.forEach(
        (flag, where) ->
            b.append("\n  - name: ")
                .append(flag)
                .append("   # rendered by ")
                .append(where)
                .append(
                    "\n    since: <first release checked to have it; omit if older than 0.11.1>")
                .append("\n    source: vllm-project/vllm vllm/engine/arg_utils.py @ v<tag>"));
    return b.toString();
  }
}
