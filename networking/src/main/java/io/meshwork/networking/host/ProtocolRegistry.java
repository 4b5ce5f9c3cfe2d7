package io.meshwork.networking.host;

import io.meshwork.networking.core.StreamHandler;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** The protocols this host serves, and who wants to know when they change (identify push). */
final class ProtocolRegistry {
  private final Map<String, StreamHandler> handlers = new ConcurrentHashMap<>();
  private final CopyOnWriteArrayList<Consumer<Set<String>>> watchers = new CopyOnWriteArrayList<>();

  void put(String protocolId, StreamHandler handler) {
    if (!protocolId.startsWith("/")) {
      throw new IllegalArgumentException("protocol ids start with '/': " + protocolId);
    }
    if (handlers.put(protocolId, handler) == null) {
      changed();
    }
  }

  void remove(String protocolId) {
    if (handlers.remove(protocolId) != null) {
      changed();
    }
  }

  boolean supports(String protocolId) {
    return handlers.containsKey(protocolId);
  }

  Optional<StreamHandler> handler(String protocolId) {
    return Optional.ofNullable(handlers.get(protocolId));
  }

  Set<String> protocols() {
    return Set.copyOf(handlers.keySet());
  }

  void onChange(Consumer<Set<String>> watcher) {
    watchers.add(watcher);
  }

  private void changed() {
    Set<String> now = protocols();
    watchers.forEach(w -> w.accept(now));
  }
}
