package io.github.loomresult;

import org.jspecify.annotations.Nullable;

/**
 * What is kept about one observed nursery while it is open: its flight recorder event (begun at the
 * opening, committed at the end), and its place in the {@link NurseryTree}. A nursery has one only
 * if the tree or a recording watched it when it opened.
 */
final class NurseryProbe {
  /** A {@code NurseryEvent}, typed Object so that this class never loads {@code jdk.jfr}. */
  final @Nullable Object flightEvent;

  /** The tree's entry for the nursery, or null if the tree was off; set once, by the opener. */
  NurseryTree.@Nullable Entry entry;

  NurseryProbe(@Nullable Object flightEvent) {
    this.flightEvent = flightEvent;
  }
}
