/** The emit step: deterministic YAML, manifest directories with a kustomization, and applying. */
@NullMarked
package io.github.gkeinference.core.emit;

import org.jspecify.annotations.NullMarked;
