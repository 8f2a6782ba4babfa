/**
 * The performance model: an estimate of prefill time, decode step time, TTFT, NTPOT and throughput
 * of a model served on accelerators, from the devices' published peak speeds and named
 * efficiencies.
 */
@NullMarked
package io.github.gkeinference.accelerators.perf;

import org.jspecify.annotations.NullMarked;
