package io.github.gkeinference.serving.validate;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.github.gkeinference.core.emit.YamlDocuments;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.validate.Severity;
import io.github.gkeinference.core.validate.Violation;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The bundle rules on foreign YAML (manifests the SDK did not render): each test changes one thing
 * in a consistent bundle and expects exactly one finding, at its path.
 */
class BundleValidatorForeignTest {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final String DEPLOYMENT = "Deployment/ml/llm";
  private static final String POD = DEPLOYMENT + ".spec.template";
  private static final String CONTAINER = POD + ".spec.containers[0]";

  /** A consistent vLLM bundle: Deployment (TP 2 on 2 GPUs), its Service and its PDB. */
  private static final String BUNDLE =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: llm, namespace: ml}
      spec:
        selector: {matchLabels: {app: llm}}
        template:
          metadata: {labels: {app: llm, inference-server: vllm}}
          spec:
            containers:
            - name: server
              image: vllm/vllm-openai:v0.11.2
              args: [--model=meta-llama/Llama-3.1-8B-Instruct, --tensor-parallel-size=2]
              ports: [{name: http, containerPort: 8000}]
              startupProbe: {httpGet: {path: /health, port: 8000}, periodSeconds: 10, failureThreshold: 60}
              resources: {requests: {nvidia.com/gpu: "2"}, limits: {nvidia.com/gpu: "2"}}
              volumeMounts: [{name: dshm, mountPath: /dev/shm}]
            volumes: [{name: dshm, emptyDir: {medium: Memory}}]
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: llm, namespace: ml}
      spec:
        selector: {app: llm}
        ports: [{name: http, port: 80, targetPort: http}, {name: metrics, port: 8000}]
      ---
      apiVersion: policy/v1
      kind: PodDisruptionBudget
      metadata: {name: llm, namespace: ml}
      spec:
        maxUnavailable: 1
        selector: {matchLabels: {app: llm}}
      """;

  private static List<Violation> validate(String yaml) {
    RenderedSet.Builder b = RenderedSet.builder();
    for (JsonNode doc : YamlDocuments.read(yaml)) {
      b.add((HasMetadata) SERIALIZATION.unmarshal(doc.toString()));
    }
    return BundleValidator.validate(b.build());
  }

  private static Violation only(String yaml) {
    List<Violation> found = validate(yaml);
    assertThat(found).as(found.toString()).hasSize(1);
    return found.get(0);
  }

  @Test
  void consistentForeignBundle_findsNothing() {
    assertThat(validate(BUNDLE)).isEmpty();
  }

  @Test
  void startupBudget_belowTheLoadOfACatalogModel_isAWarning_withoutAnySdkAnnotation() {
    Violation v =
        only(
            BUNDLE
                .replace("Llama-3.1-8B-Instruct", "Llama-3.3-70B-Instruct")
                .replace("failureThreshold: 60", "failureThreshold: 3"));

    assertThat(v.path()).isEqualTo(CONTAINER + ".startupProbe");
    assertThat(v.severity()).isEqualTo(Severity.WARNING);
    assertThat(v.message()).contains("optimistic estimate", "GB");
  }

  @Test
  void tpuTopology_withMoreChipsThanRequested_isAnError() {
    String tpu =
        BUNDLE
            .replace("--tensor-parallel-size=2", "--tensor-parallel-size=4")
            .replace("nvidia.com/gpu: \"2\"", "google.com/tpu: \"4\"")
            .replace(
                "    containers:\n",
                "    nodeSelector: {cloud.google.com/gke-tpu-accelerator: tpu-v6e-slice,"
                    + " cloud.google.com/gke-tpu-topology: 2x4}\n      containers:\n");

    Violation v = only(tpu);

    assertThat(v.path()).isEqualTo(POD + ".spec.nodeSelector[cloud.google.com/gke-tpu-topology]");
    assertThat(v.message()).contains("has 8 chips", "request 4");
    assertThat(validate(tpu.replace("2x4", "2x2"))).isEmpty();
  }

  @Test
  void serviceTargetPort_notExposedByThePod_isAnError() {
    Violation v =
        only(BUNDLE.replace("{name: metrics, port: 8000}", "{name: metrics, port: 9090}"));

    assertThat(v.path()).isEqualTo("Service/ml/llm.spec.ports[1].targetPort");
    assertThat(v.rejectedValue()).isEqualTo("9090");
  }

  @Test
  void serviceNamedTargetPort_notExposedByThePod_isAnError() {
    Violation v = only(BUNDLE.replace("targetPort: http", "targetPort: grpc"));

    assertThat(v.path()).isEqualTo("Service/ml/llm.spec.ports[0].targetPort");
  }

  @Test
  void duplicateMountPath_isAnError() {
    Violation v =
        only(
            BUNDLE.replace(
                "volumeMounts: [{name: dshm, mountPath: /dev/shm}]",
                "volumeMounts: [{name: dshm, mountPath: /dev/shm}, {name: cache, mountPath: /dev/shm}]"));

    assertThat(v.path()).isEqualTo(CONTAINER + ".volumeMounts[1].mountPath");
  }

  @Test
  void mountOverEtc_isAnError() {
    Violation v = only(BUNDLE.replace("mountPath: /dev/shm", "mountPath: /etc"));

    assertThat(v.path()).isEqualTo(CONTAINER + ".volumeMounts[0].mountPath");
  }

  @Test
  void gpuRequest_differentFromItsLimit_isAnError() {
    Violation v =
        only(
            BUNDLE.replace(
                "requests: {nvidia.com/gpu: \"2\"}", "requests: {nvidia.com/gpu: \"1\"}"));

    assertThat(v.path()).isEqualTo(CONTAINER + ".resources.requests[nvidia.com/gpu]");
    assertThat(v.message()).contains("must equal its limit");
  }

  @Test
  void pdb_selectingNothing_isAnError() {
    Violation v =
        only(
            BUNDLE
                .replace(
                    "selector: {matchLabels: {app: llm}}\n", "selector: {matchLabels: {app: lm}}\n")
                .replace(
                    "  selector: {matchLabels: {app: lm}}\n  template",
                    "  selector: {matchLabels: {app: llm}}\n  template"));

    assertThat(v.path()).isEqualTo("PodDisruptionBudget/ml/llm.spec.selector");
  }

  @Test
  void pdb_matchExpressions_areEvaluated() {
    String notIn =
        BUNDLE.replace(
            "  maxUnavailable: 1\n  selector: {matchLabels: {app: llm}}",
            "  maxUnavailable: 1\n  selector: {matchExpressions: [{key: app, operator: NotIn, values: [llm]}]}");

    assertThat(only(notIn).path()).isEqualTo("PodDisruptionBudget/ml/llm.spec.selector");
    assertThat(validate(notIn.replace("NotIn", "In"))).isEmpty();
  }

  @Test
  void tensorParallelism_insideShC_isCompared() {
    Violation v =
        only(
            BUNDLE.replace(
                "args: [--model=meta-llama/Llama-3.1-8B-Instruct, --tensor-parallel-size=2]",
                "command: [sh, -c, 'vllm serve meta-llama/Llama-3.1-8B-Instruct --tensor-parallel-size 4']"));

    assertThat(v.path()).isEqualTo(DEPLOYMENT + ".resources.limits");
    assertThat(v.message()).contains("(2)", "(4 x 1)");
  }

  @Test
  void tensorParallelism_asShortOption_isCompared() {
    Violation v = only(BUNDLE.replace("--tensor-parallel-size=2]", "-tp, \"4\"]"));

    assertThat(v.path()).isEqualTo(DEPLOYMENT + ".resources.limits");
    assertThat(v.message()).contains("(4 x 1)");
  }

  @Test
  void tensorParallelism_fromAConfigMapVariable_isCompared() {
    Violation v =
        only(
            BUNDLE.replace(
                    "--tensor-parallel-size=2]",
                    "\"--tensor-parallel-size=$(TP)\"]\n        envFrom: [{configMapRef: {name: serving}}]")
                + "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: serving, namespace: ml}\ndata: {TP: \"4\"}\n");

    assertThat(v.path()).isEqualTo(DEPLOYMENT + ".resources.limits");
    assertThat(v.message()).contains("(4 x 1)");
  }

  @Test
  void unresolvableVariable_isAWarningAtItsArgument() {
    Violation v =
        only(BUNDLE.replace("--tensor-parallel-size=2]", "\"--tensor-parallel-size=$(TP)\"]"));

    assertThat(v.severity()).isEqualTo(Severity.WARNING);
    assertThat(v.path()).isEqualTo(CONTAINER + ".args[1]");
    assertThat(v.message()).contains("not defined");
  }

  @Test
  void vllmFlag_theImagesReleaseLacks_isOneErrorAtTheArgument() {
    // --logging-config is in the v0.32.0 docs and not in v0.11.2 (the release table)
    String bundle =
        BUNDLE.replace(
            "--tensor-parallel-size=2]",
            "--tensor-parallel-size=2, --logging-config.formatter=json]");

    Violation v = only(bundle);

    assertThat(v.severity()).isEqualTo(Severity.ERROR);
    assertThat(v.path()).isEqualTo(CONTAINER + ".args[2]");
    assertThat(v.message()).contains("vLLM 0.11.2", "--logging-config", "0.32.0");
    // the same flag on a release that has it is fine
    assertThat(validate(bundle.replace("vllm-openai:v0.11.2", "vllm-openai:v0.32.0"))).isEmpty();
  }

  @Test
  void vllmImage_whoseTagNamesNoRelease_isAWarning() {
    Violation v = only(BUNDLE.replace("vllm-openai:v0.11.2", "vllm-openai:latest"));

    assertThat(v.severity()).isEqualTo(Severity.WARNING);
    assertThat(v.path()).isEqualTo(CONTAINER + ".image");
    assertThat(v.message()).contains("names no vLLM release");
  }

  @Test
  void otherImagesThatRunVllm_areNotCheckedAgainstVllmReleases() {
    // llm-d's image carries llm-d's version, not vLLM's
    assertThat(
            validate(
                BUNDLE
                    .replace("vllm/vllm-openai:v0.11.2", "ghcr.io/llm-d/llm-d-cuda:v0.5.0")
                    .replace(
                        "--tensor-parallel-size=2]",
                        "--tensor-parallel-size=2, --logging-config.formatter=json]")))
        .isEmpty();
  }
}
