package io.github.gkeinference.testing.compute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.compute.v1.AcceleratorType;
import com.google.cloud.compute.v1.Region;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FakeComputeTest {
  @Test
  void regionsGet_overRealHttpJson_returnsQuotasAndZones_and404ForAnUnknownRegion() {
    try (FakeCompute compute = FakeCompute.start()) {
      compute
          .putRegion("p-123456", "us-east4", List.of("us-east4-a"))
          .putQuota("p-123456", "us-east4", "NVIDIA_L4_GPUS", 16, 3);
      Region r = compute.regionsClient().get("p-123456", "us-east4");
      assertThat(r.getQuotasList())
          .singleElement()
          .satisfies(
              q -> {
                assertThat(q.getMetric()).isEqualTo("NVIDIA_L4_GPUS");
                assertThat(q.getLimit()).isEqualTo(16.0);
                assertThat(q.getUsage()).isEqualTo(3.0);
              });
      assertThat(r.getZonesList()).singleElement().asString().endsWith("/zones/us-east4-a");
      assertThatThrownBy(() -> compute.regionsClient().get("p-123456", "mars-north1"))
          .isInstanceOf(ApiException.class)
          .satisfies(
              e ->
                  assertThat(((ApiException) e).getStatusCode().getCode())
                      .isEqualTo(StatusCode.Code.NOT_FOUND));
    }
  }

  @Test
  void acceleratorTypes_zoneListAndAggregatedList_onlyTheProjectsZones() {
    try (FakeCompute compute = FakeCompute.start()) {
      compute
          .offerAccelerator("p-123456", "us-east4-a", "nvidia-l4")
          .offerAccelerator("other-project", "us-east4-b", "nvidia-l4");
      List<String> names = new ArrayList<>();
      for (AcceleratorType t :
          compute.acceleratorTypesClient().list("p-123456", "us-east4-a").iterateAll()) {
        names.add(t.getName());
      }
      assertThat(names).containsExactly("nvidia-l4");
      List<String> zones = new ArrayList<>();
      compute
          .acceleratorTypesClient()
          .aggregatedList("p-123456")
          .iterateAll()
          .forEach(e -> zones.add(e.getKey()));
      assertThat(zones).containsExactly("zones/us-east4-a");
      assertThat(compute.calls())
          .containsExactly("acceleratorTypes.list", "acceleratorTypes.aggregatedList");
    }
  }

  @Test
  void denyNext_isA403_theClientReportsPermissionDenied_once() {
    try (FakeCompute compute = FakeCompute.start()) {
      compute
          .putRegion("p-123456", "us-east4", List.of())
          .denyNext("regions.get", "compute.regions.get");
      assertThatThrownBy(() -> compute.regionsClient().get("p-123456", "us-east4"))
          .isInstanceOf(ApiException.class)
          // the client's message is the status text; Compute Engine's error body is in the cause
          .hasStackTraceContaining("Required 'compute.regions.get' permission")
          .satisfies(
              e ->
                  assertThat(((ApiException) e).getStatusCode().getCode())
                      .isEqualTo(StatusCode.Code.PERMISSION_DENIED));
      assertThat(compute.regionsClient().get("p-123456", "us-east4").getName())
          .isEqualTo("us-east4");
    }
  }
}
