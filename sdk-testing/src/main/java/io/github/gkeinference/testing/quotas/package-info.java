/**
 * An in-process fake of the Cloud Quotas API ({@code google.api.cloudquotas.v1.CloudQuotas}), built
 * on the real generated gRPC service base and reached through the real client library.
 */
@NullMarked
package io.github.gkeinference.testing.quotas;

import org.jspecify.annotations.NullMarked;
