/** An in-process fake of the Cloud Billing Catalog API ({@code google.cloud.billing.v1}). */
@NullMarked
package io.github.gkeinference.testing.billing;

import org.jspecify.annotations.NullMarked;
