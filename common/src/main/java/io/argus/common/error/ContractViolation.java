package io.argus.common.error;


/**
 * A record or request that does not follow the Argus contract. Carries a machine-readable code that
 * ends up in the dead-letter record's headers or in a REST error body.
 */
public class ContractViolation extends ArgusException {

    public ContractViolation(String code, String message) {
        super(Problem.INVALID_REQUEST, code, message);
    }
}
