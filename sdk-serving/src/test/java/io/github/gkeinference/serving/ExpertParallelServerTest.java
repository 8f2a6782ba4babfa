package io.github.gkeinference.serving;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.render.WorkloadFacts;
import io.github.gkeinference.core.spec.RenderableSpec;
import io.github.gkeinference.core.spec.SpecFiles;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violation;
import io.github.gkeinference.core.validate.Violations;
import io.github.gkeinference.serving.crd.LeaderWorkerSet;
import io.github.gkeinference.serving.validate.BundleValidator;
import io.github.gkeinference.serving.vllm.ExpertParallel;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Wide expert parallelism on a LeaderWorkerSet: {@link MultiHostServer#expertParallel()}. */
class ExpertParallelServerTest {
  private static final String DEEPSEEK = "deepseek-ai/DeepSeek-R1";

  private static VllmServer.Builder server(String model) {
    return VllmServer.builder()
        .name("deepseek-r1")
        .namespace("inference")
        .modelId(model)
        .placement(p -> p.accelerator("nvidia-h200-141gb").devices(8));
  }

  /** DeepSeek-R1 on two a3-ultragpu-8g machines: 16 data-parallel ranks of one GPU each, EP16. */
  private static MultiHostServer deepSeek(Consumer<ExpertParallel.Builder> ep) {
    ExpertParallel.Builder b = ExpertParallel.builder().dataParallelism(16);
    ep.accept(b);
    return MultiHostServer.builder()
        .server(server(DEEPSEEK).build())
        .nodes(2)
        .expertParallel(b.build())
        .build();
  }

  private static LeaderWorkerSet lws(RenderedSet set) {
    return set.find(LeaderWorkerSet.class, "deepseek-r1").orElseThrow();
  }

  private static List<Container> containers(RenderedSet set) {
    LeaderWorkerSet.Template t = lws(set).spec().leaderWorkerTemplate();
    return List.of(
        t.leaderTemplate().getSpec().getContainers().get(0),
        t.workerTemplate().getSpec().getContainers().get(0));
  }

  private static List<String> paths(Runnable build) {
    try {
      build.run();
    } catch (SdkValidationException e) {
      return e.violations().stream().map(Violation::path).toList();
    }
    throw new AssertionError("the spec was accepted");
  }

  @Test
  void render_everyPod_runsItsEightRanksOfSixteen() {
    RenderedSet set = deepSeek(ep -> {}).render();

    assertThat(lws(set).spec().leaderWorkerTemplate().size()).isEqualTo(2);
    for (Container c : containers(set)) {
      assertThat(c.getArgs())
          .contains(
              "--tensor-parallel-size=1",
              "--data-parallel-size=16",
              "--data-parallel-size-local=8",
              "--data-parallel-address=$(LWS_LEADER_ADDRESS)",
              "--data-parallel-rpc-port=5555",
              "--data-parallel-hybrid-lb",
              "--enable-expert-parallel")
          .noneMatch(a -> a.startsWith("--pipeline-parallel-size"))
          .noneMatch(a -> a.startsWith("--distributed-executor-backend"))
          .doesNotContain("--tensor-parallel-size=8");
      // the pod's first rank: its index in the group (leader 0, worker 1) times its 8 ranks
      assertThat(c.getCommand().get(2))
          .endsWith("--data-parallel-start-rank=$((GROUP_WORKER_INDEX * 8))")
          .doesNotContain("multi-node-serving.sh");
      EnvVar index =
          c.getEnv().stream()
              .filter(e -> e.getName().equals("GROUP_WORKER_INDEX"))
              .findFirst()
              .orElseThrow();
      assertThat(index.getValueFrom().getFieldRef().getFieldPath())
          .isEqualTo("metadata.labels['leaderworkerset.sigs.k8s.io/worker-index']");
      // every pod serves the API for its ranks, so every pod keeps the HTTP probes
      assertThat(c.getReadinessProbe().getHttpGet()).isNotNull();
    }
  }

  @Test
  void render_defaultImageV0112_setsTheAllToAllBackendByVariable() {
    // vLLM 0.11.2 (the default image) predates --all2all-backend
    RenderedSet set = deepSeek(ep -> ep.all2allBackend("deepep_low_latency")).render();

    for (Container c : containers(set)) {
      assertThat(c.getArgs()).noneMatch(a -> a.startsWith("--all2all-backend"));
      assertThat(c.getEnv())
          .anyMatch(
              e ->
                  e.getName().equals("VLLM_ALL2ALL_BACKEND")
                      && e.getValue().equals("deepep_low_latency"));
    }
  }

  @Test
  void render_imageV0120_setsTheAllToAllBackendByFlag() {
    MultiHostServer spec =
        MultiHostServer.builder()
            .server(server(DEEPSEEK).image("vllm/vllm-openai:v0.12.0").build())
            .nodes(2)
            .expertParallel(e -> e.dataParallelism(16).all2allBackend("deepep_low_latency"))
            .build();

    for (Container c : containers(spec.render())) {
      assertThat(c.getArgs()).contains("--all2all-backend=deepep_low_latency");
      assertThat(c.getEnv()).noneMatch(e -> e.getName().equals("VLLM_ALL2ALL_BACKEND"));
    }
  }

  @Test
  void render_serviceSelectsEveryPodAndTheFactsCountTheRanks() {
    RenderedSet set = deepSeek(ep -> {}).render();

    Service service = set.find(Service.class, "deepseek-r1").orElseThrow();
    assertThat(service.getSpec().getSelector())
        .doesNotContainKey(MultiHostServer.ROLE_LABEL)
        .containsAllEntriesOf(deepSeek(ep -> {}).server().selectorLabels());
    WorkloadFacts facts = set.workloads().get(0);
    assertThat(facts.tensorParallelism()).hasValue(1);
    assertThat(facts.dataParallelism()).hasValue(16);
    assertThat(facts.podsPerGroup()).isEqualTo(2);
    // every pod serves its ranks: monitoring selects all pods of the set, not the leaders only
    assertThat(facts.podSelector())
        .containsExactly(Map.entry(LeaderWorkerSet.NAME_LABEL, "deepseek-r1"));
    // 8 GPUs per pod x 2 pods = TP 1 x PP 1 x DP 16
    assertThat(BundleValidator.validate(set)).isEmpty();
  }

  @Test
  void render_twoNodeH200DeepSeek_matchesGoldenAndIsSchemaValid() {
    BundleAssertions.assertBundle(
        deepSeek(ep -> ep.all2allBackend("deepep_low_latency")).render(),
        "multihost/h200-2x8-deepseek-r1-ep16.yaml");
  }

  @Test
  void render_redundantExperts_enablesTheLoadBalancer() {
    // (256 + 32) / 16 = 18 experts per GPU
    RenderedSet set = deepSeek(ep -> ep.redundantExperts(32)).render();

    assertThat(containers(set).get(0).getArgs())
        .contains("--enable-eplb", "--eplb-config={\"num_redundant_experts\":32}");
  }

  @Test
  void build_denseModel_isOneViolationAtTheModel() {
    assertThat(
            paths(
                () ->
                    MultiHostServer.builder()
                        .server(server("meta-llama/Llama-3.1-405B-Instruct").build())
                        .nodes(2)
                        .expertParallel(e -> e.dataParallelism(16))
                        .build()))
        .containsExactly("server.modelId");
  }

  @Test
  void build_ranksTimesTensorParallelismNotTheGroupsGpus_isOneViolation() {
    // 8 ranks of one GPU on 2 x 8 GPUs
    assertThat(paths(() -> deepSeek(ep -> ep.dataParallelism(8))))
        .containsExactly("expertParallel.dataParallelism");
  }

  @Test
  void build_tensorParallelismNotDividingAMachine_isOneViolation() {
    // 6 machines x 8 GPUs = 48 = 16 ranks x TP 3, but 3 does not divide a machine's 8 GPUs
    assertThat(
            paths(
                () ->
                    MultiHostServer.builder()
                        .server(server(DEEPSEEK).build())
                        .nodes(6)
                        .expertParallel(e -> e.dataParallelism(16).tensorParallelism(3))
                        .build()))
        .containsExactly("expertParallel.tensorParallelism");
  }

  @Test
  void build_redundantExpertsNotDividingEvenly_isOneViolation() {
    // (256 + 8) % 16 = 8: vLLM's load balancer needs an even split
    assertThat(paths(() -> deepSeek(ep -> ep.redundantExperts(8))))
        .containsExactly("expertParallel.redundantExperts");
  }

  @Test
  void build_expertParallelValues_eachRejectedAtItsPath() {
    assertThat(paths(() -> ExpertParallel.builder().dataParallelism(1).build()))
        .containsExactly("dataParallelism");
    assertThat(
            paths(() -> ExpertParallel.builder().dataParallelism(2).all2allBackend("pplx").build()))
        .containsExactly("all2allBackend");
    assertThat(paths(() -> ExpertParallel.builder().dataParallelism(2).rpcPort(70000).build()))
        .containsExactly("rpcPort");
    assertThat(
            paths(() -> ExpertParallel.builder().dataParallelism(2).redundantExperts(-1).build()))
        .containsExactly("redundantExperts");
  }

  @Test
  void validate_modelOutsideTheCatalog_warnsOnce() {
    MultiHostServer spec =
        MultiHostServer.builder()
            .server(server("example/unknown-moe").build())
            .nodes(2)
            .expertParallel(e -> e.dataParallelism(16))
            .build();
    Violations v = Violations.root();

    spec.validate(v);

    assertThat(v.all()).extracting(Violation::path).containsExactly("server.modelId");
    assertThat(v.all()).allMatch(x -> !x.isError());
  }

  @Test
  void render_withoutExpertParallel_isUnchanged() {
    // the Ray layout keeps its leader-only Service and its pipeline stages
    RenderedSet set = MultiHostServerTest.llama405b().render();
    PodTemplateSpec leader =
        set.find(LeaderWorkerSet.class, "llama-3-1-405b")
            .orElseThrow()
            .spec()
            .leaderWorkerTemplate()
            .leaderTemplate();
    assertThat(leader.getSpec().getContainers().get(0).getArgs())
        .contains("--tensor-parallel-size=8", "--pipeline-parallel-size=2")
        .noneMatch(a -> a.startsWith("--data-parallel"));
    assertThat(set.workloads().get(0).dataParallelism()).isEmpty();
  }

  @Test
  void read_specFile_givesTheSameSpecAsTheBuilder() {
    String yaml =
        """
        kind: MultiHostServer
        spec:
          nodes: 2
          server:
            name: deepseek-r1
            namespace: inference
            modelId: deepseek-ai/DeepSeek-R1
            placement: {accelerator: nvidia-h200-141gb, devices: 8}
          expertParallel:
            dataParallelism: 16
            all2allBackend: deepep_low_latency
        """;

    List<RenderableSpec> specs = SpecFiles.standard().read(yaml);

    assertThat(specs).containsExactly(deepSeek(ep -> ep.all2allBackend("deepep_low_latency")));
  }
}
