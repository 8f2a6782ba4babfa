package io.github.gkeinference.core.cluster;

import com.google.container.v1.Operation;

/**
 * The progress of one GKE long-running operation, as reported to a provisioner's listener after
 * each poll.
 *
 * @param cluster the cluster's resource name
 * @param operationId the operation's id
 * @param type the operation type, for example {@code CREATE_CLUSTER}
 * @param status {@code PENDING}, {@code RUNNING}, {@code DONE} or {@code ABORTING}
 * @param percent the progress from 0 to 100, or -1 when the operation does not say
 * @param stage the name of the running stage, or the operation's progress name, or {@code ""}
 */
public record OperationUpdate(
    String cluster,
    String operationId,
    Operation.Type type,
    Operation.Status status,
    int percent,
    String stage) {

  /**
   * Reads the progress of an operation: the percentage comes from the first pair of progress
   * metrics {@code X} and {@code X_TOTAL}, the stage from the first running stage.
   *
   * @param cluster the cluster's resource name
   * @param op the operation
   * @return the update
   */
  static OperationUpdate of(String cluster, Operation op) {
    int percent = -1;
    var metrics = op.getProgress().getMetricsList();
    for (var total : metrics) {
      if (!total.getName().endsWith("_TOTAL") || total.getIntValue() <= 0) {
        continue;
      }
      String doneName = total.getName().substring(0, total.getName().length() - "_TOTAL".length());
      for (var done : metrics) {
        if (done.getName().equals(doneName)) {
          percent = (int) Math.min(100, done.getIntValue() * 100 / total.getIntValue());
          break;
        }
      }
      if (percent >= 0) {
        break;
      }
    }
    if (percent < 0 && op.getStatus() == Operation.Status.DONE) {
      percent = 100;
    }
    String stage = op.getProgress().getName();
    for (var s : op.getProgress().getStagesList()) {
      if (s.getStatus() == Operation.Status.RUNNING) {
        stage = s.getName();
        break;
      }
    }
    return new OperationUpdate(
        cluster, op.getName(), op.getOperationType(), op.getStatus(), percent, stage);
  }
}
