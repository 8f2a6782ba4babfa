/** PLACEHOLDER */
@NullMarked
package io.github.gkeinference.autoscaling;

import org.jspecify.annotations.NullMarked;
