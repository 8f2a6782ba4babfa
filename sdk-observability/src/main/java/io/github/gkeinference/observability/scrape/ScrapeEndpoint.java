package io.github.gkeinference.observability.scrape;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.IntOrString;
import org.jspecify.annotations.Nullable;

/** One scrape endpoint of a {@link PodMonitoringSpec}: port, path, interval and authorization. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ScrapeEndpoint {

  private @Nullable IntOrString port;
  private @Nullable String path;
  private @Nullable String interval;
  private @Nullable String scheme;
  private @Nullable String timeout;
  private @Nullable ScrapeAuthorization authorization;

  /** Creates an empty endpoint. */
  public ScrapeEndpoint() {}

  /** Returns the port name or number. */
  public @Nullable IntOrString getPort() {
    return port;
  }

  /** Sets the port name or number. */
  public void setPort(@Nullable IntOrString port) {
    this.port = port;
  }

  /** Returns the HTTP path, for example {@code /metrics}. */
  public @Nullable String getPath() {
    return path;
  }

  /** Sets the HTTP path. */
  public void setPath(@Nullable String path) {
    this.path = path;
  }

  /** Returns the scrape interval as a Prometheus duration, for example {@code 15s}. */
  public @Nullable String getInterval() {
    return interval;
  }

  /** Sets the scrape interval. */
  public void setInterval(@Nullable String interval) {
    this.interval = interval;
  }

  /** Returns the scheme, {@code http} or {@code https}. */
  public @Nullable String getScheme() {
    return scheme;
  }

  /** Sets the scheme. */
  public void setScheme(@Nullable String scheme) {
    this.scheme = scheme;
  }

  /** Returns the scrape timeout. */
  public @Nullable String getTimeout() {
    return timeout;
  }

  /** Sets the scrape timeout. */
  public void setTimeout(@Nullable String timeout) {
    this.timeout = timeout;
  }

  /** Returns the authorization, or null for none. */
  public @Nullable ScrapeAuthorization getAuthorization() {
    return authorization;
  }

  /** Sets the authorization. */
  public void setAuthorization(@Nullable ScrapeAuthorization authorization) {
    this.authorization = authorization;
  }
}
