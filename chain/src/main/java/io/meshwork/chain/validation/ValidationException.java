package io.meshwork.chain.validation;

/** A rejected block or transaction; {@link #failure()} says why. */
public final class ValidationException extends Exception {
  private final ValidationFailure failure;

  public ValidationException(ValidationFailure failure) {
    super(failure.toString(), null, false, false);
    this.failure = failure;
  }

  public ValidationException(ValidationFailure.Reason reason, String message) {
    this(ValidationFailure.of(reason, message));
  }

  public ValidationFailure failure() {
    return failure;
  }
}
