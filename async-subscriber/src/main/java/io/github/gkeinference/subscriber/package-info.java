/**
 * The reference Pub/Sub worker of asynchronous inference: pull, call the model server, store the
 * answer in Cloud Storage, ack.
 */
@NullMarked
package io.github.gkeinference.subscriber;

import org.jspecify.annotations.NullMarked;
