package com.example.classfile;

import io.github.loomresult.annotations.Concurrent;

/**
 * Compiled with the processor against the class files of its super-interfaces. It declares no
 * method, so {@code @Concurrent} on the type adds none; it is here because javac runs a processor
 * only for a compilation in which one of its annotations appears.
 */
@Concurrent
public interface ClassFileSub extends ClassFileBase<String>, ClassFileNamed {}
