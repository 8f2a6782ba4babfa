/**
 * Policies: named rules a platform team sets over rendered bundles and foreign YAML (allowed
 * accelerators, regions, registries, limits), read from a policy file or written in Java.
 */
@NullMarked
package io.github.gkeinference.core.policy;

import org.jspecify.annotations.NullMarked;
