package com.example.legacy;

import io.github.loomresult.annotations.Concurrent;
import java.util.concurrent.Callable;
import java.util.function.Function;

/** Wraps the plain client: every abstract method, inherited ones too, gets a facade method. */
@Concurrent
public interface WrappedClient
    extends Client, Health, Function<String, Integer>, Callable<String> {}
