package io.github.gkeinference.core.emit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A foreign container's command line as the process sees it: {@code $(VAR)} references expanded
 * through the container's environment, and a shell script ({@code sh -c "vllm serve ... -tp 4"})
 * split into its words.
 *
 * <p>Expansion follows Kubernetes (Container {@code command}/{@code args}, API reference: "Variable
 * references $(VAR_NAME) are expanded using the container's environment. If a variable cannot be
 * resolved, the reference in the input string will be unchanged. Double $$ are reduced to a single
 * $", https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#entrypoint).
 * The environment is {@code envFrom} first, then {@code env} in order (a later entry may refer to
 * an earlier one); values come from literals, {@code configMapKeyRef} and {@code
 * envFrom.configMapRef} to ConfigMaps of the same input. Values from Secrets, the downward API or
 * resource fields are not known before the pod runs: a reference to them stays unresolved, with the
 * reason.
 */
final class ContainerCommandLine {
  private static final Set<String> SHELLS = Set.of("sh", "bash", "ash", "dash", "zsh");

  /**
   * Variables a workload controller injects into every container, so their references are not
   * unresolved: LeaderWorkerSet's {@code LWS_LEADER_ADDRESS}, {@code LWS_GROUP_SIZE} and {@code
   * LWS_WORKER_INDEX} (kubernetes-sigs/lws, since v0.6.0 for the index) and an Indexed Job's {@code
   * JOB_COMPLETION_INDEX}
   * (https://kubernetes.io/docs/concepts/workloads/controllers/job/#completion-mode).
   */
  static final Set<String> INJECTED =
      Set.of("LWS_LEADER_ADDRESS", "LWS_GROUP_SIZE", "LWS_WORKER_INDEX", "JOB_COMPLETION_INDEX");

  /** An unresolved {@code $(VAR)} reference: the field holding it, its name and why. */
  record Unresolved(String field, String variable, String reason) {}

  private final List<String> words = new ArrayList<>();
  private final List<Unresolved> unresolved = new ArrayList<>();

  private ContainerCommandLine() {}

  /** Returns the words of the command line, expanded and split. */
  List<String> words() {
    return words;
  }

  /** Returns the references that could not be resolved. */
  List<Unresolved> unresolved() {
    return unresolved;
  }

  /**
   * Reads one container.
   *
   * @param container the container's tree
   * @param configMaps the ConfigMaps of the container's namespace in the same input, by name
   * @return its command line
   */
  static ContainerCommandLine of(JsonNode container, Map<String, Map<String, String>> configMaps) {
    Map<String, String> env = new LinkedHashMap<>();
    Map<String, String> unknown = new LinkedHashMap<>();
    for (JsonNode from : container.path("envFrom")) {
      String prefix = from.path("prefix").asString("");
      if (from.has("configMapRef")) {
        String name = from.path("configMapRef").path("name").asString("");
        Map<String, String> data = configMaps.get(name);
        if (data == null) {
          unknown.put("*", "envFrom ConfigMap " + name + " is not in the input");
        } else {
          data.forEach((k, value) -> env.put(prefix + k, value));
        }
      } else if (from.has("secretRef")) {
        String name = from.path("secretRef").path("name").asString("");
        unknown.put("*", "envFrom Secret " + name + " is not read by validate");
      }
    }
    for (JsonNode e : container.path("env")) {
      String name = e.path("name").asString("");
      JsonNode from = e.path("valueFrom");
      if (e.has("value")) {
        env.put(name, expand(e.path("value").asString(""), env, null, "", unknown));
        unknown.remove(name);
      } else if (from.has("configMapKeyRef")) {
        JsonNode ref = from.path("configMapKeyRef");
        String map = ref.path("name").asString("");
        String key = ref.path("key").asString("");
        String value = configMaps.getOrDefault(map, Map.of()).get(key);
        if (value == null) {
          env.remove(name);
          unknown.put(name, "ConfigMap " + map + " with key " + key + " is not in the input");
        } else {
          env.put(name, value);
          unknown.remove(name);
        }
      } else if (from.has("secretKeyRef")) {
        env.remove(name);
        unknown.put(
            name,
            "it comes from Secret "
                + from.path("secretKeyRef").path("name").asString("")
                + ", which validate does not read");
      } else if (!from.isMissingNode()) {
        env.remove(name);
        unknown.put(name, "it is set by Kubernetes when the pod runs");
      }
    }
    ContainerCommandLine line = new ContainerCommandLine();
    List<String> expanded = new ArrayList<>();
    for (String field : List.of("command", "args")) {
      JsonNode list = container.path(field);
      for (int i = 0; i < list.size(); i++) {
        expanded.add(expand(list.path(i).asString(""), env, line, field + "[" + i + "]", unknown));
      }
    }
    int size = expanded.size();
    if (size > 0
        && SHELLS.contains(expanded.get(0).substring(expanded.get(0).lastIndexOf('/') + 1))) {
      // sh [options] -c SCRIPT [args]: the script's words are the command line
      int c = 1;
      while (c < size && expanded.get(c).startsWith("-") && !isC(expanded.get(c))) {
        c++;
      }
      if (c + 1 < size && isC(expanded.get(c))) {
        line.words.addAll(expanded.subList(0, c + 1));
        line.words.addAll(split(expanded.get(c + 1), env));
        line.words.addAll(expanded.subList(c + 2, size));
        return line;
      }
    }
    line.words.addAll(expanded);
    return line;
  }

  /** Returns whether a shell option cluster holds {@code -c}: {@code -c}, {@code -ec}, ... */
  private static boolean isC(String option) {
    return option.matches("-[a-z]*c[a-z]*");
  }

  /** Expands {@code $(VAR)} references in one string as Kubernetes does. */
  private static String expand(
      String text,
      Map<String, String> env,
      @Nullable ContainerCommandLine line,
      String field,
      Map<String, String> unknown) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < text.length()) {
      char ch = text.charAt(i);
      if (ch == '$' && i + 1 < text.length() && text.charAt(i + 1) == '$') {
        out.append('$');
        i += 2;
      } else if (ch == '$' && i + 1 < text.length() && text.charAt(i + 1) == '(') {
        int close = text.indexOf(')', i + 2);
        if (close < 0) {
          out.append(text, i, text.length());
          break;
        }
        String name = text.substring(i + 2, close);
        String value = env.get(name);
        if (value != null) {
          out.append(value);
        } else {
          out.append(text, i, close + 1);
          if (line != null && !INJECTED.contains(name)) {
            line.unresolved.add(
                new Unresolved(
                    field,
                    name,
                    unknown.getOrDefault(
                        name,
                        unknown.getOrDefault(
                            "*", "it is not defined in the container's env or envFrom"))));
          }
        }
        i = close + 1;
      } else {
        out.append(ch);
        i++;
      }
    }
    return out.toString();
  }

  /**
   * Splits a shell script into words: blanks separate words, quotes group them, {@code ;}, {@code
   * &&}, {@code |} and new lines are words of their own, and {@code $VAR} / {@code ${VAR}} take the
   * container environment's value when it has one (a variable the script sets itself is left as
   * written).
   */
  static List<String> split(String script, Map<String, String> env) {
    List<String> out = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (int i = 0; i < script.length(); i++) {
      char ch = script.charAt(i);
      if (quote == '\'') {
        if (ch == '\'') {
          quote = 0;
        } else {
          word.append(ch);
        }
        continue;
      }
      if (ch == '\\' && i + 1 < script.length()) {
        char next = script.charAt(++i);
        if (next != '\n') {
          word.append(next);
          inWord = true;
        }
        continue;
      }
      if (ch == '$' && i + 1 < script.length()) {
        int end;
        String name;
        if (script.charAt(i + 1) == '{') {
          end = script.indexOf('}', i + 2);
          name = end < 0 ? "" : script.substring(i + 2, end);
        } else {
          end = i + 1;
          while (end < script.length()
              && (Character.isLetterOrDigit(script.charAt(end)) || script.charAt(end) == '_')) {
            end++;
          }
          name = script.substring(i + 1, end);
          end--;
        }
        String value = env.get(name);
        if (!name.isEmpty() && value != null) {
          word.append(value);
          inWord = true;
          i = end;
          continue;
        }
      }
      if (quote == '"') {
        if (ch == '"') {
          quote = 0;
        } else {
          word.append(ch);
        }
        continue;
      }
      if (ch == '\'' || ch == '"') {
        quote = ch;
        inWord = true;
      } else if (Character.isWhitespace(ch) || ch == ';' || ch == '|' || ch == '&') {
        if (inWord) {
          out.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
        if (!Character.isWhitespace(ch) || ch == '\n') {
          out.add(String.valueOf(ch));
        }
      } else {
        word.append(ch);
        inWord = true;
      }
    }
    if (inWord) {
      out.add(word.toString());
    }
    return out;
  }
}
