package io.github.gkeinference.serving;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.github.gkeinference.core.iam.IamPolicyMember;
import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.render.WorkloadFacts;
import io.github.gkeinference.core.spec.RenderableSpec;
import io.github.gkeinference.core.spec.SdkStyle;
import io.github.gkeinference.core.validate.Violations;
import io.github.gkeinference.serving.crd.LeaderWorkerSet;
import io.github.gkeinference.serving.internal.ServerArgs;
import io.github.gkeinference.serving.vllm.ExpertParallel;
import io.github.gkeinference.serving.vllm.VllmFlags;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.immutables.value.Value;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * A vLLM server whose model spans several GPU machines, as a LeaderWorkerSet ({@code
 * leaderworkerset.x-k8s.io/v1}, https://cloud.google.com/kubernetes-engine/docs/concepts/tpus;
 * kubernetes-sigs/lws v0.10.0 pkg/utils/accelerators/tpu.go).
 *
 * <p>Each group is one leader and {@code nodes - 1} workers, one pod per machine. The pods form a
 * Ray cluster with the {@code multi-node-serving.sh} script of the vLLM image (as in the LWS vLLM
 * example); the leader then runs the OpenAI server with tensor parallelism over the GPUs of one
 * machine and pipeline parallelism over the machines, so the GPUs of a group always equal tensor x
 * pipeline parallelism. The Service, and an InferencePool through {@link #leaderSelectorLabels()},
 * select the leaders only.
 *
 * <p>{@link #server()} describes one machine: its placement is a whole machine's GPUs and its
 * tensor parallelism equals them.
 *
 * <p>With {@link #expertParallel()} (a mixture-of-experts model) the pods form no Ray cluster:
 * every pod runs {@code devices / expertParallel.tensorParallelism} data-parallel ranks of one vLLM
 * deployment whose MoE layers split the routed experts over all the group's GPUs, and serves the
 * API for its ranks ({@code --data-parallel-hybrid-lb}), as llm-d's wide-EP guide does; the Service
 * then selects every pod ({@link #servingSelectorLabels()}). See {@link ExpertParallel}.
 *
 * <pre>{@code
 * RenderedSet bundle = MultiHostServer.builder()
 *     .server(VllmServer.builder()
 *         .name("llama-405b")
 *         .modelId("meta-llama/Llama-3.1-405B-Instruct")
 *         .placement(p -> p.accelerator("nvidia-h100-80gb").devices(8))
 *         .build())
 *     .nodes(2)
 *     .build()
 *     .render();
 * }</pre>
 */
@Value.Immutable
@SdkStyle
@JsonDeserialize(as = ImmutableMultiHostServer.class)
public interface MultiHostServer extends RenderableSpec {
  /**
   * The Ray bootstrap script shipped in the vllm/vllm-openai image, used by the LWS vLLM example
   * ({@code examples/online_serving/multi-node-serving.sh}).
   */
  String RAY_SCRIPT = "/vllm-workspace/examples/online_serving/multi-node-serving.sh";

  /** The label that tells leaders from workers; the Service selects {@code leader}. */
  String ROLE_LABEL = "gkeinference.github.io/role";

  /** Returns a new builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Returns a builder initialised from this spec. */
  default Builder toBuilder() {
    return builder().from(this);
  }

  /** The server of one machine: model, source, image, flags and the machine's GPUs. */
  VllmServer server();

  /** Machines per group (the LWS size); at least 2. */
  int nodes();

  /** Groups (LWS replicas); default 1. */
  @Value.Default
  default int replicas() {
    return 1;
  }

  /**
   * Data and expert parallelism over the group's GPUs for a mixture-of-experts model, instead of
   * tensor x pipeline parallelism with Ray; empty by default.
   */
  Optional<ExpertParallel> expertParallel();

  /**
   * Returns the labels of the pods that serve the API, for a Service or an InferencePool: the
   * leaders ({@link #leaderSelectorLabels()}), or every pod of the server with {@link
   * #expertParallel()}.
   */
  default Map<String, String> servingSelectorLabels() {
    return expertParallel().isPresent() ? server().selectorLabels() : leaderSelectorLabels();
  }

  /** Returns the labels that select the leaders, for a Service or an InferencePool. */
  default Map<String, String> leaderSelectorLabels() {
    Map<String, String> labels = new LinkedHashMap<>(server().selectorLabels());
    labels.put(ROLE_LABEL, "leader");
    return labels;
  }

  /**
   * Checks every field at once.
   *
   * @throws io.github.gkeinference.core.validate.SdkValidationException listing every violation
   */
  @Value.Check
  default void check() {
    Violations v = Violations.root();
    v.require(nodes() >= 2, "nodes", nodes(), "must be at least 2; use VllmServer for one machine");
    v.require(replicas() >= 0, "replicas", replicas(), "must be zero or more");
    v.require(
        server().pipelineParallelism() == 1,
        "server.pipelineParallelism",
        server().pipelineParallelism(),
        "must be 1: pipeline parallelism is set to the number of nodes");
    expertParallel().ifPresent(ep -> ExpertParallelGroups.check(v, server(), nodes(), ep));
    v.throwIfErrors();
  }

  /**
   * Warns, with expert parallelism, when the model is not in the SDK's catalog (whether it has
   * experts is then unchecked).
   *
   * @param violations where the findings go
   */
  @Override
  default void validate(Violations violations) {
    if (expertParallel().isPresent()) {
      ExpertParallelGroups.validate(violations, server());
    }
  }

  /**
   * Renders the ServiceAccount, the LeaderWorkerSet, the leaders' Service and the pods'
   * NetworkPolicy.
   *
   * @return the rendered set
   */
  @Override
  default String kind() {
    return "MultiHostServer";
  }

  @Override
  default RenderedSet render() {
    VllmServer s = server();
    RenderedSet single = s.render();
    VllmRendering rendering = new VllmRendering(s);
    ServerArgs flags = rendering.flags();

    PodTemplateSpec leader = s.podTemplate();
    leader.getMetadata().getLabels().put(ROLE_LABEL, "leader");
    PodTemplateSpec worker = s.podTemplate();
    worker.getMetadata().getLabels().put(ROLE_LABEL, "worker");
    Optional<ExpertParallel> ep = expertParallel();
    if (ep.isPresent()) {
      ExpertParallelGroups.configure(s, ep.get(), flags, List.of(leader, worker));
    } else {
      flags.flag(VllmFlags.PIPELINE_PARALLEL_SIZE, nodes());
      flags.flag(VllmFlags.DISTRIBUTED_EXECUTOR_BACKEND, "ray");
      LeaderWorkerGroups.leader(leader, RAY_SCRIPT, flags.args());
      LeaderWorkerGroups.worker(worker, RAY_SCRIPT);
    }

    LeaderWorkerSet lws =
        LeaderWorkerGroups.leaderWorkerSet(
            s.name(),
            s.namespace(),
            new VllmRendering(s).labels(),
            Map.of(),
            replicas(),
            nodes(),
            leader,
            worker);

    RenderedSet.Builder out = RenderedSet.builder();
    out.add(single.find(ServiceAccount.class, s.name()).orElseThrow());
    // the server's read-only grant on its model bucket: leaders and workers run as its account
    single.kubernetesObjects().stream().filter(IamPolicyMember.class::isInstance).forEach(out::add);
    out.add(lws);
    ServerPod pod = rendering.serverPod();
    out.add(pod.service(servingSelectorLabels()));
    // leaders and workers: Ray or the data-parallel ranks between the pods of a group, clients
    // and the collector
    out.add(pod.networkPolicy());
    WorkloadFacts.Builder facts =
        rendering
            .facts(pod, LeaderWorkerSet.API_VERSION, LeaderWorkerSet.KIND)
            .podSelector(LeaderWorkerGroups.leaderPods(s.name()))
            .podLabels(leader.getMetadata().getLabels())
            .podsPerGroup(nodes())
            .flags(flags.modelled());
    if (ep.isPresent()) {
      // every pod serves the API and exports the metrics of its own ranks
      facts
          .podSelector(Map.of(LeaderWorkerSet.NAME_LABEL, s.name()))
          .tensorParallelism(ep.get().tensorParallelism())
          .pipelineParallelism(1)
          .dataParallelism(ep.get().dataParallelism());
    } else {
      facts.pipelineParallelism(nodes());
    }
    out.addWorkload(facts.build());
    return out.build();
  }

  /** The builder; setters are named after the attributes. */
  final class Builder extends ImmutableMultiHostServer.Builder {
    /**
     * Sets the expert parallelism built by {@code expertParallel}.
     *
     * @param expertParallel sets the data parallelism and the all-to-all backend
     * @return this builder
     */
    public Builder expertParallel(Consumer<ExpertParallel.Builder> expertParallel) {
      ExpertParallel.Builder b = ExpertParallel.builder();
      expertParallel.accept(b);
      return expertParallel(b.build());
    }
  }
}
