package io.github.gkeinference.samples;

import io.github.gkeinference.core.render.RenderedSet;
import io.github.gkeinference.core.render.WorkloadFacts;
import io.github.gkeinference.observability.ModelServer;
import io.github.gkeinference.observability.scrape.ScrapeConfigs;
import java.util.Optional;

/** The Managed Prometheus scrape of every model server a sample renders. */
final class SampleScrapes {
  private SampleScrapes() {}

  /**
   * Returns the set plus, for each of its workloads whose server has a scrape preset (vLLM on GPU
   * or TPU, JetStream), the PodMonitoring {@link ScrapeConfigs#modelServer} renders from the
   * workload's typed facts: its pods, its metrics port and path.
   *
   * @param set a sample's rendered set
   * @return the set with one PodMonitoring per model server
   */
  static RenderedSet withPodMonitorings(RenderedSet set) {
    RenderedSet out = set;
    for (WorkloadFacts w : set.workloads()) {
      Optional<ModelServer> server =
          w.server().flatMap(ModelServer::fromLabel).filter(ScrapeConfigs::hasPreset);
      if (server.isPresent()) {
        out = out.plus(RenderedSet.of(ScrapeConfigs.modelServer(server.get(), w)));
      }
    }
    return out;
  }
}
