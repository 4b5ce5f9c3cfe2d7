package io.meshwork.node.chain;

import io.meshwork.chain.genesis.GenesisConfig;
import java.util.List;
import java.util.Optional;

/** The networks a node knows by name ({@code --network NAME}). */
public final class Networks {
  /** The network a node joins when told none. */
  public static final String DEFAULT = DevNetwork.NAME;

  private Networks() {}

  /** Names of the built-in networks. */
  public static List<String> names() {
    return List.of(DevNetwork.NAME);
  }

  public static Optional<GenesisConfig> byName(String name) {
    return DevNetwork.NAME.equals(name) ? Optional.of(DevNetwork.genesis()) : Optional.empty();
  }

  /**
   * The genesis of network {@code name}.
   *
   * @throws IllegalArgumentException naming the known networks
   */
  public static GenesisConfig require(String name) {
    return byName(name)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown network '" + name + "' (known: " + String.join(", ", names()) + ")"));
  }
}
