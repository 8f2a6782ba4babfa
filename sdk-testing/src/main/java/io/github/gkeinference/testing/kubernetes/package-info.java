/**
 * Helpers around the fabric8 Kubernetes mock server in CRUD mode: server-side apply and fault
 * injection (conflicts, throttling, server errors, hanging requests).
 */
@NullMarked
package io.github.gkeinference.testing.kubernetes;

import org.jspecify.annotations.NullMarked;
