package io.github.gkeinference.serving.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.github.gkeinference.core.iam.IamPolicyMember;
import io.github.gkeinference.core.iam.WorkloadIdentityPool;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.render.WorkloadFacts;
import io.github.gkeinference.core.source.GcsFuseOptions;
import io.github.gkeinference.core.source.GcsFuseSource;
import io.github.gkeinference.core.source.GcsLocation;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violation;
import io.github.gkeinference.serving.VllmServer;
import io.github.gkeinference.serving.crd.InferencePool;
import io.github.gkeinference.serving.gateway.InferenceGateway;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class BundleValidatorTest {
  private static final String DEPLOYMENT = "Deployment/inference/llama";
  private static final String CONTAINER = DEPLOYMENT + ".spec.template.spec.containers[0]";
  private static final WorkloadIdentityPool POOL =
      WorkloadIdentityPool.of("my-project", 123456789012L);

  /** A vLLM server on one L4 reading its weights through GCS FUSE, without an identity. */
  static VllmServer.Builder server() {
    return VllmServer.builder()
        .name("llama")
        .namespace("inference")
        .modelId("meta-llama/Llama-3.1-8B-Instruct")
        .source(
            GcsFuseSource.builder()
                .location(GcsLocation.of("models", "meta-llama/llama-3.1-8b-instruct"))
                .options(GcsFuseOptions.lowMemoryNode())
                .build())
        .placement(p -> p.accelerator("nvidia-l4").devices(1));
  }

  /** A consistent bundle: a vLLM server, a gateway whose pool selects it, and an HPA on it. */
  static RenderedSet consistent() {
    VllmServer server = server().maxModelLen(8192).workloadIdentity(POOL).build();
    InferenceGateway gateway =
        InferenceGateway.builder()
            .name("gw")
            .namespace("inference")
            .addPool(p -> p.name("llama").matchLabels(server.selectorLabels()))
            .build();
    HorizontalPodAutoscaler hpa =
        new HorizontalPodAutoscalerBuilder()
            .withNewMetadata()
            .withName("llama")
            .withNamespace("inference")
            .endMetadata()
            .withNewSpec()
            .withNewScaleTargetRef("apps/v1", "Deployment", "llama")
            .withMinReplicas(1)
            .withMaxReplicas(4)
            .endSpec()
            .build();
    return server.render().plus(gateway.render()).plus(RenderedSet.of(hpa));
  }

  /** Returns the set with one object replaced by a changed copy. */
  static <T extends HasMetadata> RenderedSet changed(
      RenderedSet set, Class<T> type, String name, Consumer<T> change) {
    List<HasMetadata> objects = new ArrayList<>();
    for (HasMetadata o : set.kubernetesObjects()) {
      if (type.isInstance(o) && o.getMetadata().getName().equals(name)) {
        change.accept(type.cast(o));
      }
      objects.add(o);
    }
    return RenderedSet.of(objects.toArray(HasMetadata[]::new));
  }

  /** Returns the set with the objects unchanged and one workload's facts replaced. */
  static RenderedSet changedFacts(
      RenderedSet set, String name, Consumer<WorkloadFacts.Builder> change) {
    RenderedSet.Builder out = RenderedSet.builder();
    set.kubernetesObjects().forEach(out::add);
    for (WorkloadFacts w : set.workloads()) {
      WorkloadFacts.Builder b = w.toBuilder();
      if (w.name().equals(name)) {
        change.accept(b);
      }
      out.addWorkload(b.build());
    }
    return out.build();
  }

  private static Container server(Deployment d) {
    return d.getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  private static List<String> paths(RenderedSet set) {
    return BundleValidator.validate(set).stream().map(Violation::path).toList();
  }

  @Test
  void validate_consistentBundle_findsNothing() {
    assertThat(BundleValidator.validate(consistent())).isEmpty();
  }

  @Test
  void poolSelector_matchingNoPods_isTheOnlyViolation() {
    RenderedSet set =
        changed(
            consistent(),
            InferencePool.class,
            "llama",
            p ->
                p.setSpec(
                    new InferencePool.Spec(
                        new InferencePool.Selector(Map.of("app.kubernetes.io/instance", "other")),
                        p.spec().targetPorts(),
                        null,
                        p.spec().endpointPickerRef())));
    assertThat(paths(set))
        .containsExactly("InferencePool/inference/llama.spec.selector.matchLabels");
  }

  @Test
  void poolTargetPort_notOnTheContainers_isTheOnlyViolation() {
    RenderedSet set =
        changed(
            consistent(),
            InferencePool.class,
            "llama",
            p ->
                p.setSpec(
                    new InferencePool.Spec(
                        p.spec().selector(),
                        List.of(new InferencePool.Port(8080)),
                        null,
                        p.spec().endpointPickerRef())));
    assertThat(paths(set))
        .containsExactly("InferencePool/inference/llama.spec.targetPorts[0].number");
  }

  @Test
  void gpus_notEqualToTensorTimesPipeline_isTheOnlyViolation() {
    RenderedSet set =
        changed(
            consistent(),
            Deployment.class,
            "llama",
            d -> {
              List<String> args = new ArrayList<>(server(d).getArgs());
              args.replaceAll(
                  a -> a.startsWith("--tensor-parallel-size") ? "--tensor-parallel-size=2" : a);
              server(d).setArgs(args);
            });
    // the changed copy has no facts: the foreign-YAML parser reads them from the objects
    assertThat(paths(set)).containsExactly("Deployment/inference/llama.resources.limits");
  }

  @Test
  void maxModelLen_aboveMaxPositionEmbeddings_isTheOnlyViolation() {
    // Llama-3.1-8B: max_position_embeddings 131072, recorded in the server's facts
    assertThat(consistent().workload("llama").maxPositionEmbeddings()).hasValue(131072);
    RenderedSet set = changedFacts(consistent(), "llama", f -> f.maxModelLen(131073));
    assertThat(paths(set)).containsExactly("Deployment/inference/llama.maxModelLen");
  }

  @Test
  void hpa_targetingMissingObject_isTheOnlyViolation() {
    RenderedSet set =
        changed(
            consistent(),
            HorizontalPodAutoscaler.class,
            "llama",
            h -> h.getSpec().getScaleTargetRef().setName("missing"));
    assertThat(paths(set))
        .containsExactly("HorizontalPodAutoscaler/inference/llama.spec.scaleTargetRef");
  }

  @Test
  void env_withShellSyntax_isTheOnlyViolation() {
    // appended after the server's own variables (the non-root user's home and caches)
    int[] index = new int[1];
    RenderedSet set =
        changed(
            consistent(),
            Deployment.class,
            "llama",
            d -> {
              index[0] = server(d).getEnv().size();
              server(d)
                  .getEnv()
                  .add(
                      new io.fabric8.kubernetes.api.model.EnvVar(
                          "LD_LIBRARY_PATH", "${LD_LIBRARY_PATH}:/usr/local/nvidia/lib64", null));
            });
    assertThat(paths(set)).containsExactly(CONTAINER + ".env[" + index[0] + "].value");
  }

  @Test
  void startupBudget_belowEstimatedLoadTime_isTheOnlyViolation() {
    RenderedSet set =
        changed(
            consistent(),
            Deployment.class,
            "llama",
            d -> server(d).getStartupProbe().setFailureThreshold(1));
    assertThat(paths(set)).isEmpty(); // the changed copy lost the facts holding the estimate
    RenderedSet withFacts =
        RenderedSet.builder().addAll(set).addWorkload(consistent().workload("llama")).build();
    assertThat(paths(withFacts)).containsExactly(CONTAINER + ".startupProbe");
  }

  @Test
  void check_inconsistentBundle_throwsWithEveryViolation() {
    RenderedSet set =
        changed(
            consistent(),
            Deployment.class,
            "llama",
            d -> server(d).getStartupProbe().setFailureThreshold(1));
    RenderedSet withFacts =
        RenderedSet.builder()
            .addAll(set)
            .addWorkload(
                consistent().workload("llama").toBuilder().devices("nvidia.com/gpu", 2).build())
            .build();
    assertThatThrownBy(() -> BundleValidator.check(withFacts))
        .isInstanceOfSatisfying(
            SdkValidationException.class, e -> assertThat(e.violations()).hasSize(2));
  }

  @Test
  void validate_fuseVolumeWithoutGrant_warnsAtTheBucket() {
    RenderedSet set =
        RenderedSet.of(
            consistent().kubernetesObjects().stream()
                .filter(o -> !(o instanceof IamPolicyMember))
                .toArray(HasMetadata[]::new));
    // the index of the pod's one GCS FUSE volume (the server also has /dev/shm and a home volume)
    List<Volume> volumes =
        set.kubernetesObjects().stream()
            .filter(Deployment.class::isInstance)
            .map(Deployment.class::cast)
            .findFirst()
            .orElseThrow()
            .getSpec()
            .getTemplate()
            .getSpec()
            .getVolumes();
    int fuse =
        volumes.indexOf(volumes.stream().filter(v -> v.getCsi() != null).findFirst().orElseThrow());
    List<Violation> found = BundleValidator.validate(set);
    assertThat(found)
        .singleElement()
        .satisfies(
            w -> {
              assertThat(w.isError()).isFalse();
              assertThat(w.path())
                  .isEqualTo(
                      DEPLOYMENT
                          + ".spec.template.spec.volumes["
                          + fuse
                          + "].csi.volumeAttributes.bucketName");
              assertThat(w.message()).contains("inference/llama").contains("objectViewer");
            });
  }

  @Test
  void validate_fuseVolumeGrantedToTheAnnotatedGoogleAccount_isQuiet() {
    VllmServer server =
        server().googleServiceAccount("reader@my-project.iam.gserviceaccount.com").build();
    assertThat(BundleValidator.validate(server.render())).isEmpty();
  }

  @Test
  void validate_podRequestingMoreThanItsMachineLeaves_warns() {
    RenderedSet set =
        changed(
            consistent(),
            Deployment.class,
            "llama",
            d -> {
              d.getSpec()
                  .getTemplate()
                  .getSpec()
                  .getNodeSelector()
                  .put("node.kubernetes.io/instance-type", "g2-standard-16");
              // all 16 vCPUs of the machine: nothing left for kube-reserved and system pods
              server(d)
                  .getResources()
                  .getRequests()
                  .put("cpu", new io.fabric8.kubernetes.api.model.Quantity("16"));
            });
    assertThat(BundleValidator.validate(set))
        .singleElement()
        .satisfies(
            w -> {
              assertThat(w.isError()).isFalse();
              assertThat(w.path()).endsWith("resources.requests.cpu");
              assertThat(w.message()).contains("g2-standard-16");
            });
  }

  @Test
  void validate_serverSizedBySdkOnItsMachine_fitsTheNode() {
    VllmServer server =
        VllmServer.builder()
            .name("llama")
            .namespace("inference")
            .modelId("meta-llama/Llama-3.1-8B-Instruct")
            .placement(p -> p.accelerator("nvidia-l4").devices(1).machineType("g2-standard-16"))
            .build();
    assertThat(BundleValidator.validate(server.render())).isEmpty();
  }
}
