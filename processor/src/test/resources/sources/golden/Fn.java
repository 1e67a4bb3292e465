package com.example.wrap;

import io.github.loomresult.annotations.Concurrent;
import java.util.concurrent.Callable;
import java.util.function.Function;

/** Generic JDK super-interfaces: apply(String) returns Integer, call() returns String. */
@Concurrent
public interface Fn extends Function<String, Integer>, Callable<String> {}
