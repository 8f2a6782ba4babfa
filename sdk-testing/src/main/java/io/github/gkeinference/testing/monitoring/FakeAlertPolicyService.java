package io.github.gkeinference.testing.monitoring;

import com.google.monitoring.v3.AlertPolicy;
import com.google.monitoring.v3.AlertPolicyServiceGrpc;
import com.google.monitoring.v3.CreateAlertPolicyRequest;
import com.google.monitoring.v3.DeleteAlertPolicyRequest;
import com.google.monitoring.v3.GetAlertPolicyRequest;
import com.google.monitoring.v3.ListAlertPoliciesRequest;
import com.google.monitoring.v3.ListAlertPoliciesResponse;
import com.google.monitoring.v3.UpdateAlertPolicyRequest;
import com.google.protobuf.Empty;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A fake {@code google.monitoring.v3.AlertPolicyService}: policies live in memory, named {@code
 * projects/<p>/alertPolicies/<id>}; list ignores {@code filter} and pages by {@code page_size};
 * update replaces the whole policy.
 */
public final class FakeAlertPolicyService
    extends AlertPolicyServiceGrpc.AlertPolicyServiceImplBase {
  private final Store<AlertPolicy> store = new Store<>();
  private final RequestLog log;

  FakeAlertPolicyService(RequestLog log) {
    this.log = log;
  }

  /** Returns every stored policy by name. */
  public Map<String, AlertPolicy> policies() {
    return store.snapshot();
  }

  /**
   * Stores a policy as if someone else had created it, for example by hand in the console.
   *
   * @param project the project id
   * @param policy the policy; its name is assigned
   * @return the stored policy
   */
  public AlertPolicy seed(String project, AlertPolicy policy) {
    String name = "projects/" + project + "/alertPolicies/" + store.nextId();
    AlertPolicy stored = policy.toBuilder().setName(name).build();
    store.put(name, stored);
    return stored;
  }

  @Override
  public void createAlertPolicy(
      CreateAlertPolicyRequest request, StreamObserver<AlertPolicy> response) {
    call(
        "CreateAlertPolicy",
        response,
        () -> {
          if (request.getAlertPolicy().getDisplayName().isEmpty()) {
            throw invalid("alert_policy.display_name is required");
          }
          if (request.getAlertPolicy().getConditionsCount() == 0) {
            throw invalid("alert_policy.conditions must not be empty");
          }
          String name = request.getName() + "/alertPolicies/" + store.nextId();
          AlertPolicy stored = request.getAlertPolicy().toBuilder().setName(name).build();
          store.put(name, stored);
          return stored;
        });
  }

  @Override
  public void getAlertPolicy(GetAlertPolicyRequest request, StreamObserver<AlertPolicy> response) {
    call("GetAlertPolicy", response, () -> store.get(request.getName()));
  }

  @Override
  public void listAlertPolicies(
      ListAlertPoliciesRequest request, StreamObserver<ListAlertPoliciesResponse> response) {
    call(
        "ListAlertPolicies",
        response,
        () -> {
          Store.Page<AlertPolicy> page =
              Store.page(
                  store.under(request.getName() + "/alertPolicies"),
                  request.getPageSize(),
                  request.getPageToken());
          return ListAlertPoliciesResponse.newBuilder()
              .addAllAlertPolicies(page.items())
              .setNextPageToken(page.nextPageToken())
              .setTotalSize(page.items().size())
              .build();
        });
  }

  @Override
  public void updateAlertPolicy(
      UpdateAlertPolicyRequest request, StreamObserver<AlertPolicy> response) {
    call(
        "UpdateAlertPolicy",
        response,
        () -> {
          String name = request.getAlertPolicy().getName();
          store.get(name);
          store.put(name, request.getAlertPolicy());
          return request.getAlertPolicy();
        });
  }

  @Override
  public void deleteAlertPolicy(DeleteAlertPolicyRequest request, StreamObserver<Empty> response) {
    call(
        "DeleteAlertPolicy",
        response,
        () -> {
          store.remove(request.getName());
          return Empty.getDefaultInstance();
        });
  }

  private <T> void call(String method, StreamObserver<T> response, Supplier<T> body) {
    log.record(method);
    Calls.complete(response, body);
  }

  static StatusRuntimeException invalid(String message) {
    return new StatusRuntimeException(Status.INVALID_ARGUMENT.withDescription(message));
  }
}
