/**
 * Prices of accelerator machine types: the {@code PriceSource} contract, a bundled snapshot and a
 * source over the Cloud Billing Catalog API.
 */
@NullMarked
package io.github.gkeinference.accelerators.price;

import org.jspecify.annotations.NullMarked;
