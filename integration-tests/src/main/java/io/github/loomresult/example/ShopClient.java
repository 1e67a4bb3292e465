package io.github.loomresult.example;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;

/**
 * A blocking client of {@link ShopServer} on the JDK's {@link HttpClient}: one request per call, an
 * {@link HttpStatusException} for an error status. Interrupting the calling thread aborts the
 * request and closes its connection (which the server notices).
 */
final class ShopClient {
  private final HttpClient http;
  private final URI base;

  ShopClient(HttpClient http, URI base) {
    this.http = Objects.requireNonNull(http, "http");
    this.base = Objects.requireNonNull(base, "base");
  }

  /** The body of {@code GET path}, without the server's heartbeat spaces. */
  String get(String pathAndQuery) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(base.resolve(pathAndQuery)).GET());
  }

  /** The body of {@code POST path} with an empty body. */
  String post(String pathAndQuery) throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(base.resolve(pathAndQuery))
            .POST(HttpRequest.BodyPublishers.noBody()));
  }

  private String send(HttpRequest.Builder request) throws IOException, InterruptedException {
    HttpRequest built = request.timeout(Duration.ofSeconds(60)).build();
    HttpResponse<String> response = http.send(built, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() >= 400) {
      throw new HttpStatusException(response.statusCode(), built.uri());
    }
    return response.body().strip();
  }
}
