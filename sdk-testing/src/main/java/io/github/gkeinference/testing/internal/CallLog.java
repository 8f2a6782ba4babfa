package io.github.gkeinference.testing.internal;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The calls a fake received, in order, and the permission denials queued for its next calls: the
 * part every fake of the kit that can answer "permission denied" shares.
 *
 * <p>Thread-safe.
 */
public final class CallLog {
  private final List<String> calls = new ArrayList<>();
  private final Map<String, String> denials = new LinkedHashMap<>();

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
