package io.github.gkeinference.samples.cli;

import io.github.gkeinference.core.validate.Secrets;
import java.io.IOException;
import java.io.Writer;
import java.util.function.UnaryOperator;

/**
 * A writer that masks token-like strings ({@link Secrets}) line by line before they reach the
 * terminal, so that no CLI output (usage errors, violations, YAML excerpts, rendered YAML) shows a
 * literal credential.
 */
final class MaskingWriter extends Writer {
  private final Writer target;
  private final UnaryOperator<String> masker = Secrets.lineMasker();
  private final StringBuilder line = new StringBuilder();

  MaskingWriter(Writer target) {
    this.target = target;
  }

  @Override
  public void write(char[] chars, int offset, int length) throws IOException {
    for (int i = offset; i < offset + length; i++) {
      char c = chars[i];
      if (c == '\n') {
        target.write(masker.apply(line.toString()));
        target.write('\n');
        line.setLength(0);
      } else {
        line.append(c);
      }
    }
  }

  /** Writes a pending partial line (masked on its own) and flushes the target. */
  @Override
  public void flush() throws IOException {
    if (!line.isEmpty()) {
      target.write(masker.apply(line.toString()));
      line.setLength(0);
    }
    target.flush();
  }

  @Override
  public void close() throws IOException {
    flush();
    target.close();
  }
}
