package io.github.gkeinference.core.validate;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.github.gkeinference.core.internal.Fabric8Runtime;
import io.github.gkeinference.core.spec.SdkStyle;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The SDK's one secret-masking rule: which strings look like literal credentials, how they are
 * masked in every message, and how a literal credential in a spec or a manifest is reported.
 *
 * <p>The token shapes, each from its issuer's documentation:
 *
 * <ul>
 *   <li>Hugging Face user access tokens start with {@code hf_}
 *       (https://huggingface.co/docs/hub/security-tokens);
 *   <li>OpenAI API keys start with {@code sk-}, project keys with {@code sk-proj-}
 *       (https://platform.openai.com/docs/api-reference/authentication); the same prefix covers
 *       Anthropic's {@code sk-ant-} keys (https://docs.anthropic.com/en/api/overview);
 *   <li>Google OAuth 2.0 access tokens start with {@code ya29.}
 *       (https://cloud.google.com/docs/authentication/token-types#access);
 *   <li>PEM private keys are the blocks {@code -----BEGIN ... PRIVATE KEY-----} (RFC 7468);
 *   <li>JSON Web Tokens are three base64url parts whose first two are JSON objects, so both start
 *       with {@code eyJ} (RFC 7519, section 3).
 * </ul>
 *
 * <p>A token needs at least 16 characters after its prefix (an {@code sk-} key also a digit), so
 * that names such as {@code hf_token} or {@code sk-learn} are not mistaken for one.
 *
 * {@snippet :
 * String line = Secrets.mask("--hf-token=hf_AbCdEfGhIjKlMnOpQrStUv"); // "--hf-token=hf_****"
 * }
 */
public final class Secrets {
  /** What a masked token is replaced by, after its prefix. */
  public static final String MASK = SdkStyle.REDACTED;

  private static final String BEFORE = "(?<![A-Za-z0-9_])";

  /** Each token shape, with the prefix its masked form keeps. */
  private static final Map<String, Pattern> TOKENS =
      Map.of(
          "Hugging Face token",
          Pattern.compile(BEFORE + "(hf_)[A-Za-z0-9]{16,}"),
          "API key",
          Pattern.compile(BEFORE + "(sk-)(?=[A-Za-z0-9_-]*[0-9])[A-Za-z0-9_-]{16,}"),
          "Google access token",
          Pattern.compile(BEFORE + "(ya29\\.)[A-Za-z0-9_-]{16,}"),
          "JSON Web Token",
          Pattern.compile(
              BEFORE + "()eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]*"),
          "private key",
          Pattern.compile(
              "(-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----)(?:[\\s\\S]*?-----END [A-Z0-9 ]*PRIVATE"
                  + " KEY-----|[\\s\\S]*)"));

  /** The order in which the shapes are looked for, most specific first. */
  private static final List<String> ORDER =
      List.of(
          "private key", "JSON Web Token", "Hugging Face token", "API key", "Google access token");

  private static final Pattern PEM_END = Pattern.compile("-----END [A-Z0-9 ]*PRIVATE KEY-----");

  private Secrets() {}

  /**
   * Returns the text with every token-like string replaced by its prefix and {@value #MASK}; a
   * private key block becomes its first line and {@value #MASK}.
   *
   * @param text any text: a message, a value, a YAML excerpt
   * @return the masked text; the same text when it holds no token
   */
  public static String mask(String text) {
    String masked = text;
    for (String kind : ORDER) {
      Matcher m = TOKENS.get(kind).matcher(masked);
      if (m.find()) {
        masked = m.replaceAll(r -> Matcher.quoteReplacement(r.group(1) + MASK));
      }
    }
    return masked;
  }

  /**
   * Masks like {@link #mask(String)}, keeping {@code null}.
   *
   * @param text the text, or {@code null}
   * @return the masked text, or {@code null}
   */
  public static @Nullable String maskNullable(@Nullable String text) {
    return text == null ? null : mask(text);
  }

  /**
   * Returns what kind of credential the text holds, if it holds one.
   *
   * @param text the value
   * @return for example {@code "Hugging Face token"}, or empty
   */
  public static Optional<String> tokenIn(String text) {
    for (String kind : ORDER) {
      if (TOKENS.get(kind).matcher(text).find()) {
        return Optional.of(kind);
      }
    }
    return Optional.empty();
  }

  /**
   * Returns whether the text holds a token-like string.
   *
   * @param text the value
   * @return true when {@link #mask(String)} would change it
   */
  public static boolean containsToken(String text) {
    return tokenIn(text).isPresent();
  }

  /**
   * Records an error when a value that ends up in a rendered object (a container argument, an
   * environment value, a served model name) holds a literal credential.
   *
   * @param v the collector
   * @param field the field, relative to {@code v}
   * @param value the value
   */
  public static void requireNoLiteral(Violations v, String field, String value) {
    tokenIn(value).ifPresent(kind -> v.error(field, mask(value), literalMessage(kind)));
  }

  /**
   * Records an error for every string of a YAML or JSON tree (a spec document, a foreign manifest)
   * that holds a literal credential, with the path of the string.
   *
   * @param node the tree
   * @param v the collector, positioned at the tree's root
   */
  public static void requireNoLiterals(JsonNode node, Violations v) {
    if (node.isString()) {
      requireNoLiteral(v, "", node.asString());
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        requireNoLiterals(node.get(i), v.at("", i));
      }
    } else if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        requireNoLiteral(v, e.getKey(), e.getKey());
        requireNoLiterals(e.getValue(), v.at(e.getKey()));
      }
    }
  }

  /**
   * Throws when a rendered object holds a literal credential anywhere (a container argument, an
   * environment value, a label, a ConfigMap value): the last check before objects leave the SDK.
   *
   * @param objects the rendered Kubernetes objects
   * @throws SdkValidationException listing every literal, at paths such as {@code
   *     Deployment/vllm.spec.template.spec.containers[0].args[1]}
   */
  public static void requireNoLiterals(Collection<? extends HasMetadata> objects) {
    Violations v = Violations.root();
    for (HasMetadata o : objects) {
      JsonNode tree = Fabric8Runtime.serialization().convertValue(o, JsonNode.class);
      String name = o.getMetadata() == null ? "?" : String.valueOf(o.getMetadata().getName());
      requireNoLiterals(tree, v.at(o.getKind() + "/" + name));
    }
    v.throwIfErrors();
  }

  /**
   * Returns a masker for text read line by line: it masks each line like {@link #mask(String)} and
   * also the lines of a private key block that began on an earlier line.
   *
   * @return a new masker that remembers whether it is inside a private key block
   */
  public static UnaryOperator<String> lineMasker() {
    boolean[] insideKey = {false};
    return line -> {
      if (insideKey[0]) {
        if (!PEM_END.matcher(line).find()) {
          return MASK;
        }
        insideKey[0] = false;
        return MASK + mask(line.substring(PEM_END.matcher(line).results().findFirst().get().end()));
      }
      String masked = mask(line);
      Matcher begin = TOKENS.get("private key").matcher(line);
      if (begin.find() && !PEM_END.matcher(line.substring(begin.start())).find()) {
        insideKey[0] = true;
      }
      return masked;
    };
  }

  private static String literalMessage(String kind) {
    return "holds a literal "
        + kind
        + "; store it in a Kubernetes Secret and reference it with a SecretRef (an environment"
        + " variable whose value comes from the Secret; in a spec file {name, key})";
  }
}
