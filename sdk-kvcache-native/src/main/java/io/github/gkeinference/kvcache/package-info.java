/** PLACEHOLDER */
@NullMarked
package io.github.gkeinference.kvcache;

import org.jspecify.annotations.NullMarked;
