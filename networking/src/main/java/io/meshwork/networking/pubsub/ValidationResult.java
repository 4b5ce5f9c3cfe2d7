package io.meshwork.networking.pubsub;

/** The answer of an extended validator (gossipsub v1.1, "Extended Validators"). */
public enum ValidationResult {
  /** Deliver to the application and forward. */
  ACCEPT,
  /** Drop and penalise the senders through P4. */
  REJECT,
  /** Drop without penalty (e.g. while syncing). */
  IGNORE
}
