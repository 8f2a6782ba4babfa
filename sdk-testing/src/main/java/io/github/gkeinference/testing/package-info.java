/**
 * The SDK's published test kit: schema validation of rendered objects, golden files, and in-process
 * fakes of the Google Cloud and Kubernetes APIs the SDK talks to.
 */
@NullMarked
package io.github.gkeinference.testing;

import org.jspecify.annotations.NullMarked;
