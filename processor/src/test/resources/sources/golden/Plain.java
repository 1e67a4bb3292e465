package com.example.inherit;

/** No @Concurrent of its own: only inherited methods, with T = Integer. */
public interface Plain extends Base<Integer> {}
