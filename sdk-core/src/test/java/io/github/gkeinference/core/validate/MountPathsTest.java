package io.github.gkeinference.core.validate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MountPathsTest {
  @ParameterizedTest
  @ValueSource(strings = {"/", "/etc", "/etc/", "/proc", "/proc/1", "/sys/fs", "/dev", "/usr"})
  void check_systemFolder_isOneErrorAtTheField(String path) {
    Violations v = Violations.root("spec");

    MountPaths.check(v, "mountPath", path);

    assertThat(v.all()).singleElement().extracting(Violation::path).isEqualTo("spec.mountPath");
    assertThat(v.all().get(0).message()).contains("system folder");
  }

  @ParameterizedTest
  @ValueSource(strings = {"data", "/a/../etc", "/a:b", "/a//b"})
  void check_malformedPath_isAnError(String path) {
    Violations v = Violations.root();

    MountPaths.check(v, "mountPath", path);

    assertThat(v.all())
        .singleElement()
        .extracting(Violation::message)
        .asString()
        .contains("absolute");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/data", "/models/llama", "/dev/shm", "/etc/config", "/tmp"})
  void check_ordinaryPath_isFine(String path) {
    Violations v = Violations.root();

    assertThat(MountPaths.check(v, "mountPath", path)).isTrue();
    assertThat(v.all()).isEmpty();
  }

  @Test
  void checkChosen_underDev_isAnError_becauseTheSdkMountsSharedMemoryThere() {
    Violations v = Violations.root("source");

    MountPaths.checkChosen(v, "mountPath", "/dev/shm");

    assertThat(v.all()).singleElement().extracting(Violation::path).isEqualTo("source.mountPath");
    assertThat(v.all().get(0).message()).contains("/dev/shm");
  }

  @Test
  void checkContainer_duplicatePath_isOneErrorAtTheSecondMount() {
    Violations v = Violations.root("c");

    MountPaths.checkContainer(v, List.of("/dev/shm", "/models", "/dev/shm/"));

    assertThat(v.all())
        .singleElement()
        .extracting(Violation::path)
        .isEqualTo("c.volumeMounts[2].mountPath");
    assertThat(v.all().get(0).message()).contains("volumeMounts[0]");
  }
}
