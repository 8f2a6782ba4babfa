package io.github.gkeinference.samples.cli;

import com.google.api.cloudquotas.v1.CloudQuotasClient;
import com.google.api.serviceusage.v1.ServiceUsageClient;
import com.google.cloud.compute.v1.AcceleratorTypesClient;
import com.google.cloud.compute.v1.RegionsClient;
import com.google.cloud.container.v1.ClusterManagerClient;
import io.github.gkeinference.accelerators.preflight.Preflight;
import io.github.gkeinference.accelerators.preflight.PreflightRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The Google clients of {@code preflight}, created only when the command runs (so other commands
 * never load them), through Application Default Credentials. A client that cannot be created (no
 * credentials) is left out, and the rows that needed it say so.
 */
final class PreflightClients {
  private PreflightClients() {}

  /** Opens a client; may throw when there are no credentials. */
  private interface Opener<C> {
    C open() throws IOException;
  }

  /**
   * Creates the clients the request needs and a preflight over them.
   *
   * @param request the request (the GKE client only when the cluster is named without version)
   * @param opened receives every client created, for the caller to close
   * @return the preflight
   */
  static Preflight connect(PreflightRequest request, List<AutoCloseable> opened) {
    List<String> problems = new ArrayList<>();
    Preflight.Builder b = Preflight.builder();
    RegionsClient regions = open(RegionsClient::create, opened, problems);
    if (regions != null) {
      b.regions(regions);
    }
    AcceleratorTypesClient types = open(AcceleratorTypesClient::create, opened, problems);
    if (types != null) {
      b.acceleratorTypes(types);
    }
    CloudQuotasClient quotas = open(CloudQuotasClient::create, opened, problems);
    if (quotas != null) {
      b.cloudQuotas(quotas);
    }
    ServiceUsageClient usage = open(ServiceUsageClient::create, opened, problems);
    if (usage != null) {
      b.serviceUsage(usage);
    }
    if (request.clusterVersion().isEmpty() && request.clusterName().isPresent()) {
      ClusterManagerClient gke = open(ClusterManagerClient::create, opened, problems);
      if (gke != null) {
        b.clusterManager(gke);
      }
    }
    if (!problems.isEmpty()) {
      b.missingClientReason(
          "no client: " + problems.get(0) + " (gcloud auth application-default login)");
    }
    return b.build();
  }

  private static <C extends AutoCloseable> @org.jspecify.annotations.Nullable C open(
      Opener<C> opener, List<AutoCloseable> opened, List<String> problems) {
    try {
      C c = opener.open();
      opened.add(c);
      return c;
    } catch (IOException | RuntimeException e) {
      // the first sentence: "Your default credentials were not found."
      String m = String.valueOf(e.getMessage()).strip();
      int end = m.indexOf(". ");
      int nl = m.indexOf('\n');
      if (nl >= 0 && (end < 0 || nl < end)) {
        end = nl;
      }
      problems.add(end < 0 ? m : m.substring(0, end + (m.charAt(end) == '.' ? 1 : 0)));
      return null;
    }
  }
}
