package io.github.gkeinference.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.github.gkeinference.core.internal.Fabric8Runtime;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.validate.Severity;
import io.github.gkeinference.core.validate.Violation;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/**
 * Each ready rule over foreign YAML: a bundle that every rule accepts, then one change per test
 * that exactly one rule refuses, with the path of the changed field.
 */
class PolicyRulesTest {
  /** Accepted by every rule of {@link #policies()}; each test changes one line. */
  static final String BUNDLE =
      """
      apiVersion: cloud.google.com/v1
      kind: ComputeClass
      metadata:
        name: gpu-l4
      spec:
        priorities:
          - gpu: {type: nvidia-l4, count: 1}
            spot: false
            location: {zones: [us-central1-a]}
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: vllm
        namespace: ml
        labels: {cost-center: cc-1}
      spec:
        replicas: 2
        selector: {matchLabels: {app: vllm}}
        template:
          metadata: {labels: {app: vllm}}
          spec:
            nodeSelector: {cloud.google.com/compute-class: gpu-l4}
            containers:
              - name: vllm
                image: us-docker.pkg.dev/vertex-ai/vllm-serve:v0.11.0
                resources: {limits: {nvidia.com/gpu: "1"}}
      ---
      apiVersion: autoscaling/v2
      kind: HorizontalPodAutoscaler
      metadata:
        name: vllm
        namespace: ml
      spec:
        scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}
        minReplicas: 2
        maxReplicas: 4
      ---
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata:
        name: inference
        namespace: ml
      spec:
        gatewayClassName: gke-l7-rilb
        listeners: [{name: http, protocol: HTTP, port: 80}]
      """;

  /** A made-up price list for the tests: 0.70 USD per L4 hour, 0.30 on Spot. */
  static final HourlyPrice PRICES =
      (accelerator, spot) ->
          accelerator.equals("nvidia-l4")
              ? OptionalDouble.of(spot ? 0.30 : 0.70)
              : OptionalDouble.empty();

  static PolicySet policies() {
    return PolicySet.of(
        "test",
        List.of(
            PolicyRules.allowedAccelerators(List.of("nvidia-l4")),
            PolicyRules.allowedRegions(List.of("us-central1")),
            PolicyRules.maxDevicesPerReplica(1),
            PolicyRules.maxDevicesPerService(4),
            PolicyRules.maxReplicas(4),
            PolicyRules.requiredLabels(List.of("cost-center")),
            PolicyRules.allowedRegistries(List.of("us-docker.pkg.dev/vertex-ai")),
            PolicyRules.spotAllowed(false),
            PolicyRules.flexStartAllowed(false),
            PolicyRules.externalGatewaysAllowed(false),
            // 1 device x 4 replicas x 0.70 = 2.80 USD/hour
            PolicyRules.maxHourlyUsd(3.0, PRICES)));
  }

  static RenderedSet bundle(String yaml) {
    RenderedSet.Builder set = RenderedSet.builder();
    for (String doc : yaml.split("(?m)^---$")) {
      set.add((HasMetadata) Fabric8Runtime.serialization().unmarshal(doc));
    }
    return set.build();
  }

  private static List<Violation> violations(String from, String to) {
    assertThat(BUNDLE).contains(from);
    return policies().check(bundle(BUNDLE.replace(from, to)));
  }

  private static void assertOne(List<Violation> found, String path, String message) {
    assertThat(found).hasSize(1);
    assertThat(found.get(0).path()).isEqualTo(path);
    assertThat(found.get(0).message()).contains(message);
    assertThat(found.get(0).severity()).isEqualTo(Severity.ERROR);
  }

  @Test
  void check_bundleWithinEveryRule_findsNothing() {
    assertThat(policies().check(bundle(BUNDLE))).isEmpty();
  }

  /** The errors alone: an accelerator the test price list lacks also gets a budget warning. */
  private static List<Violation> errors(List<Violation> found) {
    assertThat(found)
        .filteredOn(v -> !v.isError())
        .allMatch(v -> v.path().endsWith("estimatedUsdPerHour"));
    return found.stream().filter(Violation::isError).toList();
  }

  @Test
  void allowedAccelerators_computeClassPriorityOnH100_isRefused() {
    assertOne(
        errors(violations("type: nvidia-l4", "type: nvidia-h100-80gb")),
        "Deployment/ml/vllm.ComputeClass/gpu-l4.spec.priorities[0].gpu.type",
        "not an allowed accelerator");
  }

  @Test
  void allowedAccelerators_nodeSelector_isRefused() {
    List<Violation> found =
        violations(
            "{cloud.google.com/compute-class: gpu-l4}",
            "{cloud.google.com/gke-accelerator: nvidia-a100-80gb}");
    assertOne(
        errors(found),
        "Deployment/ml/vllm.spec.template.spec.nodeSelector[cloud.google.com/gke-accelerator]",
        "not an allowed accelerator");
  }

  @Test
  void allowedRegions_zoneInEurope_isRefused() {
    assertOne(
        violations("zones: [us-central1-a]", "zones: [europe-west4-a]"),
        "Deployment/ml/vllm.ComputeClass/gpu-l4.spec.priorities[0].location.zones[0]",
        "not in an allowed region");
  }

  @Test
  void maxDevicesPerReplica_twoGpus_isRefused() {
    // two GPUs also break the per-service limit (2 x 4 > 4): raise it so one rule speaks
    PolicySet set =
        PolicySet.of(
            "t", List.of(PolicyRules.maxDevicesPerReplica(1), PolicyRules.maxDevicesPerService(8)));
    List<Violation> found =
        set.check(bundle(BUNDLE.replace("nvidia.com/gpu: \"1\"", "nvidia.com/gpu: \"2\"")));
    assertOne(found, "Deployment/ml/vllm.devicesPerReplica", "per replica");
  }

