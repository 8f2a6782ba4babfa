/**
 * An in-process fake of the Service Usage API ({@code google.api.serviceusage.v1.ServiceUsage}),
 * built on the real generated gRPC service base and reached through the real client library.
 */
@NullMarked
package io.github.gkeinference.testing.serviceusage;

import org.jspecify.annotations.NullMarked;
