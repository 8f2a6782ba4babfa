/**
 * GKE node pools ({@code com.google.container.v1.NodePool}) for GPUs and TPUs, with consistency
 * rules.
 */
@NullMarked
package io.github.gkeinference.accelerators.nodepool;

import org.jspecify.annotations.NullMarked;
