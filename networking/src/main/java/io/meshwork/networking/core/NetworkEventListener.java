package io.meshwork.networking.core;

/**
 * Receives {@link NetworkEvent}s. Called on the host's event thread, one event at a time, in order;
 * must not block. An exception thrown here is logged and does not stop delivery.
 */
@FunctionalInterface
public interface NetworkEventListener {
  void onEvent(NetworkEvent event);
}
