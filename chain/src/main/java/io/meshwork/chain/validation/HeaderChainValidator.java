package io.meshwork.chain.validation;

import io.meshwork.chain.consensus.HeaderLookup;
import io.meshwork.chain.model.BlockHeader;
import io.meshwork.chain.model.Hash;
import io.meshwork.chain.validation.ValidationFailure.Reason;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Validates a run of headers before any body is fetched (header-first sync): each must connect to a
 * known header or the one before it in the run, and pass every header rule. Stateless apart from
 * the validator's clock; thread-safe.
 */
public final class HeaderChainValidator {
  private final BlockValidator validator;

  public HeaderChainValidator(BlockValidator validator) {
    this.validator = validator;
  }

  /**
   * @param known headers already accepted (the block tree)
   * @param knownInvalid whether a hash is remembered as invalid
   * @return the first failure, or empty when the whole run is valid
   */
  public Optional<ValidationFailure> check(
      List<BlockHeader> headers, HeaderLookup known, Predicate<Hash> knownInvalid) {
    Map<Hash, BlockHeader> run = new HashMap<>();
    HeaderLookup lookup = hash -> known.header(hash).or(() -> Optional.ofNullable(run.get(hash)));
    for (BlockHeader header : headers) {
      if (knownInvalid.test(header.hash()) || knownInvalid.test(header.parent())) {
        return Optional.of(
            ValidationFailure.of(
                Reason.INVALID_ANCESTOR,
                "header " + header.hash() + " is or extends an invalid block"));
      }
      Optional<BlockHeader> parent = lookup.header(header.parent());
      if (parent.isEmpty()) {
        return Optional.of(
            ValidationFailure.of(
                Reason.UNKNOWN_PARENT,
                "header " + header.hash() + " does not connect to known headers"));
      }
      Optional<ValidationFailure> failure = validator.checkHeaderAlone(header);
      if (failure.isEmpty()) {
        failure = validator.checkHeaderInContext(header, parent.get(), lookup);
      }
      if (failure.isPresent()) {
        return failure;
      }
      run.put(header.hash(), header);
    }
    return Optional.empty();
  }
}
