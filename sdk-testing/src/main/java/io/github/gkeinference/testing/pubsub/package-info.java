/**
 * An in-process fake of Google Cloud Pub/Sub (publisher, subscriber and IAM policy services), built
 * on the real generated gRPC service bases and reached through the real Google client libraries.
 */
@NullMarked
package io.github.gkeinference.testing.pubsub;

import org.jspecify.annotations.NullMarked;
