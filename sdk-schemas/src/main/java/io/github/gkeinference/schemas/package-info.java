/**
 * The official schemas of every Kubernetes kind the SDK renders or reads, bundled as resources, and
 * a strict validator over them.
 */
@NullMarked
package io.github.gkeinference.schemas;

import org.jspecify.annotations.NullMarked;
