package io.meshwork.node.chain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwork.chain.consensus.ConsensusParams;
import io.meshwork.chain.genesis.GenesisConfig;
import io.meshwork.chain.model.Address;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads a genesis file ({@code meshwork node --genesis FILE}):
 *
 * <pre>{@code
 * {
 *   "network": "my-net",                 required, 1..64 characters
 *   "timestampMillis": 1767225600000,    required
 *   "balances": {"<40 hex digits>": 1000000, ...},   required (may be empty)
 *   "difficultyBits": "1f00ffff",        optional, hex; default the consensus powLimitBits
 *   "consensus": {                       optional; each field defaults to the dev network's
 *     "powLimitBits": "1f00ffff", "targetSpacingMillis": 2000, "retargetWindow": 10,
 *     "maxFutureDriftMillis": 15000, "maxBlockBytes": 1048576,
 *     "maxTransactionsPerBlock": 5000, "minFee": 1
 *   }
 * }
 * }</pre>
 *
 * Unknown fields are errors (a misspelt field would otherwise silently take its default). Every
 * error is a {@link IllegalArgumentException} whose message names the field.
 */
public final class GenesisJson {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> TOP =
      Set.of("network", "timestampMillis", "balances", "difficultyBits", "consensus");
  private static final Set<String> CONSENSUS =
      Set.of(
          "powLimitBits",
          "targetSpacingMillis",
          "retargetWindow",
          "maxFutureDriftMillis",
          "maxBlockBytes",
          "maxTransactionsPerBlock",
          "minFee");

  private GenesisJson() {}

  /** Reads and parses {@code file}; errors name the file and the field. */
  public static GenesisConfig read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read genesis file " + file + ": " + e.getMessage(), e);
    }
    try {
      return parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("genesis file " + file + ": " + e.getMessage(), e);
    }
  }

  public static GenesisConfig parse(String text) {
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "not JSON: " + e.getOriginalMessage().lines().findFirst().orElse(""), e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("must be a JSON object");
    }
    rejectUnknown(root, TOP, "");
    ConsensusParams defaults = DevNetwork.params();
    JsonNode consensus = root.path("consensus");
    if (!consensus.isMissingNode() && !consensus.isObject()) {
      throw new IllegalArgumentException("field consensus must be an object");
    }
    if (consensus.isObject()) {
      rejectUnknown(consensus, CONSENSUS, "consensus.");
    }
    ConsensusParams params;
    try {
      params =
          new ConsensusParams(
              hex(consensus, "powLimitBits", "consensus.", defaults.powLimitBits()),
              number(
                  consensus, "targetSpacingMillis", "consensus.", defaults.targetSpacingMillis()),
              (int) number(consensus, "retargetWindow", "consensus.", defaults.retargetWindow()),
              number(
                  consensus, "maxFutureDriftMillis", "consensus.", defaults.maxFutureDriftMillis()),
              (int) number(consensus, "maxBlockBytes", "consensus.", defaults.maxBlockBytes()),
              (int)
                  number(
                      consensus,
                      "maxTransactionsPerBlock",
                      "consensus.",
                      defaults.maxTransactionsPerBlock()),
              number(consensus, "minFee", "consensus.", defaults.minFee()));
    } catch (IllegalArgumentException e) {
      if (e.getMessage() != null && e.getMessage().startsWith("field ")) {
        throw e;
      }
      throw new IllegalArgumentException("field consensus: " + e.getMessage(), e);
    }
    JsonNode network = root.get("network");
    if (network == null || !network.isTextual()) {
      throw new IllegalArgumentException("field network is required (a string)");
    }
    if (!root.has("timestampMillis")) {
      throw new IllegalArgumentException("field timestampMillis is required (a number)");
    }
    long timestamp = number(root, "timestampMillis", "", 0);
    int difficulty = hex(root, "difficultyBits", "", params.powLimitBits());
    Map<Address, Long> balances = balances(root.get("balances"));
    try {
      return new GenesisConfig(network.asText(), timestamp, balances, difficulty, params);
    } catch (IllegalArgumentException e) {
      String field =
          e.getMessage().contains("network id")
              ? "network"
              : e.getMessage().contains("difficulty") ? "difficultyBits" : "balances";
      throw new IllegalArgumentException("field " + field + ": " + e.getMessage(), e);
    }
  }

  private static Map<Address, Long> balances(JsonNode node) {
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException(
          "field balances is required (an object of address hex to amount)");
    }
    Map<Address, Long> balances = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      String field = "balances." + entry.getKey();
      Address address;
      try {
        address = Address.fromHex(entry.getKey());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "field " + field + ": not an address (40 hex digits)", e);
      }
      JsonNode amount = entry.getValue();
      if (!amount.canConvertToExactIntegral()
          || !amount.canConvertToLong()
          || amount.asLong() < 0) {
        throw new IllegalArgumentException(
            "field " + field + " must be a non-negative whole number");
      }
      balances.put(address, amount.asLong());
    }
    return balances;
  }

  private static void rejectUnknown(JsonNode object, Set<String> known, String prefix) {
    for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!known.contains(name)) {
        throw new IllegalArgumentException("unknown field " + prefix + name);
      }
    }
  }

  private static long number(JsonNode object, String name, String prefix, long fallback) {
    JsonNode value = object.get(name);
    if (value == null) {
      return fallback;
    }
    if (!value.canConvertToExactIntegral() || !value.canConvertToLong() || value.asLong() < 0) {
      throw new IllegalArgumentException(
          "field " + prefix + name + " must be a non-negative whole number");
    }
    return value.asLong();
  }

  private static int hex(JsonNode object, String name, String prefix, int fallback) {
    JsonNode value = object.get(name);
    if (value == null) {
      return fallback;
    }
    try {
      if (!value.isTextual()) {
        throw new NumberFormatException();
      }
      return Integer.parseUnsignedInt(value.asText(), 16);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "field " + prefix + name + " must be a hex string such as \"1f00ffff\"", e);
    }
  }
}
