/**
 * Model-server releases as data: what each vLLM and JetStream release accepts, defaults to and
 * exports.
 */
@NullMarked
package io.github.gkeinference.core.server;

import org.jspecify.annotations.NullMarked;
