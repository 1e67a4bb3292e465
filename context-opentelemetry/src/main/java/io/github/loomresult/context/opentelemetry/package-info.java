/**
 * Context propagation into loomresult tasks with the OpenTelemetry Context API, without Micrometer:
 * see {@link io.github.loomresult.context.opentelemetry.OpenTelemetryContext}.
 */
@NullMarked
package io.github.loomresult.context.opentelemetry;

import org.jspecify.annotations.NullMarked;
