package io.meshwork.networking.pubsub;

import io.meshwork.networking.crypto.PeerId;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Application validation for one topic. Called on the router thread after the signature check and
 * deduplication; a message is neither delivered nor forwarded until its validator accepts it. A
 * validator that answers with an already completed stage is synchronous; otherwise the driver of
 * the router feeds the result back through {@link GossipRouter#validationResult}. A stage completed
 * exceptionally counts as {@link ValidationResult#IGNORE}.
 */
@FunctionalInterface
public interface MessageValidator {
  CompletionStage<ValidationResult> validate(PeerId propagationSource, PubsubMessage message);

  /** A synchronous validator. */
  static MessageValidator sync(Function<PubsubMessage, ValidationResult> check) {
    return (source, message) -> CompletableFuture.completedFuture(check.apply(message));
  }
}
