/**
 * Core of the GKE inference SDK: the shared exception root and the spec, validate, render and emit
 * steps.
 */
@NullMarked
package io.github.gkeinference.core;

import org.jspecify.annotations.NullMarked;
