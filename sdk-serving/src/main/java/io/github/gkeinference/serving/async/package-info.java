/** Asynchronous inference: a Pub/Sub subscriber worker in front of a model server. */
@NullMarked
package io.github.gkeinference.serving.async;

import org.jspecify.annotations.NullMarked;
