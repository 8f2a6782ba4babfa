package io.github.gkeinference.testing.monitoring;

import com.google.monitoring.v3.CreateServiceLevelObjectiveRequest;
import com.google.monitoring.v3.CreateServiceRequest;
import com.google.monitoring.v3.DeleteServiceLevelObjectiveRequest;
import com.google.monitoring.v3.DeleteServiceRequest;
import com.google.monitoring.v3.GetServiceLevelObjectiveRequest;
import com.google.monitoring.v3.GetServiceRequest;
import com.google.monitoring.v3.ListServiceLevelObjectivesRequest;
import com.google.monitoring.v3.ListServiceLevelObjectivesResponse;
import com.google.monitoring.v3.ListServicesRequest;
import com.google.monitoring.v3.ListServicesResponse;
import com.google.monitoring.v3.Service;
import com.google.monitoring.v3.ServiceLevelObjective;
import com.google.monitoring.v3.ServiceMonitoringServiceGrpc;
import com.google.monitoring.v3.UpdateServiceLevelObjectiveRequest;
import com.google.monitoring.v3.UpdateServiceRequest;
import com.google.protobuf.Empty;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.Map;

/**
 * A fake {@code google.monitoring.v3.ServiceMonitoringService}: services named {@code
 * projects/<p>/services/<id>} and their SLOs {@code .../serviceLevelObjectives/<id>}; the ids are
 * the requested ones when given. Creating an id that exists fails with ALREADY_EXISTS.
 */
public final class FakeServiceMonitoringService
    extends ServiceMonitoringServiceGrpc.ServiceMonitoringServiceImplBase {
  private final Store<Service> services = new Store<>();
  private final Store<ServiceLevelObjective> slos = new Store<>();
  private final RequestLog log;

  FakeServiceMonitoringService(RequestLog log) {
    this.log = log;
  }

  /** Returns every stored service by name. */
  public Map<String, Service> services() {
    return services.snapshot();
  }

  /** Returns every stored SLO by name. */
  public Map<String, ServiceLevelObjective> serviceLevelObjectives() {
    return slos.snapshot();
  }

  @Override
  public void createService(CreateServiceRequest request, StreamObserver<Service> response) {
    log.record("CreateService");
    Calls.complete(
        response,
        () -> {
          String id = request.getServiceId().isEmpty() ? services.nextId() : request.getServiceId();
          String name = request.getParent() + "/services/" + id;
          if (services.contains(name)) {
            throw new StatusRuntimeException(Status.ALREADY_EXISTS.withDescription(name));
          }
          Service stored = request.getService().toBuilder().setName(name).build();
          services.put(name, stored);
          return stored;
        });
  }

  @Override
  public void getService(GetServiceRequest request, StreamObserver<Service> response) {
    log.record("GetService");
    Calls.complete(response, () -> services.get(request.getName()));
  }

  @Override
  public void listServices(
      ListServicesRequest request, StreamObserver<ListServicesResponse> response) {
    log.record("ListServices");
    Calls.complete(
        response,
        () -> {
          Store.Page<Service> page =
              Store.page(
                  services.under(request.getParent() + "/services"),
                  request.getPageSize(),
                  request.getPageToken());
          return ListServicesResponse.newBuilder()
              .addAllServices(page.items())
              .setNextPageToken(page.nextPageToken())
              .build();
        });
  }

  @Override
  public void updateService(UpdateServiceRequest request, StreamObserver<Service> response) {
    log.record("UpdateService");
    Calls.complete(
        response,
        () -> {
          services.get(request.getService().getName());
          services.put(request.getService().getName(), request.getService());
          return request.getService();
        });
  }

  @Override
  public void deleteService(DeleteServiceRequest request, StreamObserver<Empty> response) {
    log.record("DeleteService");
    Calls.complete(
        response,
        () -> {
          services.remove(request.getName());
          return Empty.getDefaultInstance();
        });
  }

  @Override
  public void createServiceLevelObjective(
      CreateServiceLevelObjectiveRequest request, StreamObserver<ServiceLevelObjective> response) {
    log.record("CreateServiceLevelObjective");
    Calls.complete(
        response,
        () -> {
          services.get(request.getParent());
          String id =
              request.getServiceLevelObjectiveId().isEmpty()
                  ? slos.nextId()
                  : request.getServiceLevelObjectiveId();
          String name = request.getParent() + "/serviceLevelObjectives/" + id;
          if (slos.contains(name)) {
            throw new StatusRuntimeException(Status.ALREADY_EXISTS.withDescription(name));
          }
          ServiceLevelObjective stored =
              request.getServiceLevelObjective().toBuilder().setName(name).build();
          slos.put(name, stored);
          return stored;
        });
  }

  @Override
  public void getServiceLevelObjective(
      GetServiceLevelObjectiveRequest request, StreamObserver<ServiceLevelObjective> response) {
    log.record("GetServiceLevelObjective");
    Calls.complete(response, () -> slos.get(request.getName()));
  }

  @Override
  public void listServiceLevelObjectives(
      ListServiceLevelObjectivesRequest request,
      StreamObserver<ListServiceLevelObjectivesResponse> response) {
    log.record("ListServiceLevelObjectives");
    Calls.complete(
        response,
        () -> {
          Store.Page<ServiceLevelObjective> page =
              Store.page(
                  slos.under(request.getParent() + "/serviceLevelObjectives"),
                  request.getPageSize(),
                  request.getPageToken());
          return ListServiceLevelObjectivesResponse.newBuilder()
              .addAllServiceLevelObjectives(page.items())
              .setNextPageToken(page.nextPageToken())
              .build();
        });
  }

  @Override
  public void updateServiceLevelObjective(
      UpdateServiceLevelObjectiveRequest request, StreamObserver<ServiceLevelObjective> response) {
    log.record("UpdateServiceLevelObjective");
    Calls.complete(
        response,
        () -> {
          String name = request.getServiceLevelObjective().getName();
          slos.get(name);
          slos.put(name, request.getServiceLevelObjective());
          return request.getServiceLevelObjective();
        });
  }

  @Override
  public void deleteServiceLevelObjective(
      DeleteServiceLevelObjectiveRequest request, StreamObserver<Empty> response) {
    log.record("DeleteServiceLevelObjective");
    Calls.complete(
        response,
        () -> {
          slos.remove(request.getName());
          return Empty.getDefaultInstance();
        });
  }
}
