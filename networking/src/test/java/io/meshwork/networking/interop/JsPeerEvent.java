package io.meshwork.networking.interop;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An event line the js peer printed: {@code connected}, {@code disconnected}, {@code identified}
 * (each with a peer id), {@code ready}, or {@code error} (a line it could not parse).
 *
 * @param type the {@code event} field
 * @param peerId the {@code peerId} field, if any
 * @param json the whole line
 */
public record JsPeerEvent(String type, Optional<String> peerId, Map<String, Object> json) {

  public JsPeerEvent {
    // Not Map.copyOf: JSON values may be null.
    json = Collections.unmodifiableMap(new LinkedHashMap<>(json));
  }

  static JsPeerEvent fromJson(Map<String, Object> json) {
    return new JsPeerEvent(
        String.valueOf(json.get("event")), Optional.ofNullable((String) json.get("peerId")), json);
  }
}
