/**
 * A fake of the Compute Engine API's regions and accelerator types, served over loopback HTTP in
 * the API's own REST paths and JSON and reached through the real {@code google-cloud-compute}
 * clients.
 */
@NullMarked
package io.github.gkeinference.testing.compute;

import org.jspecify.annotations.NullMarked;
