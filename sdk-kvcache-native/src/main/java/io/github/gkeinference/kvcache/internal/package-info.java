/** Element-type conversions shared by this module's packages; not an API. */
@NullMarked
package io.github.gkeinference.kvcache.internal;

import org.jspecify.annotations.NullMarked;
