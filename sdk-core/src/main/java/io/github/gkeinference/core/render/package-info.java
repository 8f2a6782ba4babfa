/**
 * The render step's output: an ordered, immutable set of Kubernetes objects and Google Cloud API
 * resources that the emit step writes or applies.
 */
@NullMarked
package io.github.gkeinference.core.render;

import org.jspecify.annotations.NullMarked;
