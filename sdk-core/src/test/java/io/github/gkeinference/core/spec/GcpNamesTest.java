package io.github.gkeinference.core.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.gkeinference.core.validate.Violation;
import io.github.gkeinference.core.validate.Violations;
import org.junit.jupiter.api.Test;

class GcpNamesTest {

  @Test
  void checkServiceAccountEmail_acceptsAnAccountOfSixToThirtyCharacters() {
    Violations v = Violations.root();

    GcpNames.checkServiceAccountEmail(v, "a", "vllm-server@my-project.iam.gserviceaccount.com");
    GcpNames.checkServiceAccountEmail(v, "b", "abcdef@example-project-12.iam.gserviceaccount.com");

    assertThat(v.all()).isEmpty();
  }

  @Test
  void checkServiceAccountEmail_rejectsEachBadEmail_atItsPath() {
    Violations v = Violations.root();

    // an account id shorter than 6 characters, an upper-case one, another domain, no domain
    GcpNames.checkServiceAccountEmail(v, "short", "obi@my-project.iam.gserviceaccount.com");
    GcpNames.checkServiceAccountEmail(v, "upper", "VllmServer@my-project.iam.gserviceaccount.com");
    GcpNames.checkServiceAccountEmail(v, "domain", "vllm-server@example.com");
    GcpNames.checkServiceAccountEmail(v, "bare", "vllm-server");

    assertThat(v.all())
        .extracting(Violation::path)
        .containsExactly("short", "upper", "domain", "bare");
    assertThat(v.all())
        .allSatisfy(x -> assertThat(x.message()).contains("name@project.iam.gserviceaccount.com"));
  }
}
