package io.meshwork.node.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Runs the built {@code meshwork.jar} as a user would (the jar that {@code ./meshwork} runs), and
 * collects what it prints.
 */
final class MeshworkProcess implements AutoCloseable {
  private final Process process;
  private final BlockingQueue<String> stdout = new LinkedBlockingQueue<>();
  private final List<String> seen = new ArrayList<>();
  private final StringBuffer stderr = new StringBuffer();
  private final List<String> printed = new CopyOnWriteArrayList<>();

  private MeshworkProcess(Process process) {
    this.process = process;
    pump(
        process.getInputStream(),
        line -> {
          printed.add(line);
          stdout.add(line);
        });
    pump(process.getErrorStream(), line -> stderr.append(line).append('\n'));
  }

  static Path jar() {
    Path jar = Path.of("target", "meshwork.jar");
    if (!Files.exists(jar)) {
      throw new IllegalStateException(
          "target/meshwork.jar is missing: integration tests run after `package` (mvn verify)");
    }
    return jar;
  }

  static MeshworkProcess start(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(jar().toString());
    command.addAll(List.of(args));
    return new MeshworkProcess(new ProcessBuilder(command).start());
  }

  /** Runs a command to its end. */
  static Result run(Duration timeout, String... args) throws Exception {
    try (MeshworkProcess p = start(args)) {
      if (!p.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError(
            "meshwork "
                + String.join(" ", args)
                + " did not finish in "
                + timeout
                + "; stderr: "
                + p.stderr);
      }
      // Let the reader threads drain what is left.
      List<String> lines = new ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
      while (System.nanoTime() < deadline) {
        String line = p.stdout.poll(50, TimeUnit.MILLISECONDS);
        if (line != null) {
          lines.add(line);
        } else if (!p.readersAlive()) {
          break;
        }
      }
      return new Result(p.process.exitValue(), lines, p.stderr.toString());
    }
  }

  record Result(int exitCode, List<String> stdout, String stderr) {}

  /** Waits for a stdout line matching {@code test}. */
  String awaitLine(Predicate<String> test, Duration timeout) throws InterruptedException {
    return pollLine(test, timeout)
        .orElseThrow(
            () ->
                new AssertionError(
                    "no matching line within "
                        + timeout
                        + "; saw "
                        + seen
                        + "; stderr: "
                        + stderr));
  }

  /** Waits for a stdout line matching {@code test}; empty if none came within {@code timeout}. */
  Optional<String> pollLine(Predicate<String> test, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      String line = stdout.poll(100, TimeUnit.MILLISECONDS);
      if (line != null) {
        seen.add(line);
        if (test.test(line)) {
          return Optional.of(line);
        }
      }
      if (!process.isAlive() && stdout.isEmpty()) {
        break;
      }
    }
    return Optional.empty();
  }

  /**
   * Every stdout line so far, whether or not {@link #awaitLine} has taken it yet: for comparing
   * what two processes printed.
   */
  List<String> printed() {
    return List.copyOf(printed);
  }

  String stderr() {
    return stderr.toString();
  }

  private final List<Thread> readers = new ArrayList<>();

  private boolean readersAlive() {
    return readers.stream().anyMatch(Thread::isAlive);
  }

  private void pump(java.io.InputStream in, java.util.function.Consumer<String> sink) {
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader reader =
                  new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                  sink.accept(line);
                }
              } catch (IOException e) {
                // The process ended.
              }
            });
    t.setDaemon(true);
    t.start();
    readers.add(t);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
