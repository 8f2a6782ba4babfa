/** Prices of accelerator machine types: the {@code PriceSource} contract and a bundled snapshot. */
@NullMarked
package io.github.gkeinference.accelerators.price;

import org.jspecify.annotations.NullMarked;
