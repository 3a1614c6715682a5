package io.argus.common.contract;

/**
 * A record that does not follow the Argus contract. Carries a machine-readable code that ends up
 * in the dead-letter record's headers or in a REST error body.
 */
public class ContractViolation extends RuntimeException {

    private final String code;

    public ContractViolation(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
