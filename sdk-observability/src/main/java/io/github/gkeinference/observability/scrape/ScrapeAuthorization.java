package io.github.gkeinference.observability.scrape;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The HTTP authorization of a scrape endpoint: a bearer token read from a Secret key, never the
 * token itself.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ScrapeAuthorization {

  private @Nullable String type;
  private @Nullable Map<String, Map<String, String>> credentials;

  /** Creates an empty authorization. */
  public ScrapeAuthorization() {}

  /**
   * Returns a bearer authorization whose token is the key {@code key} of Secret {@code secret}.
   *
   * @param secret the Secret's name, in the monitor's namespace
   * @param key the key holding the token
   * @return the authorization
   */
  public static ScrapeAuthorization bearerFromSecret(String secret, String key) {
    ScrapeAuthorization a = new ScrapeAuthorization();
    a.setType("Bearer");
    Map<String, String> ref = new LinkedHashMap<>();
    ref.put("name", secret);
    ref.put("key", key);
    Map<String, Map<String, String>> credentials = new LinkedHashMap<>();
    credentials.put("secret", ref);
    a.setCredentials(credentials);
    return a;
  }

  /** Returns the type, {@code Bearer}. */
  public @Nullable String getType() {
    return type;
  }

  /** Sets the type. */
  public void setType(@Nullable String type) {
    this.type = type;
  }

  /** Returns the credentials: {@code {secret: {name, key}}}. */
  public @Nullable Map<String, Map<String, String>> getCredentials() {
    return credentials;
  }

  /** Sets the credentials. */
  public void setCredentials(@Nullable Map<String, Map<String, String>> credentials) {
    this.credentials = credentials == null ? null : new LinkedHashMap<>(credentials);
  }
}
