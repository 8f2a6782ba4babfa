package io.github.gkeinference.testing.gke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.api.gax.rpc.AlreadyExistsException;
import com.google.api.gax.rpc.InvalidArgumentException;
import com.google.api.gax.rpc.NotFoundException;
import com.google.api.gax.rpc.PermissionDeniedException;
import com.google.cloud.container.v1.ClusterManagerClient;
import com.google.container.v1.Cluster;
import com.google.container.v1.ClusterUpdate;
import com.google.container.v1.NodePool;
import com.google.container.v1.Operation;
import com.google.container.v1.ReleaseChannel;
import com.google.container.v1.UpdateClusterRequest;
import io.grpc.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FakeClusterManagerTest {
  private static final String PARENT = "projects/p/locations/us-east4";
  private static final String NAME = PARENT + "/clusters/c1";

  private final FakeClusterManager fake = FakeClusterManager.start();
  private final ClusterManagerClient client = fake.client();

  @AfterEach
  void close() {
    fake.close();
  }

  private Operation poll(Operation op) {
    return client.getOperation(
        PARENT.replace("/locations/", "/locations/") + "/operations/" + op.getName());
  }

  @Test
  void createCluster_runsThroughPendingRunningDone() {
    fake.pollsUntilDone(2);

    Operation op = client.createCluster(PARENT, Cluster.newBuilder().setName("c1").build());

    assertThat(op.getStatus()).isEqualTo(Operation.Status.PENDING);
    assertThat(client.getCluster(NAME).getStatus()).isEqualTo(Cluster.Status.PROVISIONING);
    Operation running = poll(op);
    assertThat(running.getStatus()).isEqualTo(Operation.Status.RUNNING);
    assertThat(running.getProgress().getMetricsList())
        .extracting(m -> m.getName() + "=" + m.getIntValue())
        .containsExactly("STEPS=1", "STEPS_TOTAL=2");
    assertThat(poll(op).getStatus()).isEqualTo(Operation.Status.DONE);
    assertThat(client.getCluster(NAME).getStatus()).isEqualTo(Cluster.Status.RUNNING);
    assertThat(client.listClusters(PARENT).getClustersList())
        .extracting(Cluster::getName)
        .containsExactly("c1");
  }

  @Test
  void createCluster_twice_failsWithAlreadyExists() {
    client.createCluster(PARENT, Cluster.newBuilder().setName("c1").build());

    assertThatThrownBy(
            () -> client.createCluster(PARENT, Cluster.newBuilder().setName("c1").build()))
        .isInstanceOf(AlreadyExistsException.class);
  }

  @Test
  void getCluster_missing_failsWithNotFound() {
    assertThatThrownBy(() -> client.getCluster(NAME)).isInstanceOf(NotFoundException.class);
  }

  @Test
  void updateCluster_twoFieldsAtOnce_isRejectedLikeGke() {
    fake.putCluster(PARENT, Cluster.newBuilder().setName("c1").build());
    ClusterUpdate two =
        ClusterUpdate.newBuilder()
            .setDesiredReleaseChannel(
                ReleaseChannel.newBuilder().setChannel(ReleaseChannel.Channel.RAPID))
            .addDesiredLocations("us-east4-a")
            .build();

    assertThatThrownBy(
            () ->
                client.updateCluster(
                    UpdateClusterRequest.newBuilder().setName(NAME).setUpdate(two).build()))
        .isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  void updateCluster_oneField_isAppliedWhenTheOperationIsDone() {
    fake.putCluster(PARENT, Cluster.newBuilder().setName("c1").build());
    ClusterUpdate one =
        ClusterUpdate.newBuilder()
            .setDesiredReleaseChannel(
                ReleaseChannel.newBuilder().setChannel(ReleaseChannel.Channel.STABLE))
            .build();

    Operation op =
        client.updateCluster(
            UpdateClusterRequest.newBuilder().setName(NAME).setUpdate(one).build());
    assertThat(client.getCluster(NAME).getReleaseChannel().getChannel())
        .isEqualTo(ReleaseChannel.Channel.UNSPECIFIED);
    poll(op);
    poll(op);

    assertThat(client.getCluster(NAME).getReleaseChannel().getChannel())
        .isEqualTo(ReleaseChannel.Channel.STABLE);
  }

  @Test
  void nodePools_createListDelete() {
    fake.putCluster(PARENT, Cluster.newBuilder().setName("c1").build());

    Operation create = client.createNodePool(NAME, NodePool.newBuilder().setName("gpu").build());
    poll(create);
    poll(create);
    assertThat(client.listNodePools(NAME).getNodePoolsList())
        .extracting(NodePool::getName)
        .containsExactly("gpu");

    Operation delete = client.deleteNodePool(NAME + "/nodePools/gpu");
    poll(delete);
    poll(delete);
    assertThat(client.listNodePools(NAME).getNodePoolsList()).isEmpty();
  }

  @Test
  void failNextCall_failsOnlyTheNextCallOfThatMethod() {
    fake.failNextCall("GetCluster", Status.Code.PERMISSION_DENIED, "no");
    fake.putCluster(PARENT, Cluster.newBuilder().setName("c1").build());

    assertThatThrownBy(() -> client.getCluster(NAME)).isInstanceOf(PermissionDeniedException.class);
    assertThat(client.getCluster(NAME).getName()).isEqualTo("c1");
  }
}
