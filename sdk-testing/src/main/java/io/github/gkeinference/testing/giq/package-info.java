/** An in-process fake of GKE Inference Quickstart ({@code google.cloud.gkerecommender.v1}). */
@NullMarked
package io.github.gkeinference.testing.giq;

import org.jspecify.annotations.NullMarked;
