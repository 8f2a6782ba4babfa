package io.github.gkeinference.testing.quotas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.api.cloudquotas.v1.QuotaInfo;
import com.google.api.gax.rpc.NotFoundException;
import com.google.api.gax.rpc.PermissionDeniedException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FakeCloudQuotasTest {
  private static final String PARENT = "projects/p-123456/locations/global/services/";

  @Test
  void listAndGet_byServiceAndQuotaId() {
    try (FakeCloudQuotas quotas = FakeCloudQuotas.start()) {
      quotas
          .putRegionalQuota(
              p(), "compute.googleapis.com", "Q1", "compute.googleapis.com/q1", "us-east4", 8)
          .putRegionalQuota(
              p(), "tpu.googleapis.com", "Q2", "tpu.googleapis.com/q2", "us-east4", 4);
      List<String> ids = new ArrayList<>();
      for (QuotaInfo i :
          quotas.client().listQuotaInfos(PARENT + "compute.googleapis.com").iterateAll()) {
        ids.add(i.getQuotaId());
      }
      assertThat(ids).containsExactly("Q1");
      QuotaInfo q2 = quotas.client().getQuotaInfo(PARENT + "tpu.googleapis.com/quotaInfos/Q2");
      assertThat(q2.getDimensionsInfos(0).getDetails().getValue()).isEqualTo(4);
      assertThatThrownBy(
              () -> quotas.client().getQuotaInfo(PARENT + "tpu.googleapis.com/quotaInfos/Q9"))
          .isInstanceOf(NotFoundException.class);
    }
  }

  @Test
  void denyNext_permissionDenied_namesThePermission() {
    try (FakeCloudQuotas quotas = FakeCloudQuotas.start()) {
      quotas.denyNext("ListQuotaInfos", "cloudquotas.quotas.get");
      assertThatThrownBy(
              () ->
                  quotas
                      .client()
                      .listQuotaInfos(PARENT + "compute.googleapis.com")
                      .iterateAll()
                      .forEach(i -> {}))
          .isInstanceOf(PermissionDeniedException.class)
          .hasMessageContaining("cloudquotas.quotas.get");
    }
  }

  private static String p() {
    return "p-123456";
  }
}
