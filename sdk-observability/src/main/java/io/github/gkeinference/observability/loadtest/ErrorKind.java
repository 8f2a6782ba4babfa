package io.github.gkeinference.observability.loadtest;

/** Why a load-test request failed. */
public enum ErrorKind {
  /** The server refused the connection; the run stops at the first one. */
  CONNECTION_REFUSED,
  /** The request took longer than the request timeout. */
  TIMEOUT,
  /** The server answered 4xx. */
  HTTP_4XX,
  /** The server answered 5xx. */
  HTTP_5XX,
  /** The response was not the OpenAI format (bad JSON, no choices, stream cut short). */
  PROTOCOL,
  /** Another I/O failure (reset connection, DNS). */
  IO,
  /** Open loop only: an arrival found {@code maxInFlight} requests running and was not sent. */
  CLIENT_SATURATED
}
