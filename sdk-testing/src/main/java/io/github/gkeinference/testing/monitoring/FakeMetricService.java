package io.github.gkeinference.testing.monitoring;

import com.google.monitoring.v3.CreateTimeSeriesRequest;
import com.google.monitoring.v3.ListTimeSeriesRequest;
import com.google.monitoring.v3.ListTimeSeriesResponse;
import com.google.monitoring.v3.MetricServiceGrpc;
import com.google.monitoring.v3.TimeSeries;
import com.google.protobuf.Empty;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fake {@code google.monitoring.v3.MetricService} for reading: {@code CreateTimeSeries} stores
 * series, {@code ListTimeSeries} returns the stored series whose metric type equals the {@code
 * metric.type = "..."} term of the filter (other filter terms, the interval and aggregation are not
 * applied), and remembers the last request for assertions.
 */
public final class FakeMetricService extends MetricServiceGrpc.MetricServiceImplBase {
  private static final Pattern TYPE = Pattern.compile("metric\\.type\\s*=\\s*\"([^\"]+)\"");
  private final List<TimeSeries> series = new ArrayList<>();
  private final RequestLog log;
  private volatile ListTimeSeriesRequest lastList = ListTimeSeriesRequest.getDefaultInstance();

  FakeMetricService(RequestLog log) {
    this.log = log;
  }

  /** Returns the last ListTimeSeries request received. */
  public ListTimeSeriesRequest lastListRequest() {
    return lastList;
  }

  @Override
  public void createTimeSeries(CreateTimeSeriesRequest request, StreamObserver<Empty> response) {
    log.record("CreateTimeSeries");
    Calls.complete(
        response,
        () -> {
          synchronized (series) {
            series.addAll(request.getTimeSeriesList());
          }
          return Empty.getDefaultInstance();
        });
  }

  @Override
  public void listTimeSeries(
      ListTimeSeriesRequest request, StreamObserver<ListTimeSeriesResponse> response) {
    log.record("ListTimeSeries");
    lastList = request;
    Calls.complete(
        response,
        () -> {
          Matcher m = TYPE.matcher(request.getFilter());
          if (!m.find()) {
            throw FakeAlertPolicyService.invalid("filter must name a metric.type");
          }
          String type = m.group(1);
          ListTimeSeriesResponse.Builder out = ListTimeSeriesResponse.newBuilder();
          synchronized (series) {
            series.stream()
                .filter(s -> s.getMetric().getType().equals(type))
                .forEach(out::addTimeSeries);
          }
          return out.build();
        });
  }
}
