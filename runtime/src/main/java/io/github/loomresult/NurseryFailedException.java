package io.github.loomresult;

import java.util.List;
import java.util.Objects;

/**
 * Thrown by {@link Nursery#run}, {@link Nursery#join()} and their relatives when the body or a
 * child task failed. This is the one rule for how failures leave a nursery: whatever was thrown
 * (checked exception, unchecked exception or {@link Error}) is wrapped, never rethrown bare.
 *
 * <ul>
 *   <li>{@link #getCause()} is the first failure, the one that cancelled the nursery, by identity.
 *   <li>{@link #failures()} lists every failure in the order they happened (the first one
 *       included); all but the first are also attached as {@linkplain #getSuppressed() suppressed}
 *       exceptions, so a plain stack trace shows them all.
 *   <li>Interrupts and {@link TaskCancelledException}s caused by the nursery's own cancellation are
 *       never listed.
 * </ul>
 *
 * <p>Checked exceptions reach the caller typed, without sneaky throws, through {@link
 * #rethrowIf(Class)}:
 *
 * <pre>{@code
 * try {
 *   return Nursery.run(n -> {
 *     var a = n.startSoon(() -> Files.readString(pathA));
 *     var b = n.startSoon(() -> Files.readString(pathB));
 *     return List.of(a, b);
 *   });
 * } catch (NurseryFailedException e) {
 *   throw e.rethrowIf(IOException.class); // throws the IOException itself, else e
 * }
 * }</pre>
 */
public final class NurseryFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient List<Throwable> failures;

  NurseryFailedException(String nurseryName, List<Throwable> failures) {
    super(message(nurseryName, failures), failures.get(0));
    this.failures = List.copyOf(failures);
    for (int i = 1; i < this.failures.size(); i++) {
      addSuppressed(this.failures.get(i));
    }
  }

  private static String message(String nurseryName, List<Throwable> failures) {
    String first = "nursery '" + nurseryName + "' failed: " + Throwables.describe(failures.get(0));
    return failures.size() == 1
        ? first
        : first + " (and " + (failures.size() - 1) + " more, attached as suppressed)";
  }

  /** Every failure, first one first. Never empty. */
  public List<Throwable> failures() {
    return failures;
  }

  /**
   * Throws the primary failure ({@link #getCause()}) if it is an instance of {@code type};
   * otherwise returns this exception so the caller can {@code throw} it. A primary failure that is
   * itself a {@code NurseryFailedException} (a nested nursery failed first, e.g. a gather) is
   * looked through: its own primary failure is checked, and so on down.
   *
   * @param type the exception type the caller handles
   * @return this exception, when the primary failure is not a {@code type}
   * @throws X the primary failure itself, when it is a {@code type}
   */
  public <X extends Throwable> NurseryFailedException rethrowIf(Class<X> type) throws X {
    Objects.requireNonNull(type, "type");
    Throwable cause = getCause();
    while (true) {
      if (type.isInstance(cause)) {
        throw type.cast(cause);
      }
      if (!(cause instanceof NurseryFailedException nested) || nested.getCause() == null) {
        return this;
      }
      cause = nested.getCause();
    }
  }
}
