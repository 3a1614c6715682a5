package io.argus.e2e;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/** Hands every end-to-end test the one running {@link ArgusStack}, started on first use, stopped at the end. */
public class StackExtension implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == ArgusStack.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(ArgusStack.class, k -> {
                    try {
                        return ArgusStack.start();
                    } catch (Exception e) {
                        throw new IllegalStateException("could not start the Argus stack: " + e.getMessage(), e);
                    }
                }, ArgusStack.class);
    }
}
