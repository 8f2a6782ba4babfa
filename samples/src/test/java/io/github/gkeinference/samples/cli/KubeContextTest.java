package io.github.gkeinference.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.gkeinference.testing.kubernetes.KubernetesTestServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code apply} and {@code diff} choose the cluster before any connection: the kubeconfig's current
 * context points at a loopback socket that nobody should reach (a connection would wait in its
 * accept queue, so a non-blocking accept after the command shows whether one was opened).
 */
class KubeContextTest {
  @TempDir Path tmp;
  private KubernetesTestServer k8s;
  private ServerSocketChannel trap;
  private Path kubeconfig;
  private Path manifests;

  @BeforeEach
  void start() throws IOException {
    k8s = KubernetesTestServer.start();
    trap = ServerSocketChannel.open();
    trap.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    trap.configureBlocking(false);
    int trapPort = ((InetSocketAddress) trap.getLocalAddress()).getPort();
    kubeconfig = tmp.resolve("kubeconfig");
    Files.writeString(
        kubeconfig,
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: prod
          cluster:
            server: http://127.0.0.1:%d
        - name: mock
          cluster:
            server: %s
        contexts:
        - name: prod
          context:
            cluster: prod
            user: u
        - name: mock
          context:
            cluster: mock
            user: u
        current-context: prod
        users:
        - name: u
          user:
            token: not-a-secret
        """
            .formatted(trapPort, k8s.client().getConfiguration().getMasterUrl()));
    manifests = tmp.resolve("online");
    assertThat(new CliRun().run("render", "online-inference-gpu", "--out", manifests.toString()))
        .isZero();
  }

  @AfterEach
  void stop() throws IOException {
    trap.close();
    k8s.close();
  }

  /** Returns how many connections reached the trap socket (each waits in its accept queue). */
  private int trapConnections() throws IOException {
    int n = 0;
    for (SocketChannel c = trap.accept(); c != null; c = trap.accept()) {
      c.close();
      n++;
    }
    return n;
  }

  @Test
  void applyAndDiff_unknownContext_exit2_withOneLine_andNoConnection() throws IOException {
    int requestsBefore = k8s.requests().size();
    for (String command : new String[] {"apply", "diff"}) {
      CliRun cli = new CliRun();

      int code =
          cli.run(
              command,
              manifests.toString(),
              "--kubeconfig",
              kubeconfig.toString(),
              "--context",
              "nope");

      assertThat(code).as(command).isEqualTo(GkeInferenceCli.INVALID);
      assertThat(cli.out()).as(command).isEmpty();
      assertThat(cli.err().lines())
          .as(command)
          .containsExactly(
              "error: unknown context 'nope' in kubeconfig "
                  + kubeconfig
                  + "; known contexts: [prod, mock]");
    }
    assertThat(trapConnections()).isZero();
    assertThat(k8s.requests()).hasSize(requestsBefore);
  }

  @Test
  void diff_namedContext_printsContextAndServer_andTalksOnlyToThatServer() throws IOException {
    CliRun cli = new CliRun();

    int code =
        cli.run(
            "diff",
            manifests.toString(),
            "--kubeconfig",
            kubeconfig.toString(),
            "--context",
            "mock");

    assertThat(code).as(cli.err()).isEqualTo(GkeInferenceCli.FINDINGS);
    assertThat(cli.err().lines())
        .containsExactly(
            "cluster: context mock, API server " + k8s.client().getConfiguration().getMasterUrl());
    assertThat(cli.out()).contains("to create");
    assertThat(k8s.requests()).isNotEmpty();
    assertThat(trapConnections()).isZero();
  }

  @Test
  void apply_binaryKubeconfig_exit2_withOneLine_andNoConnection() throws IOException {
    byte[] garbage = new byte[4096];
    new java.util.Random(21).nextBytes(garbage);
    Path binary = tmp.resolve("binary-kubeconfig");
    Files.write(binary, garbage);

    assertOneLineUsageError(binary, "error: kubeconfig " + binary + " cannot be read: ");
  }

  @Test
  void apply_malformedKubeconfig_exit2_withOneLine_andNoConnection() throws IOException {
    Path malformed = tmp.resolve("malformed-kubeconfig");
    Files.writeString(
        malformed,
        Files.readString(kubeconfig).replace("contexts:\n- name: prod", "contexts: 5\n- x"));

    assertOneLineUsageError(malformed, "error: kubeconfig " + malformed + " cannot be read: ");
  }

  @Test
  void apply_kubeconfigWithoutCurrentContext_exit2_beforeAnyConnection() throws IOException {
    Path noCurrent = tmp.resolve("no-current");
    Files.writeString(
        noCurrent, Files.readString(kubeconfig).replace("current-context: prod\n", ""));

    assertOneLineUsageError(
        noCurrent,
        "error: kubeconfig " + noCurrent + " has no current context; pass --context NAME");
  }

  private void assertOneLineUsageError(Path config, String prefix) throws IOException {
    CliRun cli = new CliRun();

    int code = cli.run("apply", manifests.toString(), "--kubeconfig", config.toString());

    assertThat(code).as(cli.err()).isEqualTo(GkeInferenceCli.INVALID);
    cli.assertOneErrorLine(prefix);
    assertThat(trapConnections()).isZero();
  }
}
