package io.github.gkeinference.core.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.container.v1.Cluster;
import com.google.container.v1.ReleaseChannel;
import com.google.container.v1.ResourceLimit;
import io.github.gkeinference.core.validate.SdkValidationException;
import io.github.gkeinference.core.validate.Violation;
import java.util.Map;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class ClusterSpecProperties {

  @Property(tries = 200)
  void validSpecs_renderAndRoundTripKeyFields(@ForAll("validSpecs") ClusterSpec spec) {
    Cluster c = spec.cluster();

    assertThat(c.getName()).isEqualTo(spec.name());
    assertThat(c.getLocation()).isEqualTo(spec.location());
    assertThat(c.getAutopilot().getEnabled()).isEqualTo(spec.autopilot());
    assertThat(c.getReleaseChannel().getChannel()).isEqualTo(spec.releaseChannel());
    assertThat(c.getWorkloadIdentityConfig().getWorkloadPool())
        .isEqualTo(spec.workloadIdentity() ? spec.project() + ".svc.id.goog" : "");
    assertThat(c.getAddonsConfig().getGcsFuseCsiDriverConfig().getEnabled())
        .isEqualTo(spec.gcsFuseCsiDriver());
    assertThat(c.getAutoscaling().getEnableNodeAutoprovisioning())
        .isEqualTo(spec.nodeAutoProvisioning());
    Map<String, Long> limits =
        c.getAutoscaling().getResourceLimitsList().stream()
            .collect(Collectors.toMap(ResourceLimit::getResourceType, ResourceLimit::getMaximum));
    spec.acceleratorLimits().forEach((type, max) -> assertThat(limits).containsEntry(type, max));
    assertThat(c.getNodePoolsCount()).isEqualTo(spec.systemNodePool() ? 1 : 0);
    // the rendered spec survives a builder round trip unchanged
    assertThat(spec.toBuilder().build().cluster()).isEqualTo(c);
  }

  @Property(tries = 200)
  void invalidNames_produceViolationsOnly(@ForAll("invalidNames") String name) {
    assertThatThrownBy(
            () ->
                ClusterSpec.builder().project("my-project").name(name).location("us-east4").build())
        .isInstanceOfSatisfying(
            SdkValidationException.class,
            e ->
                assertThat(e.violations())
                    .extracting(Violation::path)
                    .containsExactly("cluster.name"));
  }

  @Property(tries = 100)
  void autopilotWithNapSettings_producesViolationsOnly(
      @ForAll("acceleratorLimits") Map<String, Long> limits) {
    assertThatThrownBy(
            () ->
                ClusterSpec.builder()
                    .project("my-project")
                    .name("ap")
                    .location("us-east4")
                    .autopilot(true)
                    .acceleratorLimits(limits)
                    .build())
        .isInstanceOfSatisfying(
            SdkValidationException.class,
            e ->
                assertThat(e.violations())
                    .extracting(Violation::path)
                    .containsExactly("cluster.acceleratorLimits"));
  }

  @Provide
  Arbitrary<ClusterSpec> validSpecs() {
    Arbitrary<String> names =
        Combinators.combine(
                Arbitraries.chars().range('a', 'z'),
                Arbitraries.strings()
                    .withCharRange('a', 'z')
                    .withChars('0', '9', '-')
                    .ofMaxLength(37),
                Arbitraries.chars().range('a', 'z'))
            .as((first, middle, last) -> first + middle + last);
    Arbitrary<String> regions =
        Arbitraries.of("us-east4", "us-central1", "europe-west4", "asia-southeast1");
    Arbitrary<ReleaseChannel.Channel> channels =
        Arbitraries.of(
            ReleaseChannel.Channel.RAPID,
            ReleaseChannel.Channel.REGULAR,
            ReleaseChannel.Channel.STABLE,
            ReleaseChannel.Channel.EXTENDED);
    return Combinators.combine(
            names,
            regions,
            Arbitraries.of(true, false),
            channels,
            acceleratorLimits(),
            Arbitraries.of(true, false),
            Arbitraries.of(true, false))
        .as(
            (name, region, autopilot, channel, limits, fuse, imageStreaming) -> {
              ClusterSpec.Builder b =
                  ClusterSpec.builder()
                      .project("proj-" + name.length() + "x")
                      .name(name)
                      .location(region)
                      .autopilot(autopilot)
                      .releaseChannel(channel)
                      .gcsFuseCsiDriver(fuse)
                      .workloadIdentity(fuse || imageStreaming)
                      .imageStreaming(imageStreaming);
              if (!autopilot) {
                b.acceleratorLimits(limits);
              }
              return b.build();
            });
  }

  @Provide
  Arbitrary<Map<String, Long>> acceleratorLimits() {
    return Arbitraries.maps(
            Arbitraries.of(ClusterSpec.REFERENCE_ACCELERATORS),
            Arbitraries.longs().between(1, 4096))
        .ofMinSize(1)
        .ofMaxSize(5);
  }

  @Provide
  Arbitrary<String> invalidNames() {
    return Arbitraries.oneOf(
        // starts with a digit or '-'
        Arbitraries.strings()
            .withCharRange('a', 'z')
            .ofMinLength(1)
            .ofMaxLength(10)
            .map(s -> "1" + s),
        Arbitraries.strings()
            .withCharRange('a', 'z')
            .ofMinLength(1)
            .ofMaxLength(10)
            .map(s -> "-" + s),
        // ends with '-'
        Arbitraries.strings()
            .withCharRange('a', 'z')
            .ofMinLength(1)
            .ofMaxLength(10)
            .map(s -> s + "-"),
        // holds an upper-case letter or '_'
        Arbitraries.strings()
            .withCharRange('a', 'z')
            .ofMinLength(1)
            .ofMaxLength(10)
            .map(s -> s + "X"),
        Arbitraries.strings()
            .withCharRange('a', 'z')
            .ofMinLength(1)
            .ofMaxLength(10)
            .map(s -> s + "_a"),
        // more than 40 characters
        Arbitraries.strings().withCharRange('a', 'z').ofMinLength(41).ofMaxLength(60),
        Arbitraries.just(""));
  }
}
