/**
 * An in-process fake of the Cloud Storage control API (Anywhere Cache), built on the real generated
 * gRPC service bases and reached through the real Google client library.
 */
@NullMarked
package io.github.gkeinference.testing.storagecontrol;

import org.jspecify.annotations.NullMarked;
