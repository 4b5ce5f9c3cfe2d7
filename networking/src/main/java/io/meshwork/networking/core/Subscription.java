package io.meshwork.networking.core;

/** Cancels a subscription; idempotent. */
@FunctionalInterface
public interface Subscription extends AutoCloseable {
  @Override
  void close();
}
