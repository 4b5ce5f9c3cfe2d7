package io.meshwork.networking.core;

/** How we learned a peer's addresses; the address book weighs and buckets them by it. */
public enum DiscoverySource {
  /** Configured by the operator (--bootstrap). */
  BOOTSTRAP,
  /** A peer's own identify message: its listen addresses. */
  IDENTIFY,
  /** Closer peers in a Kademlia DHT reply. */
  DHT,
  /** Peers in a gossipsub PRUNE (signed peer records). */
  GOSSIP_PX,
  /** Peers in a {@code /meshwork/pex/1.0.0} reply (signed peer records). */
  PEX
}
