package io.github.gkeinference.core.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.container.v1.Cluster;
import com.google.container.v1.NodeConfig;
import com.google.container.v1.NodePool;
import com.google.container.v1.Operation;
import com.google.container.v1.ReleaseChannel;
import com.google.container.v1.UpdateClusterRequest;
import io.github.gkeinference.core.retry.FakeTime;
import io.github.gkeinference.testing.gke.FakeClusterManager;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ClusterProvisionerTest {
  private final FakeClusterManager gke = FakeClusterManager.start();
  private final FakeTime time = new FakeTime();
  private final List<OperationUpdate> updates = new ArrayList<>();
  private final ClusterSpec spec = ClusterSpec.inferenceDefaults("my-project", "us-east4");

  private ClusterProvisioner provisioner() {
    return ClusterProvisioner.builder(gke.client())
        .clock(time)
        .sleeper(time)
        .pollInterval(Duration.ofSeconds(10))
        .operationTimeout(Duration.ofMinutes(5))
        .progress(updates::add)
        .build();
  }

  @AfterEach
  void close() {
    gke.close();
  }

  @Test
  void create_newCluster_waitsForOperationAndReportsProgress() {
    gke.pollsUntilDone(3);

    ProvisionResult result = provisioner().create(spec);

    assertThat(result.outcome()).isEqualTo(ProvisionResult.Outcome.CREATED);
    assertThat(result.cluster())
        .isEqualTo("projects/my-project/locations/us-east4/clusters/inf-dev");
    assertThat(result.live().getStatus()).isEqualTo(Cluster.Status.RUNNING);
    assertThat(result.createdNodePools()).containsExactly("system");
    assertThat(gke.cluster(result.cluster())).isPresent();
    // the fake finishes after 3 polls: 0/3 when started, then 1/3, 2/3, 3/3 (integer percent)
    assertThat(updates)
        .extracting(OperationUpdate::status)
        .containsExactly(
            Operation.Status.PENDING,
            Operation.Status.RUNNING,
            Operation.Status.RUNNING,
            Operation.Status.DONE);
    assertThat(updates)
        .extracting(OperationUpdate::percent)
        .containsExactly(0, 100 / 3, 200 / 3, 100);
    assertThat(updates.get(1).stage()).isEqualTo("PROVISIONING");
    assertThat(updates).extracting(OperationUpdate::operationId).containsOnly("operation-1");
  }

  @Test
  void create_operationEndsInError_failsNamingClusterAndOperation() {
    gke.failNextOperation(com.google.rpc.Code.RESOURCE_EXHAUSTED, "Insufficient regional quota");

    assertThatThrownBy(() -> provisioner().create(spec))
        .isInstanceOfSatisfying(
            ProvisioningException.class,
            e -> {
              assertThat(e.cluster()).endsWith("/clusters/inf-dev");
              assertThat(e.operationId()).isEqualTo("operation-1");
            })
        .hasMessageContaining("RESOURCE_EXHAUSTED")
        .hasMessageContaining("Insufficient regional quota")
        .hasMessageContaining("cluster projects/my-project/locations/us-east4/clusters/inf-dev")
        .hasMessageContaining("operation operation-1");
    assertThat(gke.cluster(spec.resourceName()).orElseThrow().getStatus())
        .isEqualTo(Cluster.Status.ERROR);
  }

  @Test
  void create_operationNeverFinishes_timesOutAndCancelsIt() {
    gke.hangOperations(true);

    assertThatThrownBy(() -> provisioner().create(spec))
        .isInstanceOf(ProvisioningException.class)
        .hasMessageContaining("did not finish within PT5M")
        .hasMessageContaining("operation operation-1");
    // polled every 10 s for 5 minutes: 300 / 10 = 30 waits, then the operation is cancelled
    assertThat(time.sleeps()).hasSize(300 / 10);
    assertThat(gke.calls()).endsWith("CancelOperation");
    assertThat(gke.operations().get(0).getError().getCode())
        .isEqualTo(com.google.rpc.Code.CANCELLED_VALUE);
  }

  @Test
  void create_cancelledByCaller_cancelsOperation() {
    gke.hangOperations(true);
    ClusterProvisioner provisioner =
        ClusterProvisioner.builder(gke.client())
            .clock(time)
            .sleeper(time)
            .cancelWhen(() -> time.sleeps().size() >= 2)
            .build();

    assertThatThrownBy(() -> provisioner.create(spec))
        .isInstanceOf(ProvisioningException.class)
        .hasMessageContaining("cancelled by the caller");
    assertThat(gke.calls()).contains("CancelOperation");
  }

  @Test
  void create_alreadyExistsAndMatches_reportsUnchangedWithoutUpdating() {
    gke.putCluster(spec.parent(), spec.cluster());

    ProvisionResult result = provisioner().create(spec);

    assertThat(result.outcome()).isEqualTo(ProvisionResult.Outcome.UNCHANGED);
    assertThat(result.changedFields()).isEmpty();
    assertThat(gke.updateRequests()).isEmpty();
  }

  @Test
  void create_alreadyExistsAndDiffers_reportsFieldWithoutUpdating() {
    gke.putCluster(spec.parent(), withChannel(spec.cluster(), ReleaseChannel.Channel.REGULAR));

    ProvisionResult result = provisioner().create(spec);

    assertThat(result.outcome()).isEqualTo(ProvisionResult.Outcome.DIFFERS);
    assertThat(result.changedFields()).containsExactly("releaseChannel");
    assertThat(gke.updateRequests()).isEmpty();
  }

  @Test
  void create_existingWithServerFilledFields_isStillUnchanged() {
    Cluster desired = spec.cluster();
    Cluster.Builder live = desired.toBuilder();
    // values GKE fills in that the spec leaves unset are not differences
    live.getAddonsConfigBuilder().getNetworkPolicyConfigBuilder().setDisabled(true);
    live.getAutoscalingBuilder().addAutoprovisioningLocations("us-east4-a");
    live.setCurrentMasterVersion("1.34.1-gke.1000").setEndpoint("10.0.0.2");
    gke.putCluster(spec.parent(), live.build());

    ProvisionResult result = provisioner().create(spec);

    assertThat(result.outcome()).isEqualTo(ProvisionResult.Outcome.UNCHANGED);
  }

  @Test
  void create_existingWithAddonDisabled_reportsAddonsConfig() {
    Cluster.Builder live = spec.cluster().toBuilder();
    live.getAddonsConfigBuilder().getHttpLoadBalancingBuilder().setDisabled(true);
    gke.putCluster(spec.parent(), live.build());

    ProvisionResult result = provisioner().create(spec);

    // desired disabled=false is a choice, so live disabled=true differs
    assertThat(result.outcome()).isEqualTo(ProvisionResult.Outcome.DIFFERS);
    assertThat(result.changedFields()).containsExactly("addonsConfig");
  }

  @Test
  void create_existingAutopilotWanted_reportsFieldThatNeedsRecreation() {
    gke.putCluster(spec.parent(), spec.cluster());
    ClusterSpec autopilot =
        ClusterSpec.builder()
            .project("my-project")
            .name("inf-dev")
            .location("us-east4")
            .autopilot(true)
            .build();

    ProvisionResult result = provisioner().create(autopilot);

    assertThat(result.outcome()).isEqualTo(ProvisionResult.Outcome.DIFFERS);
    assertThat(result.needsRecreation()).containsExactly("autopilot");
  }

  @Test
  void createOrUpdate_oneFieldChanged_sendsOneUpdateOfThatField() {
    gke.putCluster(spec.parent(), withChannel(spec.cluster(), ReleaseChannel.Channel.REGULAR));

    ProvisionResult result = provisioner().createOrUpdate(spec);

    assertThat(result.outcome()).isEqualTo(ProvisionResult.Outcome.UPDATED);
    assertThat(result.changedFields()).containsExactly("releaseChannel");
    assertThat(gke.updateRequests()).hasSize(1);
    UpdateClusterRequest request = gke.updateRequests().get(0);
    assertThat(request.getName()).isEqualTo(spec.resourceName());
    assertThat(request.getUpdate().getAllFields()).hasSize(1);
    assertThat(request.getUpdate().getDesiredReleaseChannel().getChannel())
        .isEqualTo(ReleaseChannel.Channel.RAPID);
    assertThat(gke.cluster(spec.resourceName()).orElseThrow().getReleaseChannel().getChannel())
        .isEqualTo(ReleaseChannel.Channel.RAPID);
  }

  @Test
  void update_twoFieldsChanged_sendsTwoUpdatesOneAtATime() {
    Cluster live =
        withChannel(spec.cluster(), ReleaseChannel.Channel.STABLE).toBuilder()
            .setSecretManagerConfig(
                spec.cluster().getSecretManagerConfig().toBuilder().setEnabled(false))
            .build();
    gke.putCluster(spec.parent(), live);

    ProvisionResult result = provisioner().update(spec);

    // the fake rejects a second update while the first runs, so success proves they were serial
    assertThat(result.changedFields()).containsExactly("releaseChannel", "secretManagerConfig");
    assertThat(gke.updateRequests()).hasSize(2);
    assertThat(gke.cluster(spec.resourceName()).orElseThrow().getSecretManagerConfig().getEnabled())
        .isTrue();
  }

  @Test
  void create_permissionDenied_failsNamingClusterWithoutOperation() {
    gke.failNextCall(
        "CreateCluster", Status.Code.PERMISSION_DENIED, "caller lacks container.clusters.create");

    assertThatThrownBy(() -> provisioner().create(spec))
        .isInstanceOfSatisfying(
            ProvisioningException.class, e -> assertThat(e.operationId()).isNull())
        .hasMessageContaining("PERMISSION_DENIED")
        .hasMessageContaining(spec.resourceName());
  }

  @Test
  void createNodePool_addsPoolThroughOperation() {
    gke.putCluster(spec.parent(), spec.cluster());
    NodePool gpus =
        NodePool.newBuilder()
            .setName("gpu-h200")
            .setInitialNodeCount(0)
            .setConfig(NodeConfig.newBuilder().setMachineType("a3-ultragpu-8g"))
            .build();

    NodePool created = provisioner().createNodePool(spec, gpus);

    assertThat(created.getName()).isEqualTo("gpu-h200");
    assertThat(created.getStatus()).isEqualTo(NodePool.Status.RUNNING);
    assertThat(gke.calls()).contains("CreateNodePool");
  }

  @Test
  void delete_needsTheNameTwice() {
    gke.putCluster(spec.parent(), spec.cluster());

    assertThatThrownBy(() -> provisioner().delete(spec, "other"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(gke.cluster(spec.resourceName())).isPresent();

    provisioner().delete(spec, "inf-dev");
    assertThat(gke.cluster(spec.resourceName())).isEmpty();
  }

  private static Cluster withChannel(Cluster cluster, ReleaseChannel.Channel channel) {
    return cluster.toBuilder()
        .setReleaseChannel(ReleaseChannel.newBuilder().setChannel(channel))
        .build();
  }
}
