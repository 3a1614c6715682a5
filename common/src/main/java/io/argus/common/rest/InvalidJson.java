package io.argus.common.rest;

import java.util.Collection;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import io.argus.common.error.ArgusException;

/** A request body that is not JSON, or not the JSON expected: a refusal that says where and what was expected. */
public final class InvalidJson {

    private InvalidJson() {
    }

    public static ArgusException refusal(JsonProcessingException e) {
        String where = e instanceof JsonMappingException m && !m.getPath().isEmpty()
                ? " at '" + m.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName()
                : "[" + r.getIndex() + "]").collect(Collectors.joining(".")).replace(".[", "[") + "'"
                : "";
        String what;
        if (e instanceof UnrecognizedPropertyException u) {
            what = "unknown field '" + u.getPropertyName() + "'; known: " + u.getKnownPropertyIds();
        } else if (e instanceof InvalidFormatException f) {
            what = "'" + f.getValue() + "' is not " + describe(f.getTargetType());
        } else if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            what = "expected " + describe(m.getTargetType());
        } else if (e instanceof JsonParseException) {
            what = "not valid JSON (" + e.getOriginalMessage() + ")";
        } else {
            what = e.getOriginalMessage();
        }
        return ArgusException.invalid("INVALID_JSON", "the request body is not the JSON expected" + where + ": "
                + what);
    }

    private static String describe(Class<?> type) {
        if (type == String.class) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "a number";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        return "an object";
    }
}
