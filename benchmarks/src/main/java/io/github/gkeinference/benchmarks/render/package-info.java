/** Benchmarks of the render and emit steps: the whole model catalog on every GPU. */
@NullMarked
package io.github.gkeinference.benchmarks.render;

import org.jspecify.annotations.NullMarked;
