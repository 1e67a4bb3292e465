package io.github.loomresult.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks methods of a plain, synchronous interface for which the loomresult processor generates a
 * concurrent facade: for an interface {@code WeatherService} it writes {@code
 * ConcurrentWeatherService} in the same package, bound to a nursery and a delegate, whose methods
 * start the real call as a task in the nursery and return its {@code ResultCapture}.
 *
 * <p>On a method, that method gets a facade method. On the interface, every abstract method it has
 * does, the inherited ones too (so an interface that extends an existing client interface wraps
 * it); the same method inherited along several paths is one facade method. {@code @Concurrent}
 * methods inherited from super-interfaces (also from compiled jars) are included. Every method with
 * parameters also gets a gather method, {@code <name>All}, that runs it once per input and returns
 * the values in input order, and a race method, {@code <name>Race}, that runs it once per input and
 * returns the first successful value. Facades have call options: {@code withTimeout}, {@code
 * withLimiter} and {@code withName} return a copy bound to the same nursery.
 *
 * <pre>{@code
 * interface WeatherService {
 *   @Concurrent Forecast forecast(String city) throws IOException;
 *   @Concurrent Alerts alerts(String region);
 * }
 *
 * Nursery.run(n -> {
 *   ConcurrentWeatherService weather = ConcurrentWeatherService.of(n, service);
 *   ResultCapture<Forecast> paris = weather.forecast("Paris");
 *   ResultCapture<List<Forecast>> all = weather.forecastAll(List.of("Oslo", "Rome"));
 *   ...
 * });
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Concurrent {
  /**
   * Whether the handles keep ordinary exceptions to themselves instead of propagating them into the
   * nursery (so a failed call does not cancel the others). On the interface, the default for its
   * methods; a method's own {@code @Concurrent} wins.
   *
   * @return whether exceptions are suppressed
   */
  boolean suppressException() default false;

  /**
   * The default max-at-once of the gather method ({@code 0}: no limit). The gather method's
   * overload with an explicit {@code maxAtOnce} parameter overrides it.
   *
   * @return the default limit, {@code 0} or more
   */
  int maxAtOnce() default 0;
}
