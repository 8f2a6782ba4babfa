/**
 * Self-contained HTML report pages and SVG charts (inline CSS and SVG, no scripts, no external
 * files, deterministic output) shared by the load-test, plan and autoscaling reports; {@link
 * io.github.gkeinference.observability.report.HtmlPage} is the entry point.
 */
@NullMarked
package io.github.gkeinference.observability.report;

import org.jspecify.annotations.NullMarked;
