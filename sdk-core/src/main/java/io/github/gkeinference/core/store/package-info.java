/**
 * Models kept in Cloud Storage: verify, inspect and upload them (never delete), check the bucket's
 * place against the cluster's region and keep Anywhere Caches next to the nodes.
 */
@NullMarked
package io.github.gkeinference.core.store;

import org.jspecify.annotations.NullMarked;
