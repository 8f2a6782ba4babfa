/**
 * Where a model server gets its weights: the Hugging Face hub, a Cloud Storage FUSE mount, or
 * {@code gs://} streaming; plus the Job that copies a model from the hub to Cloud Storage.
 */
@NullMarked
package io.github.gkeinference.core.source;

import org.jspecify.annotations.NullMarked;
