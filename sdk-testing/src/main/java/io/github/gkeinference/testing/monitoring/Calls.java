package io.github.gkeinference.testing.monitoring;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;

/** Completes a unary call with a value or the status of the exception it threw. */
final class Calls {
  private Calls() {}

  static <T> void complete(StreamObserver<T> response, Supplier<T> body) {
    T value;
    try {
      value = body.get();
    } catch (StatusRuntimeException e) {
      response.onError(e);
      return;
    } catch (RuntimeException e) {
      response.onError(
          new StatusRuntimeException(Status.INTERNAL.withDescription(String.valueOf(e))));
      return;
    }
    response.onNext(value);
    response.onCompleted();
  }
}
