/**
 * Context propagation into loomresult tasks through Micrometer's context-propagation library: see
 * {@link io.github.loomresult.context.micrometer.MicrometerContext}.
 */
@NullMarked
package io.github.loomresult.context.micrometer;

import org.jspecify.annotations.NullMarked;
