package io.meshwork.networking.interop;

import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * A gossipsub message the js peer delivered to its subscriber (a {@code message} event).
 *
 * @param topic the topic
 * @param from the author's peer id (empty for unsigned messages)
 * @param data the payload
 * @param messageId the message id js computed for it ({@code from ‖ seqno}, see lib/node.mjs)
 */
public record JsGossipMessage(String topic, Optional<String> from, byte[] data, byte[] messageId) {

  static JsGossipMessage fromJson(Map<String, Object> json) {
    return new JsGossipMessage(
        (String) json.get("topic"),
        Optional.ofNullable((String) json.get("from")),
        Base64.getDecoder().decode((String) json.get("dataBase64")),
        HexFormat.of().parseHex((String) json.get("messageIdHex")));
  }
}
