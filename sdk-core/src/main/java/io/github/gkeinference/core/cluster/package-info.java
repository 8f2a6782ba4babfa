/**
 * GKE clusters for inference: the cluster spec with its presets and rules, rendered as a {@code
 * com.google.container.v1.Cluster}, and the provisioner that creates and updates it through the GKE
 * API.
 */
@NullMarked
package io.github.gkeinference.core.cluster;

import org.jspecify.annotations.NullMarked;
