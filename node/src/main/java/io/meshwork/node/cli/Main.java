package io.meshwork.node.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code ./meshwork}. */
@Command(
    name = "meshwork",
    mixinStandardHelpOptions = true,
    version = "meshwork 0.1.0",
    description = "A libp2p-compatible blockchain networking stack for the JVM.",
    subcommands = {
      NodeCommand.class,
      KeygenCommand.class,
      PingCommand.class,
      IdentifyCommand.class,
      PerfCommand.class,
      BenchCommand.class,
      DevAccountsCommand.class,
      TxCommand.class
    })
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit status (for tests). */
  public static int run(String... args) {
    CommandLine commandLine = new CommandLine(new Main());
    commandLine.setExecutionExceptionHandler(
        (e, cl, parsed) -> {
          cl.getErr().println("meshwork: " + Errors.reason(e));
          return 1;
        });
    commandLine.setParameterExceptionHandler(
        (e, args1) -> {
          String command = e.getCommandLine().getCommandSpec().qualifiedName();
          e.getCommandLine()
              .getErr()
              .println("meshwork: " + e.getMessage() + " (see '" + command + " --help')");
          return 2;
        });
    return commandLine.execute(args);
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(),
        "a command is required: node, keygen, ping, identify, perf, dev-accounts or tx");
  }
}
