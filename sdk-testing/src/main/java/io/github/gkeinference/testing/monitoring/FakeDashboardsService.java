package io.github.gkeinference.testing.monitoring;

import com.google.monitoring.dashboard.v1.CreateDashboardRequest;
import com.google.monitoring.dashboard.v1.Dashboard;
import com.google.monitoring.dashboard.v1.DashboardsServiceGrpc;
import com.google.monitoring.dashboard.v1.DeleteDashboardRequest;
import com.google.monitoring.dashboard.v1.GetDashboardRequest;
import com.google.monitoring.dashboard.v1.ListDashboardsRequest;
import com.google.monitoring.dashboard.v1.ListDashboardsResponse;
import com.google.monitoring.dashboard.v1.UpdateDashboardRequest;
import com.google.protobuf.Empty;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Map;

/**
 * A fake {@code google.monitoring.dashboard.v1.DashboardsService}: dashboards named {@code
 * projects/<p>/dashboards/<id>} with an etag that changes on every write; an update whose etag is
 * stale fails with ABORTED, as the real service does.
 */
public final class FakeDashboardsService extends DashboardsServiceGrpc.DashboardsServiceImplBase {
  private final Store<Dashboard> store = new Store<>();
  private final RequestLog log;

  FakeDashboardsService(RequestLog log) {
    this.log = log;
  }

  /** Returns every stored dashboard by name. */
  public Map<String, Dashboard> dashboards() {
    return store.snapshot();
  }

  @Override
  public void createDashboard(
      CreateDashboardRequest request, io.grpc.stub.StreamObserver<Dashboard> response) {
    log.record("CreateDashboard");
    Calls.complete(
        response,
        () -> {
          if (request.getDashboard().getDisplayName().isEmpty()) {
            throw FakeAlertPolicyService.invalid("dashboard.display_name is required");
          }
          String name = request.getParent() + "/dashboards/" + store.nextId();
          Dashboard stored =
              request.getDashboard().toBuilder().setName(name).setEtag(store.nextId()).build();
          store.put(name, stored);
          return stored;
        });
  }

  @Override
  public void getDashboard(
      GetDashboardRequest request, io.grpc.stub.StreamObserver<Dashboard> response) {
    log.record("GetDashboard");
    Calls.complete(response, () -> store.get(request.getName()));
  }

  @Override
  public void listDashboards(
      ListDashboardsRequest request, io.grpc.stub.StreamObserver<ListDashboardsResponse> response) {
    log.record("ListDashboards");
    Calls.complete(
        response,
        () -> {
          Store.Page<Dashboard> page =
              Store.page(
                  store.under(request.getParent() + "/dashboards"),
                  request.getPageSize(),
                  request.getPageToken());
          return ListDashboardsResponse.newBuilder()
              .addAllDashboards(page.items())
              .setNextPageToken(page.nextPageToken())
              .build();
        });
  }

  @Override
  public void updateDashboard(
      UpdateDashboardRequest request, io.grpc.stub.StreamObserver<Dashboard> response) {
    log.record("UpdateDashboard");
    Calls.complete(
        response,
        () -> {
          Dashboard existing = store.get(request.getDashboard().getName());
          if (!request.getDashboard().getEtag().isEmpty()
              && !request.getDashboard().getEtag().equals(existing.getEtag())) {
            throw new StatusRuntimeException(Status.ABORTED.withDescription("etag mismatch"));
          }
          Dashboard stored = request.getDashboard().toBuilder().setEtag(store.nextId()).build();
          store.put(stored.getName(), stored);
          return stored;
        });
  }

  @Override
  public void deleteDashboard(
      DeleteDashboardRequest request, io.grpc.stub.StreamObserver<Empty> response) {
    log.record("DeleteDashboard");
    Calls.complete(
        response,
        () -> {
          store.remove(request.getName());
          return Empty.getDefaultInstance();
        });
  }
}
