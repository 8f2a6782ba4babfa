package io.github.gkeinference.testing.serviceusage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.api.gax.rpc.InvalidArgumentException;
import com.google.api.serviceusage.v1.BatchGetServicesRequest;
import com.google.api.serviceusage.v1.Service;
import com.google.api.serviceusage.v1.State;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FakeServiceUsageTest {
  @Test
  void batchGet_enabledAndDisabled_andAtMost30Names() {
    try (FakeServiceUsage usage = FakeServiceUsage.start()) {
      usage.enable("p-123456", "container.googleapis.com");
      var services =
          usage
              .client()
              .batchGetServices(
                  BatchGetServicesRequest.newBuilder()
                      .setParent("projects/p-123456")
                      .addNames("projects/p-123456/services/container.googleapis.com")
                      .addNames("projects/p-123456/services/pubsub.googleapis.com")
                      .build())
              .getServicesList();
      assertThat(services)
          .extracting(Service::getState)
          .containsExactly(State.ENABLED, State.DISABLED);
      BatchGetServicesRequest.Builder tooMany =
          BatchGetServicesRequest.newBuilder().setParent("projects/p-123456");
      IntStream.rangeClosed(0, FakeServiceUsage.MAX_BATCH)
          .forEach(i -> tooMany.addNames("projects/p-123456/services/s" + i + ".googleapis.com"));
      assertThatThrownBy(() -> usage.client().batchGetServices(tooMany.build()))
          .isInstanceOf(InvalidArgumentException.class);
    }
  }
}
