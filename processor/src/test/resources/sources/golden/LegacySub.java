package com.example.legacy;

import io.github.loomresult.annotations.Concurrent;

/**
 * Compiled against the class files of Legacy, which keep its deprecation but not its
 * {@code @SuppressWarnings}: the facade still compiles warning-free.
 */
@Concurrent
public interface LegacySub extends Legacy {}
