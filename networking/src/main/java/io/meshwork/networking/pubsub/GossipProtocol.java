package io.meshwork.networking.pubsub;

import java.util.Optional;

/** The gossipsub protocol versions we speak, newest first. */
public enum GossipProtocol {
  /** gossipsub-v1.2: adds IDONTWANT. */
  MESHSUB_V12("/meshsub/1.2.0"),
  /** gossipsub-v1.1: adds PRUNE backoff and peer exchange, scoring. */
  MESHSUB_V11("/meshsub/1.1.0"),
  /** gossipsub-v1.0: PRUNE without backoff or peers. */
  MESHSUB_V10("/meshsub/1.0.0");

  private final String id;

  GossipProtocol(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  public boolean supportsPeerExchange() {
    return this != MESHSUB_V10;
  }

  public boolean supportsIdontwant() {
    return this == MESHSUB_V12;
  }

  public static Optional<GossipProtocol> fromId(String id) {
    for (GossipProtocol p : values()) {
      if (p.id.equals(id)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
