package io.meshwork.networking.core;

import io.meshwork.networking.crypto.PeerId;
import java.util.concurrent.CompletableFuture;

/**
 * The host's connection limits and its way of closing connections. One connection is kept per peer:
 * when two peers dial each other at once, both keep the connection dialed by the lower peer id.
 * Closing is graceful: GoAway first, then the open streams get a grace period. Thread-safe.
 */
public interface ConnectionManager {
  int maxConnections();

  int maxInboundConnections();

  /** Established connections plus those still being upgraded. */
  int connectionCount();

  /** Gracefully closes our connection to {@code peer}, if any. */
  CompletableFuture<Void> disconnect(PeerId peer);
}
