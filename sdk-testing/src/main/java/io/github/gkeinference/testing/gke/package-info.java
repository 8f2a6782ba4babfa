/**
 * In-process fakes of Google Kubernetes Engine APIs, built on the real generated gRPC service bases
 * and reached through the real Google client libraries.
 */
@NullMarked
package io.github.gkeinference.testing.gke;

import org.jspecify.annotations.NullMarked;
