package io.meshwork.sync;

/** How a node announces the blocks it mines (docs/protocols/chain-gossip.md). */
public enum BlockRelayMode {
  /** Header, salted short transaction ids and the transactions peers likely lack (BIP152 idea). */
  COMPACT,
  /** The whole block: the reference the compact mode is measured against. */
  FULL
}
