package io.github.gkeinference.samples.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/**
 * What {@code gke-inference version} and {@code --version} print: the CLI's version, the git commit
 * it was built from (written into the jar by the build) and the Java runtime it runs on.
 */
final class VersionInfo implements CommandLine.IVersionProvider {
  private static final String GIT_PROPERTIES = "git.properties";

  @Override
  public String[] getVersion() {
    Properties git = new Properties();
    try (InputStream in = VersionInfo.class.getResourceAsStream(GIT_PROPERTIES)) {
      if (in != null) {
        git.load(in);
      }
    } catch (IOException e) {
      // unreadable: reported as unknown below
    }
    String commit = git.getProperty("git.commit.id.abbrev", "unknown");
    if (Boolean.parseBoolean(git.getProperty("git.dirty", "false"))) {
      commit += " (with uncommitted changes)";
    }
    return new String[] {
      "gke-inference " + git.getProperty("git.build.version", "unknown"),
      "commit " + commit,
      "Java "
          + Runtime.version()
          + " ("
          + System.getProperty("java.vendor", "unknown vendor")
          + ") on "
          + System.getProperty("os.name")
          + " "
          + System.getProperty("os.arch")
    };
  }
}
