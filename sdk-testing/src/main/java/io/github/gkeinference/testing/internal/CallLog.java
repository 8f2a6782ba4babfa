package io.github.gkeinference.testing.internal;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The calls a fake received, in order, and the failures queued for its next calls: the part every
 * fake of the kit shares. A fake queues either permission denials ({@link #denyNext}, answered in
 * Google's wording by {@link #recordOrDeny}) or any gRPC status ({@link #failNext}, thrown by
 * {@link #recordOrFail}).
 *
 * <p>Thread-safe.
 */
public final class CallLog {
  private final List<String> calls = new ArrayList<>();
  private final Map<String, String> denials = new LinkedHashMap<>();
  private final Deque<Failure> failures = new ArrayDeque<>();

  private record Failure(String method, Status.Code code, String message) {}

  /**
   * Queues a failure: the next call of {@code method}, when this failure is first in the queue,
   * fails with {@code code}; queued failures are used in order, one per call.
   *
   * @param method the RPC name
   * @param code the status code
   * @param message the status description
   */
  public synchronized void failNext(String method, Status.Code code, String message) {
    failures.add(new Failure(method, code, message));
  }

  /**
   * Records a call as {@code entry} and throws the failure queued for {@code method}, if it is
   * first in the queue.
   *
   * @param method the RPC name the failures are queued under
   * @param entry what {@link #calls()} shows for the call (the method, or the method and resource)
   * @throws StatusRuntimeException the queued failure
   */
  public synchronized void recordOrFail(String method, String entry) {
    calls.add(entry);
    Failure f = failures.peek();
    if (f != null && f.method.equals(method)) {
      failures.poll();
      throw f.code.toStatus().withDescription(f.message).asRuntimeException();
    }
  }

  /**
   * Makes the next call of one method be denied for want of a permission.
   *
   * @param method the RPC or REST method
   * @param permission the IAM permission the denial names
   */
  public synchronized void denyNext(String method, String permission) {
    denials.put(method, permission);
  }

  /** Returns the methods called so far, in order. */
  public synchronized List<String> calls() {
    return List.copyOf(calls);
  }

  /**
   * Records a call.
   *
   * @param method the method
   * @return the permission to deny the call for, or {@code null} to answer it
   */
  public synchronized @Nullable String record(String method) {
    calls.add(method);
    return denials.remove(method);
  }

  /**
   * Records a gRPC call, throwing {@code PERMISSION_DENIED} as Google APIs word it when a denial is
   * queued.
   *
   * @param method the RPC
   * @param resource the resource the call is about
   * @throws StatusRuntimeException when the call is denied
   */
  public void recordOrDeny(String method, String resource) {
    String permission = record(method);
    if (permission != null) {
      throw Status.PERMISSION_DENIED
          .withDescription("Permission '" + permission + "' denied on resource '" + resource + "'.")
          .asRuntimeException();
    }
  }

  /**
   * Completes a unary gRPC call with the body's value, computed holding {@code lock}, or with the
   * status it threw ({@code INTERNAL} for an exception without one).
   *
   * @param lock the fake's lock
   * @param observer the call's observer
   * @param body computes the response
   * @param <T> the response type
   */
  public static <T> void complete(Object lock, StreamObserver<T> observer, Supplier<T> body) {
    T response;
    try {
      synchronized (lock) {
        response = body.get();
      }
    } catch (StatusRuntimeException e) {
      observer.onError(e);
      return;
    } catch (RuntimeException e) {
      observer.onError(
          Status.INTERNAL.withCause(e).withDescription(e.toString()).asRuntimeException());
      return;
    }
    observer.onNext(response);
    observer.onCompleted();
  }
}
