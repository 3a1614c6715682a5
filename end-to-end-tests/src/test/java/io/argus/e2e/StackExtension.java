package io.argus.e2e;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands every end-to-end test the one running {@link ArgusStack}, started on first use, stopped at
 * the end; and before each test class, brings the stack to a known state (see
 * {@link TrainerState#settle}): no training run in progress and no label a person gave that the
 * serving model was not trained on, so that no class sees another's labels in its 50-label trigger.
 */
public class StackExtension implements ParameterResolver, BeforeAllCallback {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == ArgusStack.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return stack(context);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        TrainerState.settle(stack(context), context.getRequiredTestClass().getSimpleName());
    }

    private static ArgusStack stack(ExtensionContext context) {
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
