package com.example.weather;

import io.github.loomresult.annotations.Concurrent;
import java.io.IOException;
import java.util.List;

/** A plain synchronous service. */
public interface WeatherService {
  @Concurrent
  String forecast(String city) throws IOException;

  @Concurrent
  int temperature(String city, long atEpochSecond);

  @Concurrent
  void refresh();

  @Concurrent
  List<String> cities();

  String notConcurrent(String x);
}
