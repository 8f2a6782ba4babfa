package io.github.gkeinference.testing.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.jspecify.annotations.Nullable;

/**
 * The real client a fake hands out: created on first use, closed with the fake.
 *
 * <p>Thread-safe.
 *
 * @param <C> the client type
 */
public final class LazyClient<C extends AutoCloseable> implements AutoCloseable {
  /**
   * Creates the client (the generated {@code XxxClient.create(settings)}).
   *
   * @param <C> the client type
   */
  @FunctionalInterface
  public interface Factory<C> {
    /**
     * Creates the client.
     *
     * @return the client
     * @throws IOException when the client library cannot create it
     */
    C create() throws IOException;
  }

  private final Factory<C> factory;
  private @Nullable C client;

  private LazyClient(Factory<C> factory) {
    this.factory = factory;
  }

  /**
   * Returns a lazy client made by {@code factory}.
   *
   * @param factory creates the client
   * @param <C> the client type
   * @return the lazy client
   */
  public static <C extends AutoCloseable> LazyClient<C> of(Factory<C> factory) {
    return new LazyClient<>(factory);
  }

  /** Returns the client, creating it on first use. */
  public synchronized C get() {
    if (client == null) {
      try {
        client = factory.create();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return client;
  }

  /** Closes the client if it was created; a later {@link #get()} creates a new one. */
  @Override
  public void close() {
    C c;
    synchronized (this) {
      c = client;
      client = null;
    }
    if (c != null) {
      try {
        c.close();
      } catch (Exception e) {
        throw new IllegalStateException("closing the fake's client failed", e);
      }
    }
  }
}
