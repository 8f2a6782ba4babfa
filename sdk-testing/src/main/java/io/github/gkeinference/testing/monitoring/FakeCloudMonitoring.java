package io.github.gkeinference.testing.monitoring;

import com.google.api.gax.core.CredentialsProvider;
import com.google.api.gax.rpc.TransportChannelProvider;
import com.google.cloud.monitoring.dashboard.v1.DashboardsServiceClient;
import com.google.cloud.monitoring.dashboard.v1.DashboardsServiceSettings;
import com.google.cloud.monitoring.v3.AlertPolicyServiceClient;
import com.google.cloud.monitoring.v3.AlertPolicyServiceSettings;
import com.google.cloud.monitoring.v3.MetricServiceClient;
import com.google.cloud.monitoring.v3.MetricServiceSettings;
import com.google.cloud.monitoring.v3.ServiceMonitoringServiceClient;
import com.google.cloud.monitoring.v3.ServiceMonitoringServiceSettings;
import io.github.gkeinference.testing.internal.InProcessGrpc;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Cloud Monitoring in one JVM: the four fakes behind an in-process gRPC server, and clients of the
 * real client libraries connected to it without credentials.
 *
 * <pre>{@code
 * try (FakeCloudMonitoring monitoring = FakeCloudMonitoring.start();
 *     AlertPolicyServiceClient alerts = monitoring.alertPolicyClient()) {
 *   ...
 *   assertThat(monitoring.alertPolicies().policies()).hasSize(5);
 * }
 * }</pre>
 *
 * <p>Clients it returns share one channel and do not close it; closing this object closes the
 * channel and the server. Nothing leaves the process.
 */
public final class FakeCloudMonitoring implements AutoCloseable {
  private final RequestLog log = new RequestLog();
  private final FakeAlertPolicyService alertPolicies = new FakeAlertPolicyService(log);
  private final FakeMetricService metrics = new FakeMetricService(log);
  private final FakeServiceMonitoringService serviceMonitoring =
      new FakeServiceMonitoringService(log);
  private final FakeDashboardsService dashboards = new FakeDashboardsService(log);
  private final InProcessGrpc grpc =
      InProcessGrpc.start(alertPolicies, metrics, serviceMonitoring, dashboards);

  private FakeCloudMonitoring() {}

  /** Starts the fakes. */
  public static FakeCloudMonitoring start() {
    return new FakeCloudMonitoring();
  }

  /** Returns the alert policy fake. */
  public FakeAlertPolicyService alertPolicies() {
    return alertPolicies;
  }

  /** Returns the metric fake. */
  public FakeMetricService metrics() {
    return metrics;
  }

  /** Returns the service monitoring (services and SLOs) fake. */
  public FakeServiceMonitoringService serviceMonitoring() {
    return serviceMonitoring;
  }

  /** Returns the dashboards fake. */
  public FakeDashboardsService dashboards() {
    return dashboards;
  }

  /** Returns every call the fakes received, in order. */
  public RequestLog requests() {
    return log;
  }

  /** Returns a channel provider for client settings: the in-process channel, never closed. */
  public TransportChannelProvider channelProvider() {
    return grpc.channelProvider();
  }

  /** Returns a credentials provider with no credentials. */
  public CredentialsProvider credentialsProvider() {
    return grpc.credentialsProvider();
  }

  /** Returns a new alert policy client of the real library, connected to the fake. */
  public AlertPolicyServiceClient alertPolicyClient() {
    try {
      return AlertPolicyServiceClient.create(
          AlertPolicyServiceSettings.newBuilder()
              .setTransportChannelProvider(channelProvider())
              .setCredentialsProvider(credentialsProvider())
              .build());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Returns a new metric client of the real library, connected to the fake. */
  public MetricServiceClient metricClient() {
    try {
      return MetricServiceClient.create(
          MetricServiceSettings.newBuilder()
              .setTransportChannelProvider(channelProvider())
              .setCredentialsProvider(credentialsProvider())
              .build());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Returns a new service monitoring client of the real library, connected to the fake. */
  public ServiceMonitoringServiceClient serviceMonitoringClient() {
    try {
      return ServiceMonitoringServiceClient.create(
          ServiceMonitoringServiceSettings.newBuilder()
              .setTransportChannelProvider(channelProvider())
              .setCredentialsProvider(credentialsProvider())
              .build());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Returns a new dashboards client of the real library, connected to the fake. */
  public DashboardsServiceClient dashboardsClient() {
    try {
      return DashboardsServiceClient.create(
          DashboardsServiceSettings.newBuilder()
              .setTransportChannelProvider(channelProvider())
              .setCredentialsProvider(credentialsProvider())
              .build());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    grpc.close();
  }
}
