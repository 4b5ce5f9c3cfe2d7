package io.meshwork.node.cli;

import io.meshwork.chain.model.SigningKey;
import io.meshwork.node.chain.AccountKeys;
import io.meshwork.node.chain.DevNetwork;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code meshwork dev-accounts [--out DIR]}: prints {@code account <i> <address> <balance>} for
 * each funded account of the dev network and, with {@code --out}, writes {@code DIR/dev-<i>.key}
 * (see {@link AccountKeys} for the format).
 */
@Command(
    name = "dev-accounts",
    description = "Prints the dev network's funded accounts; --out writes their key files.")
final class DevAccountsCommand implements Callable<Integer> {
  @Option(names = "--out", description = "directory to write dev-<i>.key files to")
  Path out;

  @Override
  public Integer call() throws Exception {
    for (int i = 0; i < DevNetwork.ACCOUNTS; i++) {
      SigningKey key = DevNetwork.accountKey(i);
      if (out != null) {
        AccountKeys.write(out.resolve("dev-" + i + ".key"), key);
      }
      System.out.println("account " + i + " " + key.address().toHex() + " " + DevNetwork.BALANCE);
    }
    return 0;
  }
}
