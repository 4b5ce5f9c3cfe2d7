package io.meshwork.networking.pubsub;

/**
 * Message signing policies of go/js pubsub (pubsub spec, "Message Signing"). Mixed policies on one
 * network do not interoperate: a StrictSign node rejects unsigned messages and vice versa.
 */
public enum SigningPolicy {
  /**
   * {@code from}, {@code seqno} and {@code signature} required and verified; our messages signed.
   */
  STRICT_SIGN,
  /** {@code from}, {@code seqno}, {@code signature} and {@code key} must all be absent. */
  STRICT_NO_SIGN
}
