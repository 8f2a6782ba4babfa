/** Models kept in Cloud Storage: verify, inspect and upload them, never delete. */
@NullMarked
package io.github.gkeinference.core.store;

import org.jspecify.annotations.NullMarked;
