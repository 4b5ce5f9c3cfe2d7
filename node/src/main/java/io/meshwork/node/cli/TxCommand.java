package io.meshwork.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwork.chain.model.Address;
import io.meshwork.chain.model.Hash;
import io.meshwork.chain.model.SigningKey;
import io.meshwork.chain.model.Transaction;
import io.meshwork.node.chain.AccountKeys;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code meshwork tx send ...}: transactions through a node's HTTP API. */
@Command(
    name = "tx",
    description = "Sends transactions through a node's API.",
    subcommands = {TxCommand.Send.class})
final class TxCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: send");
  }

  /**
   * {@code meshwork tx send --api URL --key FILE --to ADDRESS --amount N [--fee F]}: asks the node
   * for the network's genesis hash ({@code GET /v1/chain/head}) and the sender's next nonce ({@code
   * GET /v1/chain/accounts/{address}}, pendingNonce), signs, posts ({@code POST
   * /v1/chain/transactions}) and prints {@code tx <hash>}.
   */
  @Command(name = "send", description = "Signs a transfer and submits it to a node.")
  static final class Send implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Option(
        names = "--api",
        required = true,
        description = "the node's API, e.g. http://127.0.0.1:8080")
    String api;

    @Option(names = "--key", required = true, description = "sender's account key file")
    Path key;

    @Option(names = "--to", required = true, description = "recipient address (40 hex digits)")
    String to;

    @Option(names = "--amount", required = true, description = "amount to transfer")
    long amount;

    @Option(names = "--fee", defaultValue = "1", description = "fee (default ${DEFAULT-VALUE})")
    long fee;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    @Override
    public Integer call() throws Exception {
      if (amount < 0 || fee < 0) {
        throw new IllegalArgumentException("--amount and --fee must not be negative");
      }
      Address recipient;
      try {
        recipient = Address.fromHex(to);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "--to wants an address of 40 hex digits, got '" + to + "'");
      }
      SigningKey sender = AccountKeys.read(key);
      String base = api.endsWith("/") ? api.substring(0, api.length() - 1) : api;
      JsonNode head = get(base + "/v1/chain/head");
      Hash genesisHash = Hash.fromHex(head.get("genesisHash").asText());
      JsonNode account = get(base + "/v1/chain/accounts/" + sender.address().toHex());
      long nonce = account.get("pendingNonce").asLong();
      Transaction tx = Transaction.sign(sender, genesisHash, recipient, amount, fee, nonce);
      HttpResponse<String> posted =
          send(
              HttpRequest.newBuilder(uri(base + "/v1/chain/transactions"))
                  .timeout(TIMEOUT)
                  .header("Content-Type", "application/octet-stream")
                  .POST(HttpRequest.BodyPublishers.ofByteArray(tx.encode()))
                  .build());
      if (posted.statusCode() != 202) {
        throw new IllegalStateException(
            "the node refused the transaction (" + posted.statusCode() + "): " + error(posted));
      }
      System.out.println("tx " + JSON.readTree(posted.body()).get("hash").asText());
      return 0;
    }

    private JsonNode get(String url) throws IOException, InterruptedException {
      HttpResponse<String> response =
          send(HttpRequest.newBuilder(uri(url)).timeout(TIMEOUT).GET().build());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(
            "GET " + url + " answered " + response.statusCode() + ": " + error(response));
      }
      return JSON.readTree(response.body());
    }

    private HttpResponse<String> send(HttpRequest request)
        throws IOException, InterruptedException {
      try {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
      } catch (ConnectException e) {
        throw new IOException("cannot connect to " + request.uri() + ": connection refused", e);
      }
    }

    private static URI uri(String url) {
      try {
        URI uri = URI.create(url);
        if (uri.getScheme() == null || uri.getHost() == null) {
          throw new IllegalArgumentException("no scheme or host");
        }
        return uri;
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--api wants a URL such as http://127.0.0.1:8080", e);
      }
    }

    private static String error(HttpResponse<String> response) {
      try {
        JsonNode body = JSON.readTree(response.body());
        if (body != null && body.has("error")) {
          return body.get("error").asText();
        }
      } catch (IOException e) {
        // Not JSON: show it as it is.
      }
      return response.body();
    }
  }
}
