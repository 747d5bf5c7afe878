package io.luthien.launcher.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one of the real validators (docker-compose, yamllint, promtool) in the repository's root.
 */
final class Tool {

  /** Which Debian package brings each tool; {@code .ci/run} installs them. */
  private static final Map<String, String> PACKAGES =
      Map.of(
          "docker-compose",
          "docker-compose",
          "yamllint",
          "yamllint",
          "promtool",
          "prometheus",
          "git",
          "git");

  private Tool() {}

  record Result(String command, int exitCode, String output) {

    Result requireSuccess() {
      if (exitCode != 0) {
        throw new AssertionError(command + " exited with " + exitCode + ":\n" + output);
      }
      return this;
    }

    List<String> lines() {
      return output.lines().toList();
    }
  }

  static Result run(String... command) {
    return runIn(RepoFiles.ROOT, command);
  }

  static Result runIn(Path directory, String... command) {
    String line = String.join(" ", command);
    try {
      Process process =
          new ProcessBuilder(command)
              .directory(directory.toFile())
              .redirectErrorStream(true)
              .start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(line + " did not finish within 120 s");
      }
      return new Result(line, process.exitValue(), output);
    } catch (IOException e) {
      throw new AssertionError(
          "cannot run "
              + command[0]
              + " (Debian package "
              + PACKAGES.getOrDefault(command[0], "?")
              + "; .ci/run installs it): "
              + e.getMessage(),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
