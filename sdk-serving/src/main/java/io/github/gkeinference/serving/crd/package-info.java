/**
 * Typed classes for the custom resources the serving module renders (InferencePool,
 * InferenceObjective, LeaderWorkerSet, JobSet and the GKE gateway policies), holding only the
 * fields the SDK writes.
 */
@NullMarked
package io.github.gkeinference.serving.crd;

import org.jspecify.annotations.NullMarked;