  @Test
  void maxDevicesPerService_autoscalerToEight_isRefused() {
    PolicySet set = PolicySet.of("t", List.of(PolicyRules.maxDevicesPerService(4)));
    List<Violation> found = set.check(bundle(BUNDLE.replace("maxReplicas: 4", "maxReplicas: 8")));
    assertOne(found, "Deployment/ml/vllm.devicesPerService", "most replicas (8)");
  }

  @Test
  void maxReplicas_declaredFive_isRefused() {
    PolicySet set = PolicySet.of("t", List.of(PolicyRules.maxReplicas(4)));
    List<Violation> found = set.check(bundle(BUNDLE.replace("replicas: 2", "replicas: 5")));
    assertOne(found, "Deployment/ml/vllm.spec.replicas", "at most 4");
  }

  @Test
  void requiredLabels_missingCostCenter_isRefused() {
    assertOne(
        violations("labels: {cost-center: cc-1}", "labels: {team: ml}"),
        "Deployment/ml/vllm.metadata.labels[cost-center]",
        "required");
  }

  @Test
  void allowedRegistries_dockerHubImage_isRefused() {
    assertOne(
        violations(
            "image: us-docker.pkg.dev/vertex-ai/vllm-serve:v0.11.0",
            "image: vllm/vllm-openai:v0.11.0"),
        "Deployment/ml/vllm.spec.template.spec.containers[0].image",
        "not from an allowed registry");
  }

  @Test
  void allowedRegistries_sameRegistryOtherProject_isRefused() {
    assertOne(
        violations("us-docker.pkg.dev/vertex-ai/", "us-docker.pkg.dev/vertex-ai-other/"),
        "Deployment/ml/vllm.spec.template.spec.containers[0].image",
        "not from an allowed registry");
  }

  @Test
  void spotAllowed_false_refusesSpotPriority() {
    List<Violation> found = violations("spot: false", "spot: true");
    // Spot halves the price too, which the budget accepts: only the Spot rule speaks
    assertOne(found, "Deployment/ml/vllm.ComputeClass/gpu-l4.spec.priorities[0].spot", "Spot VMs");
  }

  @Test
  void flexStartAllowed_false_refusesFlexStartPriority() {
    assertOne(
        violations("spot: false", "flexStart: {enabled: true}"),
        "Deployment/ml/vllm.ComputeClass/gpu-l4.spec.priorities[0].flexStart.enabled",
        "flex-start");
  }

  @Test
  void externalGatewaysAllowed_false_refusesGlobalExternalClass() {
    assertOne(
        violations("gke-l7-rilb", "gke-l7-global-external-managed"),
        "Gateway/ml/inference.spec.gatewayClassName",
        "external GatewayClass");
  }

  @Test
  void maxHourlyUsd_fiveReplicasOfL4_isAboveBudget() {
    PolicySet set = PolicySet.of("t", List.of(PolicyRules.maxHourlyUsd(3.0, PRICES)));
    // 1 device x 5 replicas x 0.70 = 3.50 > 3.00
    List<Violation> found = set.check(bundle(BUNDLE.replace("maxReplicas: 4", "maxReplicas: 5")));
    assertOne(found, "Deployment/ml/vllm.estimatedUsdPerHour", "budget of 3.00");
    assertThat(found.get(0).rejectedValue()).isEqualTo("3.50");
    assertThat(found.get(0).message()).contains("estimate");
  }

  @Test
  void maxHourlyUsd_unknownPrice_warns() {
    PolicySet set = PolicySet.of("t", List.of(PolicyRules.maxHourlyUsd(3.0, PRICES)));
    List<Violation> found = set.check(bundle(BUNDLE.replace("type: nvidia-l4", "type: tpu-v6e")));
    assertThat(found).singleElement().extracting(Violation::severity).isEqualTo(Severity.WARNING);
  }

  @Test
  void withSeverity_warning_reportsRuleFindingsAsWarnings() {
    PolicySet set =
        PolicySet.of("t", List.of(PolicyRules.maxReplicas(1).withSeverity(Severity.WARNING)));
    List<Violation> found = set.check(bundle(BUNDLE));
    assertThat(found).singleElement().extracting(Violation::severity).isEqualTo(Severity.WARNING);
    set.enforce(bundle(BUNDLE)); // warnings alone do not throw
  }

  @Test
  void customRule_inJava_reportsWithItsPath() {
    Policy costCenterFormat =
        Policy.of(
            "costCenterFormat",
            (b, v) -> {
              for (ServedWorkload w : ServedWorkload.all(b)) {
                String cc = w.labels().getOrDefault("cost-center", "");
                v.at(w.path())
                    .require(
                        cc.matches("cc-[0-9]{3}"),
                        "metadata.labels[cost-center]",
                        cc,
                        "must be cc-<3 digits>");
              }
            });
    List<Violation> found = PolicySet.of("t", List.of(costCenterFormat)).check(bundle(BUNDLE));
    assertOne(found, "Deployment/ml/vllm.metadata.labels[cost-center]", "cc-<3 digits>");
    assertThat(costCenterFormat.name()).isEqualTo("costCenterFormat");
  }

  @Test
  void region_ofZoneAndRegion() {
    assertThat(PolicyRules.region("us-central1-a")).isEqualTo("us-central1");
    assertThat(PolicyRules.region("us-central1")).isEqualTo("us-central1");
  }
}
