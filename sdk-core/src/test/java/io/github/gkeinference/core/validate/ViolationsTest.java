package io.github.gkeinference.core.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ViolationsTest {

  @Test
  void nestedViews_buildDottedAndIndexedPaths() {
    Violations root = Violations.root("serving");
    root.at("model").at("source").error("bucket", "My_Bucket", "must be a valid bucket name");
    root.at("containers", 2).error("image", "", "must not be empty");

    assertThat(root.all())
        .extracting(Violation::path)
        .containsExactly("serving.model.source.bucket", "serving.containers[2].image");
  }

  @Test
  void throwIfErrors_listsEveryViolationOnePerLine() {
    Violations v = Violations.root();
    v.require(false, "replicas", -1, "must be zero or more");
    v.require(true, "name", "ok", "never reported");
    v.require(false, "modelId", "", "must not be empty");

    assertThatThrownBy(v::throwIfErrors)
        .isInstanceOf(SdkValidationException.class)
        .hasMessage(
            "Invalid specification (2 errors):\n"
                + "  ERROR replicas: must be zero or more (rejected: -1)\n"
                + "  ERROR modelId: must not be empty (rejected: )");
  }

  @Test
  void throwIfErrors_withOnlyWarnings_doesNotThrow() {
    Violations v = Violations.root();
    v.warning("gpuMemoryUtilization", 0.99, "leaves no headroom");

    v.throwIfErrors();

    assertThat(v.hasErrors()).isFalse();
    assertThat(v.all()).singleElement().extracting(Violation::severity).isEqualTo(Severity.WARNING);
  }

  @Test
  void secretError_neverKeepsTheValue() {
    Violations v = Violations.root();
    v.secretError("hfToken", "must be a Secret reference, not a literal token");

    assertThatThrownBy(v::throwIfErrors)
        .isInstanceOf(SdkValidationException.class)
        .hasMessageContaining("hfToken")
        .hasMessageContaining("(rejected: ****)");
  }

  @Test
  void addAll_placesForeignPathsUnderThePrefix() {
    Violations v = Violations.root().at("accelerator");
    v.addAll(java.util.List.of(Violation.error("count", 3, "must be a power of two")));

    assertThat(v.all()).extracting(Violation::path).containsExactly("accelerator.count");
  }

  @Test
  void exception_exposesErrorsSeparately() {
    SdkValidationException e =
        new SdkValidationException(
            java.util.List.of(
                Violation.warning("a", 1, "questionable"), Violation.error("b", 2, "wrong")));

    assertThat(e.violations()).hasSize(2);
    assertThat(e.errors()).extracting(Violation::path).containsExactly("b");
    assertThat(e.getMessage()).startsWith("Invalid specification (1 error):");
  }
}
