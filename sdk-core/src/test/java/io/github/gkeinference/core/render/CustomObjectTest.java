package io.github.gkeinference.core.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.github.gkeinference.core.emit.ManifestYaml;
import java.util.List;
import org.junit.jupiter.api.Test;

class CustomObjectTest {

  /** A custom resource as a module would declare one. */
  public static final class Widget extends CustomObject<Widget.Spec> implements Namespaced {
    private static final long serialVersionUID = 1L;

    /** For Jackson. */
    public Widget() {
      super("example.com/v1", "Widget");
    }

    Widget(String name, Spec spec) {
      super("example.com/v1", "Widget", new ObjectMetaBuilder().withName(name).build(), spec);
    }

    /** The spec. */
    public record Spec(int size, List<String> tags) implements java.io.Serializable {}
  }

  @Test
  void renderedSet_copiesTheSubclass_andYamlHasTheFixedFieldOrderWithoutNulls() {
    Widget w = new Widget("w", new Widget.Spec(3, List.of("a")));
    RenderedSet set = RenderedSet.of(w);
    Widget copy = set.find(Widget.class, "w").orElseThrow();
    assertThat(copy).isNotSameAs(w).isEqualTo(w);
    assertThat(copy.spec().tags()).containsExactly("a");
    assertThat(ManifestYaml.toYaml(new Widget("w", null)))
        .isEqualTo("apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n");
  }

  @Test
  void setKind_rejectsAnotherKind_andSpecFailsBeforeItIsSet() {
    Widget w = new Widget();
    w.setKind("Widget");
    assertThatThrownBy(() -> w.setKind("Gadget")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(w::spec).isInstanceOf(NullPointerException.class);
    assertThat(w).isNotEqualTo(new Widget("w", new Widget.Spec(1, List.of())));
    assertThat(new Widget("w", null)).hasToString("Widget/w");
  }
}
