package com.example.classfile;

import io.github.loomresult.annotations.Concurrent;

/**
 * Compiled with the processor against the class files of its super-interfaces. {@code @Concurrent}
 * on the type makes every abstract method it has concurrent, the inherited ones too: {@code
 * ClassFileBase.unannotated(String)} has a facade method, with {@code T} substituted.
 */
@Concurrent
public interface ClassFileSub extends ClassFileBase<String>, ClassFileNamed {}
