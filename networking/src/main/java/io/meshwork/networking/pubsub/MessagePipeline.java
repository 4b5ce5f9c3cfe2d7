package io.meshwork.networking.pubsub;

import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.pubsub.DeliveryRecords.Record;
import io.meshwork.networking.pubsub.DeliveryRecords.Status;
import io.meshwork.networking.pubsub.pb.GossipsubProto;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to a published message we receive (pubsub spec, gossipsub v1.1 "Extended
 * Validators", v1.2 "IDONTWANT"): topic and size checks, deduplication, the signature policy,
 * IDONTWANT to the mesh, validation (bounded for asynchronous validators), then delivery, scoring
 * and forwarding to the mesh. Nothing is forwarded before it is accepted. Router thread only.
 */
final class MessagePipeline {
  private static final Logger log = LoggerFactory.getLogger(MessagePipeline.class);

  private final GossipRouter router;
  private final Map<String, MessageValidator> validators = new HashMap<>();

  /** Messages whose asynchronous validation is under way; at most maxPendingValidations. */
  private final Set<MessageId> pendingAsync = new HashSet<>();

  MessagePipeline(GossipRouter router) {
    this.router = router;
  }

  void setValidator(String topic, MessageValidator validator) {
    validators.put(topic, validator);
  }

  void removeValidator(String topic) {
    validators.remove(topic);
  }

  int pendingValidations() {
    return pendingAsync.size();
  }

  /** Applies an asynchronous verdict; false if the message was not awaiting one. */
  boolean validationResult(MessageId id, ValidationResult result) {
    if (!pendingAsync.remove(id)) {
      return false;
    }
    finishValidation(id, result);
    return true;
  }

  void handle(PeerState from, GossipsubProto.Message proto) {
    String topic = proto.getTopic();
    if (!proto.hasTopic() || !router.subscriptions.contains(topic)) {
      // Not ours: go and js also drop messages for topics they do not subscribe to.
      return;
    }
    TopicMetrics.Counters c = router.counters(topic);
    if (proto.getData().size() > router.config.maxMessageSize()) {
      c.invalid++;
      router.score.invalidMessage(from.id, topic);
      return;
    }
    PubsubMessage message = new PubsubMessage(proto);
    MessageId id;
    try {
      id = router.config.messageIdFunction(topic).idOf(message);
    } catch (RuntimeException e) {
      c.invalid++;
      router.score.invalidMessage(from.id, topic);
      return;
    }
    long now = router.now();
    if (router.seen.contains(id)) {
      c.duplicates++;
      duplicate(from.id, id, topic, now);
      return;
    }
    Optional<String> signatureError =
        MessageSigning.check(router.config.signingPolicy(topic), proto);
    if (signatureError.isPresent()) {
      // Not marked seen: a forged copy must not shadow the genuine message.
      c.invalid++;
      router.score.invalidMessage(from.id, topic);
      log.debug("message from {} on {} rejected: {}", from.id, topic, signatureError.get());
      return;
    }
    router.seen.add(id, now);
    router.promises.delivered(id);
    if (message.from().filter(router.self::equals).isPresent()) {
      return;
    }
    Record record = router.deliveries.create(id, topic, from.id, message, now);
    if (proto.getData().size() > router.config.idontwantMessageThreshold()) {
      // v1.2: tell mesh peers at once, before validation, that we have it.
      for (PeerId p : router.mesh.peers(topic)) {
        PeerState ps = router.peers.get(p);
        if (ps != null && ps.protocol.supportsIdontwant() && !p.equals(from.id)) {
          router.outbox.idontwant(p, id);
        }
      }
    }
    validate(id, record, message, from.id);
  }

  private void duplicate(PeerId from, MessageId id, String topic, long now) {
    Optional<Record> maybe = router.deliveries.get(id);
    if (maybe.isEmpty()) {
      return;
    }
    Record rec = maybe.get();
    switch (rec.status) {
      case VALIDATING -> DeliveryRecords.addDuplicateSource(rec, from);
      case VALID -> {
        if (now - rec.validatedAt <= router.score.meshDeliveryWindowNanos(topic)) {
          router.score.nearFirstDelivery(from, topic);
        }
      }
      case INVALID -> router.score.invalidMessage(from, topic);
      case IGNORED -> {}
    }
  }

  private void validate(MessageId id, Record record, PubsubMessage message, PeerId source) {
    MessageValidator validator = validators.get(message.topic());
    if (validator == null) {
      finishValidation(id, ValidationResult.ACCEPT);
      return;
    }
    if (pendingAsync.size() >= router.config.maxPendingValidations()) {
      // The validation queue is full: drop without penalty (the sender is not at fault).
      record.status = Status.IGNORED;
      record.message = null;
      router.counters(message.topic()).ignored++;
      return;
    }
    CompletionStage<ValidationResult> stage;
    try {
      stage = validator.validate(source, message);
    } catch (RuntimeException e) {
      log.warn("validator of {} threw; message ignored", message.topic(), e);
      finishValidation(id, ValidationResult.IGNORE);
      return;
    }
    CompletableFuture<ValidationResult> future = stage.toCompletableFuture();
    if (future.isDone()) {
      finishValidation(
          id, future.isCompletedExceptionally() ? ValidationResult.IGNORE : future.join());
    } else {
      pendingAsync.add(id);
      router.output.awaitValidation(id, stage);
    }
  }

  private void finishValidation(MessageId id, ValidationResult result) {
    Optional<Record> maybe = router.deliveries.get(id);
    if (maybe.isEmpty() || maybe.get().status != Status.VALIDATING) {
      return;
    }
    Record rec = maybe.get();
    PubsubMessage message = rec.message;
    rec.message = null;
    TopicMetrics.Counters c = router.counters(rec.topic);
    switch (result == null ? ValidationResult.IGNORE : result) {
      case ACCEPT -> {
        rec.status = Status.VALID;
        rec.validatedAt = router.now();
        router.score.firstDelivery(rec.firstSource, rec.topic);
        rec.duplicateSources.forEach(p -> router.score.nearFirstDelivery(p, rec.topic));
        router.mcache.put(id, message);
        if (router.subscriptions.contains(rec.topic)) {
          c.delivered++;
          router.output.deliver(id, message, rec.firstSource);
        }
        forward(id, message, rec);
      }
      case REJECT -> {
        rec.status = Status.INVALID;
        c.invalid++;
        router.score.invalidMessage(rec.firstSource, rec.topic);
        rec.duplicateSources.forEach(p -> router.score.invalidMessage(p, rec.topic));
      }
      case IGNORE -> {
        rec.status = Status.IGNORED;
        c.ignored++;
      }
    }
  }

  /** Forwards an accepted message to the mesh, skipping its sources, author and IDONTWANTs. */
  private void forward(MessageId id, PubsubMessage message, Record rec) {
    Optional<PeerId> author = message.from();
    for (PeerId p : router.mesh.peers(rec.topic)) {
      if (p.equals(rec.firstSource)
          || rec.duplicateSources.contains(p)
          || author.filter(p::equals).isPresent()) {
        continue;
      }
      PeerState ps = router.peers.get(p);
      if (ps == null || ps.dontSend.containsKey(id)) {
        continue;
      }
      router.outbox.message(p, message, false);
    }
  }
}
