package io.github.gkeinference.samples.cli;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the files a user names (spec files, manifests, {@code validate} input, kubeconfigs) with
 * the checks that come before parsing: a regular file (not a FIFO or a device such as {@code
 * /dev/zero}), at most {@link CliSettings#maxInputBytes()} bytes, UTF-8 text.
 */
final class InputFiles {
  private InputFiles() {}

  /** A file that cannot be used as input, with a one-line reason that names it. */
  static final class InputException extends Exception {
    private static final long serialVersionUID = 1L;

    InputException(String message) {
      super(message);
    }
  }

  /**
   * Checks a file before it is read or parsed.
   *
   * @param file the file
   * @throws InputException when it is missing, not a regular file or larger than the limit
   */
  static void check(Path file) throws InputException {
    if (!Files.exists(file)) {
      throw new InputException(file + " does not exist");
    }
    if (!Files.isRegularFile(file)) {
      throw new InputException(file + " is not a regular file");
    }
    long limit = CliSettings.maxInputBytes();
    long size;
    try {
      size = Files.size(file);
    } catch (IOException e) {
      throw new InputException("cannot read " + file + ": " + e.getMessage());
    }
    if (size > limit) {
      throw new InputException(
          file
              + " is "
              + size
              + " bytes, more than the input limit of "
              + limit
              + " bytes (raise it with -D"
              + CliSettings.MAX_INPUT_BYTES
              + "=N)");
    }
  }

  /**
   * Checks a file like {@link #check} and reads it as UTF-8 text.
   *
   * @param file the file
   * @return its text
   * @throws InputException when it cannot be used, with a one-line reason
   */
  static String read(Path file) throws InputException {
    check(file);
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (CharacterCodingException e) {
      throw new InputException(file + " is not UTF-8 text");
    } catch (IOException e) {
      throw new InputException("cannot read " + file + ": " + e.getMessage());
    }
  }
}
