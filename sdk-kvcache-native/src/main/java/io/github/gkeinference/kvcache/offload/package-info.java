/** A second tier that keeps KV blocks, checksummed, when they leave the first. */
@NullMarked
package io.github.gkeinference.kvcache.offload;

import org.jspecify.annotations.NullMarked;
