/**
 * Least-privilege access for workloads: Workload Identity principals, the bucket grants they need,
 * and those grants as Config Connector {@code IAMPolicyMember} objects.
 */
@NullMarked
package io.github.gkeinference.core.iam;

import org.jspecify.annotations.NullMarked;
