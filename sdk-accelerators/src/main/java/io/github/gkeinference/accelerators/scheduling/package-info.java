/** Scheduling a Pod on an accelerator: node selectors, device requests, tolerations and sizing. */
@NullMarked
package io.github.gkeinference.accelerators.scheduling;

import org.jspecify.annotations.NullMarked;
