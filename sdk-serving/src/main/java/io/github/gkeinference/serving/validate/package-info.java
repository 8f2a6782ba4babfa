/**
 * Rules that span several rendered resources (selectors, ports, device counts, probes), checked
 * over a whole {@code RenderedSet}.
 */
@NullMarked
package io.github.gkeinference.serving.validate;

import org.jspecify.annotations.NullMarked;
