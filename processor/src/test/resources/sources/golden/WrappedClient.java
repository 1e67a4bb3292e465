package com.example.wrap;

import io.github.loomresult.annotations.Concurrent;

/** {@code @Concurrent} on the type: every abstract method, the inherited plain ones too. */
@Concurrent
public interface WrappedClient extends Client {}
