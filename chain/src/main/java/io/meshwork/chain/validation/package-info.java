/**
 * Validation of headers and bodies, each failure a {@link
 * io.meshwork.chain.validation.ValidationFailure} with a typed reason.
 *
 * <p>Three stages, cheapest first, so a peer's junk costs little: the header alone (proof of work,
 * future timestamp), the header against its ancestors (height, difficulty retarget, median time
 * past) and the body without state (size limits, transactions root, duplicates, signatures). Checks
 * against state (nonces, balances, fees, state root) happen when the block is applied, in {@code
 * io.meshwork.chain.state.StateTransition}.
 */
package io.meshwork.chain.validation;
