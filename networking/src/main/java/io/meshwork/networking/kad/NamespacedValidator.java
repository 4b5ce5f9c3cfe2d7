package io.meshwork.networking.kad;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Dispatches records to a validator by namespace, the first segment of a key {@code
 * /<namespace>/<rest>} (as go-libp2p-record does); records in unknown namespaces are invalid, so a
 * DHT stores only what some validator vouches for.
 *
 * <p>Immutable and thread-safe if the delegates are.
 */
public final class NamespacedValidator implements RecordValidator {
  private final Map<String, RecordValidator> validators;

  public NamespacedValidator(Map<String, RecordValidator> validators) {
    this.validators = Map.copyOf(validators);
  }

  /** The standard namespaces: {@code pk} ({@link PublicKeyValidator}). */
  public static NamespacedValidator standard() {
    return new NamespacedValidator(Map.of(PublicKeyValidator.NAMESPACE, new PublicKeyValidator()));
  }

  /** A validator that also knows {@code namespace}. */
  public NamespacedValidator with(String namespace, RecordValidator validator) {
    java.util.HashMap<String, RecordValidator> all = new java.util.HashMap<>(validators);
    all.put(namespace, validator);
    return new NamespacedValidator(all);
  }

  /** The namespace of {@code key}: the text between its first two slashes. */
  public static String namespaceOf(byte[] key) {
    if (key.length < 3 || key[0] != '/') {
      throw new InvalidRecordException("record key must look like /<namespace>/<key>");
    }
    for (int i = 1; i < key.length; i++) {
      if (key[i] == '/') {
        if (i == 1) {
          break;
        }
        return new String(key, 1, i - 1, StandardCharsets.ISO_8859_1);
      }
    }
    throw new InvalidRecordException("record key must look like /<namespace>/<key>");
  }

  @Override
  public void validate(byte[] key, byte[] value) {
    validatorFor(key).validate(key, value);
  }

  @Override
  public int select(byte[] key, List<byte[]> values) {
    return validatorFor(key).select(key, values);
  }

  private RecordValidator validatorFor(byte[] key) {
    String namespace = namespaceOf(key);
    RecordValidator validator = validators.get(namespace);
    if (validator == null) {
      throw new InvalidRecordException("no validator for namespace '" + namespace + "'");
    }
    return validator;
  }
}
