/** The GKE GPU and TPU catalog: label values, device memory, machine types and TPU topologies. */
@NullMarked
package io.github.gkeinference.accelerators.catalog;

import org.jspecify.annotations.NullMarked;
