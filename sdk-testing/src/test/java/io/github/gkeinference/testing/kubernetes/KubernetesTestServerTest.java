package io.github.gkeinference.testing.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KubernetesTestServerTest {
  private static final String PATH = "/api/v1/namespaces/ns/configmaps/cm";

  private final KubernetesTestServer server = KubernetesTestServer.start();
  private final KubernetesClient client = server.client();

  @AfterEach
  void close() {
    server.close();
  }

  private static ConfigMap configMap(Map<String, String> data) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName("cm")
        .withNamespace("ns")
        .endMetadata()
        .withData(data)
        .build();
  }

  @Test
  void serverSideApply_createsThenMerges() {
    client.resource(configMap(Map.of("a", "1"))).fieldManager("test").serverSideApply();
    client.resource(configMap(Map.of("b", "2"))).fieldManager("test").serverSideApply();

    ConfigMap live = client.configMaps().inNamespace("ns").withName("cm").get();
    assertThat(live.getData()).containsEntry("a", "1").containsEntry("b", "2");
  }

  @Test
  void serverSideApply_dryRun_storesNothing() {
    ConfigMap result =
        client
            .resource(configMap(Map.of("a", "1")))
            .dryRun()
            .fieldManager("test")
            .serverSideApply();

    assertThat(result.getData()).containsEntry("a", "1");
    assertThat(client.configMaps().inNamespace("ns").withName("cm").get()).isNull();
  }

  @Test
  void failNext_answersTheFaultTheGivenNumberOfTimes() {
    server.failNext("GET", PATH, 2, Fault.conflict());

    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> client.configMaps().inNamespace("ns").withName("cm").get())
          .isInstanceOfSatisfying(
              KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
    }
    assertThat(client.configMaps().inNamespace("ns").withName("cm").get()).isNull();
    assertThat(server.count("GET", PATH)).isEqualTo(3);
  }

  @Test
  void tooManyRequests_carriesRetryAfterInTheStatus() {
    server.failNext("*", PATH, 1, Fault.tooManyRequests(Duration.ofSeconds(5)));

    assertThatThrownBy(() -> client.configMaps().inNamespace("ns").withName("cm").get())
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(429);
              assertThat(e.getStatus().getDetails().getRetryAfterSeconds()).isEqualTo(5);
            });
  }

  @Test
  void hang_outlastsTheClientTimeout() {
    KubernetesClient impatient = server.client(Duration.ofMillis(200));
    server.failNext("GET", PATH, 1, Fault.hang(Duration.ofSeconds(2)));

    assertThatThrownBy(() -> impatient.configMaps().inNamespace("ns").withName("cm").get())
        .isInstanceOf(KubernetesClientException.class);
  }
}
