package io.github.gkeinference.testing.internal;

import com.google.api.gax.core.CredentialsProvider;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.api.gax.rpc.TransportChannelProvider;
import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;

/**
 * An in-process gRPC server with fake services and one channel to it, as the Google client
 * libraries' settings take it: every fake of the kit runs on one of these.
 *
 * <p>{@link #close()} shuts the channel and the server down.
 */
public final class InProcessGrpc implements AutoCloseable {
  private final Server server;
  private final ManagedChannel channel;

  private InProcessGrpc(BindableService... services) {
    String name = InProcessServerBuilder.generateName();
    InProcessServerBuilder builder = InProcessServerBuilder.forName(name).directExecutor();
    for (BindableService s : services) {
      builder.addService(s);
    }
    try {
      server = builder.build().start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  /**
   * Starts a server with these services.
   *
   * @param services the fake services
   * @return the running server and its channel
   */
  public static InProcessGrpc start(BindableService... services) {
    return new InProcessGrpc(services);
  }

  /** Returns a channel provider for client settings: the in-process channel, never closed. */
  public TransportChannelProvider channelProvider() {
    return FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel));
  }

  /** Returns a credentials provider with no credentials. */
  public CredentialsProvider credentialsProvider() {
    return NoCredentialsProvider.create();
  }

  /** A client-settings factory that may throw {@link IOException}, as the settings builders do. */
  public interface SettingsFactory<S> {
    /**
     * Builds settings.
     *
     * @return the settings
     * @throws IOException as the client libraries' {@code build()} declares
     */
    S build() throws IOException;
  }

  /**
   * Builds client settings, turning the builders' declared {@link IOException} into an unchecked
   * one.
   *
   * @param factory builds the settings
   * @param <S> the settings type
   * @return the settings
   */
  public static <S> S settings(SettingsFactory<S> factory) {
    try {
      return factory.build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    channel.shutdownNow();
    server.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
